"""Posting rules for gifts: a gift settled at a payment provider, the secretariat's fee on
it, its refund, and a gift received by bank transfer. Import them from
`ledger.services.rules`, which documents the conventions."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import Any

from moneyed import Money

from common.errors import ApplicationError
from ledger.models import Account, AccountRole, EntryKind, JournalEntry
from ledger.services.chart import bank_account, role_account
from ledger.services.lines import credit, debit
from ledger.services.rules.base import (
    Built,
    carrying_value,
    fx_difference_line,
    money_ref,
    post_rule,
    posted_entry,
    rate_for,
    require_account,
    require_positive,
    same_currency,
    show,
    take_back_refs,
)


def donation_settled(
    *,
    donation_ref: str,
    fund: Account,
    clearing: Account,
    presentment: Money,
    gross: Money,
    fee: Money,
    net: Money,
    exchange_rate: Decimal | None,
    donor_country: str,
    effective_date: date,
    refs: Mapping[str, Any] | None = None,
    allow_negative: bool = False,
    book_rate: Decimal | None = None,
    durable: bool = True,
    late_into_open_period: bool = True,
) -> JournalEntry:
    """A card gift settled into a payment provider's balance.

    Dr the provider's clearing `net`, Dr processing fees `fee`, Cr the restricted `fund`
    `gross`, all in the settlement currency. The donor's amount and currency, the provider's
    rate and the donor's country are kept in the source references (the schedule of money
    received from outside Malaysia reads them), with the caller's `refs` (the campaign, the
    provider's charge and balance transaction ids). Idempotent on `donation_ref`.
    """
    currency = same_currency(gross=gross, fee=fee, net=net)
    require_positive("gross", gross)
    require_positive("fee", fee, zero_ok=True)
    if gross - fee != net:
        raise ApplicationError("gross - fee must equal net.", code="invalid")
    require_account(fund, AccountRole.RESTRICTED_FUND, currency, "fund")
    require_account(clearing, AccountRole.PROVIDER_CLEARING, currency, "clearing")
    rate = rate_for(currency, book_rate)
    all_refs = {
        "donation_ref": donation_ref, **(refs or {}), "presentment": money_ref(presentment),
        "gross": money_ref(gross), "fee": money_ref(fee), "net": money_ref(net),
        "exchange_rate": None if exchange_rate is None else f"{exchange_rate:f}",
        "donor_country": donor_country.upper(),
    }  # fmt: skip
    if rate is not None:
        all_refs["book_rate"] = f"{rate:f}"

    def build() -> list:
        lines = [debit(clearing, net, rate=rate)]
        if fee.amount:
            fees = role_account(role=AccountRole.PROCESSING_FEES, currency=currency)
            lines.append(debit(fees, fee, rate=rate))
        return [*lines, credit(fund, gross, rate=rate)]

    return post_rule(
        key=f"donation:{donation_ref}", kind=EntryKind.DONATION_SETTLED,
        memo=f"Donation {donation_ref} ({show(presentment)}, {donor_country.upper()})",
        effective_date=effective_date, refs=all_refs, build=build,
        allow_negative=allow_negative, durable=durable,
        late_into_open_period=late_into_open_period,
    )  # fmt: skip


def secretariat_fee(
    *,
    donation_ref: str,
    fund: Account,
    amount: Money,
    effective_date: date,
    refs: Mapping[str, Any] | None = None,
    book_rate: Decimal | None = None,
    durable: bool = True,
    late_into_open_period: bool = True,
) -> JournalEntry:
    """The secretariat's share of a gift: Dr the restricted fund, Cr fee income. It follows
    the gift, so it is booked late like the gift when its day is closed. Idempotent on
    `donation_ref`."""
    require_positive("amount", amount)
    currency = amount.currency.code
    require_account(fund, AccountRole.RESTRICTED_FUND, currency, "fund")
    rate = rate_for(currency, book_rate)
    all_refs = {"donation_ref": donation_ref, **(refs or {}), "amount": money_ref(amount)}

    def build() -> list:
        income = role_account(role=AccountRole.FEE_INCOME, currency=currency)
        return [debit(fund, amount, rate=rate), credit(income, amount, rate=rate)]

    return post_rule(
        key=f"secretariat-fee:{donation_ref}", kind=EntryKind.SECRETARIAT_FEE,
        memo=f"Secretariat fee on donation {donation_ref}", effective_date=effective_date,
        refs=all_refs, build=build, durable=durable, late_into_open_period=late_into_open_period,
    )  # fmt: skip


def refund_booked(
    *,
    donation_ref: str,
    refund_id: str,
    fund: Account,
    clearing: Account,
    refunded_presentment: Money,
    refund_settled: Money,
    fee_refunded: Money | None = None,
    effective_date: date,
    refs: Mapping[str, Any] | None = None,
    allow_negative: bool = False,
    book_rate: Decimal | None = None,
    durable: bool = True,
    late_into_open_period: bool = True,
) -> JournalEntry:
    """A full or partial refund, converted by the provider at the refund's own rate.

    `refunded_presentment` is what the donor gets back in their currency; `refund_settled`
    is what left the provider's balance (settlement currency); `fee_refunded` is the part of
    the provider's fee returned, if any. The original rate is not an argument: it is read
    from the gift's entry, so the fund gives back exactly what it received for that share.
    Dr fund (carrying value), Dr/Cr realised FX (the difference), Cr clearing; fee returned:
    Dr clearing, Cr processing fees. Idempotent on `refund_id`.
    """
    require_positive("refunded_presentment", refunded_presentment)
    require_positive("refund_settled", refund_settled)
    currency = refund_settled.currency.code
    fee_back = fee_refunded or Money(0, currency)
    same_currency(refund_settled=refund_settled, fee_refunded=fee_back)
    require_account(fund, AccountRole.RESTRICTED_FUND, currency, "fund")
    require_account(clearing, AccountRole.PROVIDER_CLEARING, currency, "clearing")
    rate = rate_for(currency, book_rate)
    all_refs = {
        "donation_ref": donation_ref, **(refs or {}), "refund_id": refund_id,
        "refunded_presentment": money_ref(refunded_presentment),
        "refund_settled": money_ref(refund_settled), "fee_refunded": money_ref(fee_back),
    }  # fmt: skip

    def build() -> Built:
        donation = posted_entry(
            f"donation:{donation_ref}", missing=f"Donation {donation_ref} is not booked yet."
        )
        carrying, gross = carrying_value(donation, refunded_presentment)
        same_currency(gross=gross, refund_settled=refund_settled)
        lines = [debit(fund, carrying, rate=rate), credit(clearing, refund_settled, rate=rate)]
        lines += fx_difference_line(
            currency=currency, difference=(refund_settled - carrying).amount, rate=rate
        )
        if fee_back.amount:
            fees = role_account(role=AccountRole.PROCESSING_FEES, currency=currency)
            lines += [debit(clearing, fee_back, rate=rate), credit(fees, fee_back, rate=rate)]
        return Built(lines, take_back_refs(refunded_presentment, carrying))

    return post_rule(
        key=f"refund:{refund_id}", kind=EntryKind.REFUND,
        memo=f"Refund {refund_id} of donation {donation_ref} ({show(refunded_presentment)})",
        effective_date=effective_date, refs=all_refs, build=build,
        allow_negative=allow_negative, durable=durable,
        late_into_open_period=late_into_open_period,
    )  # fmt: skip


def offline_gift(
    *,
    reference: str,
    fund: Account,
    amount: Money,
    bank_account_code: str | None,
    donor_country: str,
    effective_date: date,
    recorded_by: Any,
    exchange_rate: Decimal | None = None,
    refs: Mapping[str, Any] | None = None,
    durable: bool = True,
) -> JournalEntry:
    """A gift received by bank transfer: Dr bank, Cr the restricted fund, in the gift's
    currency (`exchange_rate` to the book currency needed for any other currency). The
    donor's country is kept for the foreign-contributions schedule. Idempotent on
    `reference` (the bank line)."""
    require_positive("amount", amount)
    currency = amount.currency.code
    require_account(fund, AccountRole.RESTRICTED_FUND, currency, "fund")
    rate = rate_for(currency, exchange_rate)
    all_refs = {
        "reference": reference, **(refs or {}), "presentment": money_ref(amount),
        "gross": money_ref(amount), "donor_country": donor_country.upper(),
        "exchange_rate": None if rate is None else f"{rate:f}", "bank": bank_account_code or "",
    }  # fmt: skip

    def build() -> list:
        bank = bank_account(code=bank_account_code, currency=currency)
        return [debit(bank, amount, rate=rate), credit(fund, amount, rate=rate)]

    return post_rule(
        key=f"offline-gift:{reference}", kind=EntryKind.OFFLINE_GIFT,
        memo=f"Offline gift {reference} ({donor_country.upper()})",
        effective_date=effective_date, refs=all_refs, build=build, recorded_by=recorded_by,
        durable=durable,
    )  # fmt: skip
