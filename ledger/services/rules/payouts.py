"""Posting rules for payouts: a payment provider paying its balance out to the bank, and a
paid payout bouncing back. Import them from `ledger.services.rules`."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from moneyed import Money

from ledger.models import Account, AccountRole, EntryKind, JournalEntry
from ledger.services.chart import bank_account
from ledger.services.lines import credit, debit
from ledger.services.rules.base import (
    money_ref,
    post_rule,
    rate_for,
    require_account,
    require_positive,
)


def _payout(
    *, payout_id: str, clearing: Account, amount: Money, bank_account_code: str | None,
    effective_date: date, failed: bool, label: str, book_rate: Decimal | None, durable: bool,
    late_into_open_period: bool,
) -> JournalEntry:  # fmt: skip
    require_positive("amount", amount)
    currency = amount.currency.code
    require_account(clearing, AccountRole.PROVIDER_CLEARING, currency, "clearing")
    rate = rate_for(currency, book_rate)
    refs = {"payout_id": payout_id, "amount": money_ref(amount), "bank": bank_account_code or ""}

    def build() -> list:
        bank = bank_account(code=bank_account_code, currency=currency)
        if failed:
            return [debit(clearing, amount, rate=rate), credit(bank, amount, rate=rate)]
        return [debit(bank, amount, rate=rate), credit(clearing, amount, rate=rate)]

    return post_rule(
        key=f"payout-{'failed' if failed else 'paid'}:{payout_id}",
        kind=EntryKind.PAYOUT_FAILED if failed else EntryKind.PAYOUT_PAID,
        memo=f"{label} payout {payout_id}{' failed' if failed else ''}".strip(),
        effective_date=effective_date, refs=refs, build=build, durable=durable,
        late_into_open_period=late_into_open_period,
    )  # fmt: skip


def payout_paid(
    *, payout_id: str, clearing: Account, amount: Money, bank_account_code: str | None,
    effective_date: date, label: str = "", book_rate: Decimal | None = None,
    durable: bool = True, late_into_open_period: bool = True,
) -> JournalEntry:  # fmt: skip
    """A provider paid its balance out to a bank: Dr bank, Cr the provider's clearing (which
    may not go below zero). `bank_account_code=None` is the currency's default bank account;
    `label` names the provider in the memo ("Stripe payout po_..."). Idempotent on
    `payout_id`."""
    return _payout(
        payout_id=payout_id, clearing=clearing, amount=amount, label=label,
        bank_account_code=bank_account_code, effective_date=effective_date, failed=False,
        book_rate=book_rate, durable=durable, late_into_open_period=late_into_open_period,
    )  # fmt: skip


def payout_failed(
    *, payout_id: str, clearing: Account, amount: Money, bank_account_code: str | None,
    effective_date: date, label: str = "", book_rate: Decimal | None = None,
    durable: bool = True, late_into_open_period: bool = True,
) -> JournalEntry:  # fmt: skip
    """A paid payout bounced back to the provider: Dr clearing, Cr bank. Idempotent on
    `payout_id`."""
    return _payout(
        payout_id=payout_id, clearing=clearing, amount=amount, label=label,
        bank_account_code=bank_account_code, effective_date=effective_date, failed=True,
        book_rate=book_rate, durable=durable, late_into_open_period=late_into_open_period,
    )  # fmt: skip


def payout_was_paid(*, payout_id: str) -> bool:
    """Whether `payout_paid` booked this payout (a payout that fails before it is paid moved
    no money and is not booked as failed either)."""
    return JournalEntry.objects.filter(idempotency_key=f"payout-paid:{payout_id}").exists()
