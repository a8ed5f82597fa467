"""Events: a snapshot of the object at the moment it changed, queued for the webhooks."""

from __future__ import annotations

from typing import Any

from sandbox.state import API_VERSION, Store


def emit(
    store: Store,
    type_: str,
    obj: dict[str, Any],
    previous_attributes: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Record an event and put it in the outbox the server hands to the webhook sender."""
    data: dict[str, Any] = {"object": store.render(obj)}
    if previous_attributes:
        data["previous_attributes"] = previous_attributes
    event = {
        "id": store.new_id("evt_"),
        "object": "event",
        "api_version": API_VERSION,
        "created": store.now(),
        "data": data,
        "livemode": False,
        "pending_webhooks": 0,
        "request": {
            "id": store.context.request_id,
            "idempotency_key": store.context.idempotency_key,
        },
        "type": type_,
    }
    store.add(event)
    store.outbox.append(event)
    return event
