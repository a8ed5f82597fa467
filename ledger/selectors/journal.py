"""The general journal and account statements, one row per posting in the accountant's
import layout (`JOURNAL_COLUMNS`)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import QuerySet, Sum

from common.exports import Table
from ledger.models import LATE_REF, Account, EntryState, JournalEntry, Posting

# The general journal, one row per posting: the layout accounting packages import.
JOURNAL_COLUMNS = (
    "date", "entry_no", "account_code", "account_name", "description",
    "debit", "credit", "currency", "myr_amount", "rate", "reference",
)  # fmt: skip

# Source references that identify an entry outside the ledger, most specific first.
REFERENCE_KEYS = (
    "balance_transaction_id", "payout_id", "refund_id", "dispute_id", "bank_reference",
    "reference", "donation_ref", "disbursement_ref",
)  # fmt: skip
EXPORT_CHUNK = 2000


def reference(refs: dict, fallback: str) -> str:
    for key in REFERENCE_KEYS:
        if refs.get(key):
            return str(refs[key])
    return fallback


def amount_places(value: Decimal) -> Decimal:
    """Drop the ledger's third decimal where the currency has two (SQLite gives floats)."""
    value = Decimal(value)
    exact = value.quantize(Decimal("0.01"))
    return exact if exact == value.quantize(Decimal("0.001")) else value.quantize(Decimal("0.001"))


def journal_row(posting: Posting) -> list:
    """date, entry no., account code and name, description, debit, credit, currency,
    MYR amount (signed, debit positive), rate, reference."""
    entry, account = posting.entry, posting.account
    amount = amount_places(posting.amount.amount)
    return [
        entry.effective_date, entry.pk, account.code, account.name, entry.memo,
        amount if amount > 0 else None, -amount if amount < 0 else None,
        posting.amount.currency.code, amount_places(posting.amount_book),
        Decimal(posting.rate).normalize(), reference(entry.source_refs, entry.idempotency_key),
    ]  # fmt: skip


def journal_postings(
    *, date_from: date | None = None, date_to: date | None = None,
    account: Account | None = None,
) -> QuerySet[Posting]:  # fmt: skip
    """Posted postings in journal order (effective date, entry, posting)."""
    postings = Posting.objects.filter(entry__state=EntryState.POSTED)
    if date_from:
        postings = postings.filter(entry__effective_date__gte=date_from)
    if date_to:
        postings = postings.filter(entry__effective_date__lte=date_to)
    if account is not None:
        postings = postings.filter(account=account)
    return postings.select_related("entry", "account").order_by(
        "entry__effective_date", "entry_id", "id"
    )


def journal_rows(postings: QuerySet[Posting]) -> Iterator[list]:
    for posting in postings.iterator(chunk_size=EXPORT_CHUNK):
        yield journal_row(posting)


def journal_table(*, date_from: date | None = None, date_to: date | None = None) -> Table:
    rows = list(journal_rows(journal_postings(date_from=date_from, date_to=date_to)))
    return Table("General journal", JOURNAL_COLUMNS, rows)


@dataclass
class AccountStatementExport:
    account: Account
    opening: Decimal
    rows: list[list]

    def tables(self) -> list[Table]:
        title = f"{self.account.code} statement"
        return [Table(title, (*JOURNAL_COLUMNS, "running_balance"), self.rows)]


def account_statement_export(
    *, account: Account, date_from: date | None = None, date_to: date | None = None
) -> AccountStatementExport:
    """Every posting of one account in the period with its running balance (debit positive)."""
    opening = Decimal(0)
    if date_from:
        before = Posting.objects.filter(
            account=account, entry__state=EntryState.POSTED, entry__effective_date__lt=date_from
        ).aggregate(s=Sum("amount"))["s"]
        opening = amount_places(before or Decimal(0))
    running, rows = opening, []
    postings = journal_postings(date_from=date_from, date_to=date_to, account=account)
    for row in journal_rows(postings):
        running += (row[5] or 0) - (row[6] or 0)
        rows.append([*row, running])
    return AccountStatementExport(account, opening, rows)


def late_entries() -> QuerySet[JournalEntry]:
    """Posted entries booked on the first open day because their own date was in a closed
    period (money a provider had already moved), newest first: the treasurer checks them
    against the closed period's reports. Their own date is `source_refs["original_date"]`."""
    return JournalEntry.objects.filter(
        state=EntryState.POSTED, source_refs__has_key=LATE_REF
    ).order_by("-effective_date", "-id")
