"""Which handler processes an event: each provider's event map, `webhooks/<provider>.py`, is
a `{event_type: handler}` dict called `HANDLERS`; a handler takes the stored event and
returns what it did. A new provider brings its map and needs nothing here."""

from __future__ import annotations

from collections.abc import Callable
from importlib import import_module

from webhooks.models import WebhookEvent

Handler = Callable[[WebhookEvent], str]


def handlers(provider: str) -> dict[str, Handler]:
    """The event map of a provider (`webhooks.<provider>.HANDLERS`)."""
    return import_module(f"webhooks.{provider}").HANDLERS


def dispatch(event: WebhookEvent) -> str:
    handler = handlers(event.provider).get(event.type)
    if handler is None:
        return "ignored: unknown type"
    return handler(event)
