"""Every write to donations goes through these services (see STYLE.md)."""

from donors.services.disputes import dispute_sync
from donors.services.refunds import refund_book, refund_request, refund_submit
from donors.services.settlement import (
    donation_checkout_completed,
    donation_expire,
    donation_fail,
    donation_flag,
    donation_settle,
)
from donors.services.start import donation_start
from donors.services.subscriptions import (
    recurring_gift_cancel,
    recurring_gift_ensure,
    recurring_gift_mark_cancelled,
)
from donors.services.sync import payment_sync

__all__ = [
    "dispute_sync",
    "donation_checkout_completed",
    "donation_expire",
    "donation_fail",
    "donation_flag",
    "donation_settle",
    "donation_start",
    "payment_sync",
    "recurring_gift_cancel",
    "recurring_gift_ensure",
    "recurring_gift_mark_cancelled",
    "refund_book",
    "refund_request",
    "refund_submit",
]
