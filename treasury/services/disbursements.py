"""Disbursements to enterprises: approve, pay, cancel.

Each verb is one service: it locks the disbursement, checks the move against
`DISBURSEMENT_TRANSITIONS`, calls the posting rule in the same transaction (the rule runs in
a savepoint, `durable=False`), sets the state and writes an audit row. A refusal anywhere
(the fund would go negative, the period is closed) rolls the whole thing back.
"""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Sum
from moneyed import Money

from campaigns.models import Campaign, Enterprise
from campaigns.selectors import campaign_fund_balance
from campaigns.services.funds import campaign_fund, enterprise_payable
from common.errors import ApplicationError, Conflict
from ledger.services import rules
from ledger.services.rules.base import show
from treasury.models import (
    DISBURSEMENT_TRANSITIONS,
    Disbursement,
    DisbursementAudit,
    DisbursementState,
)


def _transition(
    disbursement: Disbursement, to_state: str, *, actor: Any, comment: str
) -> Disbursement:
    """Check the move is allowed, then record it (state and audit row); caller holds the lock."""
    from_state = disbursement.state
    if to_state not in DISBURSEMENT_TRANSITIONS[from_state]:
        raise Conflict(
            f"Disbursement {disbursement.reference} is {from_state} and cannot become {to_state}.",
            code="invalid_transition",
        )
    disbursement.state = to_state
    DisbursementAudit.objects.create(
        disbursement=disbursement, from_state=from_state, to_state=to_state, actor=actor,
        comment=comment,
    )  # fmt: skip
    return disbursement


def _locked(disbursement: Disbursement) -> Disbursement:
    return Disbursement.objects.select_for_update().get(pk=disbursement.pk)


def _check_available(campaign: Campaign, fund_amount: Money) -> None:
    """Refuse approving more than the fund holds beyond what is approved and not yet paid;
    the caller holds the campaign's row lock, so two approvals cannot both take the rest."""
    currency = fund_amount.currency.code
    held = campaign_fund_balance(campaign=campaign).get(currency, Money(0, currency))
    committed = Disbursement.objects.filter(
        campaign=campaign, state=DisbursementState.APPROVED, fund_amount_currency=currency
    ).aggregate(total=Sum("fund_amount"))["total"] or Decimal(0)
    available = held - Money(committed, currency)
    if fund_amount > available:
        raise Conflict(
            f"The campaign's fund holds {show(held)}, of which {show(Money(committed, currency))}"
            f" is approved for other disbursements; {show(fund_amount)} is more than the "
            f"{show(available)} left.",
            code="insufficient_funds", fields={"fund_amount": ["More than the fund holds."]},
        )  # fmt: skip


def disbursement_approve(
    *,
    campaign: Campaign,
    amount: Money,
    fund_amount: Money,
    effective_date: date,
    created_by: Any,
    enterprise: Enterprise | None = None,
    fund_rate: Decimal | None = None,
    reference: str = "",
    comment: str = "",
) -> Disbursement:
    """Approve paying `amount` (the enterprise's currency) out of the campaign's restricted
    fund, which gives `fund_amount` (the fund's currency). Records the pending entry (no
    balance moves until it is paid). Only the campaign's own enterprise can receive its
    money, and no more than the fund holds beyond other approved, unpaid disbursements. A
    reference already used is a conflict."""
    enterprise = enterprise or campaign.enterprise
    if enterprise.pk != campaign.enterprise_id:
        raise ApplicationError(
            "A campaign's fund is spent on its own enterprise's project.",
            code="wrong_enterprise", fields={"enterprise": ["Not this campaign's enterprise."]},
        )  # fmt: skip
    reference = reference or f"dis-{uuid.uuid4().hex[:12]}"
    with transaction.atomic(durable=True):
        Campaign.objects.select_for_update().filter(pk=campaign.pk).first()
        if Disbursement.objects.filter(reference=reference).exists():
            raise Conflict(f"Disbursement {reference} exists already.", code="duplicate")
        _check_available(campaign, fund_amount)
        entry = rules.disbursement_approved(
            disbursement_ref=reference,
            fund=campaign_fund(campaign=campaign, currency=fund_amount.currency.code),
            payable=enterprise_payable(enterprise=enterprise, currency=amount.currency.code),
            amount=amount, fund_amount=fund_amount, effective_date=effective_date,
            recorded_by=created_by, fund_rate=fund_rate, durable=False,
            refs={"campaign_id": campaign.pk, "enterprise_id": enterprise.pk},
        )  # fmt: skip
        try:
            with transaction.atomic():
                disbursement = Disbursement.objects.create(
                    reference=reference, campaign=campaign, enterprise=enterprise,
                    amount=amount, fund_amount=fund_amount, fund_rate=fund_rate,
                    approved_on=effective_date, entry=entry, created_by=created_by,
                )  # fmt: skip
        except IntegrityError:  # the same reference approved at the same moment
            raise Conflict(f"Disbursement {reference} exists already.", code="duplicate") from None
        DisbursementAudit.objects.create(
            disbursement=disbursement, to_state=DisbursementState.APPROVED, actor=created_by,
            comment=comment,
        )  # fmt: skip
        return disbursement


def disbursement_pay(
    *,
    disbursement: Disbursement,
    effective_date: date,
    actor: Any,
    paid: Money | None = None,
    bank_account_code: str = "",
    comment: str = "",
) -> Disbursement:
    """The bank paid the enterprise: posts the approval's entry and books the payment (Dr
    payable, Cr bank, realised FX when paid in the book currency at another rate). `paid` is
    what left the bank, in the enterprise's currency (default: the approved amount) or the
    book currency. Refused (and nothing saved) if the fund would go negative."""
    paid = paid if paid is not None else disbursement.amount
    with transaction.atomic(durable=True):
        disbursement = _locked(disbursement)
        _transition(disbursement, DisbursementState.PAID, actor=actor, comment=comment)
        payment = rules.disbursement_paid(
            disbursement_ref=disbursement.reference, paid=paid,
            bank_account_code=bank_account_code or None, effective_date=effective_date,
            durable=False,
        )  # fmt: skip
        disbursement.paid, disbursement.paid_on = paid, effective_date
        disbursement.bank_account_code = bank_account_code
        disbursement.payment_entry = payment
        disbursement.save(
            update_fields=["state", "paid", "paid_currency", "paid_on", "bank_account_code",
                           "payment_entry"]
        )  # fmt: skip
        return disbursement


def disbursement_cancel(*, disbursement: Disbursement, actor: Any, reason: str) -> Disbursement:
    """Withdraw an approved, unpaid disbursement: its pending entry is voided, with the
    reason. A paid disbursement cannot be cancelled (reverse its entries instead)."""
    if not reason or not reason.strip():
        raise ApplicationError(
            "Say why the disbursement is cancelled.", code="reason_required",
            fields={"reason": ["This field is required."]},
        )  # fmt: skip
    with transaction.atomic(durable=True):
        disbursement = _locked(disbursement)
        _transition(disbursement, DisbursementState.CANCELLED, actor=actor, comment=reason)
        rules.disbursement_cancelled(
            disbursement_ref=disbursement.reference, reason=reason, durable=False
        )
        disbursement.save(update_fields=["state"])
        return disbursement
