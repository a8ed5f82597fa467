"""PaymentIntents and Charges: what happens when a test card is tried."""

from __future__ import annotations

from typing import Any

from sandbox import cards
from sandbox.cards import Outcome
from sandbox.errors import StripeError, card_error, invalid_request
from sandbox.objects.balance import charge_transaction
from sandbox.objects.events import emit
from sandbox.state import Store

_NULL_ADDRESS = dict.fromkeys(("city", "country", "line1", "line2", "postal_code", "state"))


def new_payment_intent(
    store: Store,
    *,
    amount: int,
    currency: str,
    metadata: dict[str, str],
    customer: str | None = None,
    description: str | None = None,
    receipt_email: str | None = None,
) -> dict[str, Any]:
    pi_id = store.new_id("pi_")
    return store.add(
        {
            "id": pi_id,
            "object": "payment_intent",
            "amount": amount,
            "amount_capturable": 0,
            "amount_details": {"tip": {}},
            "amount_received": 0,
            "application": None,
            "application_fee_amount": None,
            "automatic_payment_methods": None,
            "canceled_at": None,
            "cancellation_reason": None,
            "capture_method": "automatic",
            "client_secret": f"{pi_id}_secret_{store.new_id('', 25)}",
            "confirmation_method": "automatic",
            "created": store.now(),
            "currency": currency,
            "customer": customer,
            "customer_account": None,
            "description": description,
            "excluded_payment_method_types": None,
            "last_payment_error": None,
            "latest_charge": None,
            "livemode": False,
            "managed_payments": {"enabled": False},
            "metadata": metadata,
            "next_action": None,
            "on_behalf_of": None,
            "payment_method": None,
            "payment_method_configuration_details": None,
            "payment_method_options": {"card": {"request_three_d_secure": "automatic"}},
            "payment_method_types": ["card"],
            "processing": None,
            "receipt_email": receipt_email,
            "review": None,
            "setup_future_usage": None,
            "shipping": None,
            "source": None,
            "statement_descriptor": None,
            "statement_descriptor_suffix": None,
            "status": "requires_payment_method",
            "transfer_data": None,
            "transfer_group": None,
        }
    )


def _card_details(number: str, amount: int) -> dict[str, Any]:
    brand = cards.brand_of(number)
    return {
        "card": {
            "amount_authorized": amount,
            "authorization_code": None,
            "brand": brand,
            "checks": {
                "address_line1_check": None,
                "address_postal_code_check": None,
                "cvc_check": "pass",
            },
            "country": "MY",
            "exp_month": 12,
            "exp_year": 2034,
            "extended_authorization": {"status": "disabled"},
            "fingerprint": "sbx" + number[-8:],
            "funding": "credit",
            "incremental_authorization": {"status": "unavailable"},
            "installments": None,
            "last4": number[-4:],
            "mandate": None,
            "multicapture": {"status": "unavailable"},
            "network": brand,
            "network_token": {"used": False},
            "network_transaction_id": "sbx" + number[-6:],
            "overcapture": {"maximum_amount_capturable": amount, "status": "unavailable"},
            "regulated_status": "unregulated",
            "three_d_secure": None,
            "transaction_link_id": None,
            "wallet": None,
        },
        "type": "card",
    }


def _outcome(kind: str, reason: str | None, message: str) -> dict[str, Any]:
    return {
        "advice_code": "try_again_later" if kind == "issuer_declined" else None,
        "network_advice_code": None,
        "network_decline_code": None,
        "network_status": "declined_by_network"
        if kind == "issuer_declined"
        else "approved_by_network",
        "reason": reason,
        "risk_level": "normal",
        "risk_score": 20,
        "seller_message": message,
        "type": kind,
    }


