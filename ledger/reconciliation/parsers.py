"""Stripe and bank statement rows, from CSV exports. Pure functions.

Stripe's CSV exports and bank statements use major units; everything leaves this module as
`Decimal` in major units with an upper-case ISO currency. Rows from Stripe's API are made at
the provider boundary (`webhooks.reconciliation`), the one place that knows minor units.
"""

from __future__ import annotations

import csv
import hashlib
import io
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal, InvalidOperation

from common.errors import ApplicationError


@dataclass(frozen=True)
class BalanceRow:
    """One Stripe balance transaction."""

    stripe_id: str
    type: str
    source_id: str
    amount: Decimal
    fee: Decimal
    net: Decimal
    currency: str
    created: datetime
    available_on: datetime | None
    description: str = ""
    payout_id: str = ""
    exchange_rate: Decimal | None = None
    raw: dict = field(default_factory=dict, compare=False)


@dataclass(frozen=True)
class PayoutRow:
    stripe_id: str
    amount: Decimal
    currency: str
    arrival_date: date
    status: str
    balance_transaction_id: str
    created: datetime
    raw: dict = field(default_factory=dict, compare=False)


@dataclass(frozen=True)
class BankRow:
    date: date
    description: str
    amount: Decimal
    currency: str
    reference: str
    line_hash: str


# Column names Stripe has used for the same field across its balance exports, lower-cased:
# the dashboard's "Balance history" / "Balance change from activity" (itemised) reports.
STRIPE_COLUMNS = {
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
STRIPE_REQUIRED = ("id", "type", "amount", "net", "currency", "created")
BANK_REQUIRED = ("date", "description", "amount", "currency", "reference")


def _decode(data: bytes | str) -> str:
    if not isinstance(data, bytes):
        return data.lstrip("\ufeff")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ApplicationError(
            f"The file is not UTF-8 text (byte {error.start + 1}): export it as CSV in UTF-8.",
            code="csv_encoding",
        ) from error


def _reader(data: bytes | str) -> tuple[csv.DictReader, dict[str, str]]:
    reader = csv.DictReader(io.StringIO(_decode(data)))
    headers = {(name or "").strip().lower(): name for name in reader.fieldnames or []}
    return reader, headers


def _columns(headers: dict[str, str], aliases: Mapping[str, tuple[str, ...]]) -> dict[str, str]:
    found = {}
    for key, names in aliases.items():
        for name in names:
            if name in headers:
                found[key] = headers[name]
                break
    return found


def _missing(found: Iterable[str], required: Iterable[str], source: str) -> None:
    missing = [name for name in required if name not in found]
    if missing:
        raise ApplicationError(
            f"The {source} CSV has no column for: {', '.join(missing)}.", code="csv_columns"
        )


def parse_decimal(text: str, *, line: int, column: str) -> Decimal:
    cleaned = (text or "").strip().replace(",", "").replace(" ", "")
    if cleaned.startswith("(") and cleaned.endswith(")"):  # accountants' negative
        cleaned = "-" + cleaned[1:-1]
    try:
        return Decimal(cleaned)
    except InvalidOperation:
        raise ApplicationError(
            f"Line {line}: {column} {text!r} is not a number.", code="csv_value"
        ) from None


DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d %b %Y")
DATETIME_FORMATS = ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%SZ", "%Y-%m-%d")


def parse_date(text: str, *, line: int, formats: tuple[str, ...] = DATE_FORMATS) -> date:
    return parse_datetime(text, line=line, formats=formats).date()


def parse_datetime(
    text: str, *, line: int, formats: tuple[str, ...] = DATETIME_FORMATS
) -> datetime:
    value = (text or "").strip()
    for fmt in formats:
        try:
            return datetime.strptime(value, fmt).replace(tzinfo=UTC)
        except ValueError:
            continue
    raise ApplicationError(f"Line {line}: {text!r} is not a date.", code="csv_value")


def parse_stripe_balance_csv(data: bytes | str) -> list[BalanceRow]:
    """Rows of a Stripe balance-transactions CSV export (major units, UTC times)."""
    reader, headers = _reader(data)
    cols = _columns(headers, STRIPE_COLUMNS)
    _missing(cols, STRIPE_REQUIRED, "Stripe")
    rows = []
    for line, record in enumerate(reader, start=2):
        rows.append(_stripe_row(record, cols, line))
    return rows


def _stripe_row(record: Mapping[str, str], cols: Mapping[str, str], line: int) -> BalanceRow:
    def get(key: str) -> str:
        return (record.get(cols[key]) or "").strip() if key in cols else ""

    available = get("available_on")
    return BalanceRow(
        stripe_id=get("id"),
        type=get("type"),
        source_id=get("source"),
        amount=parse_decimal(get("amount"), line=line, column="Amount"),
        fee=parse_decimal(get("fee") or "0", line=line, column="Fee"),
        net=parse_decimal(get("net"), line=line, column="Net"),
        currency=get("currency").upper(),
        created=parse_datetime(get("created"), line=line),
        available_on=parse_datetime(available, line=line) if available else None,
        description=get("description"),
        payout_id=get("payout"),
        raw={k: v for k, v in record.items() if k},
    )


def parse_bank_csv(data: bytes | str, *, account: str = "") -> list[BankRow]:
    """Bank statement lines (date, description, amount, currency, reference), signed amounts.

    Each line gets a hash of its content and of how many identical lines came before it in
    the file, so importing the same statement twice finds the same lines, while two real
    identical lines (two equal transfers on one day) stay two.
    """
    reader, headers = _reader(data)
    cols = {key: headers[key] for key in BANK_REQUIRED if key in headers}
    _missing(cols, BANK_REQUIRED, "bank statement")
    seen: dict[str, int] = {}
    rows = []
    for line, record in enumerate(reader, start=2):
        row = _bank_row(record, cols, line, account, seen)
        rows.append(row)
    return rows


def _bank_row(
    record: Mapping[str, str], cols: Mapping[str, str], line: int, account: str,
    seen: dict[str, int],
) -> BankRow:  # fmt: skip
    values = {key: (record.get(name) or "").strip() for key, name in cols.items()}
    day = parse_date(values["date"], line=line)
    amount = parse_decimal(values["amount"], line=line, column="amount")
    currency = values["currency"].upper()
    content = "|".join([account, day.isoformat(), str(amount.normalize()), currency,
                        values["reference"], values["description"]])  # fmt: skip
    seen[content] = seen.get(content, 0) + 1
    digest = hashlib.sha256(f"{content}|{seen[content]}".encode()).hexdigest()
    return BankRow(day, values["description"], amount, currency, values["reference"], digest)
