"""Reads of donations: lookups for the webhook handlers, the donor wall, totals, lists."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.db.models import OuterRef, QuerySet, Subquery, Sum
from moneyed import Money

from campaigns.models import Campaign
from donors.models import COUNTED, Donation, DonationStatus, RecurringGift, ReferenceRate
from webhooks.providers.base import CheckoutSnapshot, PaymentSnapshot


def donation_by_id(value: str | int) -> Donation | None:
    if not str(value).isdigit():
        return None
    return Donation.objects.filter(pk=int(value)).first()


def donation_by_reference(reference: str) -> Donation | None:
    try:
        return Donation.objects.select_related("campaign").filter(reference=reference).first()
    except Exception:  # not a UUID
        return None


def donation_for_checkout(session: CheckoutSnapshot) -> Donation | None:
    found = Donation.objects.filter(checkout_session_id=session.session_id).first()
    return found or donation_by_id(session.reference)


def donation_for_payment(payment: PaymentSnapshot) -> Donation | None:
    """The donation a payment pays: by invoice (monthly), by id in metadata, by intent id."""
    if payment.invoice_id:
        found = Donation.objects.filter(invoice_id=payment.invoice_id).first()
        if found:
            return found
    found = Donation.objects.filter(payment_intent_id=payment.payment_intent_id).first()
    if found:
        return found
    if payment.invoice_id:
        return None  # a monthly payment: the invoice handler creates its donation first
    return donation_by_id(payment.metadata.get("donation_id", ""))


def donation_first_for_subscription(subscription_id: str) -> Donation | None:
    if not subscription_id:
        return None
    gift = RecurringGift.objects.filter(subscription_id=subscription_id).first()
    qs = gift.donations.all() if gift else Donation.objects.filter(subscription_id=subscription_id)
    return qs.order_by("pk").first()


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


def reference_rate_in_force(*, currency: str, on: date) -> ReferenceRate | None:
    """The secretariat's rate for a currency on a day: the latest published on or before it."""
    return (ReferenceRate.objects.filter(currency=currency.upper(), effective_date__lte=on)
            .order_by("-effective_date").first())  # fmt: skip


def reference_rate_list(*, currency: str = "", on: date | None = None) -> QuerySet[ReferenceRate]:
    """Published rates, newest first; with `on`, only the rate in force that day per currency."""
    qs = ReferenceRate.objects.select_related("recorded_by")
    if currency:
        qs = qs.filter(currency=currency.upper())
    if on is not None:
        same = ReferenceRate.objects.filter(currency=OuterRef("currency"), effective_date__lte=on)
        latest = same.order_by("-effective_date").values("effective_date")[:1]
        qs = qs.filter(effective_date=Subquery(latest))
    return qs.order_by("currency", "-effective_date", "-pk")
