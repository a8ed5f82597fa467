"""Refunds, full or partial, several per charge, each converted at the rate of its own day."""

from __future__ import annotations

from typing import Any

from sandbox.errors import invalid_request
from sandbox.forms import as_int, as_metadata
from sandbox.objects.balance import add_transaction
from sandbox.objects.events import emit
from sandbox.state import Store


def _charge_of(store: Store, params: dict[str, Any]) -> dict[str, Any]:
    if params.get("charge"):
        return store.get(params["charge"], "charge", "charge")
    if params.get("payment_intent"):
        pi = store.get(params["payment_intent"], "payment_intent", "payment_intent")
        if pi["latest_charge"]:
            return store.get(pi["latest_charge"], "charge", "payment_intent")
        raise invalid_request("This PaymentIntent has no charge to refund.", param="payment_intent")
    raise invalid_request("One of charge or payment_intent is required.", param="charge")


def _check_refundable(charge: dict[str, Any], amount: int | None) -> int:
    remaining = charge["amount"] - charge["amount_refunded"]
    if charge["status"] != "succeeded":
        raise invalid_request(f"Charge {charge['id']} has not succeeded.", param="charge")
    if charge["disputed"]:
        raise invalid_request(
            f"Charge {charge['id']} has been disputed; it cannot be refunded.",
            code="charge_disputed",
            param="charge",
        )
    if remaining <= 0:
        raise invalid_request(
            f"Charge {charge['id']} has already been refunded.",
            code="charge_already_refunded",
            param="charge",
        )
    amount = remaining if amount is None else amount
    if amount <= 0 or amount > remaining:
        raise invalid_request(
            f"Refund amount ({amount}) is greater than unrefunded amount on charge ({remaining})",
            code="amount_too_large",
            param="amount",
        )
    return amount


def create(store: Store, params: dict[str, Any]) -> dict[str, Any]:
    charge = _charge_of(store, params)
    amount = _check_refundable(charge, as_int(params, "amount"))
    refund = store.add(_shape(store, charge, amount, params))
    settled, rate = store.rates.convert(amount, charge["currency"])
    txn = add_transaction(
        store,
        amount=-settled,
        type_="refund",
        source=refund["id"],
        description=f"REFUND FOR CHARGE ({charge['description'] or charge['id']})",
        exchange_rate=rate,
        available_now=True,
    )
    refund["balance_transaction"] = txn["id"]
    previous = {"amount_refunded": charge["amount_refunded"], "refunded": charge["refunded"]}
    charge["amount_refunded"] += amount
    charge["refunded"] = charge["amount_refunded"] == charge["amount"]
    charge["refunds"]["data"].insert(0, refund["id"])
    emit(store, "refund.created", refund)
    emit(store, "charge.refunded", charge, previous)
    return refund


def _shape(store: Store, charge: dict[str, Any], amount: int, params: dict[str, Any]):
    return {
        "id": store.new_id("re_"),
        "object": "refund",
        "amount": amount,
        "balance_transaction": None,
        "charge": charge["id"],
        "created": store.now(),
        "currency": charge["currency"],
        "customer": charge["customer"],
        "customer_account": None,
        "destination_details": {
            "card": {
                "reference_status": "pending",
                "reference_type": "acquirer_reference_number",
                "type": "refund",
            },
            "type": "card",
        },
        "failure_balance_transaction": None,
        "failure_reason": None,
        "metadata": as_metadata(params.get("metadata")),
        "payment_intent": charge["payment_intent"],
        "payment_method": charge["payment_method"],
        "reason": params.get("reason"),
        "receipt_number": None,
        "source_transfer_reversal": None,
        "status": "succeeded",
        "transfer_reversal": None,
    }


def fail(store: Store, refund: dict[str, Any]) -> dict[str, Any]:
    """Test helper: the card network rejects a refund; the money comes back to the balance."""
    if refund["status"] != "succeeded":
        raise invalid_request(f"Refund {refund['id']} is {refund['status']}.")
    charge = store.get(refund["charge"], "charge")
    settled, rate = store.rates.convert(refund["amount"], refund["currency"])
    txn = add_transaction(
        store,
        amount=settled,
        type_="refund_failure",
        source=refund["id"],
        description="REFUND FAILURE",
        exchange_rate=rate,
        category="refund_failure",
        available_now=True,
    )
    refund.update(
        status="failed",
        failure_reason="expired_or_canceled_card",
        failure_balance_transaction=txn["id"],
    )
    charge["amount_refunded"] -= refund["amount"]
    charge["refunded"] = False
    emit(store, "refund.updated", refund, {"status": "succeeded"})
    emit(store, "refund.failed", refund)
    return refund
