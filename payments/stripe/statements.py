"""Stripe's statements for the treasurer's reconciliation: balance transactions and payouts,
read from Stripe's API or from the balance export a treasurer downloads, as the neutral
`StatementLine` and `StatementPayout`. Amounts leave Stripe's minor units through
`amounts.from_minor`; payouts with Stripe's payout rules."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import replace
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from common import csv_input
from payments.stripe.amounts import Purpose, from_minor
from payments.types import StatementLine, StatementPayout

PAGE_SIZE = 100

# Column names Stripe has used for the same field across its balance exports, lower-cased:
# the dashboard's "Balance history" / "Balance change from activity" (itemised) reports.
EXPORT_COLUMNS = {
    "id": ("id", "balance_transaction_id"),
    "type": ("type", "reporting_category", "reporting category"),
    "source": ("source", "source_id"),
    "amount": ("amount", "gross"),
    "fee": ("fee",),
    "net": ("net",),
    "currency": ("currency",),
    "created": ("created (utc)", "created_utc", "created"),
    "available_on": ("available on (utc)", "available_on_utc", "available_on"),
    "description": ("description",),
    "payout": ("transfer", "automatic_payout_id", "payout_id"),
}
EXPORT_REQUIRED = ("id", "type", "amount", "net", "currency", "created")


def _epoch(value: int | None) -> datetime | None:
    return None if value is None else datetime.fromtimestamp(int(value), tz=UTC)


def _id(value: object) -> str:
    return str(value.get("id", "")) if isinstance(value, Mapping) else str(value or "")


def balance_line(obj: Mapping) -> StatementLine:
    """A balance transaction from Stripe's API."""
    currency = str(obj["currency"]).upper()
    rate = obj.get("exchange_rate")
    return StatementLine(
        provider_id=obj["id"],
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


def payout_line(obj: Mapping) -> StatementPayout:
    """A payout from Stripe's API; payout amounts follow Stripe's payout rules."""
    currency = str(obj["currency"]).upper()
    return StatementPayout(
        provider_id=obj["id"],
        amount=from_minor(obj["amount"], currency, Purpose.PAYOUT).amount,
        currency=currency,
        arrival_date=_epoch(obj["arrival_date"]).date(),
        status=obj.get("status") or "",
        balance_transaction_id=_id(obj.get("balance_transaction")),
        created=_epoch(obj["created"]),
        raw=dict(obj),
    )


class StatementReader:
    """Reads (never writes) balance transactions and payouts through a StripeClient."""

    def __init__(self, client: Any) -> None:
        self.client = client

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
    ) -> Iterator[StatementLine]:
        params = self._params(created_gte, **({"payout": payout} if payout else {}))
        for obj in self._pages(self.client.v1.balance_transactions.list(params=params)):
            yield balance_line(obj)

    def payouts(self, *, created_gte: int | None = None) -> Iterator[StatementPayout]:
        for obj in self._pages(self.client.v1.payouts.list(params=self._params(created_gte))):
            yield payout_line(obj)

    def lines_with_payouts(self, *, created_gte: int | None = None) -> Iterator[StatementLine]:
        """Every balance transaction, each with the automatic payout that carried it (read
        through Stripe's `?payout=` for every payout)."""
        carried = {
            line.provider_id: payout.provider_id
            for payout in self.payouts(created_gte=created_gte)
            for line in self.balance_transactions(payout=payout.provider_id)
        }
        for line in self.balance_transactions(created_gte=created_gte):
            yield replace(line, payout_id=carried.get(line.provider_id, line.payout_id))


def parse_export(data: bytes | str) -> list[StatementLine]:
    """Rows of a Stripe balance-transactions CSV export (major units, UTC times)."""
    rows, headers = csv_input.reader(data)
    cols = csv_input.columns(headers, EXPORT_COLUMNS)
    csv_input.require(cols, EXPORT_REQUIRED, "Stripe")
    return [_export_row(record, cols, line) for line, record in enumerate(rows, start=2)]


def _export_row(record: Mapping[str, str], cols: Mapping[str, str], line: int) -> StatementLine:
    def get(key: str) -> str:
        return (record.get(cols[key]) or "").strip() if key in cols else ""

    available = get("available_on")
    return StatementLine(
        provider_id=get("id"),
        type=get("type"),
        source_id=get("source"),
        amount=csv_input.parse_decimal(get("amount"), line=line, column="Amount"),
        fee=csv_input.parse_decimal(get("fee") or "0", line=line, column="Fee"),
        net=csv_input.parse_decimal(get("net"), line=line, column="Net"),
        currency=get("currency").upper(),
        created=csv_input.parse_datetime(get("created"), line=line),
        available_on=csv_input.parse_datetime(available, line=line) if available else None,
        description=get("description"),
        payout_id=get("payout"),
        raw={k: v for k, v in record.items() if k},
    )
