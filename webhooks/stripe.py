"""What each Stripe event means for us: `{event_type: handler}`.

A handler reads no more of the event than the id of the object it is about (and, for a
charge's news, which payment or charge it concerns), and hands it to the service that owns
the matter: gifts to `donors`, payouts to `reconciliation`. Those services re-fetch the
authoritative object from Stripe through `payments` before they act.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from donors.services import events as gifts
from reconciliation.services.payouts import payout_sync
from webhooks.dispatch import Handler
from webhooks.models import WebhookEvent

PROVIDER = "stripe"


def _source(event: WebhookEvent) -> str:
    return f"{event.provider}:{event.event_id}"


def _id(value: Any) -> str:
    """An expandable field: the id string, or the expanded object's id."""
    if isinstance(value, Mapping):
        return str(value.get("id", ""))
    return str(value or "")


def checkout_session(event: WebhookEvent) -> str:
    return gifts.checkout_sync(provider=PROVIDER, session_id=event.object_id,
                               source=_source(event))  # fmt: skip


def payment_intent(event: WebhookEvent) -> str:
    return gifts.payment_event_sync(provider=PROVIDER, payment_intent_id=event.object_id,
                                    source=_source(event))  # fmt: skip


def charge(event: WebhookEvent) -> str:
    """charge.refunded, charge.dispute.* and refund.updated: the payment behind the charge."""
    obj = event.payload["data"]["object"]
    payment_intent_id = _id(obj.get("payment_intent"))
    charge_id = event.object_id if obj.get("object") == "charge" else _id(obj.get("charge"))
    return gifts.payment_event_sync(
        provider=PROVIDER, payment_intent_id=payment_intent_id, charge_id=charge_id,
        source=_source(event),
    )  # fmt: skip


def invoice(event: WebhookEvent) -> str:
    return gifts.invoice_sync(
        provider=PROVIDER, invoice_id=event.object_id, source=_source(event),
        failed=event.type == "invoice.payment_failed",
    )  # fmt: skip


def subscription_deleted(event: WebhookEvent) -> str:
    return gifts.subscription_sync(provider=PROVIDER, subscription_id=event.object_id)


def payout(event: WebhookEvent) -> str:
    return payout_sync(provider=PROVIDER, payout_id=event.object_id)


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
    "invoice.paid": invoice,
    "invoice.payment_failed": invoice,
    "customer.subscription.deleted": subscription_deleted,
    "payout.paid": payout,
    "payout.failed": payout,
}
