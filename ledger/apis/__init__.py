"""The ledger's HTTP API for the treasurer (one view per operation, reports in selectors)."""
