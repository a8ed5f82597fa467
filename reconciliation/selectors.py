"""What reconciliation shows the treasurer: every provider balance transaction booked exactly
once, payouts equal to what they carried and to their entries, each provider's clearing
account equal to the provider's own balance, and the workbench of items still unmatched."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from django.db.models import QuerySet, Sum
from django.utils import timezone

from common.exports import Table
from ledger.models import AccountBalance, AccountRole, Posting
from payments.registry import get_provider
from reconciliation.models import (
    BankStatementLine,
    ImportJob,
    ImportState,
    ImportUpload,
    MatchStatus,
    ProviderPayout,
    ProviderTransaction,
)
from reconciliation.services.matching import booked_entries, live_entries, payout_entry_kind

ZERO = Decimal(0)
# The workbench lists at most this many items of each kind, oldest first (and counts them all).
WORKBENCH_LIMIT = 500


def _q(value: Decimal | None) -> Decimal:
    return Decimal(value or 0).quantize(Decimal("0.01"))


@dataclass
class BookedOnce:
    checked: int
    missing: list[dict]  # imported, not in the ledger, not explained
    duplicates: list[dict]  # in the ledger more than once
    unknown: list[str]  # in the ledger, not among the imported transactions

    @property
    def ok(self) -> bool:
        return not (self.missing or self.duplicates)


def _unbooked(line: ProviderTransaction) -> bool:
    """A movement the ledger books no entry for by design (the treasurer explains it)."""
    return line.type in get_provider(line.provider).statement_unbooked_types


def provider_booked_once() -> BookedOnce:
    """Each imported balance transaction against the live entries that carry its id."""
    bts = list(ProviderTransaction.objects.order_by("created", "id"))
    booked = booked_entries(bts)
    missing, duplicates = [], []
    for bt in bts:
        entries = booked[bt.pk]
        row = {"provider_id": bt.provider_id, "type": bt.type, "net": bt.net,
               "currency": bt.currency, "created": bt.created, "entries": entries}  # fmt: skip
        if len(entries) > 1:
            duplicates.append(row)
        elif not entries and bt.status != MatchStatus.EXPLAINED and not _unbooked(bt):
            missing.append(row)
    in_ledger = (
        live_entries()
        .filter(source_refs__has_key="balance_transaction_id")
        .values_list("source_refs__balance_transaction_id", flat=True)
    )
    imported = {bt.provider_id for bt in bts}
    unknown = sorted({str(v) for v in in_ledger if v} - imported)
    return BookedOnce(len(bts), missing, duplicates, unknown)


def payout_totals() -> list[dict]:
    """Each payout: its amount, the net of the transactions it carried, its entry's amount
    and its bank deposit; `ok` when those that are known agree."""
    carried: dict[str, Decimal] = defaultdict(Decimal)
    for line in ProviderTransaction.objects.exclude(payout_id=""):
        if payout_entry_kind(line) is None:
            carried[line.payout_id] += line.net
    entry_ids = [p.entry_id for p in ProviderPayout.objects.exclude(entry=None)]
    booked: dict[int, Decimal] = defaultdict(Decimal)
    for entry_id, amount in Posting.objects.filter(
        entry_id__in=entry_ids, account__role=AccountRole.BANK
    ).values_list("entry_id", "amount"):
        booked[entry_id] += Decimal(amount)
    rows = []
    for payout in ProviderPayout.objects.select_related("bank_line").order_by("arrival_date", "id"):
        rows.append(_payout_row(payout, carried, booked))
    return rows


def _payout_row(payout: ProviderPayout, carried: dict, booked: dict) -> dict:
    carried_total = _q(carried[payout.provider_id]) if payout.provider_id in carried else None
    entry_total = _q(booked[payout.entry_id]) if payout.entry_id in booked else None
    deposit = payout.bank_line.amount if payout.bank_line else None
    known = [v for v in (carried_total, entry_total) if v is not None]
    return {
        "provider_id": payout.provider_id, "currency": payout.currency, "amount": payout.amount,
        "arrival_date": payout.arrival_date, "status": payout.payout_status,
        "carried": carried_total, "entry_id": payout.entry_id, "entry_amount": entry_total,
        "bank_line_id": payout.bank_line_id, "deposit": deposit,
        "ok": all(v == payout.amount for v in known) and payout.entry_id is not None,
    }  # fmt: skip


def clearing_check() -> list[dict]:
    """Per provider and settlement currency: the ledger's clearing balance against the
    provider's own balance (the sum of every imported transaction's net). The difference
    must be zero."""
    provider_totals = {
        (provider, currency): total
        for provider, currency, total in ProviderTransaction.objects.values("provider", "currency")
        .annotate(total=Sum("net"))
        .values_list("provider", "currency", "total")
    }
    rows = []
    for bal in (
        AccountBalance.objects.filter(account__role=AccountRole.PROVIDER_CLEARING)
        .select_related("account")
        .order_by("account__code")
    ):
        account = bal.account
        ledger = _q(bal.balance)
        provider_total = _q(provider_totals.get((account.owner, account.currency)))
        rows.append({"account_code": account.code, "currency": account.currency,
                     "provider": account.owner, "ledger": ledger, "provider_balance":
                     provider_total, "difference": ledger - provider_total})  # fmt: skip
    return rows


@dataclass
class Workbench:
    balance_transactions: list[ProviderTransaction]
    payouts: list[ProviderPayout]
    payouts_without_deposit: list[ProviderPayout]
    bank_lines: list[BankStatementLine]
    # How many of each there are in all: the lists stop at `limit`, oldest first.
    counts: dict[str, int]


def workbench(*, limit: int = WORKBENCH_LIMIT) -> Workbench:
    """The unmatched items, oldest first, for the treasurer to match or explain, at most
    `limit` of each kind, with the count of each kind in all."""
    unmatched = {"status": MatchStatus.UNMATCHED}
    kinds = {
        "balance_transactions": ProviderTransaction.objects.filter(**unmatched),
        "payouts": ProviderPayout.objects.filter(**unmatched),
        "payouts_without_deposit": ProviderPayout.objects.filter(bank_line=None,
                                                                 payout_status="paid"),
        "bank_lines": BankStatementLine.objects.filter(**unmatched),
    }  # fmt: skip
    lists = {name: list(rows[:limit]) for name, rows in kinds.items()}
    counts = {
        name: len(lists[name]) if len(lists[name]) < limit else rows.count()
        for name, rows in kinds.items()
    }
    return Workbench(**lists, counts=counts)


# The export's column names (kept as the treasurer's files have always had them) and the
# row keys they show.
PROBLEM_COLUMNS = {
    "stripe_id": "provider_id",
    "type": "type",
    "net": "net",
    "currency": "currency",
    "created": "created",
    "entries": "entries",
}
PAYOUT_COLUMNS = {
    "stripe_id": "provider_id",
    "currency": "currency",
    "amount": "amount",
    "arrival_date": "arrival_date",
    "carried": "carried",
    "entry_id": "entry_id",
    "entry_amount": "entry_amount",
    "deposit": "deposit",
    "ok": "ok",
}
CLEARING_COLUMNS = {"account_code": "account_code", "currency": "currency", "ledger": "ledger",
                    "stripe": "provider_balance", "difference": "difference"}  # fmt: skip


def reconciliation_tables() -> list[Table]:
    once = provider_booked_once()
    return [
        Table.of("Not booked exactly once", PROBLEM_COLUMNS, once.missing + once.duplicates),
        Table.of("Payouts", PAYOUT_COLUMNS, payout_totals()),
        Table.of("Provider clearing", CLEARING_COLUMNS, clearing_check()),
    ]


# A queued import is sent to the worker on commit; one still queued after this long lost
# its message (or the broker was down when it was submitted).
WAITING_AFTER = timedelta(minutes=2)


def imports_waiting(*, older_than: timedelta = WAITING_AFTER) -> QuerySet:
    """Primary keys of the imports queued before `older_than` ago, oldest first."""
    cutoff = timezone.now() - older_than
    return (
        ImportJob.objects.filter(state=ImportState.QUEUED, created_at__lt=cutoff)
        .order_by("created_at", "pk")
        .values_list("pk", flat=True)
    )


def import_file(*, job_pk: int) -> tuple[str, bytes] | None:
    """The file an import was given, as (the name to download it as, its bytes); None when
    the import had none. The sender's file name is not used: it is theirs, not ours."""
    upload = ImportUpload.objects.filter(job_id=job_pk).first()
    return None if upload is None else (f"import-{job_pk}.csv", bytes(upload.data))
