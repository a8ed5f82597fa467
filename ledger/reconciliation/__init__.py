"""Reconciliation: what Stripe and the bank say happened, set against the journal.

`parsers` turns CSV exports and API objects into plain rows (pure functions); the models
live in `ledger/models_reconciliation.py`, the writes in `ledger/services/reconciliation.py`
and the reports in `ledger/selectors/reconciliation.py`.
"""
