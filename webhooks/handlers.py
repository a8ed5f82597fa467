"""What each Stripe event means for us: `{event_type: handler}`.

Handlers never trust the payload beyond the id of the object it is about: they re-fetch the
authoritative object from the provider and hand it to the donation services, which act only
on a real change of state.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from donors import selectors
from donors.services import (
    books,
    donation_checkout_completed,
    donation_expire,
    payment_sync,
    recurring_gift_ensure,
    recurring_gift_mark_cancelled,
)
from donors.services.subscriptions import donation_for_invoice
from webhooks.models import WebhookEvent
from webhooks.providers import get_provider

log = logging.getLogger("webhooks")
Handler = Callable[[WebhookEvent], str]


def _source(event: WebhookEvent) -> str:
    return f"{event.provider}:{event.event_id}"


def _sync_payment(event: WebhookEvent, payment_intent_id: str, donation=None) -> str:
    if not payment_intent_id:
        return "no payment yet"
    payment = get_provider().fetch_payment(payment_intent_id)
    donation = donation or selectors.donation_for_payment(payment)
    if donation is None:
        return f"no donation for {payment_intent_id}"
    done = payment_sync(donation=donation, payment=payment, source=_source(event))
    return ", ".join(done) or "no change"


def checkout_session(event: WebhookEvent) -> str:
    provider = get_provider()
    session = provider.fetch_checkout(event.object_id)
    donation = selectors.donation_for_checkout(session)
    if donation is None:
        return f"no donation for session {session.session_id}"
    source = _source(event)
    if session.status == "expired":
        donation_expire(donation=donation, source=source)
        return "expired" if donation.status == "pending" else "no change"
    if session.status != "complete":
        return "session still open"
    donation_checkout_completed(
        donation=donation, payment_intent_id=session.payment_intent_id,
        subscription_id=session.subscription_id, customer_id=session.customer_id,
    )  # fmt: skip
    if session.mode == "subscription":
        if session.subscription_id:
            recurring_gift_ensure(first=donation, subscription_id=session.subscription_id,
                                  customer_id=session.customer_id)  # fmt: skip
        return _invoice(event, session.invoice_id) if session.invoice_id else "subscription"
    return _sync_payment(event, session.payment_intent_id)


def payment_intent(event: WebhookEvent) -> str:
    return _sync_payment(event, event.object_id)


def charge(event: WebhookEvent) -> str:
    """charge.refunded, charge.dispute.* and refund.updated: the payment behind the charge."""
    obj = event.payload["data"]["object"]
    pi = obj.get("payment_intent") or ""
    if isinstance(pi, dict):
        pi = pi.get("id", "")
    if not pi:
        charge_id = event.object_id if obj.get("object") == "charge" else obj.get("charge")
        if isinstance(charge_id, dict):
            charge_id = charge_id.get("id", "")
        pi = get_provider().payment_for_charge(charge_id) if charge_id else ""
    return _sync_payment(event, pi or "")


def invoice_paid(event: WebhookEvent) -> str:
    return _invoice(event, event.object_id)


def _invoice(event: WebhookEvent, invoice_id: str) -> str:
    provider = get_provider()
    invoice = provider.fetch_invoice(invoice_id)
    if invoice.status != "paid" and event.type != "invoice.payment_failed":
        return f"invoice {invoice.status}"
    first = selectors.donation_first_for_subscription(invoice.subscription_id)
    if first is None:
        sub = provider.fetch_subscription(invoice.subscription_id)
        first = selectors.donation_by_id(sub.metadata.get("donation_id", ""))
    if first is None:
        return f"no donation for subscription {invoice.subscription_id}"
    gift = recurring_gift_ensure(first=first, subscription_id=invoice.subscription_id)
    donation = donation_for_invoice(first=first, gift=gift, invoice=invoice)
    return _sync_payment(event, invoice.payment_intent_id, donation)


def subscription_deleted(event: WebhookEvent) -> str:
    sub = get_provider().fetch_subscription(event.object_id)
    if sub.status != "canceled":
        return f"subscription {sub.status}"
    gift = recurring_gift_mark_cancelled(subscription_id=sub.id)
    return "cancelled" if gift else "unknown subscription"


def payout(event: WebhookEvent) -> str:
    p = get_provider().fetch_payout(event.object_id)
    if p.status not in ("paid", "failed"):
        return f"payout {p.status}"
    failed = p.status == "failed"
    booked = books.book_payout(p.id, p.amount, p.arrival_date.date(), failed=failed)
    return f"payout {p.status} booked" if booked else f"payout {p.status}: nothing to book"


HANDLERS: dict[str, Handler] = {
    "checkout.session.completed": checkout_session,
    "checkout.session.async_payment_succeeded": checkout_session,
    "checkout.session.async_payment_failed": checkout_session,
    "checkout.session.expired": checkout_session,
    "payment_intent.succeeded": payment_intent,
    "payment_intent.payment_failed": payment_intent,
    "charge.refunded": charge,
    "refund.updated": charge,
    "charge.dispute.created": charge,
    "charge.dispute.funds_withdrawn": charge,
    "charge.dispute.funds_reinstated": charge,
    "charge.dispute.closed": charge,
    "invoice.paid": invoice_paid,
    "invoice.payment_failed": invoice_paid,
    "customer.subscription.deleted": subscription_deleted,
    "payout.paid": payout,
    "payout.failed": payout,
}


def dispatch(event: WebhookEvent) -> str:
    handler = HANDLERS.get(event.type)
    if handler is None:
        return "ignored: unknown type"
    return handler(event)
