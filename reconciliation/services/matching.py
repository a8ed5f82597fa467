"""Tying imported provider and bank items to journal entries: the automatic rules, and the
treasurer's manual match, payout-to-deposit link and explanation (each audited).

Shapes: a balance transaction matches exactly one entry (the one whose source references
carry its id; a payout's transaction the entry of its payout); a payout matches its
`payout_paid` entry; several payouts may share one bank deposit; several bank lines may
match one entry (a gift paid in two transfers). Reversed entries and reversals do not count:
together they book nothing.
"""

from __future__ import annotations

import re
from collections import defaultdict
from datetime import timedelta
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from common.errors import ApplicationError, Conflict
from ledger.models import AccountRole, EntryKind, EntryState, JournalEntry, Posting
from payments.registry import get_provider
from reconciliation.models import (
    BankStatementLine,
    MatchMethod,
    MatchStatus,
    ProviderPayout,
    ProviderTransaction,
    ReconciliationAudit,
)

# What a provider's payout line means for the books ("paid" / "failed", see
# `PaymentProvider.statement_payout_types`): the entry kind that booked it.
PAYOUT_ENTRY_KINDS = {"paid": EntryKind.PAYOUT_PAID, "failed": EntryKind.PAYOUT_FAILED}
ITEM_MODELS = {
    "balance_transaction": ProviderTransaction,
    "payout": ProviderPayout,
    "bank_line": BankStatementLine,
}
DATE_WINDOW = timedelta(days=3)
Item = ProviderTransaction | ProviderPayout | BankStatementLine


def payout_entry_kind(line: ProviderTransaction) -> str | None:
    """The entry kind that books a statement line paying out (or bringing back) a payout;
    None for every other line."""
    meaning = get_provider(line.provider).statement_payout_types.get(line.type)
    return PAYOUT_ENTRY_KINDS.get(meaning) if meaning else None


def live_entries() -> QuerySet[JournalEntry]:
    """Posted entries that still book something: neither a reversal nor reversed."""
    return (
        JournalEntry.objects.filter(state=EntryState.POSTED)
        .exclude(kind=EntryKind.REVERSAL)
        .filter(reversed_by__isnull=True)
    )


def entries_by_ref(key: str, values: list[str], kind: str | None = None) -> dict[str, list[int]]:
    """{reference value: [live entry ids]} for entries whose source_refs[key] is one of them."""
    found: dict[str, list[int]] = defaultdict(list)
    if not values:
        return found
    entries = live_entries().filter(**{f"source_refs__{key}__in": values})
    if kind:
        entries = entries.filter(kind=kind)
    for pk, value in entries.values_list("id", f"source_refs__{key}").order_by("id"):
        found[str(value)].append(pk)
    return found


def _set_match(item: Item, entry_id: int | None, method: str) -> None:
    item.status, item.entry_id, item.method = MatchStatus.MATCHED, entry_id, method
    item.resolved_at = timezone.now()
    item.save(update_fields=["status", "entry", "method", "resolved_at"])


def booked_entries(lines: list[ProviderTransaction]) -> dict[int, list[int]]:
    """{line pk: the live entries that book it}: a payout line's entry carries its payout's
    id, every other line's entry carries the line's own id."""
    by_bt = entries_by_ref("balance_transaction_id", [line.provider_id for line in lines])
    by_payout = {
        kind: entries_by_ref("payout_id", [line.source_id for line in lines], kind)
        for kind in set(PAYOUT_ENTRY_KINDS.values())
    }
    found = {}
    for line in lines:
        kind = payout_entry_kind(line)
        if kind:
            found[line.pk] = by_payout[kind].get(line.source_id, [])
        else:
            found[line.pk] = by_bt.get(line.provider_id, [])
    return found


def _match_balance_transactions() -> int:
    unmatched = list(ProviderTransaction.objects.filter(status=MatchStatus.UNMATCHED))
    booked = booked_entries(unmatched)
    taken = set(ProviderTransaction.objects.exclude(entry=None).values_list("entry_id", flat=True))
    matched = 0
    for bt in unmatched:
        candidates = booked[bt.pk]
        if len(candidates) == 1 and candidates[0] not in taken:
            _set_match(bt, candidates[0], MatchMethod.AUTO)
            taken.add(candidates[0])
            matched += 1
    return matched


def _match_payouts() -> int:
    unmatched = list(ProviderPayout.objects.filter(status=MatchStatus.UNMATCHED))
    ids = [p.provider_id for p in unmatched]
    by_payout = entries_by_ref("payout_id", ids, EntryKind.PAYOUT_PAID)
    matched = 0
    for payout in unmatched:
        candidates = by_payout.get(payout.provider_id, [])
        if len(candidates) == 1:
            _set_match(payout, candidates[0], MatchMethod.AUTO)
            matched += 1
    return matched


def _in_window(line: BankStatementLine, day: Any) -> bool:
    return day - timedelta(days=1) <= line.date <= day + DATE_WINDOW


def _names(line: BankStatementLine, payout_id: str) -> bool:
    """The line's text carries the payout's id as a whole word (po_1 is not in po_12)."""
    return (
        re.search(
            rf"(?<![\w]){re.escape(payout_id)}(?![\w])", f"{line.reference} {line.description}"
        )
        is not None
    )


