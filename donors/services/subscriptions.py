"""Monthly gifts: the subscription behind them, a donation per paid invoice, cancellation."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone

from common.errors import Conflict
from donors.models import Donation, DonationStatus, DonationTransition, Frequency, RecurringGift
from donors.services.common import lock_donation
from donors.services.sync import payment_apply
from payments.registry import get_provider
from payments.types import CheckoutSnapshot, InvoiceSnapshot


def checkout_subscription_apply(
    *, provider: str, first: Donation, session: CheckoutSnapshot, source: str
) -> str:
    """A completed checkout that started a monthly gift: the gift, then its first invoice."""
    if session.subscription_id:
        recurring_gift_ensure(first=first, subscription_id=session.subscription_id,
                              customer_id=session.customer_id, provider=provider)  # fmt: skip
    if session.invoice is None:
        return "subscription"
    return invoice_apply(provider=provider, invoice=session.invoice, source=source, first=first)


def invoice_apply(
    *, provider: str, invoice: InvoiceSnapshot, first: Donation | None, source: str,
    failed: bool = False,
) -> str:  # fmt: skip
    """A subscription's invoice, with the first donation of its monthly gift (`first`): the
    gift, the donation the invoice pays (the first month's, or a new one for a renewal),
    then its payment."""
    if invoice.status != "paid" and not failed:
        return f"invoice {invoice.status}"
    if first is None:
        return f"no donation for subscription {invoice.subscription_id}"
    gift = recurring_gift_ensure(first=first, subscription_id=invoice.subscription_id,
                                 provider=provider)  # fmt: skip
    donation = donation_for_invoice(first=first, gift=gift, invoice=invoice)
    return payment_apply(donation=donation, payment=invoice.payment, source=source)


def recurring_gift_ensure(
    *, first: Donation, subscription_id: str, customer_id: str = "", provider: str = ""
) -> RecurringGift:
    """The monthly gift for a subscription, created once from its first donation."""
    with transaction.atomic(durable=True):
        first = lock_donation(first.pk)
        gift = RecurringGift.objects.filter(subscription_id=subscription_id).first()
        if gift is None:
            gift = RecurringGift.objects.create(
                campaign_id=first.campaign_id, provider=provider or first.provider,
                subscription_id=subscription_id, customer_id=customer_id, email=first.email,
            )  # fmt: skip
        if first.recurring_gift_id != gift.pk or not first.subscription_id:
            first.recurring_gift = gift
            first.subscription_id = subscription_id
            first.save(update_fields=["recurring_gift", "subscription_id", "updated_at"])
    return gift


def donation_for_invoice(*, first: Donation, gift: RecurringGift, invoice: InvoiceSnapshot):
    """The donation an invoice pays: the first one for the first invoice, else a new one."""
    existing = Donation.objects.filter(invoice_id=invoice.id).first()
    if existing:
        return existing
    with transaction.atomic(durable=True):
        first = lock_donation(first.pk)
        if invoice.billing_reason == "subscription_create" and not first.invoice_id:
            first.invoice_id = invoice.id
            first.save(update_fields=["invoice_id", "updated_at"])
            return first
        try:
            with transaction.atomic():
                donation = Donation.objects.create(
                    campaign_id=first.campaign_id, frequency=Frequency.MONTHLY,
                    recurring_gift=gift, provider=gift.provider, amount=first.amount,
                    fee_cover=first.fee_cover,
                    email=first.email, name=first.name, country=first.country,
                    language=first.language, anonymous=first.anonymous, message=first.message,
                    dedication=first.dedication, subscription_id=gift.subscription_id,
                    customer_id=gift.customer_id, invoice_id=invoice.id,
                )  # fmt: skip
        except IntegrityError:
            return Donation.objects.get(invoice_id=invoice.id)
        DonationTransition.objects.create(donation=donation, to_state=DonationStatus.PENDING,
                                          source=f"invoice:{invoice.id}")  # fmt: skip
    return donation


def recurring_gift_mark_cancelled(*, subscription_id: str) -> RecurringGift | None:
    """The provider says the subscription ended: no more invoices will come."""
    with transaction.atomic(durable=True):
        gift = RecurringGift.objects.select_for_update().filter(
            subscription_id=subscription_id).first()  # fmt: skip
        if gift and gift.status != RecurringGift.Status.CANCELLED:
            gift.status = RecurringGift.Status.CANCELLED
            gift.cancelled_at = timezone.now()
            gift.save(update_fields=["status", "cancelled_at"])
    return gift


def recurring_gift_cancel(*, gift: RecurringGift) -> RecurringGift:
    """The donor's signed link: cancel at the provider, then record it (the webhook agrees
    later)."""
    if gift.status == RecurringGift.Status.CANCELLED:
        return gift
    if not gift.subscription_id:
        raise Conflict("This monthly gift has no subscription yet.")
    get_provider(gift.provider).cancel_subscription(gift.subscription_id)
    return recurring_gift_mark_cancelled(subscription_id=gift.subscription_id) or gift
