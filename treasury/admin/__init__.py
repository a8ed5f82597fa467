"""The treasurer's screens in the admin: the bookings on the journal and the fee shares
(`operations`), disbursements (`disbursements`), reference exchange rates (`rates`)."""

from treasury.admin import disbursements, operations, rates

__all__ = ["disbursements", "operations", "rates"]
