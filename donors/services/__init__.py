"""Every write to donations goes through these services (see STYLE.md)."""

from donors.services.disputes import dispute_sync
from donors.services.events import (
    checkout_sync,
    invoice_sync,
    payment_event_sync,
    subscription_sync,
)
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
    "checkout_sync",
    "dispute_sync",
    "donation_checkout_completed",
    "donation_expire",
    "donation_fail",
    "donation_flag",
    "donation_settle",
    "donation_start",
    "invoice_sync",
    "payment_event_sync",
    "payment_sync",
    "recurring_gift_cancel",
    "recurring_gift_ensure",
    "recurring_gift_mark_cancelled",
    "refund_book",
    "refund_request",
    "refund_submit",
    "subscription_sync",
]
