"""What the operations suites share: the journal of one entry, balances by account code,
and a treasurer's client."""

from __future__ import annotations

from decimal import Decimal

from moneyed import Money

from ledger.models import Account, AccountBalance, JournalEntry

D1 = "2026-03-02"
D2 = "2026-03-09"


def myr(amount: str) -> Money:
    return Money(Decimal(amount), "MYR")


def postings(entry_id: int) -> list[tuple[str, str, str]]:
    """(account code, signed amount, signed MYR amount) of each posting, with a campaign's id
    in a code shown as C and an enterprise's as E, so expectations read the same every run."""
    entry = JournalEntry.objects.get(pk=entry_id)
    rows = []
    for p in entry.postings.select_related("account").order_by("id"):
        code = p.account.code
        kind, _sep, pk = p.account.owner.partition(":")
        if kind in ("campaign", "enterprise"):
            code = code.replace(f"-{pk}-", f"-{kind[0].upper()}-")
        rows.append((code, f"{p.amount.amount:.2f}", f"{p.amount_book:.2f}"))
    return rows


def balance(code: str) -> Decimal:
    """An account's cached balance (debit positive) in its currency; 0 when never posted."""
    account = Account.objects.filter(code=code).first()
    row = AccountBalance.objects.filter(account=account).first() if account else None
    return Decimal(row.balance).quantize(Decimal("0.01")) if row else Decimal("0.00")


def fund_code(campaign, currency: str = "MYR") -> str:
    return f"3100-FUND-{campaign.pk}-{currency}"
