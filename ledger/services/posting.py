"""The posting core: every journal entry goes through `entry_post`.

An entry is inserted `pending`, its postings are added, then it is flipped to `posted`; the
database checks the flip (see `ledger/db/`) and moves the cached balances. Before the flip the
balance rows of every account touched are locked in account-id order, so two transactions
posting to the same accounts queue instead of deadlocking.

Idempotency: the key is unique in the database. A second call with the same key and the same
content (SHA-256 of the payload) returns the first entry; with other content it is a
`Conflict`.

On PostgreSQL all of that is one statement, `ledger_entry_post` (ledger/db/postgresql.py):
replay check, entry, postings, locks and flip in one round trip, under the same triggers.
SQLite runs in process, so it keeps the statements below (no round trips to save).
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_EVEN, Decimal
from typing import Any, NamedTuple

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from moneyed import Money

from common.errors import ApplicationError, Conflict
from common.money import decimals
from ledger.errors import ledger_error
from ledger.models import (
    RATE_PLACES,
    Account,
    AccountBalance,
    AccountRole,
    EntryKind,
    EntryState,
    JournalEntry,
    Posting,
)

ONE = Decimal(1)


@dataclass(frozen=True)
class PostingLine:
    """One leg of an entry. `amount` is signed (debit positive) in the account's currency.

    `rate` is book-currency units per unit of `amount` (1 for the book currency, required
    otherwise) unless `amount_book` is given: then that is the book value and the rate is
    derived. `amount_book` with a zero `amount` is a book-only adjustment (revaluation,
    rounding).
    """

    account: Account
    amount: Money
    rate: Decimal | None = None
    amount_book: Decimal | None = None


def debit(account: Account, amount: Money, **kwargs: Any) -> PostingLine:
    return PostingLine(account, amount, **kwargs)


def credit(account: Account, amount: Money, **kwargs: Any) -> PostingLine:
    book = kwargs.pop("amount_book", None)
    return PostingLine(account, -amount, amount_book=None if book is None else -book, **kwargs)


def book_currency() -> str:
    return settings.BOOK_CURRENCY


def quantize(amount: Decimal, currency: str) -> Decimal:
    """Round to the currency's ISO minor unit (banker's rounding)."""
    return Decimal(amount).quantize(Decimal(1).scaleb(-decimals(currency)), ROUND_HALF_EVEN)


def _json_default(value: Any) -> str:
    if isinstance(value, Money):
        return f"{value.amount.normalize():f} {value.currency.code}"
    if isinstance(value, Decimal):
        return f"{value.normalize():f}"
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Account):
        return value.code
    raise TypeError(f"Cannot hash {type(value).__name__}")


def payload_hash(payload: dict[str, Any]) -> str:
    """SHA-256 of the canonical JSON of a payload (Money, Decimal and dates as text)."""
    text = json.dumps(payload, sort_keys=True, default=_json_default, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


def _book_amount(line: PostingLine) -> tuple[Decimal, Decimal]:
    """(book amount, rate) of a line."""
    book = book_currency()
    amount = line.amount.amount
    if line.amount_book is not None:
        value = quantize(line.amount_book, book)
        rate = abs(value / amount) if amount and value else (line.rate or ONE)
        return value, rate.quantize(Decimal(1).scaleb(-RATE_PLACES))
    if line.amount.currency.code == book:
        return amount, ONE
    if line.rate is None or line.rate <= 0:
        raise ApplicationError(
            f"A {line.amount.currency.code} posting needs its rate to {book}.", code="rate"
        )
    return quantize(amount * line.rate, book), line.rate.quantize(Decimal(1).scaleb(-RATE_PLACES))


def _rounding_account() -> Account:
    from ledger.services.chart import role_account

    return role_account(role=AccountRole.ROUNDING)


def _check_line(line: PostingLine) -> None:
    currency = line.amount.currency.code
    if currency != line.account.currency:
        raise ApplicationError(
            f"{line.account.code} is in {line.account.currency}, not {currency}.",
            code="currency_mismatch",
        )
    if quantize(line.amount.amount, currency) != line.amount.amount:
        raise ApplicationError(
            f"{line.amount} has more decimals than {currency} allows.", code="precision"
        )
    book_only = line.amount_book is not None and line.amount_book != 0
    if line.amount.amount == 0 and not book_only:
        raise ApplicationError("A posting may not be zero.", code="zero_amount")


class Leg(NamedTuple):
    """A checked, valued leg: what a Posting row holds, without a model instance (the
    PostgreSQL path sends these straight to the database)."""

    account: Account
    amount: Money
    amount_book: Decimal
    rate: Decimal


def value_lines(lines: list[PostingLine]) -> list[Leg]:
    """Check the lines balance per currency, value them in the book currency, and send a
    book-currency rounding difference (at most one minor unit per foreign line) to the
    rounding account."""
    if len(lines) < 2:
        raise ApplicationError("An entry needs at least two postings.", code="too_few_postings")
    per_currency: dict[str, Decimal] = defaultdict(Decimal)
    legs = []
    for line in lines:
        _check_line(line)
        per_currency[line.amount.currency.code] += line.amount.amount
        legs.append(Leg(line.account, line.amount, *_book_amount(line)))
    unbalanced = {code: total for code, total in per_currency.items() if total}
    if unbalanced:
        raise ApplicationError(f"The entry does not balance: {unbalanced}.", code="unbalanced")
    difference = sum((leg.amount_book for leg in legs), Decimal(0))
    if difference:
        foreign = sum(1 for leg in legs if leg.amount.currency.code != book_currency())
        unit = Decimal(1).scaleb(-decimals(book_currency()))
        if abs(difference) > unit * max(foreign, 1):
            raise ApplicationError(
                f"The entry is out of balance by {difference} {book_currency()}.",
                code="unbalanced",
            )
        legs.append(Leg(_rounding_account(), Money(0, book_currency()), -difference, ONE))
    return legs


def build_postings(lines: list[PostingLine]) -> list[Posting]:
    """`value_lines` as unsaved Posting rows."""
    return [
        Posting(account=leg.account, amount=leg.amount, amount_book=leg.amount_book, rate=leg.rate)
        for leg in value_lines(lines)
    ]


def _lock_balances(account_ids: set[int]) -> None:
    """Lock the balance rows in account-id order (no-op on SQLite, which has one writer)."""
    list(
        AccountBalance.objects.select_for_update()
        .filter(account_id__in=sorted(account_ids))
        .order_by("account_id")
        .values_list("account_id", flat=True)
    )


def _existing(idempotency_key: str, digest: str) -> JournalEntry | None:
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


def _default_payload(
    kind: str, memo: str, effective_date: date, lines: list[PostingLine], refs: dict[str, Any]
) -> dict[str, Any]:
    return {
        "kind": kind, "memo": memo, "effective_date": effective_date, "refs": refs,
        "lines": [(ln.account, ln.amount, ln.rate, ln.amount_book) for ln in lines],
    }  # fmt: skip


def once(key: str, digest: str, durable: bool, record: Any) -> JournalEntry:
    """Run `record()` in a transaction unless `key` was used already (then return that entry,
    or raise Conflict when its content differs). A concurrent caller that wins the key makes
    our insert fail on the unique constraint: answered the same way, after the rollback."""
    try:
        with transaction.atomic(durable=durable):
            found = _existing(key, digest)
            return found if found is not None else record()
    except IntegrityError:
        found = _existing(key, digest)
        if found is None:
            raise
        return found


def _check_state(state: str) -> None:
    if state not in (EntryState.POSTED, EntryState.PENDING):
        raise ApplicationError("An entry is recorded posted or pending.", code="invalid_state")


_POST_SQL = (
    "SELECT o_id, o_replayed FROM ledger_entry_post(%s::text, %s::text, %s::text, %s::text,"
    " %s::date, %s::timestamptz, %s::timestamptz, %s::jsonb, %s::boolean, %s::text,"
    " %s::bigint, %s::bigint, %s::bigint[], %s::text[], %s::numeric[], %s::numeric[],"
    " %s::numeric[])"
)


def _array(values: Any) -> str:
    """A PostgreSQL array literal of numbers or currency codes (none needs quoting)."""
    return "{" + ",".join(map(str, values)) + "}"


def _call_prepared(params: list[Any]) -> tuple[int, bool]:
    """Run `_POST_SQL` as a server-side prepared statement: Django's cursors bind parameters
    client-side, so the server would parse and plan the call (with its arrays spelled out)
    on every post. Errors are Django's, as from its own cursors."""
    from psycopg import Cursor

    connection.validate_no_broken_transaction()
    connection.ensure_connection()
    with connection.wrap_database_errors, Cursor(connection.connection) as cursor:
        cursor.execute(_POST_SQL, params, prepare=True)
        return cursor.fetchone()


