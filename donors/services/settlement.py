"""A donation's confirmation, failure and expiry, as the provider reports them."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from campaigns.models import Campaign
from campaigns.services.totals import campaign_totals_move
from donors.models import Donation, DonationStatus, Frequency
from donors.services import books
from donors.services.common import campaign_share, lock_donation, transition
from donors.services.receipts import receipt_issue
from payments.types import PaymentSnapshot

S = DonationStatus


def _mismatch(donation: Donation, payment: PaymentSnapshot) -> str:
    if str(payment.amount.currency) != str(donation.amount.currency):
        return f"currency {payment.amount.currency} != {donation.amount.currency}"
    if payment.amount.amount != donation.amount.amount:
        return f"amount {payment.amount} != {donation.amount}"
    bt = payment.balance_transaction
    if bt is not None and str(bt.gross.currency) != str(bt.net.currency):
        return "balance transaction in two currencies"
    return ""


def donation_flag(*, donation: Donation, note: str, source: str = "") -> Donation:
    """Set a donation aside for the treasurer; nothing is booked or counted."""
    with transaction.atomic(durable=True):
        donation = lock_donation(donation.pk)
        if donation.needs_review and note in donation.review_note:
            return donation
        donation.needs_review = True
        donation.review_note = (donation.review_note + f"\n[{source}] {note}").strip()
        donation.save(update_fields=["needs_review", "review_note", "updated_at"])
    return donation


def donation_settle(*, donation: Donation, payment: PaymentSnapshot, source: str = "") -> Donation:
    """Confirm a paid donation: record the balance transaction, count it, book it, receipt it.

    Idempotent: a donation that already carries a balance transaction is returned unchanged.
    A payment whose amount or currency does not match the donation is flagged, not booked.
    Raised (campaign currency) grows by `campaign_share`; the donor count by one, except for
    the second and later months of a monthly gift.
    """
    mismatch = _mismatch(donation, payment)
    if mismatch:
        return donation_flag(donation=donation, note=f"Payment mismatch: {mismatch}",
                             source=source)  # fmt: skip
    bt = payment.balance_transaction
    with transaction.atomic(durable=True):
        donation = lock_donation(donation.pk)
        if donation.balance_transaction_id:
            return donation
        campaign = Campaign.objects.get(pk=donation.campaign_id)
        transition(donation, S.SUCCEEDED, source=source)
        donation.payment_intent_id = payment.payment_intent_id
        donation.charge_id = payment.charge_id
        donation.balance_transaction_id = bt.id
        donation.settled_amount, donation.processing_fee, donation.net_amount = (
            bt.gross,
            bt.fee,
            bt.net,
        )
        donation.exchange_rate = bt.exchange_rate
        donation.customer_id = donation.customer_id or payment.customer_id
        donation.settled_at = timezone.now()
        share, rate = campaign_share(donation, campaign, bt)
        donation.counted = donation.campaign_amount = share
        donation.reference_rate = rate
        donation.save()
        renewal = donation.frequency == Frequency.MONTHLY and donation.recurring_gift_id and (
            donation.recurring_gift.donations.exclude(pk=donation.pk)
            .filter(settled_at__isnull=False).exists()
        )  # fmt: skip
        campaign_totals_move(campaign_id=campaign.pk, raised=share, donors=0 if renewal else 1)
        books.book_donation(donation, bt)
        receipt_issue(donation=donation)
    return donation


def donation_fail(*, donation: Donation, reason: str = "", source: str = "") -> Donation:
    """A pending donation whose payment failed. Later success can still settle it."""
    return _close(donation, S.FAILED, reason, source)


def donation_expire(*, donation: Donation, source: str = "") -> Donation:
    """A pending donation whose Checkout Session expired unpaid."""
    return _close(donation, S.EXPIRED, "", source)


def _close(donation: Donation, to: str, note: str, source: str) -> Donation:
    with transaction.atomic(durable=True):
        donation = lock_donation(donation.pk)
        if donation.status != S.PENDING:
            return donation  # already decided (settled, failed or expired): nothing changes
        transition(donation, to, source=source, comment=note)
        donation.save(update_fields=["status", "updated_at"])
    return donation


def donation_checkout_completed(
    *, donation: Donation, payment_intent_id: str = "", subscription_id: str = "",
    customer_id: str = "",
) -> Donation:  # fmt: skip
    """The donor finished Checkout; an asynchronous payment may still be on its way."""
    with transaction.atomic(durable=True):
        donation = lock_donation(donation.pk)
        fields = {
            "checkout_completed": True,
            "payment_intent_id": donation.payment_intent_id or payment_intent_id,
            "subscription_id": donation.subscription_id or subscription_id,
            "customer_id": donation.customer_id or customer_id,
        }
        changed = [k for k, v in fields.items() if getattr(donation, k) != v]
        for key in changed:
            setattr(donation, key, fields[key])
        if changed:
            donation.save(update_fields=[*changed, "updated_at"])
    return donation
