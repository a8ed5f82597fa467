"""Refunds: asked for by the treasurer, sent to the payment provider with a key, booked when
the provider confirms them."""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from moneyed import Money

from campaigns.services.totals import campaign_totals_move
from common.errors import ApplicationError, Conflict
from common.tasks import enqueue
from donors.models import Donation, DonationStatus, Refund
from donors.services import books
from donors.services.common import lock_donation, share_of, transition
from payments.registry import get_provider
from payments.types import RefundSnapshot

S = DonationStatus
REFUNDABLE = frozenset({S.SUCCEEDED, S.PARTIALLY_REFUNDED, S.DISPUTE_WON})


def _outstanding(donation: Donation) -> Money:
    """What may still be refunded: the gift less refunds booked or on their way."""
    asked = (donation.refunds.exclude(status=Refund.Status.FAILED).filter(booked_at__isnull=True)
             .aggregate(total=Sum("amount"))["total"]) or 0  # fmt: skip
    currency = str(donation.amount.currency)
    return Money(donation.amount.amount - donation.refunded_amount.amount - asked, currency)


def refund_request(
    *, donation: Donation, amount: Money | None, idempotency_key: str, actor=None, reason=""
) -> Refund:
    """Ask the provider to refund all (amount=None) or part of a gift; safe to repeat with the
    key."""
    with transaction.atomic(durable=True):
        donation = lock_donation(donation.pk)
        # Checked under the donation's lock: a concurrent repeat waits, then finds the first.
        existing = Refund.objects.filter(idempotency_key=idempotency_key).first()
        if existing:
            if existing.donation_id != donation.pk:
                raise Conflict(_("This idempotency key was used for another donation."))
            return existing
        if donation.status not in REFUNDABLE:
            raise Conflict(_("Only a confirmed gift can be refunded."), code="not_refundable")
        outstanding = _outstanding(donation)
        if amount is None:  # no amount: what remains (zero is an amount, and refused below)
            if outstanding.amount <= 0:
                raise ApplicationError(_("There is nothing left to refund on this gift."),
                                       code="nothing_to_refund")  # fmt: skip
            amount = outstanding
        if str(amount.currency) != str(donation.amount.currency):
            raise ApplicationError(_("Refund in the gift's currency."), fields={
                "amount": [_("Use %(c)s.") % {"c": donation.amount.currency}]})  # fmt: skip
        if amount.amount <= 0 or amount.amount > outstanding.amount:
            raise ApplicationError(
                _("The refund must be above zero and at most %(m)s.") % {"m": outstanding},
                fields={"amount": [str(outstanding)]},
            )
        places = get_provider(donation.provider).allowed_decimals(str(amount.currency))
        if amount.amount != amount.amount.quantize(Decimal(1).scaleb(-places)):
            raise ApplicationError(_("Too many decimals for this currency."),
                                   fields={"amount": [_("Too many decimals.")]})  # fmt: skip
        refund = Refund.objects.create(
            donation=donation,
            amount=amount,
            reason=reason,
            idempotency_key=idempotency_key,
            requested_by=actor,
        )
        transaction.on_commit(lambda: enqueue("donors.tasks.submit_refund", refund.pk))
    return refund


def provider_key(refund: Refund) -> str:
    """The idempotency key of our refund request to the provider: from the row's UUID, never
    handed out again (an id is, after a rollback, and the provider would answer a new
    refund with an old one's result). Refunds from before the UUID keep the key they may
    already have been sent with."""
    return f"gotong-refund-{refund.reference or refund.pk}"


def refund_submit(*, refund_id: int) -> Refund:
    """Send a requested refund to the provider (the key is derived from our row: safe to
    retry)."""
    refund = Refund.objects.select_related("donation").get(pk=refund_id)
    if refund.provider_refund_id or refund.status != Refund.Status.REQUESTED:
        return refund
    snapshot = get_provider(refund.donation.provider).refund(
        payment_intent_id=refund.donation.payment_intent_id, amount=refund.amount,
        idempotency_key=provider_key(refund), reference=str(refund.pk),
    )  # fmt: skip
    with transaction.atomic(durable=True):
        lock_donation(refund.donation_id)
        refund = Refund.objects.select_for_update().get(pk=refund_id)
        if not refund.provider_refund_id:
            refund.provider_refund_id = snapshot.id
            refund.status = Refund.Status.PENDING
            refund.save(update_fields=["provider_refund_id", "status"])
    if snapshot.status == "succeeded" and snapshot.balance_transaction:
        refund_book(donation=refund.donation, refund=snapshot, source=f"refund:{snapshot.id}")
    return refund


def refund_book(*, donation: Donation, refund: RefundSnapshot, source: str = "") -> Refund | None:
    """Book a refund the provider confirmed: donation state, campaign totals and the ledger,
    once."""
    if refund.status != "succeeded" or refund.balance_transaction is None:
        if refund.status in ("failed", "canceled"):
            Refund.objects.filter(provider_refund_id=refund.id, booked_at__isnull=True).update(
                status=Refund.Status.FAILED)  # fmt: skip
        return None
    with transaction.atomic(durable=True):
        donation = lock_donation(donation.pk)
        row = _refund_row(donation, refund)
        if row.booked_at:
            return row
        if not donation.balance_transaction_id:
            raise Conflict("refund of an unsettled donation", code="not_settled")
        share = share_of(donation, refund.amount)
        donation.refunded_amount = Money(donation.refunded_amount.amount + refund.amount.amount,
                                         str(donation.amount.currency))  # fmt: skip
        full = donation.refunded_amount.amount >= donation.amount.amount
        to = S.REFUNDED if full else S.PARTIALLY_REFUNDED
        if to in {S.REFUNDED, S.PARTIALLY_REFUNDED} and donation.status != S.DISPUTED:
            transition(donation, to, source=source, comment=f"refund {refund.id} {refund.amount}")
        donation.counted = Money(donation.counted.amount - share.amount, donation.counted.currency)
        donation.save()
        campaign_totals_move(campaign_id=donation.campaign_id, raised=-share,
                             donors=-1 if full else 0)  # fmt: skip
        bt = refund.balance_transaction
        row.status, row.settled_amount = Refund.Status.SUCCEEDED, bt.gross
        row.balance_transaction_id, row.booked_at = bt.id, timezone.now()
        row.save()
        books.book_refund(donation, refund)
    return row


def _refund_row(donation: Donation, refund: RefundSnapshot) -> Refund:
    row = Refund.objects.select_for_update().filter(provider_refund_id=refund.id).first()
    ours = refund.metadata.get("refund_id", "")
    if row is None and ours.isdigit():
        row = Refund.objects.select_for_update().filter(pk=int(ours), donation=donation).first()
        if row is not None:
            row.provider_refund_id = refund.id
    if row is None:  # refunded in the provider's dashboard: record it as it is
        row = Refund(donation=donation, amount=refund.amount, provider_refund_id=refund.id,
                     reason="refunded at the provider")  # fmt: skip
    return row
