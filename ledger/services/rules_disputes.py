"""Posting rules for Stripe disputes: funds withdrawn, then won (reinstated) or lost.
Import them from `ledger.services.rules`, which documents the conventions."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from moneyed import Money

from ledger.models import AccountRole, EntryKind, JournalEntry
from ledger.services.chart import campaign_fund_account, role_account
from ledger.services.posting import credit, debit, record
from ledger.services.rules_common import (
    carrying_value,
    fx_difference_line,
    money_from_ref,
    money_ref,
    posted_entry,
    rate_for,
    require_positive,
    run_rule,
    same_currency,
    take_back_refs,
)


def dispute_opened(
    *,
    campaign_id: int,
    donation_ref: str,
    dispute_id: str,
    balance_transaction_id: str,
    amount: Money,
    dispute_fee: Money,
    effective_date: date,
    disputed_presentment: Money | None = None,
    allow_negative: bool = True,
    book_rate: Decimal | None = None,
    durable: bool = True,
) -> JournalEntry:
    """Stripe withdraws the disputed amount and its dispute fee from the balance.

    Dr funds withdrawn by disputes `amount` (at the dispute day's rate), Dr dispute fees,
    Cr Stripe clearing. Stripe takes the money whatever the balance, so by default the entry
    may take clearing below zero. `disputed_presentment` defaults to the whole donation.
    Idempotent on `dispute_id`.
    """
    currency = same_currency(amount=amount, dispute_fee=dispute_fee)
    require_positive("amount", amount)
    require_positive("dispute_fee", dispute_fee, zero_ok=True)
    rate = rate_for(currency, book_rate)
    refs = {
        "donation_ref": donation_ref, "campaign_id": campaign_id, "dispute_id": dispute_id,
        "balance_transaction_id": balance_transaction_id, "amount": money_ref(amount),
        "dispute_fee": money_ref(dispute_fee),
        "disputed_presentment": money_ref(disputed_presentment),
    }  # fmt: skip
    key = f"dispute-opened:{dispute_id}"

    def build() -> JournalEntry:
        donation = posted_entry(
            f"donation:{donation_ref}", missing=f"Donation {donation_ref} is not booked yet."
        )
        disputed = disputed_presentment or money_from_ref(donation.source_refs["presentment"])
        clearing = role_account(role=AccountRole.STRIPE_CLEARING, currency=currency)
        held = role_account(role=AccountRole.DISPUTED_FUNDS, currency=currency)
        lines = [debit(held, amount, rate=rate)]
        if dispute_fee.amount:
            fees = role_account(role=AccountRole.DISPUTE_FEES, currency=currency)
            lines.append(debit(fees, dispute_fee, rate=rate))
        lines.append(credit(clearing, amount + dispute_fee, rate=rate))
        return record(
            idempotency_key=key, kind=EntryKind.DISPUTE_OPENED,
            memo=f"Dispute {dispute_id} on donation {donation_ref}",
            effective_date=effective_date, lines=lines,
            source_refs={**refs, "disputed_presentment": money_ref(disputed)},
            allow_negative=allow_negative, payload={**refs, "date": effective_date},
        )  # fmt: skip

    return run_rule(key, {**refs, "date": effective_date}, durable, build)


def _opened(dispute_id: str) -> tuple[JournalEntry, Money]:
    opened = posted_entry(
        f"dispute-opened:{dispute_id}", missing=f"Dispute {dispute_id} is not booked as opened."
    )
    return opened, money_from_ref(opened.source_refs["amount"])


def dispute_won(
    *,
    campaign_id: int,
    donation_ref: str,
    dispute_id: str,
    balance_transaction_id: str,
    amount: Money,
    dispute_fee_returned: Money | None = None,
    effective_date: date,
    book_rate: Decimal | None = None,
    durable: bool = True,
) -> JournalEntry:
    """Stripe reinstates the disputed funds (at the day's rate), perhaps with the fee.

    Dr Stripe clearing, Cr funds withdrawn by disputes (what was withdrawn), the difference
    to realised FX; a returned fee: Cr dispute fees. Idempotent on `dispute_id`.
    """
    require_positive("amount", amount)
    currency = amount.currency.code
    fee_back = dispute_fee_returned or Money(0, currency)
    same_currency(amount=amount, dispute_fee_returned=fee_back)
    rate = rate_for(currency, book_rate)
    refs = {
        "donation_ref": donation_ref, "campaign_id": campaign_id, "dispute_id": dispute_id,
        "balance_transaction_id": balance_transaction_id, "amount": money_ref(amount),
        "dispute_fee_returned": money_ref(fee_back),
    }  # fmt: skip
    key = f"dispute-closed:{dispute_id}"

    def build() -> JournalEntry:
        _, withdrawn = _opened(dispute_id)
        clearing = role_account(role=AccountRole.STRIPE_CLEARING, currency=currency)
        held = role_account(role=AccountRole.DISPUTED_FUNDS, currency=currency)
        lines = [debit(clearing, amount + fee_back, rate=rate), credit(held, withdrawn, rate=rate)]
        lines += fx_difference_line(
            currency=currency, difference=(withdrawn - amount).amount, rate=rate
        )
        if fee_back.amount:
            fees = role_account(role=AccountRole.DISPUTE_FEES, currency=currency)
            lines.append(credit(fees, fee_back, rate=rate))
        return record(
            idempotency_key=key, kind=EntryKind.DISPUTE_WON,
            memo=f"Dispute {dispute_id} won", effective_date=effective_date, lines=lines,
            source_refs=refs, payload={**refs, "date": effective_date},
        )  # fmt: skip

    return run_rule(key, {**refs, "date": effective_date}, durable, build)


def dispute_lost(
    *,
    campaign_id: int,
    donation_ref: str,
    dispute_id: str,
    effective_date: date,
    allow_negative: bool = False,
    book_rate: Decimal | None = None,
    durable: bool = True,
) -> JournalEntry:
    """The donor's bank keeps the disputed money: the fund gives up its carrying value of the
    disputed share (at the donation's rate), the withdrawn amount leaves the disputed-funds
    account, the difference is realised FX. Idempotent on `dispute_id` (a dispute closes
    once: won or lost)."""
    refs = {"donation_ref": donation_ref, "campaign_id": campaign_id, "dispute_id": dispute_id}
    key = f"dispute-closed:{dispute_id}"

    def build() -> JournalEntry:
        opened, withdrawn = _opened(dispute_id)
        donation = posted_entry(f"donation:{donation_ref}", missing="Donation not booked.")
        disputed = money_from_ref(opened.source_refs["disputed_presentment"])
        carrying, _ = carrying_value(donation, disputed)
        currency = withdrawn.currency.code
        rate = rate_for(currency, book_rate)
        fund = campaign_fund_account(campaign_id=campaign_id, currency=currency)
        held = role_account(role=AccountRole.DISPUTED_FUNDS, currency=currency)
        lines = [debit(fund, carrying, rate=rate), credit(held, withdrawn, rate=rate)]
        lines += fx_difference_line(
            currency=currency, difference=(withdrawn - carrying).amount, rate=rate
        )
        return record(
            idempotency_key=key, kind=EntryKind.DISPUTE_LOST,
            memo=f"Dispute {dispute_id} lost", effective_date=effective_date,
            lines=[ln for ln in lines if ln.amount.amount],
            source_refs={**refs, **take_back_refs(disputed, carrying)},
            allow_negative=allow_negative, payload={**refs, "date": effective_date},
        )  # fmt: skip

    return run_rule(key, {**refs, "date": effective_date}, durable, build)
