"""Balances: constant-time from the cached balance rows, as of a date from the postings.

Signs: every figure is signed debit-positive, as stored. `natural(...)` flips credit-normal
accounts (funds, liabilities, income) so that a healthy fund reads positive.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db.models import Count, QuerySet, Sum
from django.utils import timezone
from moneyed import Money

from ledger.models import Account, AccountBalance, AccountRole, EntryState, Posting

ZERO = Decimal(0)


def _quantized(value: Decimal | None, places: int = 3) -> Decimal:
    # SQLite hands back sums of REAL columns; the ledger never stores finer than 0.001.
    return Decimal(value or 0).quantize(Decimal(1).scaleb(-places))


def account_balance(*, account: Account) -> Money:
    """The account's balance in its currency (signed debit-positive), from its cached row."""
    row = AccountBalance.objects.only("balance").get(account_id=account.pk)
    return Money(_quantized(row.balance), account.currency)


def account_book_balance(*, account: Account) -> Money:
    """The account's balance in the book currency (signed debit-positive)."""
    row = AccountBalance.objects.only("balance_book").get(account_id=account.pk)
    return Money(_quantized(row.balance_book), settings.BOOK_CURRENCY)


def natural(account: Account, money: Money) -> Money:
    """A balance read the way its account is normally read (credit-normal accounts flipped)."""
    return money if account.is_debit_normal else -money


def _posted(as_of: date | None) -> QuerySet[Posting]:
    postings = Posting.objects.filter(entry__state=EntryState.POSTED)
    if as_of is not None:
        postings = postings.filter(entry__effective_date__lte=as_of)
    return postings


def account_balance_as_of(*, account: Account, as_of: date) -> Money:
    """The balance counting posted entries whose effective date is on or before `as_of`."""
    total = _posted(as_of).filter(account=account).aggregate(s=Sum("amount"))["s"]
    return Money(_quantized(total), account.currency)


def balances_as_of(*, as_of: date) -> dict[int, tuple[Decimal, Decimal]]:
    """{account id: (balance, book balance)} as of a date, in one grouped query."""
    rows = (
        _posted(as_of)
        .values("account_id")
        .annotate(balance=Sum("amount"), book=Sum("amount_book"))
        .order_by()
    )
    return {r["account_id"]: (_quantized(r["balance"]), _quantized(r["book"])) for r in rows}


@dataclass(frozen=True)
class StatementLine:
    entry_id: int
    effective_date: date
    kind: str
    memo: str
    amount: Money
    amount_book: Decimal
    running_balance: Money


def _opening_before(account: Account, first: Posting) -> Decimal:
    """Sum of the postings that come before `first` in statement order."""
    earlier = _posted(None).filter(account=account).filter(
        entry__effective_date__lt=first.entry.effective_date
    ) | _posted(None).filter(
        account=account, entry__effective_date=first.entry.effective_date, id__lt=first.id
    )  # fmt: skip
    return _quantized(earlier.aggregate(s=Sum("amount"))["s"])


def account_statement(*, account: Account, page: int = 1, page_size: int = 50) -> Page:
    """A page of the account's posted postings in (effective date, id) order, each with the
    running balance. The page's `object_list` holds `StatementLine`s."""
    postings = (
        _posted(None)
        .filter(account=account)
        .select_related("entry")
        .order_by("entry__effective_date", "id")
    )
    paginated = Paginator(postings, page_size).get_page(page)
    rows = list(paginated.object_list)
    running = _opening_before(account, rows[0]) if rows else ZERO
    lines = []
    for posting in rows:
        running += posting.amount.amount
        lines.append(
            StatementLine(
                entry_id=posting.entry_id,
                effective_date=posting.entry.effective_date,
                kind=posting.entry.kind,
                memo=posting.entry.memo,
                amount=posting.amount,
                amount_book=posting.amount_book,
                running_balance=Money(running, account.currency),
            )  # fmt: skip
        )
    paginated.object_list = lines
    return paginated


@dataclass(frozen=True)
class TrialBalanceRow:
    account: Account
    balance: Money
    balance_book: Money


@dataclass(frozen=True)
class TrialBalance:
    as_of: date
    rows: list[TrialBalanceRow]
    totals: dict[str, Money]  # per currency: must be zero
    total_book: Money  # in the book currency: must be zero

    @property
    def balanced(self) -> bool:
        return not self.total_book.amount and not any(m.amount for m in self.totals.values())


def trial_balance_figures(*, as_of: date | None = None) -> TrialBalance:
    """Every account's balance, the total per currency and in the book currency.

    Without `as_of` (or with today or later) it reads the cached balance rows: one query,
    O(number of accounts). With an earlier date it sums the postings up to it.
    """
    book = settings.BOOK_CURRENCY
    today = timezone.localdate()
    accounts = list(Account.objects.select_related("balance_row").order_by("code"))
    if as_of is None or as_of >= today:
        figures = {
            a.pk: (_quantized(a.balance_row.balance), _quantized(a.balance_row.balance_book))
            for a in accounts
        }
    else:
        figures = balances_as_of(as_of=as_of)
    rows: list[TrialBalanceRow] = []
    totals: dict[str, Decimal] = defaultdict(Decimal)
    total_book = ZERO
    for account in accounts:
        balance, balance_book = figures.get(account.pk, (ZERO, ZERO))
        totals[account.currency] += balance
        total_book += balance_book
        rows.append(
            TrialBalanceRow(account, Money(balance, account.currency), Money(balance_book, book))
        )
    return TrialBalance(
        as_of=as_of or today, rows=rows,
        totals={code: Money(total, code) for code, total in sorted(totals.items())},
        total_book=Money(total_book, book),
    )  # fmt: skip


def fund_balance(*, owner: str) -> dict[str, Money]:
    """What the restricted fund kept for `owner` holds, per currency, read positive
    (credit-normal)."""
    rows = AccountBalance.objects.filter(
        account__owner=owner, account__role=AccountRole.RESTRICTED_FUND
    ).values_list("account__currency", "balance")
    return {currency: Money(-_quantized(balance), currency) for currency, balance in rows}


def recomputed_balances() -> dict[int, dict[str, Any]]:
    """Every account's balance recomputed from its posted postings (for `ledger_verify`)."""
    rows = (
        _posted(None)
        .values("account_id")
        .annotate(balance=Sum("amount"), book=Sum("amount_book"), n=Count("id"))
        .order_by()
    )
    return {
        r["account_id"]: {
            "balance": _quantized(r["balance"]), "book": _quantized(r["book"]), "count": r["n"]
        }
        for r in rows
    }  # fmt: skip
