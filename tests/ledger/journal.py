"""Print the journal as a table, for ledger stories compared with reviewed snapshots."""

from __future__ import annotations

import os
from decimal import Decimal
from pathlib import Path

from common.money import decimals
from ledger.models import Account, JournalEntry
from ledger.selectors.balances import trial_balance_figures as trial_balance

SNAPSHOTS = Path(__file__).parent / "snapshots"


def _label(account: Account, names: dict[str, str]) -> str:
    """The account code with campaign and enterprise ids replaced by stable names."""
    kind, _sep, pk = account.owner.partition(":")
    if kind in ("campaign", "enterprise"):
        return account.code.replace(f"-{pk}-", f"-{names[kind]}-")
    return account.code


def _amount(value: Decimal, currency: str) -> str:
    return f"{value:,.{decimals(currency)}f}" if value else ""


def journal_table(*, names: dict[str, str]) -> str:
    """Every entry in order with its postings: debit and credit in the account's currency
    and the book value; then the non-zero balances and the trial balance totals."""
    out = []
    for entry in JournalEntry.objects.order_by("id").prefetch_related("postings__account"):
        out.append(f"{entry.effective_date} {entry.kind} [{entry.state}] {entry.memo}")
        for p in entry.postings.all():
            amount, code = p.amount.amount, p.amount.currency.code
            out.append(
                f"    {_label(p.account, names):<28} {code:<4}"
                f"{_amount(max(amount, Decimal(0)), code):>14}"
                f"{_amount(max(-amount, Decimal(0)), code):>14}"
                f"{p.amount_book:>14,.2f} MYR"
            )
    out.append("")
    out.append("balances (debit +, credit -)")
    tb = trial_balance()
    for row in tb.rows:
        if row.balance.amount or row.balance_book.amount:
            out.append(
                f"    {_label(row.account, names):<28} {row.account.currency:<4}"
                f"{row.balance.amount:>14,.2f}{row.balance_book.amount:>14,.2f} MYR"
            )
    totals = ", ".join(f"{code} {m.amount:,.2f}" for code, m in tb.totals.items())
    out.append(f"totals per currency: {totals}; book: {tb.total_book.amount:,.2f}")
    return "\n".join(out) + "\n"


def assert_matches_snapshot(name: str, text: str) -> None:
    """Compare with tests/ledger/snapshots/<name>.txt; UPDATE_SNAPSHOTS=1 rewrites it."""
    path = SNAPSHOTS / f"{name}.txt"
    print(text)
    if os.environ.get("UPDATE_SNAPSHOTS") == "1":
        path.write_text(text)
    assert path.exists(), f"no snapshot {path.name}: review the journal, then UPDATE_SNAPSHOTS=1"
    assert text == path.read_text(), f"journal differs from snapshot {path.name}"
