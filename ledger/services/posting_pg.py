"""The PostgreSQL posting engine: one statement per entry.

`ledger_entry_post` (ledger/db/postgresql.py) does in one round trip what the Python engine
(`posting.py`) does in several: the replay check by key and payload hash, the entry and all
its postings inserted pending, the balance rows locked in account-id order and the flip to
posted, all under the same triggers. SQLite runs in process and keeps the Python engine.
"""

from __future__ import annotations

import json
from typing import Any

from django.db import IntegrityError, connection
from django.utils import timezone
from psycopg import Cursor

from ledger.errors import ledger_error
from ledger.models import EntryState, JournalEntry
from ledger.services.lines import Leg

_POST_SQL = (
    "SELECT o_id, o_replayed FROM ledger_entry_post(%s::text, %s::text, %s::text, %s::text,"
    " %s::date, %s::timestamptz, %s::timestamptz, %s::jsonb, %s::boolean, %s::text,"
    " %s::bigint, %s::bigint, %s::bigint[], %s::text[], %s::numeric[], %s::numeric[],"
    " %s::numeric[], %s::text[], %s::text[])"
)


def _array(values: Any) -> str:
    """A PostgreSQL array literal of numbers or currency codes (none needs quoting)."""
    return "{" + ",".join(map(str, values)) + "}"


def _call_prepared(params: list[Any]) -> tuple[int, bool]:
    """Run `_POST_SQL` as a server-side prepared statement: Django's cursors bind parameters
    client-side, so the server would parse and plan the call (with its arrays spelled out)
    on every post. Errors are Django's, as from its own cursors."""
    connection.validate_no_broken_transaction()
    connection.ensure_connection()
    with connection.wrap_database_errors, Cursor(connection.connection) as cursor:
        cursor.execute(_POST_SQL, params, prepare=True)
        return cursor.fetchone()


def insert_posted(legs: list[Leg], *, digest: str, **fields: Any) -> JournalEntry:
    """Insert the entry and its postings and post them in one statement (pending only, with
    `state="pending"`); the entry is built here, not read back. A key that is already taken
    (a concurrent caller won it) returns that entry, or is a Conflict."""
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
        [leg.dimension[0] if leg.dimension else "" for leg in legs],
        [str(leg.dimension[1]) if leg.dimension else "" for leg in legs],
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
