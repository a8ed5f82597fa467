"""Shortcuts for the sandbox's own tests: a client and a Checkout Session factory."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
import stripe

from tests.fixtures.sandbox import StripeSandbox

SessionFactory = Callable[..., Any]


@pytest.fixture
def client(stripe_sandbox: StripeSandbox) -> stripe.StripeClient:
    return stripe_sandbox.client


@pytest.fixture
def make_session(client: stripe.StripeClient) -> SessionFactory:
    """Create a Checkout Session the way the giving service does (payment or monthly)."""

    def make(
        amount: int = 5000,
        currency: str = "myr",
        *,
        monthly: bool = False,
        donation_id: str = "42",
        **extra: Any,
    ) -> Any:
        price_data: dict[str, Any] = {
            "currency": currency,
            "unit_amount": amount,
            "product_data": {"name": "Clean water for Kampung Baru"},
        }
        params: dict[str, Any] = {
            "mode": "subscription" if monthly else "payment",
            "line_items": [{"price_data": price_data, "quantity": 1}],
            "success_url": "http://127.0.0.1:8000/thanks/?session={CHECKOUT_SESSION_ID}",
            "cancel_url": "http://127.0.0.1:8000/campaigns/water/",
            "client_reference_id": donation_id,
            "customer_email": "siti@example.my",
            "metadata": {"donation_id": donation_id},
        }
        if monthly:
            price_data["recurring"] = {"interval": "month"}
            params["subscription_data"] = {"metadata": {"donation_id": donation_id}}
        else:
            params["payment_intent_data"] = {"metadata": {"donation_id": donation_id}}
        params.update(extra)
        return client.v1.checkout.sessions.create(params=params)  # type: ignore[arg-type]

    return make
