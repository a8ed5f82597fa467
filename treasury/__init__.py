"""The treasurer's own work beside the ledger: disbursements, offline gifts, releases,
adjustments and revaluations, fee shares, reference exchange rates, and their screens."""
