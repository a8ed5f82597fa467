"""What a payment provider's event means for gifts: one service per kind of news, each
fetching the authoritative state from the provider once and bringing our records in line.

The webhooks' event maps (`webhooks/<provider>.py`) call these with the id of the object an
event is about; nothing here trusts an event's payload. Each returns a short account of
what it did, for the event's record. Safe to run again: every step acts only on a change.
"""

from __future__ import annotations

from donors import selectors
from donors.services.settlement import donation_checkout_completed, donation_expire
from donors.services.subscriptions import (
    checkout_subscription_apply,
    invoice_apply,
    recurring_gift_mark_cancelled,
)
from donors.services.sync import payment_apply
from payments.registry import get_provider


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
    if session.mode == "subscription":
        return checkout_subscription_apply(
            provider=provider, first=donation, session=session, source=source
        )
    return payment_apply(donation=donation, payment=session.payment, source=source)


def invoice_sync(*, provider: str, invoice_id: str, source: str, failed: bool = False) -> str:
    """A monthly gift's invoice was paid (or its payment failed: `failed`)."""
    invoice = get_provider(provider).fetch_invoice(invoice_id)
    first = selectors.donation_first_for_invoice(invoice)
    return invoice_apply(
        provider=provider, invoice=invoice, first=first, source=source, failed=failed
    )


def payment_event_sync(
    *, provider: str, payment_intent_id: str = "", charge_id: str = "", source: str
) -> str:
    """A payment succeeded or failed, or its charge was refunded or disputed: the payment as
    the provider knows it now, with its refunds and disputes."""
    if not payment_intent_id and not charge_id:
        return "no payment yet"
    payment = get_provider(provider).fetch_payment(payment_intent_id, charge_id=charge_id)
    donation = selectors.donation_for_payment(payment)
    return payment_apply(donation=donation, payment=payment, source=source)


def subscription_sync(*, provider: str, subscription_id: str) -> str:
    """A monthly gift's subscription ended at the provider: no more invoices will come."""
    subscription = get_provider(provider).fetch_subscription(subscription_id)
    if subscription.status != "canceled":
        return f"subscription {subscription.status}"
    gift = recurring_gift_mark_cancelled(subscription_id=subscription.id)
    return "cancelled" if gift else "unknown subscription"
