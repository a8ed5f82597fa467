"""The sandbox's memory: every object by id, the clock, the events, the idempotency cache.

Objects are stored as the dicts Stripe would return. Keys starting with ``_`` are private
bookkeeping and never leave the sandbox; some lists hold ids that are rendered into full
objects on the way out (a charge's refunds, a dispute's balance transactions).
"""

from __future__ import annotations

import copy
import heapq
import secrets
import string
import threading
import time
from dataclasses import dataclass, field
from typing import Any

from sandbox.config import SandboxConfig
from sandbox.errors import invalid_request, missing
from sandbox.money import Rates

API_VERSION = "2026-10-28.endive"
_ALPHABET = string.ascii_letters + string.digits

# Lists of ids that Stripe returns as full objects.
EMBEDDED: dict[str, tuple[tuple[str, ...], ...]] = {
    "charge": (("refunds", "data"),),
    "dispute": (("balance_transactions",),),
}

KINDS: dict[str, str] = {
    "cs_test_": "checkout.session", "pi_": "payment_intent", "ch_": "charge",
    "py_": "charge", "txn_": "balance_transaction", "re_": "refund", "dp_": "dispute",
    "du_": "dispute", "cus_": "customer", "sub_": "subscription", "in_": "invoice",
    "po_": "payout", "evt_": "event", "we_": "webhook_endpoint", "pm_": "payment_method",
}  # fmt: skip


@dataclass
class RequestContext:
    request_id: str | None = None
    idempotency_key: str | None = None


@dataclass
class Store:
    config: SandboxConfig
    objects: dict[str, dict[str, Any]] = field(default_factory=dict)
    order: dict[str, int] = field(default_factory=dict)
    idempotency: dict[str, tuple[str, int, bytes]] = field(default_factory=dict)
    outbox: list[dict[str, Any]] = field(default_factory=list)
    context: RequestContext = field(default_factory=RequestContext)
    clock_offset: int = 0
    base_url: str = "http://127.0.0.1:12111"  # set by the server once it has a port
    lock: threading.RLock = field(default_factory=threading.RLock)

    def __post_init__(self) -> None:
        self.rates = Rates(self.config.settlement_currency, dict(self.config.fx_rates))
        self._sequence = 0
        self._by_kind: dict[str, list[dict[str, Any]]] = {}
        self._timers: list[tuple[int, str]] = []

    # --- ids and time ------------------------------------------------------------------
    def now(self) -> int:
        return int(time.time()) + self.clock_offset

    @staticmethod
    def new_id(prefix: str, length: int = 24) -> str:
        return prefix + "".join(secrets.choice(_ALPHABET) for _ in range(length))

    # --- objects -----------------------------------------------------------------------
    def add(self, obj: dict[str, Any]) -> dict[str, Any]:
        self._sequence += 1
        self.objects[obj["id"]] = obj
        self.order[obj["id"]] = self._sequence
        self._by_kind.setdefault(obj["object"], []).append(obj)
        return obj

    def count(self, kind: str) -> int:
        return len(self._by_kind.get(kind, ()))

    # --- timers: things that happen when the clock passes a moment -----------------------
    def at(self, moment: int, object_id: str) -> None:
        """Remember to look at the object again once the clock reaches ``moment``."""
        heapq.heappush(self._timers, (moment, object_id))

    def due(self) -> list[dict[str, Any]]:
        """The objects whose moment has come (each once), oldest first."""
        now, found = self.now(), []
        while self._timers and self._timers[0][0] <= now:
            found.append(self.objects[heapq.heappop(self._timers)[1]])
        return found

    def get(self, object_id: str, kind: str, param: str = "id") -> dict[str, Any]:
        obj = self.objects.get(object_id)
        if obj is None or obj.get("object") != kind:
            raise missing(kind, object_id, param)
        return obj

    def find(self, object_id: Any) -> dict[str, Any] | None:
        return self.objects.get(object_id) if isinstance(object_id, str) else None

    def all(self, kind: str) -> list[dict[str, Any]]:
        """Objects of a kind, newest first (Stripe's list order)."""
        return list(reversed(self._by_kind.get(kind, ())))

    def render(self, obj: dict[str, Any], expand: list[str] | None = None) -> dict[str, Any]:
        """The object as Stripe returns it, with the requested fields expanded."""
        out = {k: copy.deepcopy(v) for k, v in obj.items() if not k.startswith("_")}
        for path in EMBEDDED.get(obj.get("object", ""), ()):
            self._embed(out, path)
        for path in expand or []:
            self._expand(out, path.split("."))
        return out

    def _embed(self, out: dict[str, Any], path: tuple[str, ...]) -> None:
        node = out
        for key in path[:-1]:
            node = node[key]
        node[path[-1]] = [self.render(self.objects[i]) for i in node[path[-1]]]

    def _expand(self, node: Any, segments: list[str]) -> None:
        if not segments or not isinstance(node, dict):
            return
        head, rest = segments[0], segments[1:]
        if node.get("object") == "list" and head == "data":
            for item in node["data"]:
                self._expand(item, rest)
            return
        value = node.get(head)
        target = self.find(value)
        if target is not None:
            node[head] = value = self.render(target)
        if isinstance(value, list):
            for item in value:
                self._expand(item, rest)
        elif rest:
            self._expand(value, rest)

    # --- lists -------------------------------------------------------------------------
    def page(self, items: list[dict[str, Any]], params: dict[str, Any], url: str) -> dict[str, Any]:
        """One page of a list, honouring ``limit``, ``starting_after`` and ``ending_before``."""
        limit = int(params.get("limit") or 10)
        if not 1 <= limit <= 100:
            raise invalid_request("limit must be between 1 and 100", param="limit")
        ids = [o["id"] for o in items]
        start, end = 0, len(items)
        if params.get("starting_after") in ids:
            start = ids.index(params["starting_after"]) + 1
        if params.get("ending_before") in ids:
            end = ids.index(params["ending_before"])
            start = max(0, end - limit)
        chosen = items[start:end][:limit]
        expand = [p.removeprefix("data.") for p in _expand_list(params)]
        return {
            "object": "list",
            "data": [self.render(o, expand) for o in chosen],
            "has_more": start > 0 if "ending_before" in params else start + len(chosen) < end,
            "url": url,
        }


def _expand_list(params: dict[str, Any]) -> list[str]:
    value = params.get("expand") or []
    return value if isinstance(value, list) else [value]


def kind_of(object_id: str) -> str | None:
    for prefix, kind in KINDS.items():
        if object_id.startswith(prefix):
            return kind
    return None
