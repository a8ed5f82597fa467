"""Reading balance transactions and payouts from Stripe's API with the official library.

Only reads; the client points at `settings.STRIPE_API_BASE` (the offline sandbox in
development and tests, api.stripe.com in production).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import stripe
from django.conf import settings

from ledger.reconciliation.parsers import (
    BalanceRow,
    PayoutRow,
    balance_row_from_api,
    payout_row_from_api,
)

PAGE_SIZE = 100


def stripe_client(api_key: str | None = None, api_base: str | None = None) -> stripe.StripeClient:
    return stripe.StripeClient(
        api_key or settings.STRIPE_SECRET_KEY,
        base_addresses={"api": api_base or settings.STRIPE_API_BASE},
        max_network_retries=2,
    )


def _as_dict(obj: Any) -> dict:
    return obj.to_dict() if hasattr(obj, "to_dict") else dict(obj)


def _pages(listing: Any) -> Iterator[dict]:
    for obj in listing.auto_paging_iter():
        yield _as_dict(obj)


def balance_transactions(
    client: stripe.StripeClient, *, created_gte: int | None = None, payout: str | None = None
) -> Iterator[BalanceRow]:
    params: dict[str, Any] = {"limit": PAGE_SIZE}
    if created_gte is not None:
        params["created"] = {"gte": created_gte}
    if payout:
        params["payout"] = payout
    for obj in _pages(client.v1.balance_transactions.list(params=params)):
        yield balance_row_from_api(obj)


def payouts(client: stripe.StripeClient, *, created_gte: int | None = None) -> Iterator[PayoutRow]:
    params: dict[str, Any] = {"limit": PAGE_SIZE}
    if created_gte is not None:
        params["created"] = {"gte": created_gte}
    for obj in _pages(client.v1.payouts.list(params=params)):
        yield payout_row_from_api(obj)


def payout_transaction_ids(client: stripe.StripeClient, payout_id: str) -> list[str]:
    """The balance transactions an automatic payout paid out (Stripe's `?payout=` filter)."""
    return [row.stripe_id for row in balance_transactions(client, payout=payout_id)]
