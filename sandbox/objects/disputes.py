"""Disputes: opened by a test helper on a charge, then won (funds reinstated) or lost."""

from __future__ import annotations

from typing import Any

from sandbox.errors import invalid_request
from sandbox.money import fee_rule
from sandbox.objects.balance import add_transaction
from sandbox.objects.events import emit
from sandbox.state import Store

DAY = 24 * 3600
EVIDENCE_FIELDS = (
    "access_activity_log",
    "billing_address",
    "cancellation_policy",
    "cancellation_policy_disclosure",
    "cancellation_rebuttal",
    "customer_communication",
    "customer_email_address",
    "customer_name",
    "customer_purchase_ip",
    "customer_signature",
    "duplicate_charge_documentation",
    "duplicate_charge_explanation",
    "duplicate_charge_id",
    "product_description",
    "receipt",
    "refund_policy",
    "refund_policy_disclosure",
    "refund_refusal_explanation",
    "service_date",
    "service_documentation",
    "shipping_address",
    "shipping_carrier",
    "shipping_date",
    "shipping_documentation",
    "shipping_tracking_number",
    "uncategorized_file",
    "uncategorized_text",
)


def open_dispute(store: Store, charge: dict[str, Any], reason: str | None) -> dict[str, Any]:
    """The cardholder disputes the charge: the amount and a dispute fee leave the balance."""
    if charge["status"] != "succeeded" or charge["disputed"]:
        raise invalid_request(f"Charge {charge['id']} cannot be disputed.", param="charge")
    amount = charge["amount"] - charge["amount_refunded"]
    dispute = store.add(_shape(store, charge, amount, reason or "fraudulent"))
    settled, rate = store.rates.convert(amount, charge["currency"])
    rule = fee_rule(store.config.settlement_currency, store.config.fees)
    txn = add_transaction(
        store,
        amount=-settled,
        type_="adjustment",
        source=dispute["id"],
        description=f"Chargeback withdrawal for {charge['id']}",
        fee=rule.dispute_fee,
        fee_description="Dispute fee",
        exchange_rate=rate,
        category="dispute",
        available_now=True,
    )
    dispute["balance_transactions"].append(txn["id"])
    charge["disputed"] = True
    emit(store, "charge.dispute.created", dispute)
    emit(store, "charge.dispute.funds_withdrawn", dispute)
    return dispute


def close(store: Store, dispute: dict[str, Any], *, won: bool) -> dict[str, Any]:
    """Test helper: the bank decides; a won dispute gives back the amount and the fee."""
    if dispute["status"] in {"won", "lost"}:
        raise invalid_request(f"Dispute {dispute['id']} is already {dispute['status']}.")
    previous = {"status": dispute["status"]}
    if won:
        withdrawn = store.get(dispute["balance_transactions"][0], "balance_transaction")
        settled, rate = store.rates.convert(dispute["amount"], dispute["currency"])
        txn = add_transaction(
            store,
            amount=settled,
            type_="adjustment",
            source=dispute["id"],
            description=f"Chargeback reversal for {dispute['charge']}",
            fee=-withdrawn["fee"],
            fee_description="Dispute fee refund",
            exchange_rate=rate,
            category="dispute_reversal",
            available_now=True,
        )
        dispute["balance_transactions"].append(txn["id"])
        dispute["status"] = "won"
        emit(store, "charge.dispute.funds_reinstated", dispute)
    else:
        dispute["status"] = "lost"
    dispute["is_charge_refundable"] = False
    emit(store, "charge.dispute.closed", dispute, previous)
    return dispute


def _shape(store: Store, charge: dict[str, Any], amount: int, reason: str) -> dict[str, Any]:
    now = store.now()
    return {
        "id": store.new_id("dp_"),
        "object": "dispute",
        "amount": amount,
        "balance_transactions": [],
        "charge": charge["id"],
        "created": now,
        "currency": charge["currency"],
        "enhanced_eligibility_types": [],
        "evidence": {**dict.fromkeys(EVIDENCE_FIELDS), "enhanced_evidence": {}},
        "evidence_details": {
            "due_by": now + 7 * DAY,
            "enhanced_eligibility": {},
            "has_evidence": False,
            "past_due": False,
            "submission_count": 0,
        },
        "is_charge_refundable": False,
        "livemode": False,
        "metadata": {},
        "payment_intent": charge["payment_intent"],
        "payment_method_details": {
            "card": {
                "brand": charge["payment_method_details"]["card"]["brand"],
                "case_type": "chargeback",
                "network_reason_code": "10.4",
            },
            "type": "card",
        },
        "reason": reason,
        "status": "needs_response",
    }