def _link(payouts: list[ProviderPayout], line: BankStatementLine, method: str) -> None:
    for payout in payouts:
        payout.bank_line = line
        payout.save(update_fields=["bank_line"])
    entry_ids = {p.entry_id for p in payouts}
    _set_match(line, entry_ids.pop() if len(entry_ids) == 1 else None, method)


def _link_payouts_to_lines() -> int:
    payouts = list(ProviderPayout.objects.filter(bank_line=None).exclude(payout_status="failed"))
    lines = list(BankStatementLine.objects.filter(status=MatchStatus.UNMATCHED))
    linked = 0
    for payout in payouts:
        named = [ln for ln in lines if _names(ln, payout.provider_id)]
        same = [ln for ln in lines if ln.currency == payout.currency
                and ln.amount == payout.amount and _in_window(ln, payout.arrival_date)]  # fmt: skip
        pick = named if len(named) == 1 else same if len(same) == 1 else []
        if pick:
            _link([payout], pick[0], MatchMethod.AUTO)
            lines.remove(pick[0])
            linked += 1
    return linked + _link_payout_groups(lines)


def _link_payout_groups(lines: list[BankStatementLine]) -> int:
    """Several payouts arriving the same day, credited by the bank as one deposit."""
    groups: dict[tuple, list[ProviderPayout]] = defaultdict(list)
    for payout in ProviderPayout.objects.filter(bank_line=None).exclude(payout_status="failed"):
        groups[(payout.currency, payout.arrival_date)].append(payout)
    linked = 0
    for (currency, day), payouts in groups.items():
        total = sum((p.amount for p in payouts), Decimal(0))
        same = [ln for ln in lines if ln.currency == currency and ln.amount == total
                and _in_window(ln, day)]  # fmt: skip
        if len(payouts) > 1 and len(same) == 1:
            _link(payouts, same[0], MatchMethod.AUTO)
            lines.remove(same[0])
            linked += len(payouts)
    return linked


def _bank_postings(entry_ids: list[int]) -> dict[int, Decimal]:
    rows = Posting.objects.filter(entry_id__in=entry_ids, account__role=AccountRole.BANK)
    totals: dict[int, Decimal] = defaultdict(Decimal)
    for entry_id, amount in rows.values_list("entry_id", "amount"):
        totals[entry_id] += Decimal(amount)
    return totals


def _match_lines_by_reference() -> int:
    """Bank lines whose reference names an entry (an offline gift, a disbursement paid);
    several lines with one reference match one entry when they add up to its bank posting."""
    lines = BankStatementLine.objects.filter(status=MatchStatus.UNMATCHED).exclude(reference="")
    by_ref: dict[str, list[BankStatementLine]] = defaultdict(list)
    for line in lines:
        by_ref[line.reference].append(line)
    refs = list(by_ref)
    candidates = {**entries_by_ref("disbursement_ref", refs), **entries_by_ref("reference", refs)}
    amounts = _bank_postings([ids[0] for ids in candidates.values() if len(ids) == 1])
    matched = 0
    for ref, group in by_ref.items():
        ids = candidates.get(ref, [])
        if len(ids) == 1 and sum(ln.amount for ln in group) == amounts.get(ids[0]):
            for line in group:
                _set_match(line, ids[0], MatchMethod.AUTO)
            matched += len(group)
    return matched


def _match_lines_by_amount() -> int:
    """One bank line, one live entry moving exactly that amount through a bank account of
    the line's currency within the date window, neither matched elsewhere."""
    taken = set(BankStatementLine.objects.exclude(entry=None).values_list("entry_id", flat=True))
    matched = 0
    for line in BankStatementLine.objects.filter(status=MatchStatus.UNMATCHED):
        postings = Posting.objects.filter(
            account__role=AccountRole.BANK, amount_currency=line.currency, amount=line.amount,
            entry__in=live_entries(), entry__effective_date__gte=line.date - DATE_WINDOW,
            entry__effective_date__lte=line.date + DATE_WINDOW,
        ).exclude(entry_id__in=taken)  # fmt: skip
        if line.bank_account_id:
            postings = postings.filter(account_id=line.bank_account_id)
        ids = list(postings.values_list("entry_id", flat=True).distinct()[:2])
        if len(ids) == 1:
            _set_match(line, ids[0], MatchMethod.AUTO)
            taken.add(ids[0])
            matched += 1
    return matched


def reconciliation_auto_match() -> dict[str, int]:
    """Match every unmatched item the rules can decide; ambiguous ones stay for the
    workbench. Safe to run again: matched and explained items are never touched."""
    with transaction.atomic():
        return {
            "balance_transactions": _match_balance_transactions(),
            "payouts": _match_payouts(),
            "payouts_to_bank": _link_payouts_to_lines(),
            "bank_lines": _match_lines_by_reference() + _match_lines_by_amount(),
        }


def item_get(item_type: str, pk: int) -> Item:
    model = ITEM_MODELS.get(item_type)
    if model is None:
        raise ApplicationError(f"Unknown item type {item_type}.", code="invalid")
    return model.objects.get(pk=pk)


