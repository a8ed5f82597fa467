"""Posting rules the treasurer drives: disbursements, releases from restriction, manual
adjustments, FX revaluation. Import them from `ledger.services.rules`."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import Any

from django.conf import settings
from moneyed import Money

from common.errors import ApplicationError
from common.money import quantize
from ledger.models import Account, AccountRole, EntryKind, JournalEntry
from ledger.selectors.balances import balances_as_of
from ledger.services.chart import bank_account, role_account
from ledger.services.lines import PostingLine, book_amount, credit, debit, payload_hash
from ledger.services.posting import entry_post, entry_post_pending, entry_void
from ledger.services.rules.base import (
    Built,
    conversion_lines,
    money_ref,
    post_rule,
    rate_for,
    require_account,
    require_positive,
    show,
)


def disbursement_approved(
    *,
    disbursement_ref: str,
    fund: Account,
    payable: Account,
    amount: Money,
    fund_amount: Money,
    effective_date: date,
    recorded_by: Any = None,
    fund_rate: Decimal | None = None,
    refs: Mapping[str, Any] | None = None,
    durable: bool = True,
) -> JournalEntry:
    """Approve paying `amount` (the payee's currency) out of a restricted `fund`, which gives
    `fund_amount` (its own currency, at the approval's rate). Recorded as a PENDING entry:
    Dr fund, Cr `payable` (what is owed to the payee), with currency-conversion legs when the
    currencies differ. It moves no balance until `disbursement_paid` posts it."""
    require_positive("amount", amount)
    require_positive("fund_amount", fund_amount)
    fund_ccy = fund_amount.currency.code
    require_account(fund, AccountRole.RESTRICTED_FUND, fund_ccy, "fund")
    require_account(payable, AccountRole.DISBURSEMENTS_PAYABLE, amount.currency.code, "payable")
    all_refs = {
        "disbursement_ref": disbursement_ref, **(refs or {}), "amount": money_ref(amount),
        "fund_amount": money_ref(fund_amount),
    }  # fmt: skip

    def build() -> list:
        fund_line = debit(fund, fund_amount, rate=rate_for(fund_ccy, fund_rate))
        value, _ = book_amount(fund_line)
        lines = [fund_line, credit(payable, amount, amount_book=value)]
        if amount.currency != fund_amount.currency:
            lines += conversion_lines(debited=fund_amount, credited=amount, book_value=value)
        return lines

    return post_rule(
        key=f"disbursement:{disbursement_ref}", kind=EntryKind.DISBURSEMENT, state="pending",
        memo=f"Disbursement {disbursement_ref} of {show(amount)}", effective_date=effective_date,
        refs=all_refs, build=build, recorded_by=recorded_by, durable=durable,
    )  # fmt: skip


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
            raise ApplicationError(f"The payee is owed {owed}.", code="amount_mismatch")
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
    """The bank paid the payee. Posts the approved (pending) entry on this date, then a
    payment entry: Dr disbursements payable, Cr bank (`paid`: what left the bank, in the
    payee's currency or the book currency), with realised FX when paid in the book currency
    at another rate than the approval's. The approval's references (who was paid, from which
    fund) are kept on it. Returns the payment entry. Idempotent on `disbursement_ref`."""
    require_positive("paid", paid)
    refs = {"disbursement_ref": disbursement_ref, "paid": money_ref(paid),
            "bank": bank_account_code or ""}  # fmt: skip

    def build() -> Built:
        approved = JournalEntry.objects.select_for_update().filter(
            idempotency_key=f"disbursement:{disbursement_ref}"
        ).first()  # fmt: skip
        if approved is None:
            raise ApplicationError("The disbursement was not approved.", code="not_booked")
        entry_post_pending(entry=approved, effective_date=effective_date, durable=False)
        bank = bank_account(code=bank_account_code, currency=paid.currency.code)
        kept = {k: v for k, v in approved.source_refs.items() if k not in APPROVAL_AMOUNTS}
        return Built(_payment_lines(approved, paid, bank), kept)

    return post_rule(
        key=f"disbursement-paid:{disbursement_ref}", kind=EntryKind.DISBURSEMENT_PAID,
        memo=f"Disbursement {disbursement_ref} paid", effective_date=effective_date, refs=refs,
        build=build, durable=durable,
    )  # fmt: skip


# The approval's amounts, which the payment entry does not repeat (it has its own).
APPROVAL_AMOUNTS = ("amount", "fund_amount")


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
    fund: Account,
    reference: str,
    amount: Money,
    reason: str,
    effective_date: date,
    recorded_by: Any = None,
    book_rate: Decimal | None = None,
    refs: Mapping[str, Any] | None = None,
    durable: bool = True,
) -> JournalEntry:
    """Money leaves a restricted fund for the unrestricted operations fund (the restriction
    was met or the donors agreed): Dr the fund, Cr operations fund. Idempotent on
    `reference`."""
    require_positive("amount", amount)
    if not reason.strip():
        raise ApplicationError("Say why the restriction is released.", code="reason_required")
    currency = amount.currency.code
    require_account(fund, AccountRole.RESTRICTED_FUND, currency, "fund")
    rate = rate_for(currency, book_rate)
    all_refs = {"reference": reference, **(refs or {}), "amount": money_ref(amount)}

    def build() -> list:
        operations = role_account(role=AccountRole.OPERATIONS_FUND, currency=currency)
        return [debit(fund, amount, rate=rate), credit(operations, amount, rate=rate)]

    return post_rule(
        key=f"release:{reference}", kind=EntryKind.RELEASE, memo=f"Release {reference}: {reason}",
        effective_date=effective_date, refs=all_refs, build=build,
        payload={**all_refs, "reason": reason, "date": effective_date}, reason=reason,
        recorded_by=recorded_by, durable=durable,
    )  # fmt: skip


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
    AccountRole.BANK, AccountRole.PROVIDER_CLEARING, AccountRole.DISPUTED_FUNDS,
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

    def build() -> list:
        lines = _revaluation_lines(as_of, rates)
        if not lines:
            raise ApplicationError("Nothing to revalue.", code="nothing_to_revalue")
        return lines

    return post_rule(
        key=f"fx-revaluation:{as_of.isoformat()}", kind=EntryKind.FX_REVALUATION,
        memo=f"FX revaluation at {as_of}", effective_date=as_of,
        refs={"closing_rates": {k: f"{v:f}" for k, v in rates.items()}}, build=build,
        payload={"as_of": as_of, "rates": rates}, recorded_by=recorded_by, durable=durable,
    )  # fmt: skip
