"""Customers, Subscriptions and Invoices."""

from __future__ import annotations

from typing import Any

from sandbox.api import Call, filtered, route
from sandbox.objects import billing


@route("POST", "/v1/customers")
def customer_create(call: Call) -> dict[str, Any]:
    return call.render(billing.create_customer(call.store, call.params))


@route("GET", "/v1/customers/{id}")
def customer_retrieve(call: Call) -> dict[str, Any]:
    return call.render(call.store.get(call.args[0], "customer"))


@route("GET", "/v1/customers")
def customer_list(call: Call) -> dict[str, Any]:
    return call.page(filtered(call.store.all("customer"), call.params, "email"))


@route("GET", "/v1/subscriptions/{id}")
def subscription_retrieve(call: Call) -> dict[str, Any]:
    return call.render(call.store.get(call.args[0], "subscription"))


@route("GET", "/v1/subscriptions")
def subscription_list(call: Call) -> dict[str, Any]:
    items = call.store.all("subscription")
    if call.params.get("status") != "all":
        # Stripe lists every subscription but the canceled ones unless asked for "all".
        wanted = call.params.get("status")
        items = [
            s for s in items if (s["status"] == wanted if wanted else s["status"] != "canceled")
        ]
    return call.page(filtered(items, call.params, "customer"))


@route("DELETE", "/v1/subscriptions/{id}")
def subscription_cancel(call: Call) -> dict[str, Any]:
    sub = call.store.get(call.args[0], "subscription")
    return call.render(billing.cancel(call.store, sub))


@route("GET", "/v1/invoices/{id}")
def invoice_retrieve(call: Call) -> dict[str, Any]:
    return call.render(call.store.get(call.args[0], "invoice"))


@route("GET", "/v1/invoices")
def invoice_list(call: Call) -> dict[str, Any]:
    items = call.store.all("invoice")
    return call.page(filtered(items, call.params, "subscription", "customer", "status"))
