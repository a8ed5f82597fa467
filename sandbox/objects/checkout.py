"""Checkout Sessions: created by the service, paid on the hosted page or by a test helper."""

from __future__ import annotations

from typing import Any

from sandbox import cards
from sandbox.cards import Outcome
from sandbox.errors import invalid_request
from sandbox.forms import as_list, as_metadata
from sandbox.money import check_amount, is_supported, minimum_charge
from sandbox.objects import billing
from sandbox.objects.checkout_shape import session_shape
from sandbox.objects.events import emit
from sandbox.objects.payments import attempt, new_payment_intent, require_known, settle_async
from sandbox.state import Store


def _line_items(params: dict[str, Any], mode: str) -> list[dict[str, Any]]:
    items = as_list(params.get("line_items"))
    if not items:
        raise invalid_request("Missing required param: line_items.", param="line_items")
    parsed = []
    for index, item in enumerate(items):
        param = f"line_items[{index}][price_data]"
        data = item.get("price_data") if isinstance(item, dict) else None
        if not isinstance(data, dict):
            raise invalid_request("The sandbox needs price_data on each line item.", param=param)
        currency = str(data.get("currency", "")).lower()
        if not is_supported(currency):
            raise invalid_request(f"Invalid currency: {currency}.", param=f"{param}[currency]")
        try:
            unit_amount = int(data.get("unit_amount", ""))
        except ValueError:
            raise invalid_request("Invalid integer.", param=f"{param}[unit_amount]") from None
        recurring = data.get("recurring")
        if (mode == "subscription") != bool(recurring):
            raise invalid_request(
                "Subscription mode needs recurring prices; payment mode needs one-time prices.",
                param=f"{param}[recurring]",
            )
        name = (data.get("product_data") or {}).get("name") or "Donation"
        quantity = int(item.get("quantity") or 1)
        parsed.append(
            {"currency": currency, "unit_amount": unit_amount, "name": name,
             "quantity": quantity, "recurring": recurring or None}
        )  # fmt: skip
    if len({i["currency"] for i in parsed}) > 1:
        raise invalid_request("All line items must share one currency.", param="line_items")
    return parsed


def _check_minimum(store: Store, amount: int, currency: str) -> None:
    settled, _ = store.rates.convert(amount, currency)
    minimum = minimum_charge(store.config.settlement_currency)
    if amount <= 0 or settled < minimum:
        raise invalid_request(
            f"The Checkout Session's total amount due must add up to at least "
            f"{minimum} {store.config.settlement_currency} (minor units).",
            code="amount_too_small",
            param="line_items",
        )


def create(store: Store, params: dict[str, Any], base_url: str) -> dict[str, Any]:
    mode = params.get("mode")
    if mode not in {"payment", "subscription"}:
        raise invalid_request("mode must be payment or subscription.", param="mode")
    if not params.get("success_url"):
        raise invalid_request("Missing required param: success_url.", param="success_url")
    if params.get("customer"):
        store.get(params["customer"], "customer", "customer")
    items = _line_items(params, mode)
    amount = sum(i["unit_amount"] * i["quantity"] for i in items)
    check_amount(amount, items[0]["currency"], "line_items")
    _check_minimum(store, amount, items[0]["currency"])
    session = session_shape(store, params, mode, items, amount, base_url)
    session["_items"] = items
    session["_pi_data"] = params.get("payment_intent_data") or {}
    session["_sub_data"] = params.get("subscription_data") or {}
    store.add(session)
    store.at(session["expires_at"], session["id"])
    return session


def _require_open(session: dict[str, Any]) -> None:
    if session["status"] != "open":
        raise invalid_request(
            f"This Checkout Session is {session['status']}; it can no longer be paid.",
            code="checkout_session_not_open",
        )


def complete(
    store: Store, session: dict[str, Any], card: str, *, email: str | None, name: str | None
) -> dict[str, Any]:
    """Pay a session with a test card, as the donor would on the hosted page."""
    _require_open(session)
    email = email or session["customer_email"] or "donor@example.com"
    session["customer_details"].update(email=email, name=name)
    if session["mode"] == "subscription":
        return _complete_subscription(store, session, card, email, name)
    pi = store.find(session["payment_intent"]) or _session_payment_intent(store, session, email)
    session["payment_intent"] = pi["id"]
    error = attempt(store, pi, card, email=email, name=name)
    if error is not None:
        raise error
    paid = pi["status"] == "succeeded"
    _finish(store, session, paid)
    return session


def _session_payment_intent(store: Store, session: dict[str, Any], email: str) -> dict[str, Any]:
    data = session["_pi_data"]
    return new_payment_intent(
        store,
        amount=session["amount_total"],
        currency=session["currency"],
        metadata=as_metadata(data.get("metadata"), "payment_intent_data[metadata]"),
        description=data.get("description"),
        receipt_email=data.get("receipt_email") or email,
    )


def _complete_subscription(
    store: Store, session: dict[str, Any], card: str, email: str, name: str | None
) -> dict[str, Any]:
    outcome = require_known(card)
    if outcome is Outcome.ASYNC:
        raise invalid_request(
            "The asynchronous test card is for one-off payments only.", param="card"
        )
    if outcome is Outcome.DECLINE:
        pi = new_payment_intent(
            store, amount=session["amount_total"], currency=session["currency"], metadata={}
        )
        error = attempt(store, pi, card, email=email, name=name)
        if error is not None:
            raise error
    customer = store.find(session["customer"]) or billing.create_customer(
        store, {"email": email, "name": name}
    )
    item = session["_items"][0]
    price_data = {**item, "_quantity": item["quantity"]}
    sub, invoice = billing.create_subscription(
        store,
        customer=customer,
        price_data=price_data,
        metadata=as_metadata(session["_sub_data"].get("metadata"), "subscription_data[metadata]"),
        card=cards.normalise(card),
    )
    session.update(customer=customer["id"], subscription=sub["id"], invoice=invoice["id"])
    _finish(store, session, True)
    return session


def _finish(store: Store, session: dict[str, Any], paid: bool) -> None:
    session.update(status="complete", payment_status="paid" if paid else "unpaid")
    emit(store, "checkout.session.completed", session)


def settle(store: Store, session: dict[str, Any], *, succeeded: bool) -> dict[str, Any]:
    """Test helper: the asynchronous payment of a completed session settles or fails."""
    pi = store.find(session["payment_intent"])
    if session["status"] != "complete" or session["payment_status"] != "unpaid" or pi is None:
        raise invalid_request("Only a completed session awaiting its payment can be settled.")
    settle_async(store, pi, succeeded=succeeded)
    if succeeded:
        session["payment_status"] = "paid"
        emit(store, "checkout.session.async_payment_succeeded", session)
    else:
        emit(store, "checkout.session.async_payment_failed", session)
    return session


def expire(store: Store, session: dict[str, Any]) -> dict[str, Any]:
    if session["status"] != "open":
        raise invalid_request(
            f"Only open sessions can be expired; this one is {session['status']}.",
            code="checkout_session_not_open",
        )
    session["status"] = "expired"
    emit(store, "checkout.session.expired", session)
    return session


def expire_if_open(store: Store, session: dict[str, Any]) -> None:
    """An open session whose ``expires_at`` has passed expires, as at Stripe after 24 hours."""
    if session["status"] == "open":
        expire(store, session)


def success_redirect(session: dict[str, Any]) -> str:
    return session["success_url"].replace("{CHECKOUT_SESSION_ID}", session["id"])
