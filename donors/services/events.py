"""What a payment provider's event means for gifts: one service per kind of news, each
fetching the authoritative state from the provider once and bringing our records in line.

The webhooks' event maps (`webhooks/<provider>.py`) call these with the id of the object an
event is about; nothing here trusts an event's payload. Each returns a short account of
what it did, for the event's record. Safe to run again: every step acts only on a change.
"""

from __future__ import annotations

from donors import selectors
from donors.models import Donation
from donors.services.settlement import donation_checkout_completed, donation_expire
from donors.services.subscriptions import (
    donation_for_invoice,
    recurring_gift_ensure,
    recurring_gift_mark_cancelled,
)
from donors.services.sync import payment_sync
from payments.registry import get_provider
from payments.types import InvoiceSnapshot, PaymentSnapshot


def _apply_payment(donation: Donation | None, payment: PaymentSnapshot | None, source: str) -> str:
    if payment is None:
        return "no payment yet"
    if donation is None:
        return f"no donation for {payment.payment_intent_id}"
    done = payment_sync(donation=donation, payment=payment, source=source)
    return ", ".join(done) or "no change"


def _apply_invoice(provider: str, invoice: InvoiceSnapshot, source: str, *, failed: bool) -> str:
    """A subscription's invoice: find the monthly gift it belongs to, the donation it pays
    (the first month's, or a new one for a renewal), then apply its payment."""
    if invoice.status != "paid" and not failed:
        return f"invoice {invoice.status}"
    first = selectors.donation_first_for_subscription(invoice.subscription_id)
    if first is None:
        first = selectors.donation_by_id(invoice.subscription_metadata.get("donation_id", ""))
    if first is None:
        return f"no donation for subscription {invoice.subscription_id}"
    gift = recurring_gift_ensure(first=first, subscription_id=invoice.subscription_id,
                                 provider=provider)  # fmt: skip
    donation = donation_for_invoice(first=first, gift=gift, invoice=invoice)
    return _apply_payment(donation, invoice.payment, source)


def checkout_sync(*, provider: str, session_id: str, source: str) -> str:
    """A checkout session completed, expired, or its delayed payment succeeded or failed."""
    session = get_provider(provider).fetch_checkout(session_id)
    donation = selectors.donation_for_checkout(session)
    if donation is None:
        return f"no donation for session {session.session_id}"
    if session.status == "expired":
        was_pending = donation.status == "pending"
        donation_expire(donation=donation, source=source)
        return "expired" if was_pending else "no change"
    if session.status != "complete":
        return "session still open"
    donation = donation_checkout_completed(
        donation=donation, payment_intent_id=session.payment_intent_id,
        subscription_id=session.subscription_id, customer_id=session.customer_id,
    )  # fmt: skip
    if session.mode != "subscription":
        return _apply_payment(donation, session.payment, source)
    if session.subscription_id:
        recurring_gift_ensure(first=donation, subscription_id=session.subscription_id,
                              customer_id=session.customer_id, provider=provider)  # fmt: skip
    if session.invoice is None:
        return "subscription"
    return _apply_invoice(provider, session.invoice, source, failed=False)


def invoice_sync(*, provider: str, invoice_id: str, source: str, failed: bool = False) -> str:
    """A monthly gift's invoice was paid (or its payment failed: `failed`)."""
    invoice = get_provider(provider).fetch_invoice(invoice_id)
    return _apply_invoice(provider, invoice, source, failed=failed)


def payment_event_sync(
    *, provider: str, payment_intent_id: str = "", charge_id: str = "", source: str
) -> str:
    """A payment succeeded or failed, or its charge was refunded or disputed: the payment as
    the provider knows it now, with its refunds and disputes."""
    if not payment_intent_id and not charge_id:
        return "no payment yet"
    payment = get_provider(provider).fetch_payment(payment_intent_id, charge_id=charge_id)
    return _apply_payment(selectors.donation_for_payment(payment), payment, source)


def subscription_sync(*, provider: str, subscription_id: str) -> str:
    """A monthly gift's subscription ended at the provider: no more invoices will come."""
    subscription = get_provider(provider).fetch_subscription(subscription_id)
    if subscription.status != "canceled":
        return f"subscription {subscription.status}"
    gift = recurring_gift_mark_cancelled(subscription_id=subscription.id)
    return "cancelled" if gift else "unknown subscription"
