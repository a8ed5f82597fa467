"""The posting core: every journal entry goes through `entry_post` (or, for the posting
rules, `record` inside `once`).

An entry is inserted `pending`, its postings are added, then it is flipped to `posted`; the
database checks the flip (see `ledger/db/`) and moves the cached balances. Before the flip the
balance rows of every account touched are locked in account-id order, so two transactions
posting to the same accounts queue instead of deadlocking.

Idempotency: the key is unique in the database. A second call with the same key and the same
content (SHA-256 of the payload) returns the first entry; with other content it is a
`Conflict`.

Two engines share the lines (`lines.py`): on PostgreSQL all of that is one statement
(`posting_pg.py`); SQLite runs in process, so it keeps the statements below (no round trips
to save).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from common.errors import ApplicationError, Conflict
from ledger.errors import ledger_error
from ledger.models import AccountBalance, EntryKind, EntryState, JournalEntry, Posting
from ledger.services import posting_pg
from ledger.services.lines import (
    PostingLine,
    credit,
    debit,
    payload_hash,
    posting_rows,
    value_lines,
)

__all__ = [
    "PostingLine", "credit", "debit", "entry_create_pending", "entry_post", "entry_post_pending",
    "entry_reverse", "entry_void", "once", "record",
]  # fmt: skip


def _lock_balances(account_ids: set[int]) -> None:
    """Lock the balance rows in account-id order (no-op on SQLite, which has one writer)."""
    list(
        AccountBalance.objects.select_for_update()
        .filter(account_id__in=sorted(account_ids))
        .order_by("account_id")
        .values_list("account_id", flat=True)
    )


def existing_entry(idempotency_key: str, digest: str) -> JournalEntry | None:
    """The entry already made with this key, or None; a Conflict when its content differs."""
    entry = JournalEntry.objects.filter(idempotency_key=idempotency_key).first()
    if entry is not None and entry.payload_hash != digest:
        raise Conflict(
            f"Idempotency key {idempotency_key} was used for different content.",
            code="idempotency_conflict",
        )
    return entry


def _flip_to_posted(entry: JournalEntry, account_ids: set[int], **changes: Any) -> None:
    """The database checks the flip and moves the balances; a refusal becomes an
    ApplicationError (the caller's atomic block, or savepoint, rolls back)."""
    _lock_balances(account_ids)
    now = timezone.now()
    try:
        JournalEntry.objects.filter(pk=entry.pk).update(
            state=EntryState.POSTED, posted_at=now, **changes
        )
    except IntegrityError as error:
        raise (ledger_error(error) or error) from error
    entry.state, entry.posted_at = EntryState.POSTED, now
    for field, value in changes.items():
        setattr(entry, field, value)


def once(key: str, digest: str, durable: bool, make: Callable[[], JournalEntry]) -> JournalEntry:
    """Run `make()` in a transaction unless `key` was used already (then return that entry,
    or raise Conflict when its content differs). A concurrent caller that wins the key makes
    our insert fail on the unique constraint: answered the same way, after the rollback."""
    try:
        with transaction.atomic(durable=durable):
            found = existing_entry(key, digest)
            return found if found is not None else make()
    except IntegrityError:
        found = existing_entry(key, digest)
        if found is None:
            raise
        return found


def _check_state(state: str) -> None:
    if state not in (EntryState.POSTED, EntryState.PENDING):
        raise ApplicationError("An entry is recorded posted or pending.", code="invalid_state")


def record(
    *,
    idempotency_key: str,
    digest: str,
    kind: str,
    memo: str,
    effective_date: date,
    lines: list[PostingLine],
    source_refs: dict[str, Any],
    allow_negative: bool = False,
    state: str = EntryState.POSTED,
    reason: str = "",
    recorded_by: Any = None,
    reverses: JournalEntry | None = None,
) -> JournalEntry:
    """Insert the entry pending with its postings, then post it (unless `state="pending"`).
    For callers already inside `once()` (the posting rules); everyone else: `entry_post`."""
    _check_state(state)
    legs = value_lines(lines)
    fields = dict(
        idempotency_key=idempotency_key, kind=kind, memo=memo, effective_date=effective_date,
        source_refs=source_refs, allow_negative=allow_negative, reason=reason,
        recorded_by=recorded_by, reverses=reverses,
    )  # fmt: skip
    if connection.vendor == "postgresql":
        return posting_pg.insert_posted(legs, digest=digest, state=state, **fields)
    entry = JournalEntry.objects.create(payload_hash=digest, **fields)
    postings = posting_rows(legs)
    for posting in postings:
        posting.entry = entry
    try:
        Posting.objects.bulk_create(postings)
    except IntegrityError as error:
        raise (ledger_error(error) or error) from error
    if state == EntryState.POSTED:
        _flip_to_posted(entry, {p.account_id for p in postings})
    return entry


def _default_payload(
    kind: str, memo: str, effective_date: date, lines: list[PostingLine], refs: dict[str, Any]
) -> dict[str, Any]:
    return {
        "kind": kind, "memo": memo, "effective_date": effective_date, "refs": refs,
        "lines": [(ln.account, ln.amount, ln.rate, ln.amount_book) for ln in lines],
    }  # fmt: skip


def entry_post(
    *,
    idempotency_key: str,
    kind: str,
    memo: str,
    effective_date: date,
    lines: list[PostingLine],
    source_refs: dict[str, Any],
    allow_negative: bool = False,
    state: str = EntryState.POSTED,
    reason: str = "",
    recorded_by: Any = None,
    reverses: JournalEntry | None = None,
    payload: dict[str, Any] | None = None,
    durable: bool = True,
) -> JournalEntry:
    """Post (or, with `state="pending"`, record without moving balances) one journal entry.

    Idempotent on `idempotency_key`: the content compared is `payload` when given (the rules
    pass their inputs) or else the kind, memo, date, lines and source references. A replay
    is answered before its lines are judged. `durable=False` lets a caller run it inside its
    own transaction, in a savepoint.
    """
    if payload is None:
        payload = _default_payload(kind, memo, effective_date, lines, source_refs)
    digest = payload_hash(payload)

    def make() -> JournalEntry:
        return record(
            idempotency_key=idempotency_key, digest=digest, kind=kind, memo=memo,
            effective_date=effective_date, lines=lines, source_refs=source_refs,
            allow_negative=allow_negative, state=state, reason=reason,
            recorded_by=recorded_by, reverses=reverses,
        )  # fmt: skip

    if connection.vendor == "postgresql":
        return _post_in_one_statement(make, idempotency_key, digest, durable)
    return once(idempotency_key, digest, durable, make)


def _post_in_one_statement(
    make: Callable[[], JournalEntry], key: str, digest: str, durable: bool
) -> JournalEntry:
    """PostgreSQL: the database function answers a replay itself, so no lookup comes first.
    Outside any transaction the one statement is its own (as durable as
    `atomic(durable=True)`, without BEGIN and COMMIT round trips); inside a caller's it runs
    in a savepoint, and `durable` refuses that as everywhere. Lines that would be refused
    still return the first entry of a replay."""
    try:
        if not connection.in_atomic_block:
            return make()
        with transaction.atomic(durable=durable):
            return make()
    except ApplicationError:
        found = existing_entry(key, digest)
        if found is None:
            raise
        return found


def entry_create_pending(**kwargs: Any) -> JournalEntry:
    """Record an entry as pending: kept, not in any balance, until posted or voided."""
    return entry_post(**kwargs, state=EntryState.PENDING)


def _locked_entry(entry: JournalEntry) -> JournalEntry:
    return JournalEntry.objects.select_for_update().get(pk=entry.pk)


def entry_post_pending(
    *, entry: JournalEntry, effective_date: date | None = None, durable: bool = True
) -> JournalEntry:
    """Post a pending entry (e.g. an approved disbursement when it is paid). Posting it again
    is a no-op; a void one cannot be posted."""
    with transaction.atomic(durable=durable):
        entry = _locked_entry(entry)
        if entry.state == EntryState.POSTED:
            return entry
        if entry.state != EntryState.PENDING:
            raise Conflict(f"Entry {entry.pk} is {entry.state}.", code="invalid_state")
        account_ids = set(entry.postings.values_list("account_id", flat=True))
        changes = {"effective_date": effective_date} if effective_date else {}
        _flip_to_posted(entry, account_ids, **changes)
        return entry


def entry_void(*, entry: JournalEntry, reason: str, durable: bool = True) -> JournalEntry:
    """Void a pending entry; it stays in the journal, in no balance. Idempotent."""
    if not reason.strip():
        raise ApplicationError("Say why the entry is voided.", code="reason_required")
    with transaction.atomic(durable=durable):
        entry = _locked_entry(entry)
        if entry.state == EntryState.VOID:
            return entry
        if entry.state != EntryState.PENDING:
            raise Conflict("Only a pending entry can be voided; reverse it.", code="invalid_state")
        JournalEntry.objects.filter(pk=entry.pk).update(state=EntryState.VOID, reason=reason)
        entry.state, entry.reason = EntryState.VOID, reason
        return entry


def entry_reverse(
    *,
    entry: JournalEntry,
    reason: str,
    effective_date: date,
    recorded_by: Any = None,
    allow_negative: bool = False,
    durable: bool = True,
) -> JournalEntry:
    """Post the mirror image of a posted entry (the only way to correct one).

    An entry is reversed at most once (a unique constraint on `reverses`); asking again with
    the same reason and date returns the first reversal.
    """
    if not reason.strip():
        raise ApplicationError("Say why the entry is reversed.", code="reason_required")
    if entry.state != EntryState.POSTED:
        raise Conflict("Only a posted entry can be reversed.", code="invalid_state")
    lines = [
        PostingLine(p.account, -p.amount, amount_book=-p.amount_book,
                    dimension=(p.dimension_key, p.dimension_value) if p.dimension_key else None)
        for p in entry.postings.select_related("account").order_by("id")
    ]  # fmt: skip
    return entry_post(
        idempotency_key=f"reversal:{entry.pk}", kind=EntryKind.REVERSAL,
        memo=f"Reversal of #{entry.pk}: {reason}", effective_date=effective_date, lines=lines,
        source_refs={"reverses": entry.pk, **entry.source_refs}, reason=reason,
        recorded_by=recorded_by, reverses=entry, allow_negative=allow_negative,
        payload={"reverses": entry.pk, "reason": reason, "date": effective_date},
        durable=durable,
    )  # fmt: skip
