"""Posting rules for disputes: funds withdrawn by the card network, then won (reinstated)
or lost. Import them from `ledger.services.rules`, which documents the conventions."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import Any

from moneyed import Money

from ledger.models import Account, AccountRole, EntryKind, JournalEntry
from ledger.services.chart import role_account
from ledger.services.lines import credit, debit
from ledger.services.rules.base import (
    Built,
    carrying_value,
    fx_difference_line,
    money_from_ref,
    money_ref,
    post_rule,
    posted_entry,
    rate_for,
    require_account,
    require_positive,
    same_currency,
    take_back_refs,
)


def dispute_opened(
    *,
    donation_ref: str,
    dispute_id: str,
    clearing: Account,
    amount: Money,
    dispute_fee: Money,
    effective_date: date,
    disputed_presentment: Money | None = None,
    refs: Mapping[str, Any] | None = None,
    allow_negative: bool = True,
    book_rate: Decimal | None = None,
    durable: bool = True,
    late_into_open_period: bool = True,
) -> JournalEntry:
    """The provider withdraws the disputed amount and its dispute fee from its balance.

    Dr funds withdrawn by disputes `amount` (at the dispute day's rate), Dr dispute fees,
    Cr the provider's clearing. The money goes whatever the balance, so by default the entry
    may take clearing below zero. `disputed_presentment` defaults to the whole gift.
    Idempotent on `dispute_id`.
    """
    currency = same_currency(amount=amount, dispute_fee=dispute_fee)
    require_positive("amount", amount)
    require_positive("dispute_fee", dispute_fee, zero_ok=True)
    require_account(clearing, AccountRole.PROVIDER_CLEARING, currency, "clearing")
    rate = rate_for(currency, book_rate)
    all_refs = {
        "donation_ref": donation_ref, **(refs or {}), "dispute_id": dispute_id,
        "amount": money_ref(amount), "dispute_fee": money_ref(dispute_fee),
        "disputed_presentment": money_ref(disputed_presentment),
    }  # fmt: skip

    def build() -> Built:
        donation = posted_entry(
            f"donation:{donation_ref}", missing=f"Donation {donation_ref} is not booked yet."
        )
        disputed = disputed_presentment or money_from_ref(donation.source_refs["presentment"])
        held = role_account(role=AccountRole.DISPUTED_FUNDS, currency=currency)
        lines = [debit(held, amount, rate=rate)]
        if dispute_fee.amount:
            fees = role_account(role=AccountRole.DISPUTE_FEES, currency=currency)
            lines.append(debit(fees, dispute_fee, rate=rate))
        lines.append(credit(clearing, amount + dispute_fee, rate=rate))
        return Built(lines, {"disputed_presentment": money_ref(disputed)})

    return post_rule(
        key=f"dispute-opened:{dispute_id}", kind=EntryKind.DISPUTE_OPENED,
        memo=f"Dispute {dispute_id} on donation {donation_ref}", effective_date=effective_date,
        refs=all_refs, build=build, allow_negative=allow_negative, durable=durable,
        late_into_open_period=late_into_open_period,
    )  # fmt: skip


def _opened(dispute_id: str) -> tuple[JournalEntry, Money]:
    opened = posted_entry(
        f"dispute-opened:{dispute_id}", missing=f"Dispute {dispute_id} is not booked as opened."
    )
    return opened, money_from_ref(opened.source_refs["amount"])


def dispute_won(
    *,
    donation_ref: str,
    dispute_id: str,
    clearing: Account,
    amount: Money,
    dispute_fee_returned: Money | None = None,
    effective_date: date,
    refs: Mapping[str, Any] | None = None,
    book_rate: Decimal | None = None,
    durable: bool = True,
    late_into_open_period: bool = True,
) -> JournalEntry:
    """The provider reinstates the disputed funds (at the day's rate), perhaps with the fee.

    Dr the provider's clearing, Cr funds withdrawn by disputes (what was withdrawn), the
    difference to realised FX; a returned fee: Cr dispute fees. Idempotent on `dispute_id`.
    """
    require_positive("amount", amount)
    currency = amount.currency.code
    fee_back = dispute_fee_returned or Money(0, currency)
    same_currency(amount=amount, dispute_fee_returned=fee_back)
    require_account(clearing, AccountRole.PROVIDER_CLEARING, currency, "clearing")
    rate = rate_for(currency, book_rate)
    all_refs = {
        "donation_ref": donation_ref, **(refs or {}), "dispute_id": dispute_id,
        "amount": money_ref(amount), "dispute_fee_returned": money_ref(fee_back),
    }  # fmt: skip

    def build() -> list:
        _, withdrawn = _opened(dispute_id)
        held = role_account(role=AccountRole.DISPUTED_FUNDS, currency=currency)
        lines = [debit(clearing, amount + fee_back, rate=rate), credit(held, withdrawn, rate=rate)]
        lines += fx_difference_line(
            currency=currency, difference=(withdrawn - amount).amount, rate=rate
        )
        if fee_back.amount:
            fees = role_account(role=AccountRole.DISPUTE_FEES, currency=currency)
            lines.append(credit(fees, fee_back, rate=rate))
        return lines

    return post_rule(
        key=f"dispute-closed:{dispute_id}", kind=EntryKind.DISPUTE_WON,
        memo=f"Dispute {dispute_id} won", effective_date=effective_date, refs=all_refs,
        build=build, durable=durable, late_into_open_period=late_into_open_period,
    )  # fmt: skip


def dispute_lost(
    *,
    donation_ref: str,
    dispute_id: str,
    fund: Account,
    effective_date: date,
    refs: Mapping[str, Any] | None = None,
    allow_negative: bool = False,
    book_rate: Decimal | None = None,
    durable: bool = True,
    late_into_open_period: bool = True,
) -> JournalEntry:
    """The donor's bank keeps the disputed money: the restricted fund gives up its carrying
    value of the disputed share (at the gift's rate), the withdrawn amount leaves the
    disputed-funds account, the difference is realised FX. `fund` is the gift's fund in the
    currency the money was withdrawn in. Idempotent on `dispute_id` (a dispute closes once:
    won or lost)."""
    all_refs = {"donation_ref": donation_ref, **(refs or {}), "dispute_id": dispute_id}

    def build() -> Built:
        opened, withdrawn = _opened(dispute_id)
        donation = posted_entry(f"donation:{donation_ref}", missing="Donation not booked.")
        disputed = money_from_ref(opened.source_refs["disputed_presentment"])
        carrying, _ = carrying_value(donation, disputed)
        currency = withdrawn.currency.code
        require_account(fund, AccountRole.RESTRICTED_FUND, currency, "fund")
        rate = rate_for(currency, book_rate)
        held = role_account(role=AccountRole.DISPUTED_FUNDS, currency=currency)
        lines = [debit(fund, carrying, rate=rate), credit(held, withdrawn, rate=rate)]
        lines += fx_difference_line(
            currency=currency, difference=(withdrawn - carrying).amount, rate=rate
        )
        return Built(lines, take_back_refs(disputed, carrying))

    return post_rule(
        key=f"dispute-closed:{dispute_id}", kind=EntryKind.DISPUTE_LOST,
        memo=f"Dispute {dispute_id} lost", effective_date=effective_date, refs=all_refs,
        build=build, allow_negative=allow_negative, durable=durable,
        late_into_open_period=late_into_open_period,
    )  # fmt: skip
