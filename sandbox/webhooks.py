"""Webhook endpoints and the background sender: signed as Stripe signs, retried, switchable.

Test switches: ``duplicates`` (deliver each event N times), ``shuffle`` (deliver what is
queued in random order), ``hold`` (queue without delivering until released); ``flush`` waits
until nothing is queued or being retried, so tests are deterministic.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import random
import secrets
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from typing import Any

from sandbox.config import SandboxConfig
from sandbox.errors import invalid_request

# Endpoints are local: an http_proxy in the environment must not capture the deliveries.
_OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def signature_header(payload: bytes, secret: str, timestamp: int | None = None) -> str:
    """``t=<unix>,v1=<hex HMAC-SHA256 of "t.payload" keyed with the whole secret>``."""
    timestamp = int(time.time()) if timestamp is None else timestamp
    signed = f"{timestamp}.".encode() + payload
    digest = hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={digest}"


@dataclass
class Endpoint:
    id: str
    url: str
    secret: str
    enabled_events: list[str]
    created: int
    description: str | None = None
    metadata: dict[str, str] = field(default_factory=dict)

    def wants(self, event_type: str) -> bool:
        return "*" in self.enabled_events or event_type in self.enabled_events

    def as_stripe(self, with_secret: bool = False) -> dict[str, Any]:
        out = {
            "id": self.id, "object": "webhook_endpoint", "api_version": None,
            "application": None, "created": self.created, "description": self.description,
            "enabled_events": self.enabled_events, "livemode": False,
            "metadata": self.metadata, "status": "enabled", "url": self.url,
        }  # fmt: skip
        if with_secret:
            out["secret"] = self.secret
        return out


@dataclass
class Delivery:
    event: dict[str, Any]
    endpoint: Endpoint
    attempt: int = 0
    due: float = 0.0


class WebhookSender:
    """Delivers events to the registered endpoints from one background thread."""

    def __init__(self, config: SandboxConfig) -> None:
        self.config = config
        self.endpoints: dict[str, Endpoint] = {}
        self.queue: list[Delivery] = []
        self.log: list[dict[str, Any]] = []
        self.in_flight = 0
        self.pending: dict[str, set[str]] = {}
        self.cond = threading.Condition()
        self._stopping = False
        self._thread = threading.Thread(target=self._run, name="sandbox-webhooks", daemon=True)
        for spec in config.endpoints:
            self.register(spec.url, secret=spec.secret)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        with self.cond:
            self._stopping = True
            self.cond.notify_all()
        self._thread.join(timeout=5)

    # --- endpoints ---------------------------------------------------------------------
    def register(
        self,
        url: str,
        *,
        secret: str | None = None,
        enabled_events: list[str] | None = None,
        description: str | None = None,
        metadata: dict[str, str] | None = None,
    ) -> Endpoint:
        if not url.startswith(("http://", "https://")):
            raise invalid_request("Invalid URL: the endpoint must be http(s).", param="url")
        endpoint = Endpoint(
            id="we_" + secrets.token_hex(12),
            url=url,
            secret=secret or "whsec_" + secrets.token_hex(16),
            enabled_events=enabled_events or ["*"],
            created=int(time.time()),
            description=description,
            metadata=metadata or {},
        )
        with self.cond:
            self.endpoints[endpoint.id] = endpoint
        return endpoint

    def remove(self, endpoint_id: str) -> Endpoint | None:
        with self.cond:
            endpoint = self.endpoints.pop(endpoint_id, None)
            self.queue = [d for d in self.queue if d.endpoint.id != endpoint_id]
            self.cond.notify_all()
        return endpoint

    # --- switches ----------------------------------------------------------------------
    def configure(self, **switches: Any) -> dict[str, Any]:
        with self.cond:
            for name in ("duplicates", "shuffle", "hold"):
                if switches.get(name) is not None:
                    setattr(self.config, name, switches[name])
            self.cond.notify_all()
            return self.status()

    def status(self) -> dict[str, Any]:
        return {
            "object": "sandbox.webhook_settings",
            "duplicates": self.config.duplicates,
            "shuffle": self.config.shuffle,
            "hold": self.config.hold,
            "queued": len(self.queue),
            "in_flight": self.in_flight,
            "endpoints": len(self.endpoints),
        }

    # --- queueing ----------------------------------------------------------------------
    def enqueue(self, events: list[dict[str, Any]]) -> None:
        with self.cond:
            for event in events:
                targets = [e for e in self.endpoints.values() if e.wants(event["type"])]
                event["pending_webhooks"] = len(targets)
                self.pending[event["id"]] = {e.id for e in targets}
                payload = json.loads(json.dumps(event))
                for endpoint in targets:
                    for _ in range(max(1, self.config.duplicates)):
                        self.queue.append(Delivery(payload, endpoint))
            self.cond.notify_all()

    def pending_webhooks(self, event_id: str) -> int:
        """How many endpoints have not yet acknowledged the event."""
        with self.cond:
            return len(self.pending.get(event_id, ()))

    def flush(self, timeout: float) -> bool:
        """Wait until every queued delivery has been made or given up; False on timeout."""
        deadline = time.monotonic() + timeout
        with self.cond:
            while self.queue or self.in_flight:
                remaining = deadline - time.monotonic()
                if remaining <= 0 or self.config.hold:
                    return False
                self.cond.wait(remaining)
        return True

    # --- the sender thread -------------------------------------------------------------
    def _next(self) -> Delivery | None:
        """Wait for a delivery that is due; None when stopping. Called holding ``cond``."""
        while not self._stopping:
            now = time.monotonic()
            due = [d for d in self.queue if d.due <= now] if not self.config.hold else []
            if due:
                chosen = random.choice(due) if self.config.shuffle else due[0]
                self.queue.remove(chosen)
                self.in_flight += 1
                return chosen
            waits = [d.due - now for d in self.queue if not self.config.hold]
            self.cond.wait(min(waits) if waits else None)
        return None

    def _run(self) -> None:
        while True:
            with self.cond:
                delivery = self._next()
            if delivery is None:
                return
            ok = self._send(delivery)
            with self.cond:
                self.in_flight -= 1
                if not ok:
                    self._retry(delivery)
                self.cond.notify_all()

    def _retry(self, delivery: Delivery) -> None:
        schedule = self.config.retry_schedule
        if delivery.attempt <= len(schedule) and delivery.endpoint.id in self.endpoints:
            delivery.due = time.monotonic() + schedule[delivery.attempt - 1]
            self.queue.append(delivery)

    def _send(self, delivery: Delivery) -> bool:
        delivery.attempt += 1
        body = json.dumps(delivery.event, indent=2).encode()
        request = urllib.request.Request(  # noqa: S310 - the endpoint URL is http(s), checked on registration
            delivery.endpoint.url,
            data=body,
            method="POST",
            headers={
                "Content-Type": "application/json; charset=utf-8",
                "User-Agent": "Stripe/1.0 (+https://stripe.com/docs/webhooks)",
                "Stripe-Signature": signature_header(body, delivery.endpoint.secret),
            },
        )
        status, error = None, None
        try:
            with _OPENER.open(request, timeout=self.config.delivery_timeout) as resp:
                status = resp.status
        except urllib.error.HTTPError as exc:
            status, error = exc.code, f"HTTP {exc.code}"
        except OSError as exc:
            error = f"{type(exc).__name__}: {exc}"
        ok = status is not None and 200 <= status < 300
        self._record(delivery, status, error, ok)
        return ok

    def _record(self, delivery: Delivery, status: int | None, error: str | None, ok: bool) -> None:
        with self.cond:
            if ok:
                self.pending.get(delivery.event["id"], set()).discard(delivery.endpoint.id)
            self.log.append(
                {
                    "event": delivery.event["id"],
                    "type": delivery.event["type"],
                    "endpoint": delivery.endpoint.id,
                    "url": delivery.endpoint.url,
                    "attempt": delivery.attempt,
                    "status": status,
                    "error": error,
                    "succeeded": ok,
                    "at": time.time(),
                }
            )
