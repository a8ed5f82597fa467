"""Stripe: the client, its minor units and limits, its objects, signatures and statements."""

from payments.stripe.client import StripeProvider

NAME = "stripe"
LABEL = "Stripe"


def provider() -> StripeProvider:
    """Stripe configured from the settings (`STRIPE_*`)."""
    return StripeProvider.from_settings()
