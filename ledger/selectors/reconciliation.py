"""What reconciliation shows the treasurer: every Stripe balance transaction booked exactly
once, payouts equal to what they carried and to their entries, Stripe clearing equal to
Stripe's own balance, and the workbench of items still unmatched."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Sum

from common.exports import Table
from ledger.models import AccountBalance, AccountRole, Posting
from ledger.models_reconciliation import (
    BankStatementLine,
    MatchStatus,
    StripeBalanceTransaction,
    StripePayout,
)
from ledger.services.reconciliation_match import PAYOUT_TYPES, entries_by_ref, live_entries

ZERO = Decimal(0)
# Stripe movements the ledger books no entry for by design (the treasurer explains them).
UNBOOKED_TYPES = {"payout_cancel", "transfer", "stripe_fee_tax"}
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


def _booked_counts(bts: list[StripeBalanceTransaction]) -> dict[str, list[int]]:
    by_bt = entries_by_ref("balance_transaction_id", [b.stripe_id for b in bts])
    by_payout = {
        kind: entries_by_ref("payout_id", [b.source_id for b in bts], kind)
        for kind in set(PAYOUT_TYPES.values())
    }
    out = {}
    for bt in bts:
        if bt.type in PAYOUT_TYPES:
            out[bt.stripe_id] = by_payout[PAYOUT_TYPES[bt.type]].get(bt.source_id, [])
        else:
            out[bt.stripe_id] = by_bt.get(bt.stripe_id, [])
    return out


def stripe_booked_once() -> BookedOnce:
    """Each imported balance transaction against the live entries that carry its id."""
    bts = list(StripeBalanceTransaction.objects.order_by("created", "id"))
    counts = _booked_counts(bts)
    missing, duplicates = [], []
    for bt in bts:
        entries = counts[bt.stripe_id]
        row = {"stripe_id": bt.stripe_id, "type": bt.type, "net": bt.net,
               "currency": bt.currency, "created": bt.created, "entries": entries}  # fmt: skip
        if len(entries) > 1:
            duplicates.append(row)
        elif not entries and bt.status != MatchStatus.EXPLAINED and bt.type not in UNBOOKED_TYPES:
            missing.append(row)
    in_ledger = (
        live_entries()
        .filter(source_refs__has_key="balance_transaction_id")
        .values_list("source_refs__balance_transaction_id", flat=True)
    )
    imported = {bt.stripe_id for bt in bts}
    unknown = sorted({str(v) for v in in_ledger if v} - imported)
    return BookedOnce(len(bts), missing, duplicates, unknown)


def payout_totals() -> list[dict]:
    """Each payout: its amount, the net of the transactions it carried, its entry's amount
    and its bank deposit; `ok` when those that are known agree."""
    carried = dict(
        StripeBalanceTransaction.objects.exclude(payout_id="")
        .exclude(type__in=PAYOUT_TYPES)
        .values("payout_id")
        .annotate(total=Sum("net"))
        .values_list("payout_id", "total")
    )
    entry_ids = [p.entry_id for p in StripePayout.objects.exclude(entry=None)]
    booked: dict[int, Decimal] = defaultdict(Decimal)
    for entry_id, amount in Posting.objects.filter(
        entry_id__in=entry_ids, account__role=AccountRole.BANK
    ).values_list("entry_id", "amount"):
        booked[entry_id] += Decimal(amount)
    rows = []
    for payout in StripePayout.objects.select_related("bank_line").order_by("arrival_date", "id"):
        rows.append(_payout_row(payout, carried, booked))
    return rows


def _payout_row(payout: StripePayout, carried: dict, booked: dict) -> dict:
    carried_total = _q(carried[payout.stripe_id]) if payout.stripe_id in carried else None
    entry_total = _q(booked[payout.entry_id]) if payout.entry_id in booked else None
    deposit = payout.bank_line.amount if payout.bank_line else None
    known = [v for v in (carried_total, entry_total) if v is not None]
    return {
        "stripe_id": payout.stripe_id, "currency": payout.currency, "amount": payout.amount,
        "arrival_date": payout.arrival_date, "status": payout.payout_status,
        "carried": carried_total, "entry_id": payout.entry_id, "entry_amount": entry_total,
        "bank_line_id": payout.bank_line_id, "deposit": deposit,
        "ok": all(v == payout.amount for v in known) and payout.entry_id is not None,
    }  # fmt: skip


def clearing_check() -> list[dict]:
    """Per settlement currency: the ledger's Stripe clearing balance against Stripe's own
    balance (the sum of every imported transaction's net). The difference must be zero."""
    stripe = dict(
        StripeBalanceTransaction.objects.values("currency")
        .annotate(total=Sum("net"))
        .values_list("currency", "total")
    )
    rows = []
    for bal in AccountBalance.objects.filter(
        account__role=AccountRole.STRIPE_CLEARING
    ).select_related("account"):
        ledger = _q(bal.balance)
        stripe_total = _q(stripe.get(bal.account.currency))
        rows.append({"account_code": bal.account.code, "currency": bal.account.currency,
                     "ledger": ledger, "stripe": stripe_total,
                     "difference": ledger - stripe_total})  # fmt: skip
    return rows


@dataclass
class Workbench:
    balance_transactions: list[StripeBalanceTransaction]
    payouts: list[StripePayout]
    payouts_without_deposit: list[StripePayout]
    bank_lines: list[BankStatementLine]
    # How many of each there are in all: the lists stop at `limit`, oldest first.
    counts: dict[str, int]


def workbench(*, limit: int = WORKBENCH_LIMIT) -> Workbench:
    """The unmatched items, oldest first, for the treasurer to match or explain, at most
    `limit` of each kind, with the count of each kind in all."""
    unmatched = {"status": MatchStatus.UNMATCHED}
    kinds = {
        "balance_transactions": StripeBalanceTransaction.objects.filter(**unmatched),
        "payouts": StripePayout.objects.filter(**unmatched),
        "payouts_without_deposit": StripePayout.objects.filter(bank_line=None,
                                                               payout_status="paid"),
        "bank_lines": BankStatementLine.objects.filter(**unmatched),
    }  # fmt: skip
    lists = {name: list(rows[:limit]) for name, rows in kinds.items()}
    counts = {
        name: len(lists[name]) if len(lists[name]) < limit else rows.count()
        for name, rows in kinds.items()
    }
    return Workbench(**lists, counts=counts)


def reconciliation_tables() -> list[Table]:
    once = stripe_booked_once()
    cols = ("stripe_id", "type", "net", "currency", "created", "entries")
    problems = [[r[c] if c != "entries" else ",".join(map(str, r[c])) for c in cols]
                for r in once.missing + once.duplicates]  # fmt: skip
    payout_cols = ("stripe_id", "currency", "amount", "arrival_date", "carried", "entry_id",
                   "entry_amount", "deposit", "ok")  # fmt: skip
    payouts = [[r[c] for c in payout_cols] for r in payout_totals()]
    clear_cols = ("account_code", "currency", "ledger", "stripe", "difference")
    clearing = [[r[c] for c in clear_cols] for r in clearing_check()]
    return [
        Table("Not booked exactly once", cols, problems),
        Table("Payouts", payout_cols, payouts),
        Table("Stripe clearing", clear_cols, clearing),
    ]