def _new_charge(store: Store, pi: dict[str, Any], number: str, email: str | None, name: str | None):
    charge_id = store.new_id("ch_")
    return {
        "id": charge_id,
        "object": "charge",
        "amount": pi["amount"],
        "amount_captured": 0,
        "amount_refunded": 0,
        "application": None,
        "application_fee": None,
        "application_fee_amount": None,
        "balance_transaction": None,
        "billing_details": {
            "address": dict(_NULL_ADDRESS),
            "email": email,
            "name": name,
            "phone": None,
            "tax_id": None,
        },
        "calculated_statement_descriptor": "GOTONG SANDBOX",
        "captured": False,
        "created": store.now(),
        "currency": pi["currency"],
        "customer": pi["customer"],
        "description": pi["description"],
        "disputed": False,
        "failure_balance_transaction": None,
        "failure_code": None,
        "failure_message": None,
        "fraud_details": {},
        "livemode": False,
        "metadata": dict(pi["metadata"]),
        "on_behalf_of": None,
        "outcome": None,
        "paid": False,
        "payment_intent": pi["id"],
        "payment_method": store.new_id("pm_"),
        "payment_method_details": _card_details(number, pi["amount"]),
        "receipt_email": pi["receipt_email"] or email,
        "receipt_number": None,
        "receipt_url": f"{store.base_url}/receipts/{charge_id}",
        "refunded": False,
        "refunds": {
            "object": "list",
            "data": [],
            "has_more": False,
            "url": f"/v1/charges/{charge_id}/refunds",
        },
        "review": None,
        "shipping": None,
        "source": None,
        "source_transfer": None,
        "statement_descriptor": None,
        "statement_descriptor_suffix": None,
        "status": "pending",
        "transfer_data": None,
        "transfer_group": None,
    }


def require_known(number: str) -> Outcome:
    """The outcome of a test card; an unknown number is refused as Stripe refuses a typo."""
    outcome = cards.outcome_of(number)
    if outcome is None:
        raise card_error(
            f"The sandbox does not know the card {number}; use one of its test cards.",
            code="incorrect_number",
            decline_code=None,
            extra={"param": "card"},
        )
    return outcome


def attempt(
    store: Store,
    pi: dict[str, Any],
    number: str,
    *,
    email: str | None = None,
    name: str | None = None,
) -> StripeError | None:
    """Try a card on a PaymentIntent; returns the card error to raise when it is declined."""
    outcome = require_known(number)
    if pi["status"] not in {"requires_payment_method", "requires_confirmation"}:
        raise invalid_request(
            f"This PaymentIntent's status is {pi['status']}; it cannot be confirmed.",
            code="payment_intent_unexpected_state",
        )
    charge = store.add(_new_charge(store, pi, cards.normalise(number), email, name))
    pi.update(latest_charge=charge["id"], payment_method=charge["payment_method"])
    if outcome is Outcome.DECLINE:
        return _decline(store, pi, charge)
    if outcome is Outcome.ASYNC:
        charge.update(status="pending", outcome=_outcome("authorized", None, "Payment pending."))
        pi.update(status="processing", processing={"type": "card"})
        emit(store, "charge.pending", charge)
        emit(store, "payment_intent.processing", pi)
        return None
    _succeed(store, pi, charge)
    return None


def _succeed(store: Store, pi: dict[str, Any], charge: dict[str, Any]) -> None:
    txn = charge_transaction(store, charge)
    charge.update(
        status="succeeded",
        paid=True,
        captured=True,
        amount_captured=charge["amount"],
        balance_transaction=txn["id"],
        outcome=_outcome("authorized", None, "Payment complete."),
        receipt_number=f"{store.now() % 10000:04d}-{charge['id'][-4:]}",
    )
    pi.update(status="succeeded", amount_received=pi["amount"], processing=None)
    emit(store, "charge.succeeded", charge)
    emit(store, "payment_intent.succeeded", pi)


def _decline(store: Store, pi: dict[str, Any], charge: dict[str, Any]) -> StripeError:
    message = "Your card was declined."
    charge.update(
        status="failed",
        failure_code="card_declined",
        failure_message=message,
        outcome=_outcome(
            "issuer_declined",
            "generic_decline",
            "The bank did not return any further details with this decline.",
        ),
    )
    error = {
        "type": "card_error",
        "code": "card_declined",
        "decline_code": "generic_decline",
        "message": message,
        "charge": charge["id"],
        "payment_method": {
            "id": charge["payment_method"],
            "object": "payment_method",
            "type": "card",
        },
    }
    pi.update(status="requires_payment_method", last_payment_error=error, payment_method=None)
    emit(store, "charge.failed", charge)
    emit(store, "payment_intent.payment_failed", pi)
    return card_error(
        message,
        code="card_declined",
        decline_code="generic_decline",
        extra={"charge": charge["id"], "payment_intent": store.render(pi)},
    )


def settle_async(store: Store, pi: dict[str, Any], *, succeeded: bool) -> None:
    """Test helper: a payment left pending by the asynchronous card settles or fails."""
    charge = store.get(pi["latest_charge"] or "", "charge")
    if pi["status"] != "processing":
        raise invalid_request(
            f"PaymentIntent {pi['id']} is {pi['status']}, not processing.",
            code="payment_intent_unexpected_state",
        )
    if succeeded:
        _succeed(store, pi, charge)
    else:
        _decline(store, pi, charge)