def _insert_at_once(legs: list[Leg], *, digest: str, **fields: Any) -> JournalEntry:
    """PostgreSQL: insert the entry and its postings and post them in one statement (see
    `ledger_entry_post`); the entry is built here, not read back. A key that is already
    taken (a concurrent caller won it) returns that entry, or is a Conflict."""
    now = timezone.now()
    posted_at = now if fields["state"] == EntryState.POSTED else None
    recorded_by, reverses = fields["recorded_by"], fields["reverses"]
    params = [
        fields["idempotency_key"], digest, fields["kind"], fields["memo"],
        fields["effective_date"], now, posted_at, json.dumps(fields["source_refs"]),
        fields["allow_negative"], fields["reason"], getattr(recorded_by, "pk", recorded_by),
        getattr(reverses, "pk", reverses), _array(leg.account.pk for leg in legs),
        _array(leg.amount.currency.code for leg in legs),
        _array(leg.amount.amount for leg in legs), _array(leg.amount_book for leg in legs),
        _array(leg.rate for leg in legs),
    ]  # fmt: skip
    try:
        entry_id, replayed = _call_prepared(params)
    except IntegrityError as error:
        raise (ledger_error(error) or error) from error
    if replayed:
        return JournalEntry.objects.get(pk=entry_id)
    entry = JournalEntry(id=entry_id, payload_hash=digest, recorded_at=now, posted_at=posted_at,
                         **fields)  # fmt: skip
    entry._state.adding, entry._state.db = False, connection.alias
    return entry


