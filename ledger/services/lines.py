"""An entry's lines before they are posted: what a caller asks for (`PostingLine`), checked,
balanced and valued in the book currency (`Leg`), and the hash that makes a replay of the
same content recognisable. Both posting engines (`posting.py`, `posting_pg.py`) start here.
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any, NamedTuple

from django.conf import settings
from moneyed import Money

from common.errors import ApplicationError
from common.money import decimals, quantize
from ledger.models import RATE_PLACES, Account, AccountRole, Posting
from ledger.services.chart import role_account

ONE = Decimal(1)
Dimension = tuple[str, str]


@dataclass(frozen=True)
class PostingLine:
    """One leg of an entry. `amount` is signed (debit positive) in the account's currency.

    `rate` is book-currency units per unit of `amount` (1 for the book currency, required
    otherwise) unless `amount_book` is given: then that is the book value and the rate is
    derived. `amount_book` with a zero `amount` is a book-only adjustment (revaluation,
    rounding). `dimension` is an optional (key, value) the posting is analysed by.
    """

    account: Account
    amount: Money
    rate: Decimal | None = None
    amount_book: Decimal | None = None
    dimension: Dimension | None = None

    @property
    def is_empty(self) -> bool:
        """Moves nothing: no amount and no book value (a rule leaves such a line out)."""
        return not self.amount.amount and not self.amount_book


def debit(account: Account, amount: Money, **kwargs: Any) -> PostingLine:
    return PostingLine(account, amount, **kwargs)


def credit(account: Account, amount: Money, **kwargs: Any) -> PostingLine:
    book = kwargs.pop("amount_book", None)
    return PostingLine(account, -amount, amount_book=None if book is None else -book, **kwargs)


def book_currency() -> str:
    return settings.BOOK_CURRENCY


def _json_default(value: Any) -> str:
    if isinstance(value, Money):
        return f"{value.amount.normalize():f} {value.currency.code}"
    if isinstance(value, Decimal):
        return f"{value.normalize():f}"
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Account):
        return value.code
    raise TypeError(f"Cannot hash {type(value).__name__}")


def payload_hash(payload: dict[str, Any]) -> str:
    """SHA-256 of the canonical JSON of a payload (Money, Decimal and dates as text)."""
    text = json.dumps(payload, sort_keys=True, default=_json_default, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


def book_amount(line: PostingLine) -> tuple[Decimal, Decimal]:
    """(book amount, rate) of a line."""
    book = book_currency()
    amount = line.amount.amount
    if line.amount_book is not None:
        value = quantize(line.amount_book, book)
        rate = abs(value / amount) if amount and value else (line.rate or ONE)
        return value, rate.quantize(Decimal(1).scaleb(-RATE_PLACES))
    if line.amount.currency.code == book:
        return amount, ONE
    if line.rate is None or line.rate <= 0:
        raise ApplicationError(
            f"A {line.amount.currency.code} posting needs its rate to {book}.", code="rate"
        )
    return quantize(amount * line.rate, book), line.rate.quantize(Decimal(1).scaleb(-RATE_PLACES))


def _check_line(line: PostingLine) -> None:
    currency = line.amount.currency.code
    if currency != line.account.currency:
        raise ApplicationError(
            f"{line.account.code} is in {line.account.currency}, not {currency}.",
            code="currency_mismatch",
        )
    if quantize(line.amount.amount, currency) != line.amount.amount:
        raise ApplicationError(
            f"{line.amount} has more decimals than {currency} allows.", code="precision"
        )
    book_only = line.amount_book is not None and line.amount_book != 0
    if line.amount.amount == 0 and not book_only:
        raise ApplicationError("A posting may not be zero.", code="zero_amount")
    if line.dimension is not None:
        key, value = line.dimension
        if not key or len(key) > 32 or len(str(value)) > 64:
            raise ApplicationError("A dimension is a short key and value.", code="dimension")


class Leg(NamedTuple):
    """A checked, valued leg: what a Posting row holds, without a model instance (the
    PostgreSQL engine sends these straight to the database)."""

    account: Account
    amount: Money
    amount_book: Decimal
    rate: Decimal
    dimension: Dimension | None = None


def value_lines(lines: list[PostingLine]) -> list[Leg]:
    """Check the lines balance per currency, value them in the book currency, and send a
    book-currency rounding difference (at most one minor unit per foreign line) to the
    rounding account."""
    if len(lines) < 2:
        raise ApplicationError("An entry needs at least two postings.", code="too_few_postings")
    per_currency: dict[str, Decimal] = defaultdict(Decimal)
    legs = []
    for line in lines:
        _check_line(line)
        per_currency[line.amount.currency.code] += line.amount.amount
        legs.append(Leg(line.account, line.amount, *book_amount(line), line.dimension))
    unbalanced = {code: total for code, total in per_currency.items() if total}
    if unbalanced:
        raise ApplicationError(f"The entry does not balance: {unbalanced}.", code="unbalanced")
    difference = sum((leg.amount_book for leg in legs), Decimal(0))
    if difference:
        foreign = sum(1 for leg in legs if leg.amount.currency.code != book_currency())
        unit = Decimal(1).scaleb(-decimals(book_currency()))
        if abs(difference) > unit * max(foreign, 1):
            raise ApplicationError(
                f"The entry is out of balance by {difference} {book_currency()}.",
                code="unbalanced",
            )
        rounding = role_account(role=AccountRole.ROUNDING)
        legs.append(Leg(rounding, Money(0, book_currency()), -difference, ONE))
    return legs


def posting_rows(legs: list[Leg]) -> list[Posting]:
    """The legs as unsaved Posting rows."""
    return [
        Posting(
            account=leg.account, amount=leg.amount, amount_book=leg.amount_book, rate=leg.rate,
            dimension_key=leg.dimension[0] if leg.dimension else "",
            dimension_value=str(leg.dimension[1]) if leg.dimension else "",
        )
        for leg in legs
    ]  # fmt: skip
