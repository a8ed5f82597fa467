"""The treasurer's correction of a posted entry: its reversal, once."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction

from common.errors import ApplicationError, Conflict
from ledger.models import EntryState, JournalEntry
from ledger.services.posting import entry_reverse


def entry_reverse_once(
    *,
    entry: JournalEntry,
    reason: str,
    effective_date: date,
    recorded_by: Any,
    allow_negative: bool = False,
) -> JournalEntry:
    """Reverse a posted entry at the treasurer's request: the mirror entry, with the reason.

    Unlike `posting.entry_reverse` (which returns the first reversal to a replay of the same
    request), a second request for an entry already reversed is refused with a conflict
    that names the reversal, so the treasurer is never left thinking a new one was posted.
    """
    if not reason or not reason.strip():
        raise ApplicationError(
            "Say why the entry is reversed.", code="reason_required",
            fields={"reason": ["This field is required."]},
        )  # fmt: skip
    with transaction.atomic(durable=True):
        entry = JournalEntry.objects.select_for_update().get(pk=entry.pk)
        done = JournalEntry.objects.filter(reverses=entry).first()
        if done is not None:
            raise Conflict(
                f"Entry #{entry.pk} was already reversed by #{done.pk}.", code="already_reversed"
            )
        if entry.state != EntryState.POSTED:
            raise Conflict(
                f"Entry #{entry.pk} is {entry.state}; only a posted entry can be reversed.",
                code="invalid_state",
            )
        return entry_reverse(
            entry=entry, reason=reason, effective_date=effective_date,
            recorded_by=recorded_by, allow_negative=allow_negative, durable=False,
        )  # fmt: skip
