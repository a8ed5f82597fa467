"""The payment-provider boundary: the interface, the provider-neutral values, one package per
provider (`payments/stripe/`). Nothing here knows the apps above it, nor the ledger."""

from payments.registry import get_provider

__all__ = ["get_provider"]
