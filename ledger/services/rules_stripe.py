"""Posting rules for money that moves through Stripe: donations, fees, refunds, disputes,
payouts. Import them from `ledger.services.rules`, which documents the conventions."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from moneyed import Money

from common.errors import ApplicationError
from ledger.models import AccountRole, EntryKind, JournalEntry
from ledger.services.chart import bank_account, campaign_fund_account, role_account
from ledger.services.posting import credit, debit, record
from ledger.services.rules_common import (
    carrying_value,
    fx_difference_line,
    money_ref,
    posted_entry,
    rate_for,
    require_positive,
    run_rule,
    same_currency,
    show,
    take_back_refs,
)


def donation_settled(
    *,
    campaign_id: int,
    donation_ref: str,
    balance_transaction_id: str,
    presentment: Money,
    gross: Money,
    fee: Money,
    net: Money,
    exchange_rate: Decimal | None,
    donor_country: str,
    effective_date: date,
    charge_id: str = "",
    allow_negative: bool = False,
    book_rate: Decimal | None = None,
    durable: bool = True,
) -> JournalEntry:
    """A card donation settled into the Stripe balance.

    Dr Stripe clearing `net`, Dr processing fees `fee`, Cr the campaign's restricted fund
    `gross`, all in the settlement currency. The donor's amount and currency, Stripe's rate
    and the donor's country are kept in `source_refs` (the schedule of money received from
    outside Malaysia reads them). Idempotent on `donation_ref`.
    """
    currency = same_currency(gross=gross, fee=fee, net=net)
    require_positive("gross", gross)
    require_positive("fee", fee, zero_ok=True)
    if gross - fee != net:
        raise ApplicationError("gross - fee must equal net.", code="invalid")
    rate = rate_for(currency, book_rate)
    refs = {
        "donation_ref": donation_ref, "campaign_id": campaign_id, "charge_id": charge_id,
        "balance_transaction_id": balance_transaction_id, "presentment": money_ref(presentment),
        "gross": money_ref(gross), "fee": money_ref(fee), "net": money_ref(net),
        "exchange_rate": None if exchange_rate is None else f"{exchange_rate:f}",
        "donor_country": donor_country.upper(),
    }  # fmt: skip
    if rate is not None:
        refs["book_rate"] = f"{rate:f}"
    key = f"donation:{donation_ref}"

    def build() -> JournalEntry:
        lines = [debit(role_account(role=AccountRole.STRIPE_CLEARING, currency=currency), net,
                       rate=rate)]  # fmt: skip
        if fee.amount:
            fees = role_account(role=AccountRole.PROCESSING_FEES, currency=currency)
            lines.append(debit(fees, fee, rate=rate))
        fund = campaign_fund_account(campaign_id=campaign_id, currency=currency)
        lines.append(credit(fund, gross, rate=rate))
        return record(
            idempotency_key=key, kind=EntryKind.DONATION_SETTLED,
            memo=f"Donation {donation_ref} ({show(presentment)}, {donor_country.upper()})",
            effective_date=effective_date, lines=lines, source_refs=refs,
            allow_negative=allow_negative, payload={**refs, "date": effective_date},
        )  # fmt: skip

    return run_rule(key, {**refs, "date": effective_date}, durable, build)


def secretariat_fee(
    *,
    campaign_id: int,
    donation_ref: str,
    amount: Money,
    effective_date: date,
    book_rate: Decimal | None = None,
    durable: bool = True,
) -> JournalEntry:
    """The secretariat's share of a donation: Dr the campaign's fund, Cr fee income.
    Idempotent on `donation_ref`."""
    require_positive("amount", amount)
    currency = amount.currency.code
    rate = rate_for(currency, book_rate)
    refs = {"donation_ref": donation_ref, "campaign_id": campaign_id, "amount": money_ref(amount)}
    key = f"secretariat-fee:{donation_ref}"

    def build() -> JournalEntry:
        fund = campaign_fund_account(campaign_id=campaign_id, currency=currency)
        income = role_account(role=AccountRole.FEE_INCOME, currency=currency)
        return record(
            idempotency_key=key, kind=EntryKind.SECRETARIAT_FEE,
            memo=f"Secretariat fee on donation {donation_ref}", effective_date=effective_date,
            lines=[debit(fund, amount, rate=rate), credit(income, amount, rate=rate)],
            source_refs=refs, payload={**refs, "date": effective_date},
        )  # fmt: skip

    return run_rule(key, {**refs, "date": effective_date}, durable, build)


def refund_booked(
    *,
    campaign_id: int,
    donation_ref: str,
    refund_id: str,
    balance_transaction_id: str,
    refunded_presentment: Money,
    refund_settled: Money,
    fee_refunded: Money | None = None,
    effective_date: date,
    allow_negative: bool = False,
    book_rate: Decimal | None = None,
    durable: bool = True,
) -> JournalEntry:
    """A full or partial refund, converted by Stripe at the refund's own rate.

    `refunded_presentment` is what the donor gets back in their currency; `refund_settled`
    is what left the Stripe balance (settlement currency, the refund's balance transaction);
    `fee_refunded` is the part of Stripe's fee returned, if any. The original rate is not an
    argument: it is read from the donation's entry, so the fund gives back exactly what it
    received for that share. Dr fund (carrying value), Dr/Cr realised FX (the difference),
    Cr Stripe clearing; fee returned: Dr clearing, Cr processing fees. Idempotent on
    `refund_id`.
    """
    require_positive("refunded_presentment", refunded_presentment)
    require_positive("refund_settled", refund_settled)
    currency = refund_settled.currency.code
    fee_back = fee_refunded or Money(0, currency)
    same_currency(refund_settled=refund_settled, fee_refunded=fee_back)
    rate = rate_for(currency, book_rate)
    refs = {
        "donation_ref": donation_ref, "campaign_id": campaign_id, "refund_id": refund_id,
        "balance_transaction_id": balance_transaction_id,
        "refunded_presentment": money_ref(refunded_presentment),
        "refund_settled": money_ref(refund_settled), "fee_refunded": money_ref(fee_back),
    }  # fmt: skip
    key = f"refund:{refund_id}"

    def build() -> JournalEntry:
        donation = posted_entry(
            f"donation:{donation_ref}", missing=f"Donation {donation_ref} is not booked yet."
        )
        carrying, gross = carrying_value(donation, refunded_presentment)
        same_currency(gross=gross, refund_settled=refund_settled)
        clearing = role_account(role=AccountRole.STRIPE_CLEARING, currency=currency)
        fund = campaign_fund_account(campaign_id=campaign_id, currency=currency)
        lines = [debit(fund, carrying, rate=rate), credit(clearing, refund_settled, rate=rate)]
        lines += fx_difference_line(
            currency=currency, difference=(refund_settled - carrying).amount, rate=rate
        )
        if fee_back.amount:
            fees = role_account(role=AccountRole.PROCESSING_FEES, currency=currency)
            lines += [debit(clearing, fee_back, rate=rate), credit(fees, fee_back, rate=rate)]
        return record(
            idempotency_key=key, kind=EntryKind.REFUND,
            memo=f"Refund {refund_id} of donation {donation_ref} ({show(refunded_presentment)})",
            effective_date=effective_date, lines=[ln for ln in lines if ln.amount.amount],
            source_refs={**refs, **take_back_refs(refunded_presentment, carrying)},
            allow_negative=allow_negative, payload={**refs, "date": effective_date},
        )  # fmt: skip

    return run_rule(key, {**refs, "date": effective_date}, durable, build)


def _payout(
    *, payout_id: str, amount: Money, bank_account_code: str | None, effective_date: date,
    failed: bool, book_rate: Decimal | None, durable: bool,
) -> JournalEntry:  # fmt: skip
    require_positive("amount", amount)
    currency = amount.currency.code
    rate = rate_for(currency, book_rate)
    refs = {"payout_id": payout_id, "amount": money_ref(amount), "bank": bank_account_code or ""}
    key = f"payout-{'failed' if failed else 'paid'}:{payout_id}"

    def build() -> JournalEntry:
        bank = bank_account(code=bank_account_code, currency=currency)
        clearing = role_account(role=AccountRole.STRIPE_CLEARING, currency=currency)
        lines = [debit(bank, amount, rate=rate), credit(clearing, amount, rate=rate)]
        if failed:
            lines = [debit(clearing, amount, rate=rate), credit(bank, amount, rate=rate)]
        return record(
            idempotency_key=key,
            kind=EntryKind.PAYOUT_FAILED if failed else EntryKind.PAYOUT_PAID,
            memo=f"Stripe payout {payout_id}{' failed' if failed else ''}",
            effective_date=effective_date, lines=lines, source_refs=refs,
            payload={**refs, "date": effective_date},
        )  # fmt: skip

    return run_rule(key, {**refs, "date": effective_date}, durable, build)


def payout_paid(
    *, payout_id: str, amount: Money, bank_account_code: str | None, effective_date: date,
    book_rate: Decimal | None = None, durable: bool = True,
) -> JournalEntry:  # fmt: skip
    """Stripe paid its balance out to a bank: Dr bank, Cr Stripe clearing (which may not go
    below zero). `bank_account_code=None` is the currency's default bank account.
    Idempotent on `payout_id`."""
    return _payout(
        payout_id=payout_id, amount=amount, bank_account_code=bank_account_code,
        effective_date=effective_date, failed=False, book_rate=book_rate, durable=durable,
    )  # fmt: skip


def payout_failed(
    *, payout_id: str, amount: Money, bank_account_code: str | None, effective_date: date,
    book_rate: Decimal | None = None, durable: bool = True,
) -> JournalEntry:  # fmt: skip
    """A paid payout bounced back to Stripe: Dr Stripe clearing, Cr bank. Idempotent on
    `payout_id`."""
    return _payout(
        payout_id=payout_id, amount=amount, bank_account_code=bank_account_code,
        effective_date=effective_date, failed=True, book_rate=book_rate, durable=durable,
    )  # fmt: skip
