"""The funds: statement of changes in funds, and one fund statement per campaign."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import QuerySet, Sum

from common.exports import JOURNAL_COLUMNS, Table
from ledger.models import Account, AccountRole, AccountType, EntryState, Posting
from ledger.selectors.journal import amount_places, journal_row
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

    COLUMNS = (
        "fund", "campaign_id", "currency", "restricted", "opening_myr", "income_myr",
        "expenditure_myr", "gains_myr", "transfers_myr", "closing_myr", "closing",
    )  # fmt: skip

    def tables(self) -> list[Table]:
        rows = [[row[c] for c in self.COLUMNS] for row in self.rows]
        title = f"Changes in funds {self.date_from} to {self.date_to}"
        return [Table(title, self.COLUMNS, rows)]


def _fund_key(account: Account) -> str:
    # Every unrestricted equity account, income and expense make up the one general fund.
    return account.code if account.is_restricted else UNRESTRICTED


def _blank_row(account: Account) -> dict:
    restricted = account.is_restricted
    return {
        "fund": account.name if restricted else UNRESTRICTED,
        "campaign_id": account.campaign_id if restricted else None,
        "currency": account.currency if restricted else "", "restricted": restricted,
        "opening_myr": ZERO, "income_myr": ZERO, "expenditure_myr": ZERO, "gains_myr": ZERO,
        "transfers_myr": ZERO, "closing_myr": ZERO, "closing": None,
    }  # fmt: skip


def changes_in_funds(*, date_from: date, date_to: date) -> ChangesInFunds:
    """Each restricted fund (one row per campaign and currency) and the unrestricted funds:
    opening, income, expenditure, gains, transfers and closing, in MYR."""
    accounts = {a.pk: a for a in Account.objects.filter(type__in=FUND_TYPES)}
    rows: dict[str, dict] = {}

    def row(account: Account) -> dict:
        return rows.setdefault(_fund_key(account), _blank_row(account))

    for pk, value in book_balances(date_from - timedelta(days=1)).items():
        if pk in accounts:
            row(accounts[pk])["opening_myr"] -= q(value)
    for pk, value in book_balances(date_to).items():
        if pk in accounts:
            row(accounts[pk])["closing_myr"] -= q(value)
    for m in movements(date_from, date_to):
        account = accounts.get(m["account_id"])
        placed = account and classify(account, m["entry__kind"], q(m["book"]))
        if placed:
            row(account)[f"{CATEGORY[placed[0]]}_myr"] += placed[2]
    for account in accounts.values():
        if account.is_restricted and account.code in rows:
            rows[account.code]["closing"] = _native_balance(account, date_to)
    ordered = sorted(rows.values(), key=lambda r: (r["restricted"], r["fund"]))
    balanced = all(_adds_up(r) for r in ordered)
    return ChangesInFunds(date_from, date_to, ordered, balanced)


def _adds_up(row: dict) -> bool:
    moved = row["income_myr"] - row["expenditure_myr"] + row["gains_myr"] + row["transfers_myr"]
    return row["opening_myr"] + moved == row["closing_myr"]


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
    campaign_id: int
    date_from: date | None
    date_to: date | None
    funds: list[dict]  # per currency: account, opening, closing, lines

    def tables(self) -> list[Table]:
        summary_cols = ("account_code", "currency", "opening", "received", "spent", "closing")
        summary = [[f[c] for c in summary_cols] for f in self.funds]
        columns = (*JOURNAL_COLUMNS, "running_balance")
        lines = [line for f in self.funds for line in f["lines"]]
        return [
            Table(f"Campaign {self.campaign_id} fund", summary_cols, summary),
            Table("Postings", columns, lines),
        ]


def fund_statement(
    *, campaign_id: int, date_from: date | None = None, date_to: date | None = None
) -> FundStatement:
    """What a campaign's restricted fund received and spent, per currency, posting by posting,
    with the running balance read positive (the fund's credit balance)."""
    accounts = Account.objects.filter(campaign_id=campaign_id, role=AccountRole.CAMPAIGN_FUND)
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
    return FundStatement(campaign_id, date_from, date_to, funds)
