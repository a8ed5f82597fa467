"""Which payment providers exist, and the configured instance of each.

A provider is a package under `payments/` (`payments/stripe/`) whose `provider()` builds its
`PaymentProvider` from the settings; adding one needs no change here.
"""

from __future__ import annotations

import pkgutil
from functools import cache
from importlib import import_module

from django.conf import settings

import payments
from payments.base import PaymentProvider


def provider_names() -> list[str]:
    """Every provider package under payments/, by name."""
    return sorted(m.name for m in pkgutil.iter_modules(payments.__path__) if m.ispkg)


def provider_label(name: str) -> str:
    """How people call the provider ("Stripe"), without building a client for it."""
    return import_module(f"payments.{name}").LABEL


def default_provider_name() -> str:
    """The provider new gifts go through (`PAYMENT_PROVIDER`)."""
    return getattr(settings, "PAYMENT_PROVIDER", "stripe")


@cache
def get_provider(name: str | None = None) -> PaymentProvider:
    """The configured provider (one instance per process; it holds an HTTP client)."""
    name = name or default_provider_name()
    if name not in provider_names():
        raise LookupError(f"Unknown payment provider {name!r}")
    return import_module(f"payments.{name}").provider()
