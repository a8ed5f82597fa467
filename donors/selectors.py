"""Reads of donations: lookups for the webhook handlers, the donor wall, totals, lists."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import QuerySet, Sum
from moneyed import Money

from campaigns.models import Campaign
from donors.models import COUNTED, Donation, DonationStatus, RecurringGift
from payments.types import CheckoutSnapshot, InvoiceSnapshot, PaymentSnapshot


def donation_by_id(value: str | int) -> Donation | None:
    if not str(value).isdigit():
        return None
    return Donation.objects.filter(pk=int(value)).first()


def donation_by_reference(reference: str) -> Donation | None:
    try:
        return Donation.objects.select_related("campaign").filter(reference=reference).first()
    except Exception:  # not a UUID
        return None


def donation_by_provider_reference(value: str) -> Donation | None:
    """The donation a provider's object names in `client_reference_id` / `donation_id`
    metadata: its UUID reference. Sessions created before the reference was sent carry the
    donation's id (digits), looked up as such. The id alone is never trusted for new
    objects: SQLite hands a rolled-back donation's id to the next one."""
    if str(value).isdigit():
        return donation_by_id(value)
    return donation_by_reference(value) if value else None


def donation_for_checkout(session: CheckoutSnapshot) -> Donation | None:
    found = Donation.objects.filter(checkout_session_id=session.session_id).first()
    return found or donation_by_provider_reference(session.reference)


def donation_for_payment(payment: PaymentSnapshot) -> Donation | None:
    """The donation a payment pays: by invoice (monthly), by intent id, by the reference in
    its metadata."""
    if payment.invoice_id:
        found = Donation.objects.filter(invoice_id=payment.invoice_id).first()
        if found:
            return found
    found = Donation.objects.filter(payment_intent_id=payment.payment_intent_id).first()
    if found:
        return found
    if payment.invoice_id:
        return None  # a monthly payment: the invoice handler creates its donation first
    return donation_by_provider_reference(payment.metadata.get("donation_id", ""))


def donation_first_for_subscription(subscription_id: str) -> Donation | None:
    if not subscription_id:
        return None
    gift = RecurringGift.objects.filter(subscription_id=subscription_id).first()
    qs = gift.donations.all() if gift else Donation.objects.filter(subscription_id=subscription_id)
    return qs.order_by("pk").first()


def donation_first_for_invoice(invoice: InvoiceSnapshot) -> Donation | None:
    """The first donation of the monthly gift an invoice bills: by its subscription, else by
    the donation the subscription was created for."""
    first = donation_first_for_subscription(invoice.subscription_id)
    donation_ref = invoice.subscription_metadata.get("donation_id", "")
    return first or donation_by_provider_reference(donation_ref)


def donor_wall(*, campaign: Campaign, limit: int = 20) -> QuerySet[Donation]:
    """Confirmed gifts, newest first; the template shows `public_name` and the message."""
    return (Donation.objects.filter(campaign=campaign, status__in=COUNTED)
            .order_by("-settled_at", "-pk")[:limit])  # fmt: skip


def campaign_pending(*, campaign: Campaign) -> list[Money]:
    """Money on its way: checkouts completed whose payment has not settled, per currency."""
    rows = (
        Donation.objects.filter(
            campaign=campaign,
            status=DonationStatus.PENDING,
            checkout_completed=True,
            needs_review=False,
        )
        .values("amount_currency")
        .annotate(total=Sum("amount"))
        .order_by("amount_currency")
    )
    return [Money(r["total"] or Decimal(0), r["amount_currency"]) for r in rows]  # fmt: skip


def campaign_raised_recomputed(*, campaign: Campaign) -> Money:
    """Raised from the donations themselves, to check the cached total against."""
    total = (Donation.objects.filter(campaign=campaign)
             .aggregate(total=Sum("counted"))["total"]) or Decimal(0)  # fmt: skip
    return Money(total, str(campaign.goal.currency))


def donation_list(*, filters: dict | None = None) -> QuerySet[Donation]:
    qs = Donation.objects.select_related("campaign", "reference_rate").order_by(
        "-created_at", "-pk"
    )
    filters = filters or {}
    if filters.get("campaign"):
        qs = qs.filter(campaign__slug=filters["campaign"])
    if filters.get("status"):
        qs = qs.filter(status=filters["status"])
    if filters.get("needs_review") in ("1", "true", True):
        qs = qs.filter(needs_review=True)
    return qs
