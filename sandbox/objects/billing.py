"""Customers, monthly Subscriptions and their Invoices, each invoice paid by a card charge."""

from __future__ import annotations

import calendar
from datetime import UTC, datetime
from typing import Any

from sandbox.errors import StripeError, invalid_request
from sandbox.objects import billing_shapes as shapes
from sandbox.objects.events import emit
from sandbox.objects.payments import attempt, new_payment_intent
from sandbox.state import Store


def add_month(timestamp: int) -> int:
    moment = datetime.fromtimestamp(timestamp, UTC)
    month = moment.month % 12 + 1
    year = moment.year + (moment.month == 12)
    day = min(moment.day, calendar.monthrange(year, month)[1])
    return int(moment.replace(year=year, month=month, day=day).timestamp())


def create_customer(store: Store, params: dict[str, Any]) -> dict[str, Any]:
    customer = store.add(shapes.customer(store, params))
    emit(store, "customer.created", customer)
    return customer


def create_subscription(
    store: Store,
    *,
    customer: dict[str, Any],
    price_data: dict[str, Any],
    metadata: dict[str, str],
    card: str,
) -> tuple[dict[str, Any], dict[str, Any]]:
    """A monthly subscription and its first invoice, paid now with the card."""
    now = store.now()
    sub = store.add(shapes.subscription(store, customer, price_data, metadata, now, add_month(now)))
    sub["_card"] = card
    invoice = _new_invoice(store, sub, "subscription_create")
    sub["latest_invoice"] = invoice["id"]
    emit(store, "customer.subscription.created", sub)
    error = _pay(store, invoice, sub, card)
    if error is not None:
        raise error
    return sub, invoice


def _new_invoice(store: Store, sub: dict[str, Any], reason: str) -> dict[str, Any]:
    invoice = store.add(shapes.invoice(store, sub, reason))
    emit(store, "invoice.created", invoice)
    invoice["status"] = "open"
    invoice["status_transitions"]["finalized_at"] = store.now()
    invoice["number"] = f"SBX-{store.count('invoice'):04d}"
    emit(store, "invoice.finalized", invoice)
    return invoice


def _pay(
    store: Store, invoice: dict[str, Any], sub: dict[str, Any], card: str
) -> StripeError | None:
    pi = new_payment_intent(
        store,
        amount=invoice["amount_due"],
        currency=invoice["currency"],
        metadata={},
        customer=sub["customer"],
        description="Subscription creation"
        if invoice["billing_reason"] == "subscription_create"
        else "Subscription update",
        receipt_email=invoice["customer_email"],
    )
    pi["_invoice"] = invoice["id"]
    invoice.update(
        payment_intent=pi["id"], attempted=True, attempt_count=invoice["attempt_count"] + 1
    )
    error = attempt(store, pi, card, email=invoice["customer_email"])
    invoice["charge"] = pi["latest_charge"]
    if error is not None:
        invoice["next_payment_attempt"] = store.now() + 3 * 24 * 3600
        emit(store, "invoice.payment_failed", invoice)
        return error
    _mark_paid(store, invoice, pi)
    return None


def _mark_paid(store: Store, invoice: dict[str, Any], pi: dict[str, Any]) -> None:
    now = store.now()
    invoice.update(
        status="paid",
        amount_paid=invoice["amount_due"],
        amount_remaining=0,
        next_payment_attempt=None,
        effective_at=now,
        receipt_number=f"SBX-R-{invoice['id'][-6:]}",
    )
    invoice["status_transitions"]["paid_at"] = now
    invoice["payments"]["data"] = [shapes.invoice_payment(store, invoice, pi)]
    emit(store, "invoice.paid", invoice)
    emit(store, "invoice.payment_succeeded", invoice)


def advance(store: Store, sub: dict[str, Any], *, fail: bool, card: str | None) -> dict[str, Any]:
    """Test helper: the subscription enters its next period and the next invoice is charged."""
    if sub["status"] not in {"active", "past_due"}:
        raise invalid_request(f"Subscription {sub['id']} is {sub['status']}.")
    item = sub["items"]["data"][0]
    previous = {"items": store.render(sub)["items"]}
    item["current_period_start"] = item["current_period_end"]
    item["current_period_end"] = add_month(item["current_period_end"])
    invoice = _new_invoice(store, sub, "subscription_cycle")
    sub["latest_invoice"] = invoice["id"]
    charged_with = shapes.DECLINE if fail else (card or sub["_card"])
    error = _pay(store, invoice, sub, charged_with)
    old_status = sub["status"]
    sub["status"] = "past_due" if error is not None else "active"
    if sub["status"] != old_status:
        previous["status"] = old_status
    emit(store, "customer.subscription.updated", sub, previous)
    return invoice


def cancel(store: Store, sub: dict[str, Any]) -> dict[str, Any]:
    if sub["status"] == "canceled":
        raise invalid_request(f"No such subscription: '{sub['id']}' is already canceled.")
    now = store.now()
    sub.update(status="canceled", canceled_at=now, ended_at=now)
    sub["cancellation_details"]["reason"] = "cancellation_requested"
    for invoice in store.all("invoice"):
        if invoice["subscription"] == sub["id"] and invoice["status"] == "open":
            invoice["status"] = "void"
            invoice["status_transitions"]["voided_at"] = now
    emit(store, "customer.subscription.deleted", sub)
    return sub
