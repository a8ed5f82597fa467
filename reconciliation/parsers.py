"""Bank statement lines, from the CSV a bank exports. Pure functions.

Amounts leave as `Decimal` in major units with an upper-case ISO currency. The providers'
own statements are read at the provider boundary (`payments/<provider>/`).
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from common import csv_input

REQUIRED = ("date", "description", "amount", "currency", "reference")


@dataclass(frozen=True)
class BankRow:
    date: date
    description: str
    amount: Decimal
    currency: str
    reference: str
    line_hash: str


def parse_bank_csv(data: bytes | str, *, account: str = "") -> list[BankRow]:
    """Bank statement lines (date, description, amount, currency, reference), signed amounts.

    Each line gets a hash of its content and of how many identical lines came before it in
    the file, so importing the same statement twice finds the same lines, while two real
    identical lines (two equal transfers on one day) stay two.
    """
    reader, headers = csv_input.reader(data)
    cols = {key: headers[key] for key in REQUIRED if key in headers}
    csv_input.require(cols, REQUIRED, "bank statement")
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
    day = csv_input.parse_date(values["date"], line=line)
    amount = csv_input.parse_decimal(values["amount"], line=line, column="amount")
    currency = values["currency"].upper()
    content = "|".join([account, day.isoformat(), str(amount.normalize()), currency,
                        values["reference"], values["description"]])  # fmt: skip
    seen[content] = seen.get(content, 0) + 1
    digest = hashlib.sha256(f"{content}|{seen[content]}".encode()).hexdigest()
    return BankRow(day, values["description"], amount, currency, values["reference"], digest)
