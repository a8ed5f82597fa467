"""The HTTP routes of the sandbox's Stripe API, one module per area."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sandbox.errors import invalid_request
from sandbox.state import Store
from sandbox.webhooks import WebhookSender


@dataclass
class Call:
    """One API request, as a handler sees it."""

    store: Store
    sender: WebhookSender
    params: dict[str, Any]
    args: tuple[str, ...]
    base_url: str
    path: str
    expand: list[str] = field(default_factory=list)

    def render(self, obj: dict[str, Any]) -> dict[str, Any]:
        return self.store.render(obj, self.expand)

    def page(self, items: list[dict[str, Any]]) -> dict[str, Any]:
        return self.store.page(items, self.params, self.path)


Handler = Callable[[Call], dict[str, Any]]
ROUTES: list[tuple[str, re.Pattern[str], Handler]] = []
_ID = r"([A-Za-z0-9_]+)"


def route(method: str, pattern: str) -> Callable[[Handler], Handler]:
    compiled = re.compile("^" + pattern.replace("{id}", _ID) + "$")

    def register(handler: Handler) -> Handler:
        ROUTES.append((method, compiled, handler))
        return handler

    return register


def resolve(method: str, path: str) -> tuple[Handler, tuple[str, ...]] | None:
    for route_method, pattern, handler in ROUTES:
        match = pattern.match(path)
        if match and route_method == method:
            return handler, match.groups()
    return None


_COMPARE = {
    "gt": lambda a, b: a > b,
    "gte": lambda a, b: a >= b,
    "lt": lambda a, b: a < b,
    "lte": lambda a, b: a <= b,
}


def filtered(items: list[dict[str, Any]], params: dict[str, Any], *keys: str):
    """Keep the objects whose fields equal the filters given among ``keys``, and within
    ``created`` (``created=<ts>`` or ``created[gte]=<ts>`` ...) as every Stripe list allows."""
    for key in keys:
        if params.get(key):
            items = [i for i in items if i.get(key) == params[key]]
    created = params.get("created")
    if isinstance(created, str) and created:
        items = [i for i in items if i["created"] == _timestamp(created)]
    elif isinstance(created, dict):
        for op, value in created.items():
            if op in _COMPARE:
                items = [i for i in items if _COMPARE[op](i["created"], _timestamp(value))]
    return items


def _timestamp(value: Any) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise invalid_request(f"Invalid timestamp: {value}", param="created") from None


def load_all() -> None:
    """Import the route modules so that their ``@route`` decorators run."""
    from sandbox.api import account, billing, helpers, payments  # noqa: F401
