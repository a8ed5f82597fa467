"""The balance, balance transactions, payouts, events and webhook endpoints."""

from __future__ import annotations

from typing import Any

from sandbox.api import Call, filtered, route
from sandbox.errors import missing
from sandbox.forms import as_list, as_metadata
from sandbox.objects import balance
from sandbox.objects.events import emit


@route("GET", "/v1/balance")
def balance_retrieve(call: Call) -> dict[str, Any]:
    return balance.balance(call.store)


@route("GET", "/v1/balance_transactions/{id}")
def balance_transaction_retrieve(call: Call) -> dict[str, Any]:
    return call.render(call.store.get(call.args[0], "balance_transaction"))


@route("GET", "/v1/balance_transactions")
def balance_transaction_list(call: Call) -> dict[str, Any]:
    if call.params.get("payout"):
        call.store.get(call.params["payout"], "payout", "payout")
        items = balance.transactions_of_payout(call.store, call.params["payout"])
    else:
        items = call.store.all("balance_transaction")
    return call.page(filtered(items, call.params, "type", "source", "currency"))


@route("POST", "/v1/payouts")
def payout_create(call: Call) -> dict[str, Any]:
    payout = balance.create_payout(call.store, call.params)
    emit(call.store, "payout.created", payout)
    return call.render(payout)


@route("GET", "/v1/payouts/{id}")
def payout_retrieve(call: Call) -> dict[str, Any]:
    return call.render(call.store.get(call.args[0], "payout"))


@route("GET", "/v1/payouts")
def payout_list(call: Call) -> dict[str, Any]:
    return call.page(filtered(call.store.all("payout"), call.params, "status"))


def _with_pending(call: Call, event: dict[str, Any]) -> dict[str, Any]:
    event["pending_webhooks"] = call.sender.pending_webhooks(event["id"])
    return event


@route("GET", "/v1/events/{id}")
def event_retrieve(call: Call) -> dict[str, Any]:
    return call.render(_with_pending(call, call.store.get(call.args[0], "event")))


@route("GET", "/v1/events")
def event_list(call: Call) -> dict[str, Any]:
    items = filtered(call.store.all("event"), call.params, "type")
    types = as_list(call.params.get("types"))
    if types:
        items = [e for e in items if e["type"] in types]
    return call.page([_with_pending(call, e) for e in items])


@route("POST", "/v1/webhook_endpoints")
def webhook_endpoint_create(call: Call) -> dict[str, Any]:
    endpoint = call.sender.register(
        str(call.params.get("url", "")),
        enabled_events=[str(e) for e in as_list(call.params.get("enabled_events"))] or None,
        description=call.params.get("description"),
        metadata=as_metadata(call.params.get("metadata")),
    )
    return endpoint.as_stripe(with_secret=True)


@route("GET", "/v1/webhook_endpoints")
def webhook_endpoint_list(call: Call) -> dict[str, Any]:
    with call.sender.cond:
        data = [e.as_stripe() for e in call.sender.endpoints.values()]
    return {"object": "list", "data": data, "has_more": False, "url": call.path}


@route("GET", "/v1/webhook_endpoints/{id}")
def webhook_endpoint_retrieve(call: Call) -> dict[str, Any]:
    endpoint = call.sender.endpoints.get(call.args[0])
    if endpoint is None:
        raise missing("webhook endpoint", call.args[0])
    return endpoint.as_stripe()


@route("DELETE", "/v1/webhook_endpoints/{id}")
def webhook_endpoint_delete(call: Call) -> dict[str, Any]:
    endpoint = call.sender.remove(call.args[0])
    if endpoint is None:
        raise missing("webhook endpoint", call.args[0])
    return {"id": endpoint.id, "object": "webhook_endpoint", "deleted": True}
