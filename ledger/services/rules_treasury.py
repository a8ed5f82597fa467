"""Posting rules the treasurer drives: offline gifts, disbursements, releases from
restriction, manual adjustments, FX revaluation. Import them from `ledger.services.rules`."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.conf import settings
from moneyed import Money

from common.errors import ApplicationError
from ledger.models import Account, AccountRole, EntryKind, JournalEntry
from ledger.selectors.balances import balances_as_of
from ledger.services.chart import (
    bank_account,
    campaign_fund_account,
    payable_account,
    role_account,
)
from ledger.services.posting import (
    PostingLine,
    _book_amount,
    credit,
    debit,
    entry_post,
    entry_post_pending,
    entry_void,
    payload_hash,
    quantize,
    record,
)
from ledger.services.rules_common import (
    conversion_lines,
    money_ref,
    rate_for,
    require_positive,
    run_rule,
    show,
)


def offline_gift(
    *,
    campaign_id: int,
    reference: str,
    amount: Money,
    bank_account_code: str | None,
    donor_country: str,
    effective_date: date,
    recorded_by: Any,
    exchange_rate: Decimal | None = None,
    durable: bool = True,
) -> JournalEntry:
    """A gift received by bank transfer: Dr bank, Cr the campaign's fund, in the gift's
    currency (`exchange_rate` to the book currency needed for any other currency). The
    donor's country is kept for the foreign-contributions schedule. Idempotent on
    `reference` (the bank line)."""
    require_positive("amount", amount)
    currency = amount.currency.code
    rate = rate_for(currency, exchange_rate)
    refs = {
        "reference": reference, "campaign_id": campaign_id, "presentment": money_ref(amount),
        "gross": money_ref(amount), "donor_country": donor_country.upper(),
        "exchange_rate": None if rate is None else f"{rate:f}", "bank": bank_account_code or "",
    }  # fmt: skip
    key = f"offline-gift:{reference}"

    def build() -> JournalEntry:
        bank = bank_account(code=bank_account_code, currency=currency)
        fund = campaign_fund_account(campaign_id=campaign_id, currency=currency)
        return record(
            idempotency_key=key, kind=EntryKind.OFFLINE_GIFT,
            memo=f"Offline gift {reference} ({donor_country.upper()})",
            effective_date=effective_date,
            lines=[debit(bank, amount, rate=rate), credit(fund, amount, rate=rate)],
            source_refs=refs, recorded_by=recorded_by, payload={**refs, "date": effective_date},
        )  # fmt: skip

    return run_rule(key, {**refs, "date": effective_date}, durable, build)


def disbursement_approved(
    *,
    disbursement_ref: str,
    campaign_id: int,
    enterprise_id: int,
    amount: Money,
    fund_amount: Money,
    effective_date: date,
    recorded_by: Any = None,
    fund_rate: Decimal | None = None,
    durable: bool = True,
) -> JournalEntry:
    """Approve paying `amount` (the enterprise's currency) out of the campaign's fund, which
    gives `fund_amount` (its own currency, at the approval's rate). Recorded as a PENDING
    entry: Dr fund, Cr disbursements payable to the enterprise, with currency-conversion legs
    when the currencies differ. It moves no balance until `disbursement_paid` posts it."""
    require_positive("amount", amount)
    require_positive("fund_amount", fund_amount)
    fund_ccy = fund_amount.currency.code
    refs = {
        "disbursement_ref": disbursement_ref, "campaign_id": campaign_id,
        "enterprise_id": enterprise_id, "amount": money_ref(amount),
        "fund_amount": money_ref(fund_amount),
    }  # fmt: skip
    key = f"disbursement:{disbursement_ref}"

    def build() -> JournalEntry:
        fund = campaign_fund_account(campaign_id=campaign_id, currency=fund_ccy)
        payable = payable_account(enterprise_id=enterprise_id, currency=amount.currency.code)
        fund_line = debit(fund, fund_amount, rate=rate_for(fund_ccy, fund_rate))
        value, _ = _book_amount(fund_line)
        lines = [fund_line, credit(payable, amount, amount_book=value)]
        if amount.currency != fund_amount.currency:
            lines += conversion_lines(debited=fund_amount, credited=amount, book_value=value)
        return record(
            idempotency_key=key, kind=EntryKind.DISBURSEMENT, state="pending",
            memo=f"Disbursement {disbursement_ref} of {show(amount)}",
            effective_date=effective_date, lines=lines, source_refs=refs,
            recorded_by=recorded_by, payload={**refs, "date": effective_date},
        )  # fmt: skip

    return run_rule(key, {**refs, "date": effective_date}, durable, build)


def _payment_lines(approved: JournalEntry, paid: Money, bank: Account) -> list[PostingLine]:
    """Settle the payable from the bank. Paid in the book currency, the difference between
    the payable's book value and what the bank paid is realised FX; paid in the payable's
    own currency, the bank is relieved at the payable's book value (revaluation catches up)."""
    payable_line = approved.postings.select_related("account").get(
        account__role=AccountRole.DISBURSEMENTS_PAYABLE
    )
    owed, owed_book = -payable_line.amount, -payable_line.amount_book
    lines = [debit(payable_line.account, owed, amount_book=owed_book)]
    if paid.currency == owed.currency:
        if paid != owed:
            raise ApplicationError(f"The enterprise is owed {owed}.", code="amount_mismatch")
        return [*lines, credit(bank, paid, amount_book=owed_book)]
    if paid.currency.code != settings.BOOK_CURRENCY:
        raise ApplicationError(
            f"Pay in {owed.currency.code} or {settings.BOOK_CURRENCY}.", code="currency"
        )
    book_owed = Money(owed_book, paid.currency)
    lines += conversion_lines(debited=owed, credited=book_owed, book_value=owed_book)
    lines.append(credit(bank, paid))
    if paid != book_owed:
        fx = role_account(role=AccountRole.FX_REALISED, currency=paid.currency.code)
        lines.append(debit(fx, paid - book_owed))
    return lines


def disbursement_paid(
    *,
    disbursement_ref: str,
    paid: Money,
    bank_account_code: str | None,
    effective_date: date,
    durable: bool = True,
) -> JournalEntry:
    """The bank paid the enterprise. Posts the approved (pending) entry on this date, then a
    payment entry: Dr disbursements payable, Cr bank (`paid`: what left the bank, in the
    enterprise's currency or the book currency), with realised FX when paid in the book
    currency at another rate than the approval's. Returns the payment entry. Idempotent on
    `disbursement_ref`."""
    require_positive("paid", paid)
    refs = {"disbursement_ref": disbursement_ref, "paid": money_ref(paid),
            "bank": bank_account_code or ""}  # fmt: skip
    key = f"disbursement-paid:{disbursement_ref}"

    def build() -> JournalEntry:
        approved = JournalEntry.objects.select_for_update().filter(
            idempotency_key=f"disbursement:{disbursement_ref}"
        ).first()  # fmt: skip
        if approved is None:
            raise ApplicationError("The disbursement was not approved.", code="not_booked")
        entry_post_pending(entry=approved, effective_date=effective_date, durable=False)
        bank = bank_account(code=bank_account_code, currency=paid.currency.code)
        return record(
            idempotency_key=key, kind=EntryKind.DISBURSEMENT_PAID,
            memo=f"Disbursement {disbursement_ref} paid", effective_date=effective_date,
            lines=_payment_lines(approved, paid, bank),
            source_refs={**refs, **{k: approved.source_refs[k] for k in
                                    ("campaign_id", "enterprise_id")}},
            payload={**refs, "date": effective_date},
        )  # fmt: skip

    return run_rule(key, {**refs, "date": effective_date}, durable, build)


def disbursement_cancelled(
    *, disbursement_ref: str, reason: str, durable: bool = True
) -> JournalEntry:
    """Withdraw an approved, unpaid disbursement: its pending entry is voided."""
    approved = posted_or_pending(f"disbursement:{disbursement_ref}")
    return entry_void(entry=approved, reason=reason, durable=durable)


def posted_or_pending(key: str) -> JournalEntry:
    entry = JournalEntry.objects.filter(idempotency_key=key).first()
    if entry is None:
        raise ApplicationError(f"No entry {key}.", code="not_booked")
    return entry


def release_from_restriction(
    *,
    campaign_id: int,
    reference: str,
    amount: Money,
    reason: str,
    effective_date: date,
    recorded_by: Any = None,
    book_rate: Decimal | None = None,
    durable: bool = True,
) -> JournalEntry:
    """Money leaves a campaign's restricted fund for the unrestricted operations fund (the
    restriction was met or the donors agreed): Dr campaign fund, Cr operations fund.
    Idempotent on `reference`."""
    require_positive("amount", amount)
    if not reason.strip():
        raise ApplicationError("Say why the restriction is released.", code="reason_required")
    currency = amount.currency.code
    rate = rate_for(currency, book_rate)
    refs = {"reference": reference, "campaign_id": campaign_id, "amount": money_ref(amount)}
    key = f"release:{reference}"

    def build() -> JournalEntry:
        fund = campaign_fund_account(campaign_id=campaign_id, currency=currency)
        operations = role_account(role=AccountRole.OPERATIONS_FUND, currency=currency)
        return record(
            idempotency_key=key, kind=EntryKind.RELEASE, memo=f"Release {reference}: {reason}",
            effective_date=effective_date,
            lines=[debit(fund, amount, rate=rate), credit(operations, amount, rate=rate)],
            source_refs=refs, reason=reason, recorded_by=recorded_by,
            payload={**refs, "reason": reason, "date": effective_date},
        )  # fmt: skip

    return run_rule(key, {**refs, "reason": reason, "date": effective_date}, durable, build)


def manual_adjustment(
    *,
    lines: list[PostingLine],
    reason: str,
    effective_date: date,
    recorded_by: Any,
    reference: str = "",
    allow_negative: bool = False,
    durable: bool = True,
) -> JournalEntry:
    """A treasurer's adjusting entry; `reason` is required (and kept). Without a `reference`
    the key is derived from the content, so a double submit books it once."""
    if not reason or not reason.strip():
        raise ApplicationError("A manual adjustment needs a reason.", code="reason_required")
    payload = {
        "reason": reason, "date": effective_date, "reference": reference,
        "lines": [(ln.account, ln.amount, ln.rate, ln.amount_book) for ln in lines],
    }  # fmt: skip
    key = f"manual:{reference or payload_hash(payload)[:40]}"
    return entry_post(
        idempotency_key=key, kind=EntryKind.MANUAL, memo=reason, effective_date=effective_date,
        lines=lines, source_refs={"reference": reference}, allow_negative=allow_negative,
        reason=reason, recorded_by=recorded_by, payload=payload, durable=durable,
    )  # fmt: skip


REVALUED_ROLES = (
    AccountRole.BANK, AccountRole.STRIPE_CLEARING, AccountRole.DISPUTED_FUNDS,
    AccountRole.DISBURSEMENTS_PAYABLE,
)  # fmt: skip


def _revaluation_lines(as_of: date, closing_rates: dict[str, Decimal]) -> list[PostingLine]:
    book = settings.BOOK_CURRENCY
    figures = balances_as_of(as_of=as_of)
    unrealised = role_account(role=AccountRole.FX_UNREALISED, currency=book)
    lines: list[PostingLine] = []
    accounts = Account.objects.filter(role__in=REVALUED_ROLES).exclude(currency=book)
    for account in accounts.order_by("code"):
        balance, balance_book = figures.get(account.pk, (Decimal(0), Decimal(0)))
        rate = closing_rates.get(account.currency)
        if rate is None:
            if balance:
                raise ApplicationError(f"No closing rate for {account.currency}.", code="rate")
            continue
        change = quantize(balance * Decimal(rate), book) - balance_book
        if change:
            zero = Money(0, account.currency)
            lines.append(PostingLine(account, zero, rate=Decimal(rate), amount_book=change))
            lines.append(PostingLine(unrealised, Money(0, book), amount_book=-change))
    return lines


def fx_revaluation(
    *, as_of: date, closing_rates: dict[str, Decimal], recorded_by: Any = None,
    durable: bool = True,
) -> JournalEntry:  # fmt: skip
    """Period-end revaluation: every foreign-currency bank, clearing, disputed-funds and
    payable account is valued at its closing rate (book units per unit) as of `as_of`; the
    change in book value goes to unrealised FX gain/loss. The postings carry book amounts
    only (the currency amounts do not change). Idempotent on `as_of`."""
    rates = {code.upper(): Decimal(rate) for code, rate in closing_rates.items()}
    payload = {"as_of": as_of, "rates": rates}
    key = f"fx-revaluation:{as_of.isoformat()}"

    def build() -> JournalEntry:
        lines = _revaluation_lines(as_of, rates)
        if not lines:
            raise ApplicationError("Nothing to revalue.", code="nothing_to_revalue")
        return record(
            idempotency_key=key, kind=EntryKind.FX_REVALUATION,
            memo=f"FX revaluation at {as_of}", effective_date=as_of, lines=lines,
            source_refs={"closing_rates": {k: f"{v:f}" for k, v in rates.items()}},
            recorded_by=recorded_by, payload=payload,
        )  # fmt: skip

    return run_rule(key, payload, durable, build)
