"""Reads of the ledger that are more than a `get`."""
