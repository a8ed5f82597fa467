"""Balance transactions, the balance, and payouts of the available balance."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sandbox.errors import invalid_request
from sandbox.money import fee_rule, processing_fee
from sandbox.state import Store

DAY = 24 * 3600


def _fee_details(amount: int, currency: str, description: str) -> list[dict[str, Any]]:
    if not amount:
        return []
    return [
        {
            "amount": amount,
            "application": None,
            "currency": currency,
            "description": description,
            "type": "stripe_fee",
        }
    ]


def add_transaction(
    store: Store,
    *,
    amount: int,
    type_: str,
    source: str,
    description: str | None,
    fee: int = 0,
    fee_description: str = "Stripe processing fees",
    exchange_rate: Decimal | None = None,
    category: str | None = None,
    available_now: bool = False,
) -> dict[str, Any]:
    """Record money moving in the settlement currency; ``amount`` is already converted."""
    now = store.now()
    currency = store.config.settlement_currency
    available_on = now if available_now else now + store.config.available_after_days * DAY
    txn = {
        "id": store.new_id("txn_"),
        "object": "balance_transaction",
        "amount": amount,
        "available_on": available_on,
        "balance_type": "payments",
        "created": now,
        "currency": currency,
        "description": description,
        "exchange_rate": float(exchange_rate) if exchange_rate is not None else None,
        "fee": fee,
        "fee_details": _fee_details(fee, currency, fee_description),
        "net": amount - fee,
        "reporting_category": category or type_,
        "source": source,
        "status": "available" if available_now else "pending",
        "type": type_,
        "_payout": None,
    }
    store.add(txn)
    if not available_now:
        store.at(available_on, txn["id"])
    return txn


def charge_transaction(store: Store, charge: dict[str, Any]) -> dict[str, Any]:
    """The balance transaction of a successful charge: converted, less Stripe's fee."""
    settled, rate = store.rates.convert(charge["amount"], charge["currency"])
    rule = fee_rule(store.config.settlement_currency, store.config.fees)
    return add_transaction(
        store,
        amount=settled,
        type_="charge",
        source=charge["id"],
        description=charge.get("description"),
        fee=processing_fee(settled, rule),
        exchange_rate=rate,
    )


def settle(txn: dict[str, Any]) -> None:
    """A pending balance transaction whose ``available_on`` has come becomes available."""
    if txn["status"] == "pending":
        txn["status"] = "available"


def make_available(store: Store) -> int:
    """Test helper: every pending balance transaction becomes available now."""
    count = 0
    for txn in store.all("balance_transaction"):
        if txn["status"] == "pending":
            txn["status"], txn["available_on"] = "available", store.now()
            count += 1
    return count


def balance(store: Store) -> dict[str, Any]:
    currency = store.config.settlement_currency
    available = sum(
        t["net"] for t in store.all("balance_transaction") if t["status"] == "available"
    )
    pending = sum(t["net"] for t in store.all("balance_transaction") if t["status"] == "pending")
    return {
        "object": "balance",
        "available": [
            {"amount": available, "currency": currency, "source_types": {"card": available}}
        ],
        "connect_reserved": [{"amount": 0, "currency": currency}],
        "livemode": False,
        "pending": [{"amount": pending, "currency": currency, "source_types": {"card": pending}}],
    }


def create_payout(store: Store, params: dict[str, Any]) -> dict[str, Any]:
    """Pay out the available balance (all of it when no amount is given) to the bank."""
    currency = (params.get("currency") or store.config.settlement_currency).lower()
    if currency != store.config.settlement_currency:
        raise invalid_request(f"You have no balance in {currency}.", param="currency")
    available = balance(store)["available"][0]["amount"]
    amount = int(params["amount"]) if params.get("amount") else available
    if amount <= 0 or amount > available:
        raise invalid_request(
            "You have insufficient funds in your Stripe account for this transfer.",
            code="balance_insufficient",
            param="amount",
        )
    payout = _payout_object(store, amount, currency, params)
    txn = add_transaction(
        store,
        amount=-amount,
        type_="payout",
        source=payout["id"],
        description=payout["description"],
        available_now=True,
        category="payout",
    )
    payout["balance_transaction"] = txn["id"]
    for item in store.all("balance_transaction"):
        if item["status"] == "available" and item["_payout"] is None:
            item["_payout"] = payout["id"]
    return store.add(payout)


def _payout_object(store: Store, amount: int, currency: str, params: dict[str, Any]):
    now = store.now()
    return {
        "id": store.new_id("po_"),
        "object": "payout",
        "amount": amount,
        "application_fee": None,
        "application_fee_amount": None,
        "arrival_date": now + DAY,
        "automatic": False,
        "balance_transaction": None,
        "created": now,
        "currency": currency,
        "description": params.get("description") or "STRIPE PAYOUT",
        "destination": "ba_sandbox0bank0account000",
        "failure_balance_transaction": None,
        "failure_code": None,
        "failure_message": None,
        "livemode": False,
        "metadata": dict(params.get("metadata") or {}),
        "method": params.get("method") or "standard",
        "original_payout": None,
        "payout_method": None,
        "reconciliation_status": "completed",
        "reversed_by": None,
        "source_type": "card",
        "statement_descriptor": params.get("statement_descriptor"),
        "status": "in_transit",
        "trace_id": {"status": "pending", "value": None},
        "type": "bank_account",
    }


def finish_payout(store: Store, payout: dict[str, Any], *, paid: bool) -> str:
    """Test helper: the bank confirms or rejects a payout. Returns the event type."""
    if payout["status"] not in {"pending", "in_transit"}:
        raise invalid_request(f"Payout {payout['id']} is already {payout['status']}.")
    if paid:
        payout["status"] = "paid"
        payout["trace_id"] = {"status": "supported", "value": "SANDBOX" + payout["id"][-8:]}
        return "payout.paid"
    failure = add_transaction(
        store,
        amount=payout["amount"],
        type_="payout_failure",
        source=payout["id"],
        description="Payout failed",
        available_now=True,
        category="payout_reversal",
    )
    payout.update(
        status="failed",
        failure_balance_transaction=failure["id"],
        failure_code="account_closed",
        failure_message="The bank account has been closed.",
    )
    return "payout.failed"


def transactions_of_payout(store: Store, payout_id: str) -> list[dict[str, Any]]:
    return [
        t
        for t in store.all("balance_transaction")
        if t["_payout"] == payout_id or t["source"] == payout_id
    ]
