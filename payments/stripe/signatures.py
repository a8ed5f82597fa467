"""Stripe's webhook signatures: `Stripe-Signature: t=<unix>,v1=<hex>`, an HMAC-SHA256 of
`t.raw_body` with the endpoint's secret, accepted within five minutes either way."""

from __future__ import annotations

import hmac
import time
from hashlib import sha256

from payments.types import SignatureError

TOLERANCE_SECONDS = 300


def verify_signature(body: bytes, header: str, secrets: list[str], now: float | None = None):
    """Stripe's scheme: `t=<unix>,v1=<hex hmac-sha256 of "t.body">`, any of the secrets.

    Timestamps more than TOLERANCE_SECONDS away from now, in either direction, are refused.
    """
    if not header:
        raise SignatureError("missing Stripe-Signature header", "missing")
    parts = [p.split("=", 1) for p in header.split(",") if "=" in p]
    stamps = [v for k, v in parts if k.strip() == "t"]
    signatures = [v.strip() for k, v in parts if k.strip() == "v1"]
    if not stamps or not signatures or not stamps[0].strip().isdigit():
        raise SignatureError("malformed Stripe-Signature header", "malformed")
    timestamp = int(stamps[0])
    now = time.time() if now is None else now
    if abs(now - timestamp) > TOLERANCE_SECONDS:
        raise SignatureError("timestamp outside the tolerance zone", "stale")
    signed = f"{timestamp}.".encode() + body
    for secret in secrets:
        expected = hmac.new(secret.encode(), signed, sha256).hexdigest()
        if any(hmac.compare_digest(expected, s) for s in signatures):
            return
    raise SignatureError("no signature matches the endpoint secret")


def sign_payload(body: bytes, secret: str, timestamp: int | None = None) -> str:
    """The Stripe-Signature header for a body (used by tools that replay signed payloads)."""
    timestamp = int(time.time()) if timestamp is None else timestamp
    digest = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, sha256).hexdigest()
    return f"t={timestamp},v1={digest}"
