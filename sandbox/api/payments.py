"""Checkout Sessions, PaymentIntents, Charges and Refunds."""

from __future__ import annotations

from typing import Any

from sandbox.api import Call, filtered, route
from sandbox.cards import card_for_payment_method
from sandbox.errors import invalid_request
from sandbox.forms import as_bool, as_int, as_metadata
from sandbox.money import check_amount, is_supported
from sandbox.objects import checkout, payments, refunds
from sandbox.objects.checkout_shape import line_items


def _render_session(call: Call, session: dict[str, Any]) -> dict[str, Any]:
    out = call.render(session)
    if "line_items" in call.expand:  # not an id on the object: Stripe includes the list
        data = line_items(call.store, session)
        url = f"/v1/checkout/sessions/{session['id']}/line_items"
        out["line_items"] = {"object": "list", "data": data, "has_more": False, "url": url}
    return out


@route("POST", "/v1/checkout/sessions")
def session_create(call: Call) -> dict[str, Any]:
    return _render_session(call, checkout.create(call.store, call.params, call.base_url))


@route("GET", "/v1/checkout/sessions/{id}")
def session_retrieve(call: Call) -> dict[str, Any]:
    return _render_session(call, call.store.get(call.args[0], "checkout.session"))


@route("GET", "/v1/checkout/sessions")
def session_list(call: Call) -> dict[str, Any]:
    items = call.store.all("checkout.session")
    keys = ("payment_intent", "subscription", "status", "customer")
    return call.page(filtered(items, call.params, *keys))


@route("GET", "/v1/checkout/sessions/{id}/line_items")
def session_line_items(call: Call) -> dict[str, Any]:
    session = call.store.get(call.args[0], "checkout.session")
    return {
        "object": "list",
        "data": line_items(call.store, session),
        "has_more": False,
        "url": call.path,
    }


@route("POST", "/v1/checkout/sessions/{id}/expire")
def session_expire(call: Call) -> dict[str, Any]:
    session = call.store.get(call.args[0], "checkout.session")
    return call.render(checkout.expire(call.store, session))


@route("POST", "/v1/payment_intents")
def payment_intent_create(call: Call) -> dict[str, Any]:
    amount = as_int(call.params, "amount", required=True) or 0
    currency = str(call.params.get("currency", "")).lower()
    if not is_supported(currency):
        raise invalid_request(f"Invalid currency: {currency}.", param="currency")
    check_amount(amount, currency, "amount")
    if call.params.get("customer"):
        call.store.get(call.params["customer"], "customer", "customer")
    pi = payments.new_payment_intent(
        call.store,
        amount=amount,
        currency=currency,
        metadata=as_metadata(call.params.get("metadata")),
        customer=call.params.get("customer"),
        description=call.params.get("description"),
        receipt_email=call.params.get("receipt_email"),
    )
    if call.params.get("payment_method"):
        pi["status"] = "requires_confirmation"
        pi["_pm"] = call.params["payment_method"]
    if as_bool(call.params, "confirm"):
        _confirm(call, pi)
    return call.render(pi)


def _confirm(call: Call, pi: dict[str, Any]) -> None:
    method = call.params.get("payment_method") or pi.get("_pm")
    if not method:
        raise invalid_request(
            "You cannot confirm this PaymentIntent because it's missing a payment method.",
            code="payment_intent_unexpected_state",
        )
    number = card_for_payment_method(method)
    if number is None:
        raise invalid_request(
            f"No such PaymentMethod: '{method}'", code="resource_missing", param="payment_method"
        )
    error = payments.attempt(call.store, pi, number, email=pi["receipt_email"])
    if error is not None:
        raise error


@route("POST", "/v1/payment_intents/{id}/confirm")
def payment_intent_confirm(call: Call) -> dict[str, Any]:
    pi = call.store.get(call.args[0], "payment_intent")
    _confirm(call, pi)
    return call.render(pi)


@route("GET", "/v1/payment_intents/{id}")
def payment_intent_retrieve(call: Call) -> dict[str, Any]:
    return call.render(call.store.get(call.args[0], "payment_intent"))


@route("GET", "/v1/payment_intents")
def payment_intent_list(call: Call) -> dict[str, Any]:
    return call.page(filtered(call.store.all("payment_intent"), call.params, "customer"))


@route("GET", "/v1/charges/{id}")
def charge_retrieve(call: Call) -> dict[str, Any]:
    return call.render(call.store.get(call.args[0], "charge"))


@route("GET", "/v1/charges")
def charge_list(call: Call) -> dict[str, Any]:
    items = call.store.all("charge")
    return call.page(filtered(items, call.params, "payment_intent", "customer"))


@route("POST", "/v1/refunds")
def refund_create(call: Call) -> dict[str, Any]:
    return call.render(refunds.create(call.store, call.params))


@route("GET", "/v1/refunds/{id}")
def refund_retrieve(call: Call) -> dict[str, Any]:
    return call.render(call.store.get(call.args[0], "refund"))


@route("GET", "/v1/refunds")
def refund_list(call: Call) -> dict[str, Any]:
    items = call.store.all("refund")
    return call.page(filtered(items, call.params, "charge", "payment_intent"))


@route("GET", "/v1/disputes/{id}")
def dispute_retrieve(call: Call) -> dict[str, Any]:
    return call.render(call.store.get(call.args[0], "dispute"))


@route("GET", "/v1/disputes")
def dispute_list(call: Call) -> dict[str, Any]:
    items = call.store.all("dispute")
    return call.page(filtered(items, call.params, "charge", "payment_intent"))
