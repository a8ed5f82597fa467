"""Payment providers: the interface the giving services use, and its implementations."""

from __future__ import annotations

from functools import cache

from webhooks.providers.base import PaymentProvider


@cache
def get_provider(name: str = "stripe") -> PaymentProvider:
    """The configured provider (one instance per process; it holds an HTTP client)."""
    if name != "stripe":
        raise LookupError(f"Unknown payment provider {name!r}")
    from webhooks.providers.stripe import StripeProvider

    return StripeProvider.from_settings()
