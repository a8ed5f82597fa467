"""The treasurer's reconciliation: the providers' statements and the bank's, matched against
the journal, with the workbench for what the rules cannot decide."""
