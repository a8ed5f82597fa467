"""The treasurer's statements: trial balance, balance sheet, income and expenditure,
statement of changes in funds. Figures are in the book currency (MYR) unless a column says
otherwise; every report can turn itself into `common.exports.Table`s.

Signs: the ledger stores debit-positive. Reports print each figure the way an accountant
reads it: assets and expenditure positive when debit, funds, liabilities and income positive
when credit.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.db.models import Sum

from common.exports import Table
from common.money import decimals
from ledger.models import Account, AccountType, EntryKind, EntryState, Posting
from ledger.selectors import balances

ZERO = Decimal(0)
CENT = Decimal("0.01")

# How a fund movement reads in income and expenditure, by the kind of entry that made it.
INCOME_KINDS = {EntryKind.DONATION_SETTLED, EntryKind.OFFLINE_GIFT, EntryKind.DISPUTE_WON}
EXPENDITURE_KINDS = {
    EntryKind.REFUND, EntryKind.DISPUTE_OPENED, EntryKind.DISPUTE_LOST,
    EntryKind.DISBURSEMENT, EntryKind.DISBURSEMENT_PAID,
}  # fmt: skip
GAINS_KINDS = {EntryKind.FX_REVALUATION}
SECTIONS = ("Income", "Expenditure", "Gains and losses", "Transfers between funds")


def q(value: Decimal | None) -> Decimal:
    return Decimal(value or 0).quantize(CENT)


def book() -> str:
    return settings.BOOK_CURRENCY


def in_currency(value: Decimal, currency: str) -> Decimal:
    """The figure with its currency's decimals (MYR 79.67, JPY 500), unless that would drop a
    digit the ledger holds (it keeps three places for every currency)."""
    value = Decimal(value)
    exact = value.quantize(Decimal(1).scaleb(-decimals(currency)))
    return exact if exact == value else value


def split(value: Decimal) -> tuple[Decimal | None, Decimal | None]:
    """(debit, credit) columns of a signed debit-positive figure."""
    if value > 0:
        return value, None
    if value < 0:
        return None, -value
    return None, None


def is_unrestricted_fund(account: Account) -> bool:
    return account.type == AccountType.EQUITY and not account.is_restricted


def movements(date_from: date, date_to: date) -> list[dict]:
    """Posted book-currency movements per (account, entry kind) with effective date in range."""
    return list(
        Posting.objects.filter(
            entry__state=EntryState.POSTED,
            entry__effective_date__gte=date_from,
            entry__effective_date__lte=date_to,
        )
        .values("account_id", "entry__kind")
        .annotate(amount=Sum("amount"), book=Sum("amount_book"))
        .order_by()
    )


def book_balances(as_of: date) -> dict[int, Decimal]:
    return {pk: book_value for pk, (_, book_value) in balances.balances_as_of(as_of=as_of).items()}


# --- Trial balance ----------------------------------------------------------------------


@dataclass
class TrialBalanceReport:
    as_of: date
    rows: list[dict]
    totals: list[dict]  # per currency, then the book currency: debits must equal credits
    balanced: bool

    # The file's columns (named as accounting packages import them) and the row keys.
    COLUMNS = {
        "account_code": "account_code", "account_name": "account_name", "type": "type",
        "currency": "currency", "debit": "debit", "credit": "credit",
        "debit_myr": "debit_book", "credit_myr": "credit_book",
    }  # fmt: skip
    TOTAL_COLUMNS = ("basis", "currency", "debit", "credit", "difference")

    def tables(self) -> list[Table]:
        totals = {name: name for name in self.TOTAL_COLUMNS}
        return [
            Table.of(f"Trial balance {self.as_of}", self.COLUMNS, self.rows),
            Table.of("Totals", totals, self.totals),
        ]


def trial_balance_report(*, as_of: date | None = None) -> TrialBalanceReport:
    """Each account's balance in its own currency and in the book currency, split into debit
    and credit."""
    tb = balances.trial_balance_figures(as_of=as_of)
    rows, per_currency = [], defaultdict(lambda: [ZERO, ZERO])
    book_totals = [ZERO, ZERO]
    for row in tb.rows:
        debit, credit = split(in_currency(row.balance.amount, row.account.currency))
        debit_book, credit_book = split(in_currency(row.balance_book.amount, book()))
        account = row.account
        rows.append({
            "account_code": account.code, "account_name": account.name, "type": account.type,
            "currency": account.currency, "debit": debit, "credit": credit,
            "debit_book": debit_book, "credit_book": credit_book,
        })  # fmt: skip
        per_currency[account.currency][0] += debit or ZERO
        per_currency[account.currency][1] += credit or ZERO
        book_totals[0] += debit_book or ZERO
        book_totals[1] += credit_book or ZERO
    # "currency" totals add each currency's own amounts; the "book" total adds every account
    # in MYR. Both must come to zero; the book line is what the auditor signs.
    totals = [
        {"basis": "currency", "currency": code, "debit": d, "credit": c, "difference": d - c}
        for code, (d, c) in sorted(per_currency.items())
    ]
    debit, credit = book_totals
    totals.append({"basis": "book", "currency": book(), "debit": debit, "credit": credit,
                   "difference": debit - credit})  # fmt: skip
    return TrialBalanceReport(tb.as_of, rows, totals, tb.balanced)


# --- Balance sheet ------------------------------------------------------------------------

SHEET_SECTIONS = ("Assets", "Liabilities", "Restricted funds", "Unrestricted funds")


@dataclass
class BalanceSheet:
    as_of: date
    lines: list[dict]  # section, account_code, account_name, currency, amount, amount_book
    totals: dict[str, Decimal]
    balanced: bool

    def tables(self) -> list[Table]:
        columns = {"section": "section", "account_code": "account_code",
                   "account_name": "account_name", "currency": "currency", "amount": "amount",
                   "amount_myr": "amount_book"}  # fmt: skip
        totals = [[name, value] for name, value in self.totals.items()]
        return [
            Table.of(f"Balance sheet {self.as_of}", columns, self.lines),
            Table("Totals", ("total", "amount_myr"), totals),
        ]


def _sheet_section(account: Account) -> tuple[str, int] | None:
    """(section, sign that makes the figure read positive) or None for I&E accounts."""
    if account.type == AccountType.ASSET:
        return "Assets", 1
    if account.type == AccountType.LIABILITY:
        return "Liabilities", -1
    if account.type == AccountType.EQUITY:
        return ("Restricted funds" if account.is_restricted else "Unrestricted funds"), -1
    return None


def balance_sheet(*, as_of: date | None = None) -> BalanceSheet:
    """Assets less liabilities equal the funds: restricted, unrestricted and the accumulated
    surplus (income less expenditure) that belongs to the unrestricted funds."""
    tb = balances.trial_balance_figures(as_of=as_of)
    lines, totals = [], dict.fromkeys(SHEET_SECTIONS, ZERO)
    surplus = ZERO
    for row in tb.rows:
        placed = _sheet_section(row.account)
        value = q(row.balance_book.amount)
        if placed is None:
            surplus -= value
            continue
        section, sign = placed
        if value or row.balance.amount:
            account = row.account
            lines.append({"section": section, "account_code": account.code,
                          "account_name": account.name, "currency": account.currency,
                          "amount": sign * in_currency(row.balance.amount, account.currency),
                          "amount_book": sign * value})  # fmt: skip
        totals[section] += sign * value
    lines.append({"section": "Unrestricted funds", "account_code": "",
                  "account_name": "Accumulated surplus (deficit)", "currency": book(),
                  "amount": surplus, "amount_book": surplus})  # fmt: skip
    totals["Unrestricted funds"] += surplus
    lines.sort(key=lambda line: SHEET_SECTIONS.index(line["section"]))
    net_assets = totals["Assets"] - totals["Liabilities"]
    funds = totals["Restricted funds"] + totals["Unrestricted funds"]
    summary = {**{f"Total {k.lower()}": v for k, v in totals.items()},
               "Net assets": net_assets, "Total funds": funds}  # fmt: skip
    return BalanceSheet(tb.as_of, lines, summary, net_assets == funds)


# --- Income and expenditure, changes in funds --------------------------------------------


def classify(account: Account, kind: str, book_value: Decimal) -> tuple[str, str, Decimal] | None:
    """(section, line, figure read positive) of one movement, or None for the balance sheet."""
    if account.type == AccountType.INCOME:
        return "Income", account.name, -book_value
    if account.type == AccountType.EXPENSE:
        return "Expenditure", account.name, book_value
    if account.type != AccountType.EQUITY:
        return None
    label = str(EntryKind(kind).label) if kind in EntryKind.values else kind
    if kind in INCOME_KINDS:
        return "Income", label, -book_value
    if kind in EXPENDITURE_KINDS:
        return "Expenditure", label, book_value
    if kind in GAINS_KINDS:
        return "Gains and losses", label, -book_value
    return "Transfers between funds", label, -book_value


def _fund_column(account: Account) -> str:
    return "restricted" if account.is_restricted else "unrestricted"


def funds_at(as_of: date, accounts: dict[int, Account]) -> dict[str, Decimal]:
    """Restricted and unrestricted funds (read positive) at the end of a day."""
    out = {"unrestricted": ZERO, "restricted": ZERO}
    for pk, value in book_balances(as_of).items():
        account = accounts[pk]
        if account.type in (AccountType.INCOME, AccountType.EXPENSE, AccountType.EQUITY):
            out[_fund_column(account)] -= q(value)
    return out


@dataclass
class IncomeExpenditure:
    date_from: date
    date_to: date
    lines: list[dict]  # section, line, unrestricted, restricted, total
    totals: list[dict]  # line, unrestricted, restricted, total
    balanced: bool  # funds carried forward = brought forward + net movement

    def tables(self) -> list[Table]:
        columns = ("section", "line", "unrestricted", "restricted", "total")
        rows = [[line[c] for c in columns] for line in self.lines]
        rows += [["Total", t["line"], t["unrestricted"], t["restricted"], t["total"]]
                 for t in self.totals]  # fmt: skip
        return [Table(f"Income and expenditure {self.date_from} to {self.date_to}", columns, rows)]


def _total(line: str, unrestricted: Decimal, restricted: Decimal) -> dict:
    return {"line": line, "unrestricted": unrestricted, "restricted": restricted,
            "total": unrestricted + restricted}  # fmt: skip


def income_expenditure(*, date_from: date, date_to: date) -> IncomeExpenditure:
    """Income, expenditure, gains and transfers of the period, in unrestricted and restricted
    columns, and the funds brought and carried forward."""
    accounts = {a.pk: a for a in Account.objects.all()}
    cells: dict[tuple[str, str], dict[str, Decimal]] = defaultdict(
        lambda: {"unrestricted": ZERO, "restricted": ZERO}
    )
    for m in movements(date_from, date_to):
        account = accounts[m["account_id"]]
        placed = classify(account, m["entry__kind"], q(m["book"]))
        if placed:
            section, line, value = placed
            cells[(section, line)][_fund_column(account)] += value
    lines = [
        {"section": s, "line": ln, **v, "total": v["unrestricted"] + v["restricted"]}
        for (s, ln), v in sorted(cells.items(), key=lambda kv: (SECTIONS.index(kv[0][0]), kv[0][1]))
    ]
    sums = {s: {"unrestricted": ZERO, "restricted": ZERO} for s in SECTIONS}
    for line in lines:
        for col in ("unrestricted", "restricted"):
            sums[line["section"]][col] += line[col]
    opening = funds_at(date_from - timedelta(days=1), accounts)
    closing = funds_at(date_to, accounts)
    net = {c: sums["Income"][c] - sums["Expenditure"][c] + sums["Gains and losses"][c]
           + sums["Transfers between funds"][c] for c in opening}  # fmt: skip
    totals = [_total(f"Total {s.lower()}", sums[s]["unrestricted"], sums[s]["restricted"])
              for s in SECTIONS]  # fmt: skip
    totals += [
        _total("Net movement in funds", net["unrestricted"], net["restricted"]),
        _total("Funds brought forward", opening["unrestricted"], opening["restricted"]),
        _total("Funds carried forward", closing["unrestricted"], closing["restricted"]),
    ]
    balanced = all(opening[c] + net[c] == closing[c] for c in opening)
    return IncomeExpenditure(date_from, date_to, lines, totals, balanced)
