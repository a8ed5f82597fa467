"""Recompute every balance from the postings and check every invariant of the ledger.

Exits 0 when everything agrees, 1 on any difference; prints a summary either way. The
database refuses broken entries as they are written; this command is the auditor's proof
that nothing got in some other way (a restored backup, a disabled trigger, a raw UPDATE of
a cached balance).
"""

from __future__ import annotations

import sys
from decimal import Decimal

from django.core.management.base import BaseCommand
from django.db import connection
from django.db.models import Count, F, Sum

from ledger.db import differences
from ledger.models import (
    Account,
    AccountBalance,
    ClosedPeriod,
    EntryState,
    JournalEntry,
    PeriodState,
    Posting,
)
from ledger.selectors.balances import recomputed_balances

CENT = Decimal("0.001")


def _q(value: Decimal | None) -> Decimal:
    return Decimal(value or 0).quantize(CENT)


def check_balances() -> list[str]:
    """Every cached balance row equals the sum of its account's posted postings."""
    problems = []
    computed = recomputed_balances()
    rows = {row.account_id: row for row in AccountBalance.objects.all()}
    for account in Account.objects.order_by("code"):
        row = rows.get(account.pk)
        want = computed.get(account.pk, {"balance": 0, "book": 0, "count": 0})
        if row is None:
            problems.append(f"{account.code}: no balance row")
            continue
        got = (_q(row.balance), _q(row.balance_book), row.posting_count)
        expected = (_q(want["balance"]), _q(want["book"]), want["count"])
        if got != expected:
            problems.append(f"{account.code}: cached {got} but postings give {expected}")
    return problems


def check_entries() -> list[str]:
    """Posted entries have two postings or more and balance per currency and in the book."""
    problems = []
    posted = Posting.objects.filter(entry__state=EntryState.POSTED)
    counts = posted.values("entry_id").annotate(n=Count("id")).filter(n__lt=2).order_by()
    problems += [f"entry #{row['entry_id']}: fewer than two postings" for row in counts]
    empty = JournalEntry.objects.filter(state=EntryState.POSTED, postings__isnull=True)
    problems += [f"entry #{pk}: no postings" for pk in empty.values_list("pk", flat=True)]
    per_currency = posted.values("entry_id", "amount_currency").annotate(s=Sum("amount"))
    for row in per_currency.order_by():
        if _q(row["s"]):
            problems.append(f"entry #{row['entry_id']}: {row['amount_currency']} off by {row['s']}")
    per_book = posted.values("entry_id").annotate(s=Sum("amount_book")).order_by()
    for row in per_book:
        if _q(row["s"]):
            problems.append(f"entry #{row['entry_id']}: book currency off by {row['s']}")
    return problems


def check_postings() -> list[str]:
    """Each posting is in its account's currency and moves something."""
    problems = []
    wrong = Posting.objects.exclude(amount_currency=F("account__currency")).values_list(
        "pk", flat=True
    )
    problems += [f"posting #{pk}: not in its account's currency" for pk in wrong]
    zero = Posting.objects.filter(amount=0, amount_book=0).values_list("pk", flat=True)
    problems += [f"posting #{pk}: zero" for pk in zero]
    return problems


def check_reversals() -> list[str]:
    """A reversal mirrors the entry it reverses, account by account."""
    problems = []
    reversals = JournalEntry.objects.filter(reverses__isnull=False, state=EntryState.POSTED)
    for entry in reversals.select_related("reverses"):
        original = _net_by_account(entry.reverses)
        mirrored = {k: -v for k, v in _net_by_account(entry).items()}
        if original != mirrored:
            problems.append(f"entry #{entry.pk}: does not mirror #{entry.reverses_id}")
    return problems


def _net_by_account(entry: JournalEntry) -> dict[int, Decimal]:
    rows = entry.postings.values("account_id").annotate(s=Sum("amount_book")).order_by()
    return {row["account_id"]: _q(row["s"]) for row in rows if _q(row["s"])}


def check_triggers() -> list[str]:
    """The database holds exactly the current triggers and functions that guard the
    invariants (`ledger/db/`), each compared by its definition, not only by its name: an old
    version left behind by a restore, or a trigger lifted and never put back, shows here."""
    return differences(connection)


def check_closed_periods() -> list[str]:
    """No entry was posted into a period after the period was closed."""
    problems = []
    for period in ClosedPeriod.objects.filter(state=PeriodState.CLOSED):
        late = JournalEntry.objects.filter(
            state=EntryState.POSTED, effective_date__lte=period.until,
            posted_at__gt=period.closed_at,
        ).values_list("pk", flat=True)  # fmt: skip
        problems += [f"entry #{pk}: posted into the period closed to {period.until}" for pk in late]
    return problems


def guarded_below_zero() -> list[str]:
    """Restricted funds and providers' clearing below zero (allowed by an entry that said so)."""
    notes = []
    for row in AccountBalance.objects.filter(account__non_negative=True).select_related("account"):
        natural = row.balance if row.account.is_debit_normal else -row.balance
        if _q(natural) < 0:
            notes.append(f"{row.account.code}: {_q(natural)} {row.account.currency}")
    return notes


CHECKS = {
    "balances equal their postings": check_balances,
    "posted entries balance": check_entries,
    "postings in their account's currency, none zero": check_postings,
    "reversals mirror their entries": check_reversals,
    "invariant triggers and functions are the current ones": check_triggers,
    "nothing posted into a closed period": check_closed_periods,
}


class Command(BaseCommand):
    help = "Recompute every balance from the postings and check the ledger's invariants."

    def handle(self, *args, **options) -> None:
        failures = 0
        for name, check in CHECKS.items():
            problems = check()
            failures += len(problems)
            mark = "ok" if not problems else f"{len(problems)} problem(s)"
            self.stdout.write(f"{name}: {mark}")
            for problem in problems[:50]:
                self.stdout.write(f"    {problem}")
        for note in guarded_below_zero():
            self.stdout.write(f"note: below zero by an entry that allowed it: {note}")
        summary = (
            f"{Account.objects.count()} accounts, "
            f"{JournalEntry.objects.filter(state=EntryState.POSTED).count()} posted entries, "
            f"{Posting.objects.filter(entry__state=EntryState.POSTED).count()} postings"
        )
        if failures:
            self.stderr.write(f"ledger_verify: {failures} problem(s); {summary}")
            sys.exit(1)
        self.stdout.write(self.style.SUCCESS(f"ledger_verify: all invariants hold; {summary}"))