def _item_type(item: Item) -> str:
    return next(name for name, model in ITEM_MODELS.items() if isinstance(item, model))


def _locked(item: Item) -> Item:
    return type(item).objects.select_for_update().get(pk=item.pk)


def _audit(
    item: Item, action: str, *, actor: Any, comment: str, entry: JournalEntry | None,
    from_state: str,
) -> None:  # fmt: skip
    ReconciliationAudit.objects.create(
        item_type=_item_type(item), item_id=item.pk, action=action, entry=entry,
        from_state=from_state, to_state=item.status, comment=comment, actor=actor,
    )  # fmt: skip


def reconciliation_match(*, item: Item, entry: JournalEntry, actor: Any, reason: str = "") -> Item:
    """Match an item to a live entry by hand. A balance transaction matches one entry that
    no other transaction holds; bank lines may share an entry (many-to-one)."""
    with transaction.atomic(durable=True):
        item = _locked(item)
        if item.status != MatchStatus.UNMATCHED:
            raise Conflict(f"This item is already {item.status}.", code="invalid_state")
        if not live_entries().filter(pk=entry.pk).exists():
            raise ApplicationError("Match to a posted entry that is not reversed.", code="invalid")
        one_to_one = isinstance(item, ProviderTransaction | ProviderPayout)
        if one_to_one and type(item).objects.filter(entry=entry).exclude(pk=item.pk).exists():
            raise Conflict(f"Entry #{entry.pk} is matched to another item.", code="taken")
        _set_match(item, entry.pk, MatchMethod.MANUAL)
        type(item).objects.filter(pk=item.pk).update(resolved_by=actor)
        _audit(item, ReconciliationAudit.Action.MATCH, actor=actor, comment=reason, entry=entry,
               from_state=MatchStatus.UNMATCHED)  # fmt: skip
        return item


def reconciliation_link_payouts(
    *, bank_line: BankStatementLine, payouts: list[ProviderPayout], actor: Any
) -> BankStatementLine:
    """Say that these payouts arrived as this one deposit (their total must equal it)."""
    with transaction.atomic(durable=True):
        line = _locked(bank_line)
        locked = list(ProviderPayout.objects.select_for_update().filter(
            pk__in=[p.pk for p in payouts]).order_by("pk"))  # fmt: skip
        if line.status != MatchStatus.UNMATCHED or any(p.bank_line_id for p in locked):
            raise Conflict("The line or a payout is already matched.", code="invalid_state")
        total = sum((p.amount for p in locked), Decimal(0))
        if not locked or total != line.amount or {p.currency for p in locked} != {line.currency}:
            raise ApplicationError(
                f"The payouts total {total}, the deposit is {line.amount} {line.currency}.",
                code="amount_mismatch",
            )
        _link(locked, line, MatchMethod.MANUAL)
        BankStatementLine.objects.filter(pk=line.pk).update(resolved_by=actor)
        reason = "payouts " + ", ".join(p.provider_id for p in locked)
        _audit(line, ReconciliationAudit.Action.MATCH, actor=actor, comment=reason, entry=None,
               from_state=MatchStatus.UNMATCHED)  # fmt: skip
        return line


def reconciliation_explain(*, item: Item, reason: str, actor: Any) -> Item:
    """Close an unmatched item with the treasurer's reason (a provider's fee, a bank charge...)."""
    if not reason or not reason.strip():
        raise ApplicationError("Say why this item needs no entry.", code="reason_required")
    with transaction.atomic(durable=True):
        item = _locked(item)
        if item.status != MatchStatus.UNMATCHED:
            raise Conflict(f"This item is already {item.status}.", code="invalid_state")
        item.status, item.explanation, item.method = MatchStatus.EXPLAINED, reason.strip(), "manual"
        item.resolved_by, item.resolved_at = actor, timezone.now()
        item.save(update_fields=["status", "explanation", "method", "resolved_by", "resolved_at"])
        _audit(item, ReconciliationAudit.Action.EXPLAIN, actor=actor, comment=reason.strip(),
               entry=None, from_state=MatchStatus.UNMATCHED)  # fmt: skip
        return item


def reconciliation_unmatch(*, item: Item, reason: str, actor: Any) -> Item:
    """Undo a match or an explanation (the audit keeps both)."""
    if not reason or not reason.strip():
        raise ApplicationError("Say why the match is undone.", code="reason_required")
    with transaction.atomic(durable=True):
        item = _locked(item)
        previous, was = item.entry, item.status
        if isinstance(item, BankStatementLine):
            ProviderPayout.objects.filter(bank_line=item).update(bank_line=None)
        item.status, item.entry, item.method, item.explanation = "unmatched", None, "", ""
        item.resolved_by, item.resolved_at = None, None
        item.save(update_fields=["status", "entry", "method", "explanation", "resolved_by",
                                 "resolved_at"])  # fmt: skip
        _audit(item, ReconciliationAudit.Action.UNMATCH, actor=actor, comment=reason.strip(),
               entry=previous, from_state=was)  # fmt: skip
        return item
