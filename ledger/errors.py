"""Turn the database's refusal of a ledger invariant into the application's error type."""

from __future__ import annotations

from django.db import IntegrityError

from common.errors import ApplicationError, Conflict

# The trigger messages (ledger/db/) and what the API should answer for each.
_CODES = {
    # First: the key itself is in this message and could contain any word below.
    "was used for different content": ("idempotency_conflict", Conflict),
    "would go negative": ("insufficient_funds", Conflict),
    "period is closed": ("period_closed", Conflict),
    "does not balance": ("unbalanced", ApplicationError),
    "at least two postings": ("too_few_postings", ApplicationError),
    "immutable": ("immutable", Conflict),
    "cannot be deleted": ("immutable", Conflict),
    "may not be zero": ("zero_amount", ApplicationError),
    "currency": ("currency_mismatch", ApplicationError),
}


def ledger_error(error: IntegrityError) -> ApplicationError | None:
    """The application error for a trigger's refusal, or None when it is another failure."""
    text = str(error)
    if "ledger:" not in text:
        return None
    message = text[text.index("ledger:") + len("ledger:") :].split("\n")[0].strip()
    message = message[:1].upper() + message[1:] + "."
    for needle, (code, kind) in _CODES.items():
        if needle in text:
            return kind(message, code=code)
    return ApplicationError(message, code="ledger_invariant")
