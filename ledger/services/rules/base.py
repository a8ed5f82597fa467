"""What the posting rules share: the one skeleton every rule runs (`post_rule`), money
checks, FX helpers, and what earlier refunds and lost disputes took back from a gift."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from moneyed import Money

from common.errors import ApplicationError
from common.money import decimals, quantize
from ledger.models import LATE_REF, Account, AccountRole, EntryKind, EntryState, JournalEntry
from ledger.services.chart import role_account
from ledger.services.lines import PostingLine, book_currency, credit, debit, payload_hash
from ledger.services.periods import first_open_day
from ledger.services.posting import once, record

ZERO = Decimal(0)


@dataclass
class Built:
    """What a rule's `build()` returns: its lines, and references it computed on the way
    (stored on the entry beside the rule's inputs, never part of the replay check)."""

    lines: list[PostingLine]
    refs: dict[str, Any] = field(default_factory=dict)
    memo: str = ""


def post_rule(
    *,
    key: str,
    kind: str,
    memo: str,
    effective_date: date,
    refs: dict[str, Any],
    build: Callable[[], Built | list[PostingLine]],
    payload: dict[str, Any] | None = None,
    durable: bool = True,
    late_into_open_period: bool = False,
    **entry: Any,
) -> JournalEntry:
    """The skeleton of every posting rule: unless `key` was used already, `build()` the lines
    from the ledger's state and record the entry, in one transaction.

    The replay check comes first and compares the rule's inputs (`refs` and the date, or
    `payload`), hashed once, not the lines: rules compute lines from the ledger's state
    (earlier refunds, the opened dispute), which a replay must not recompute. Lines that move
    nothing are left out. `entry` holds the entry's other fields (allow_negative, state,
    reason, recorded_by).

    `late_into_open_period`: the event is a fact that already happened outside the books
    (money a payment provider moved), so a closed period must not refuse it. Dated in a
    closed period, it is booked on the first open day, with its own date kept in the
    references as `original_date` (the treasurer's list of late entries reads it). The
    replay check still compares the event's own date.
    """
    digest = payload_hash(payload if payload is not None else {**refs, "date": effective_date})

    def make() -> JournalEntry:
        built = build()
        if not isinstance(built, Built):
            built = Built(built)
        booked_on, late, note = effective_date, {}, ""
        open_day = first_open_day(effective_date) if late_into_open_period else None
        if open_day is not None:
            booked_on, late = open_day, {LATE_REF: effective_date.isoformat()}
            note = f" (dated {effective_date}, a closed period)"
        return record(
            idempotency_key=key, digest=digest, kind=kind, memo=(built.memo or memo) + note,
            effective_date=booked_on, lines=[ln for ln in built.lines if not ln.is_empty],
            source_refs={**refs, **built.refs, **late}, **entry,
        )  # fmt: skip

    return once(key, digest, durable, make)


def money_ref(value: Money | None) -> dict[str, str] | None:
    if value is None:
        return None
    return {"amount": f"{value.amount:f}", "currency": value.currency.code}


def money_from_ref(ref: dict[str, str]) -> Money:
    return Money(Decimal(ref["amount"]), ref["currency"])


def show(value: Money) -> str:
    """Money for a memo, the same in every locale: "IDR 1,000,000.00"."""
    places = decimals(value.currency.code)
    return f"{value.currency.code} {value.amount:,.{places}f}"


def require_positive(name: str, value: Money, *, zero_ok: bool = False) -> None:
    if value.amount < 0 or (value.amount == 0 and not zero_ok):
        raise ApplicationError(f"{name} must be positive.", code="invalid", fields={name: []})
    if quantize(value.amount, value.currency.code) != value.amount:
        raise ApplicationError(f"{name} has too many decimals.", code="precision")


def same_currency(**values: Money) -> str:
    currencies = {v.currency.code for v in values.values()}
    if len(currencies) != 1:
        names = ", ".join(values)
        raise ApplicationError(f"{names} must be in one currency.", code="currency_mismatch")
    return currencies.pop()


def rate_for(currency: str, rate: Decimal | None) -> Decimal | None:
    """The book rate a line in `currency` needs (None for the book currency)."""
    if currency == book_currency():
        return None
    if rate is None or rate <= 0:
        raise ApplicationError(
            f"Amounts in {currency} need a rate to {book_currency()}.", code="rate"
        )
    return rate


def require_account(account: Account, role: str, currency: str, name: str) -> None:
    """The account a caller opened for the rule is of the role and currency it needs."""
    if account.role != role or account.currency != currency:
        raise ApplicationError(
            f"{name} must be a {role} account in {currency}, not {account.code}.",
            code="wrong_account",
        )


def posted_entry(key: str, *, missing: str) -> JournalEntry:
    """A posted entry by its key, locked so that rules building on it run one at a time."""
    entry = JournalEntry.objects.select_for_update().filter(idempotency_key=key).first()
    if entry is None or entry.state != EntryState.POSTED:
        raise ApplicationError(missing, code="not_booked", status_code=409)
    return entry


def fx_difference_line(
    *, currency: str, difference: Decimal, rate: Decimal | None
) -> list[PostingLine]:
    """A realised FX line: a positive difference is a loss (debit), a negative one a gain."""
    if not difference:
        return []
    account = role_account(role=AccountRole.FX_REALISED, currency=currency)
    return [debit(account, Money(difference, currency), rate=rate)]


def conversion_lines(*, debited: Money, credited: Money, book_value: Decimal) -> list[PostingLine]:
    """Trading-account legs for an entry that debits `debited` in one currency and credits
    `credited` in another: Cr conversion in the first currency, Dr conversion in the second,
    both at one book value, so every currency (and the book) still balances."""
    conv_a = role_account(role=AccountRole.FX_CONVERSION, currency=debited.currency.code)
    conv_b = role_account(role=AccountRole.FX_CONVERSION, currency=credited.currency.code)
    return [
        credit(conv_a, debited, amount_book=book_value),
        debit(conv_b, credited, amount_book=book_value),
    ]


def released_so_far(donation_ref: str) -> tuple[Decimal, Decimal]:
    """(presentment, settlement carrying value) already taken back by refunds and lost
    disputes of one donation."""
    presentment = carrying = ZERO
    entries = JournalEntry.objects.filter(
        kind__in=[EntryKind.REFUND, EntryKind.DISPUTE_LOST], state=EntryState.POSTED,
        source_refs__donation_ref=donation_ref,
    )  # fmt: skip
    for refs in entries.values_list("source_refs", flat=True):
        presentment += Decimal(refs["released_presentment"]["amount"])
        carrying += Decimal(refs["released_carrying"]["amount"])
    return presentment, carrying


def carrying_value(donation: JournalEntry, taken: Money) -> tuple[Money, Money]:
    """The fund's value, at the donation's own rate, of taking back `taken` (presentment).

    Cumulative, so partial refunds that add up to the whole donation release exactly the
    gross amount that was credited: round(gross * taken_total / presentment) - released.
    """
    presentment = money_from_ref(donation.source_refs["presentment"])
    gross = money_from_ref(donation.source_refs["gross"])
    if taken.currency != presentment.currency:
        raise ApplicationError(
            f"The donation was made in {presentment.currency.code}.", code="currency_mismatch"
        )
    prior_presentment, prior_carrying = released_so_far(donation.source_refs["donation_ref"])
    total = prior_presentment + taken.amount
    if total > presentment.amount:
        raise ApplicationError("More than the donation would be taken back.", code="too_much")
    cumulative = quantize(gross.amount * total / presentment.amount, gross.currency.code)
    return Money(cumulative - prior_carrying, gross.currency), gross


def take_back_refs(taken: Money, carrying: Money) -> dict[str, object]:
    return {"released_presentment": money_ref(taken), "released_carrying": money_ref(carrying)}