def _post_at_once(fields: dict[str, Any], digest: str, durable: bool) -> JournalEntry:
    """`entry_post` on PostgreSQL. Outside any transaction the one statement is its own
    transaction (as durable as `atomic(durable=True)`, without BEGIN and COMMIT round
    trips); inside a caller's it runs in a savepoint, and `durable` refuses that as before."""
    key = fields["idempotency_key"]
    try:
        _check_state(fields["state"])
        legs = value_lines(fields["lines"])
    except ApplicationError:
        found = _existing(key, digest)  # a replay is answered before its lines are judged
        if found is None:
            raise
        return found
    header = {k: v for k, v in fields.items() if k not in ("lines", "payload")}
    if not connection.in_atomic_block:
        return _insert_at_once(legs, digest=digest, **header)
    with transaction.atomic(durable=durable):
        return _insert_at_once(legs, digest=digest, **header)


def record(
    *,
    idempotency_key: str,
    kind: str,
    memo: str,
    effective_date: date,
    lines: list[PostingLine],
    source_refs: dict[str, Any],
    payload: dict[str, Any],
    allow_negative: bool = False,
    state: str = EntryState.POSTED,
    reason: str = "",
    recorded_by: Any = None,
    reverses: JournalEntry | None = None,
) -> JournalEntry:
    """Insert the entry pending with its postings, then post it (unless `state="pending"`).
    For callers already inside `once()` (the posting rules); everyone else: `entry_post`."""
    _check_state(state)
    if connection.vendor == "postgresql":
        return _insert_at_once(
            value_lines(lines), idempotency_key=idempotency_key, digest=payload_hash(payload),
            kind=kind, memo=memo, effective_date=effective_date, source_refs=source_refs,
            allow_negative=allow_negative, state=state, reason=reason,
            recorded_by=recorded_by, reverses=reverses,
        )  # fmt: skip
    postings = build_postings(lines)
    entry = JournalEntry.objects.create(
        idempotency_key=idempotency_key, payload_hash=payload_hash(payload), kind=kind,
        memo=memo, effective_date=effective_date, source_refs=source_refs,
        allow_negative=allow_negative, reason=reason, recorded_by=recorded_by, reverses=reverses,
    )  # fmt: skip
    for posting in postings:
        posting.entry = entry
    try:
        Posting.objects.bulk_create(postings)
    except IntegrityError as error:
        raise (ledger_error(error) or error) from error
    if state == EntryState.POSTED:
        _flip_to_posted(entry, {p.account_id for p in postings})
    return entry


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
    pass their inputs) or else the kind, memo, date, lines and source references.
    `durable=False` lets a caller run it inside its own transaction (see `rules.py`).
    """
    if payload is None:
        payload = _default_payload(kind, memo, effective_date, lines, source_refs)
    fields = dict(
        idempotency_key=idempotency_key, kind=kind, memo=memo, effective_date=effective_date,
        lines=lines, source_refs=source_refs, payload=payload, allow_negative=allow_negative,
        state=state, reason=reason, recorded_by=recorded_by, reverses=reverses,
    )  # fmt: skip
    digest = payload_hash(payload)
    if connection.vendor == "postgresql":
        return _post_at_once(fields, digest, durable)
    return once(idempotency_key, digest, durable, lambda: record(**fields))


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
        PostingLine(p.account, -p.amount, amount_book=-p.amount_book)
        for p in entry.postings.select_related("account").order_by("id")
    ]
    return entry_post(
        idempotency_key=f"reversal:{entry.pk}", kind=EntryKind.REVERSAL,
        memo=f"Reversal of #{entry.pk}: {reason}", effective_date=effective_date, lines=lines,
        source_refs={"reverses": entry.pk, **entry.source_refs}, reason=reason,
        recorded_by=recorded_by, reverses=entry, allow_negative=allow_negative,
        payload={"reverses": entry.pk, "reason": reason, "date": effective_date},
        durable=durable,
    )  # fmt: skip
