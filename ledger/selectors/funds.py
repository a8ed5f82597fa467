"""The funds: statement of changes in funds, and the statement of one restricted fund.

A restricted fund is kept for an owner (`campaign:42`); the apps that know what the owner is
(the treasury's campaign reports) name it in their own columns."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import QuerySet, Sum

from common.exports import Table
from ledger.models import Account, AccountRole, AccountType, EntryState, Posting
from ledger.selectors.journal import JOURNAL_COLUMNS, amount_places, journal_row
from ledger.selectors.reports import ZERO, book_balances, classify, movements, q

UNRESTRICTED = "Unrestricted funds"


FUND_TYPES = (AccountType.EQUITY, AccountType.INCOME, AccountType.EXPENSE)
CATEGORY = {
    "Income": "income", "Expenditure": "expenditure", "Gains and losses": "gains",
    "Transfers between funds": "transfers",
}  # fmt: skip


@dataclass
class ChangesInFunds:
    date_from: date
    date_to: date
    rows: list[dict]
    balanced: bool  # every row: opening + income - expenditure + gains + transfers = closing

    # The file's columns and the row keys (figures in the book currency but `closing`).
    COLUMNS = {
        "fund": "fund", "owner": "owner", "currency": "currency", "restricted": "restricted",
        "opening_myr": "opening_book", "income_myr": "income_book",
        "expenditure_myr": "expenditure_book", "gains_myr": "gains_book",
        "transfers_myr": "transfers_book", "closing_myr": "closing_book", "closing": "closing",
    }  # fmt: skip

    def tables(self, columns: dict[str, str] | None = None) -> list[Table]:
        title = f"Changes in funds {self.date_from} to {self.date_to}"
        return [Table.of(title, columns or self.COLUMNS, self.rows)]


def _fund_key(account: Account) -> str:
    # Every unrestricted equity account, income and expense make up the one general fund.
    return account.code if account.is_restricted else UNRESTRICTED


def _blank_row(account: Account) -> dict:
    restricted = account.is_restricted
    return {
        "fund": account.name if restricted else UNRESTRICTED,
        "owner": account.owner if restricted else "",
        "currency": account.currency if restricted else "", "restricted": restricted,
        "opening_book": ZERO, "income_book": ZERO, "expenditure_book": ZERO, "gains_book": ZERO,
        "transfers_book": ZERO, "closing_book": ZERO, "closing": None,
    }  # fmt: skip


def changes_in_funds(*, date_from: date, date_to: date) -> ChangesInFunds:
    """Each restricted fund (one row per owner and currency) and the unrestricted funds:
    opening, income, expenditure, gains, transfers and closing, in the book currency."""
    accounts = {a.pk: a for a in Account.objects.filter(type__in=FUND_TYPES)}
    rows: dict[str, dict] = {}

    def row(account: Account) -> dict:
        return rows.setdefault(_fund_key(account), _blank_row(account))

    for pk, value in book_balances(date_from - timedelta(days=1)).items():
        if pk in accounts:
            row(accounts[pk])["opening_book"] -= q(value)
    for pk, value in book_balances(date_to).items():
        if pk in accounts:
            row(accounts[pk])["closing_book"] -= q(value)
    for m in movements(date_from, date_to):
        account = accounts.get(m["account_id"])
        placed = account and classify(account, m["entry__kind"], q(m["book"]))
        if placed:
            row(account)[f"{CATEGORY[placed[0]]}_book"] += placed[2]
    for account in accounts.values():
        if account.is_restricted and account.code in rows:
            rows[account.code]["closing"] = _native_balance(account, date_to)
    ordered = sorted(rows.values(), key=lambda r: (r["restricted"], r["fund"]))
    balanced = all(_adds_up(r) for r in ordered)
    return ChangesInFunds(date_from, date_to, ordered, balanced)


def _adds_up(row: dict) -> bool:
    moved = row["income_book"] - row["expenditure_book"] + row["gains_book"] + row["transfers_book"]
    return row["opening_book"] + moved == row["closing_book"]


def _native_balance(account: Account, as_of: date) -> Decimal:
    total = _postings(account, None, as_of).aggregate(s=Sum("amount"))["s"]
    return -amount_places(Decimal(total or 0))


def _postings(account: Account, date_from: date | None, date_to: date | None) -> QuerySet:
    postings = Posting.objects.filter(account=account, entry__state=EntryState.POSTED)
    if date_from:
        postings = postings.filter(entry__effective_date__gte=date_from)
    if date_to:
        postings = postings.filter(entry__effective_date__lte=date_to)
    return postings


@dataclass
class FundStatement:
    owner: str
    title: str
    date_from: date | None
    date_to: date | None
    funds: list[dict]  # per currency: account, opening, closing, lines

    def tables(self) -> list[Table]:
        summary_cols = ("account_code", "currency", "opening", "received", "spent", "closing")
        summary = [[f[c] for c in summary_cols] for f in self.funds]
        columns = (*JOURNAL_COLUMNS, "running_balance")
        lines = [line for f in self.funds for line in f["lines"]]
        return [
            Table(self.title, summary_cols, summary),
            Table("Postings", columns, lines),
        ]


def fund_statement(
    *, owner: str, title: str = "", date_from: date | None = None, date_to: date | None = None
) -> FundStatement:
    """What the restricted fund kept for `owner` received and spent, per currency, posting by
    posting, with the running balance read positive (the fund's credit balance)."""
    accounts = Account.objects.filter(owner=owner, role=AccountRole.RESTRICTED_FUND)
    funds = []
    for account in accounts.order_by("currency"):
        opening = ZERO
        if date_from:
            opening = _native_balance(account, date_from - timedelta(days=1))
        running, received, spent, lines = opening, ZERO, ZERO, []
        postings = _postings(account, date_from, date_to).select_related("entry", "account")
        for posting in postings.order_by("entry__effective_date", "entry_id", "id"):
            amount = -posting.amount.amount
            running += amount
            received += max(amount, ZERO)
            spent += max(-amount, ZERO)
            lines.append([*journal_row(posting), running])
        funds.append({"account_code": account.code, "currency": account.currency,
                      "opening": opening, "received": received, "spent": spent,
                      "closing": running, "lines": lines})  # fmt: skip
    return FundStatement(owner, title or f"{owner} fund", date_from, date_to, funds)
