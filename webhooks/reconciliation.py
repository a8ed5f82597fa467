"""Stripe's side of the treasurer's reconciliation: balance transactions and payouts read
from Stripe's API, turned into the ledger's plain rows.

The ledger knows nothing of Stripe: it asks the source named by `LEDGER_STRIPE_SOURCE`
(this class) for rows. Amounts leave Stripe's minor units here, through the one conversion
module (`webhooks.providers.stripe_amounts`), payouts with Stripe's payout rules.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from django.conf import settings

from ledger.reconciliation.parsers import BalanceRow, PayoutRow
from webhooks.providers.stripe import StripeProvider
from webhooks.providers.stripe_amounts import Purpose, from_minor

PAGE_SIZE = 100


def _epoch(value: int | None) -> datetime | None:
    return None if value is None else datetime.fromtimestamp(int(value), tz=UTC)


def _id(value: object) -> str:
    return str(value.get("id", "")) if isinstance(value, Mapping) else str(value or "")


def balance_row(obj: Mapping) -> BalanceRow:
    """A Stripe balance transaction as the ledger stores it (major units, upper-case ISO)."""
    currency = str(obj["currency"]).upper()
    rate = obj.get("exchange_rate")
    return BalanceRow(
        stripe_id=obj["id"],
        type=obj.get("type") or obj.get("reporting_category") or "",
        source_id=_id(obj.get("source")),
        amount=from_minor(obj["amount"], currency).amount,
        fee=from_minor(obj.get("fee") or 0, currency).amount,
        net=from_minor(obj["net"], currency).amount,
        currency=currency,
        created=_epoch(obj["created"]),
        available_on=_epoch(obj.get("available_on")),
        description=obj.get("description") or "",
        payout_id=obj.get("payout_id") or "",
        exchange_rate=None if rate is None else Decimal(str(rate)),
        raw=dict(obj),
    )


def payout_row(obj: Mapping) -> PayoutRow:
    """A Stripe payout as the ledger stores it; payout amounts follow Stripe's payout rules."""
    currency = str(obj["currency"]).upper()
    return PayoutRow(
        stripe_id=obj["id"],
        amount=from_minor(obj["amount"], currency, Purpose.PAYOUT).amount,
        currency=currency,
        arrival_date=_epoch(obj["arrival_date"]).date(),
        status=obj.get("status") or "",
        balance_transaction_id=_id(obj.get("balance_transaction")),
        created=_epoch(obj["created"]),
        raw=dict(obj),
    )


class StripeBalanceSource:
    """Reads (never writes) balance transactions and payouts through our Stripe client."""

    def __init__(self, *, api_key: str | None = None, api_base: str | None = None) -> None:
        self.client = StripeProvider(
            secret_key=api_key or settings.STRIPE_SECRET_KEY, webhook_secrets=[],
            api_base=api_base or settings.STRIPE_API_BASE,
        ).client  # fmt: skip

    def _pages(self, listing: Any) -> Iterator[dict]:
        for obj in listing.auto_paging_iter():
            yield obj.to_dict() if hasattr(obj, "to_dict") else dict(obj)

    def _params(self, created_gte: int | None, **extra: Any) -> dict[str, Any]:
        params: dict[str, Any] = {"limit": PAGE_SIZE, **extra}
        if created_gte is not None:
            params["created"] = {"gte": created_gte}
        return params

    def balance_transactions(
        self, *, created_gte: int | None = None, payout: str | None = None
    ) -> Iterator[BalanceRow]:
        params = self._params(created_gte, **({"payout": payout} if payout else {}))
        for obj in self._pages(self.client.v1.balance_transactions.list(params=params)):
            yield balance_row(obj)

    def payouts(self, *, created_gte: int | None = None) -> Iterator[PayoutRow]:
        for obj in self._pages(self.client.v1.payouts.list(params=self._params(created_gte))):
            yield payout_row(obj)

    def payout_transaction_ids(self, payout_id: str) -> list[str]:
        """The balance transactions an automatic payout paid out (Stripe's `?payout=`)."""
        return [row.stripe_id for row in self.balance_transactions(payout=payout_id)]
