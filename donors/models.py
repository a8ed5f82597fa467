"""Donations, their state trail, refunds, disputes, monthly gifts and receipts."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from djmoney.models.fields import MoneyField

MONEY = {"max_digits": 18, "decimal_places": 3, "default_currency": "MYR"}


class DonationStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    SUCCEEDED = "succeeded", _("Succeeded")
    FAILED = "failed", _("Failed")
    EXPIRED = "expired", _("Expired")
    PARTIALLY_REFUNDED = "partially_refunded", _("Partially refunded")
    REFUNDED = "refunded", _("Refunded")
    DISPUTED = "disputed", _("Disputed")
    DISPUTE_WON = "dispute_won", _("Dispute won")
    DISPUTE_LOST = "dispute_lost", _("Dispute lost")


S = DonationStatus
# Which state may follow which. Every state service checks this map and writes an audit row.
TRANSITIONS: dict[str, frozenset[str]] = {
    S.PENDING: frozenset({S.SUCCEEDED, S.FAILED, S.EXPIRED}),
    # A late success after a failed or expired checkout still happened at the provider: the
    # authoritative payment wins, so these may still settle.
    S.FAILED: frozenset({S.SUCCEEDED}),
    S.EXPIRED: frozenset({S.SUCCEEDED}),
    S.SUCCEEDED: frozenset({S.PARTIALLY_REFUNDED, S.REFUNDED, S.DISPUTED}),
    S.PARTIALLY_REFUNDED: frozenset({S.PARTIALLY_REFUNDED, S.REFUNDED, S.DISPUTED}),
    S.REFUNDED: frozenset(),
    S.DISPUTED: frozenset({S.DISPUTE_WON, S.DISPUTE_LOST}),
    S.DISPUTE_WON: frozenset({S.PARTIALLY_REFUNDED, S.REFUNDED, S.DISPUTED}),
    S.DISPUTE_LOST: frozenset(),
}
# Money that counts towards the campaign (confirmed and not taken back in full).
COUNTED = frozenset({S.SUCCEEDED, S.PARTIALLY_REFUNDED, S.DISPUTED, S.DISPUTE_WON})


class Frequency(models.TextChoices):
    ONCE = "once", _("Once")
    MONTHLY = "monthly", _("Monthly")


class RecurringGift(models.Model):
    """A monthly gift: one subscription at the payment provider, one donation per paid
    invoice."""

    class Status(models.TextChoices):
        INCOMPLETE = "incomplete", _("Incomplete")
        ACTIVE = "active", _("Active")
        CANCELLED = "cancelled", _("Cancelled")

    campaign = models.ForeignKey("campaigns.Campaign", on_delete=models.PROTECT,
                                 related_name="recurring_gifts")  # fmt: skip
    provider = models.CharField(max_length=32, help_text="The payment provider's code.")
    subscription_id = models.CharField(max_length=255, unique=True)
    customer_id = models.CharField(max_length=255, blank=True)
    email = models.EmailField()
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.ACTIVE)
    created_at = models.DateTimeField(auto_now_add=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"Monthly gift {self.subscription_id} ({self.status})"


class Donation(models.Model):
    reference = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    campaign = models.ForeignKey("campaigns.Campaign", on_delete=models.PROTECT,
                                 related_name="donations")  # fmt: skip
    status = models.CharField(max_length=20, choices=DonationStatus.choices,
                              default=DonationStatus.PENDING, db_index=True)  # fmt: skip
    frequency = models.CharField(max_length=8, choices=Frequency.choices, default=Frequency.ONCE)
    recurring_gift = models.ForeignKey(
        RecurringGift, null=True, blank=True, on_delete=models.PROTECT, related_name="donations"
    )
    provider = models.CharField(
        max_length=32, help_text="The payment provider the gift goes through (payments/<code>)."
    )

    # What the donor gives, in their (presentment) currency; fee_cover is included in amount.
    amount = MoneyField(**MONEY)
    fee_cover = MoneyField(**MONEY, default=0)
    email = models.EmailField()
    name = models.CharField(max_length=120, blank=True)
    country = models.CharField(max_length=2, help_text="ISO 3166 alpha-2; the law asks for it.")
    language = models.CharField(max_length=8, choices=settings.LANGUAGES, default="en")
    anonymous = models.BooleanField(default=False)
    message = models.CharField(max_length=500, blank=True)
    dedication = models.CharField(max_length=200, blank=True)

    # What the provider's balance transaction says (settlement currency), and what the
    # campaign got.
    settled_amount = MoneyField(**MONEY, null=True, blank=True)
    processing_fee = MoneyField(**MONEY, null=True, blank=True)
    net_amount = MoneyField(**MONEY, null=True, blank=True)
    exchange_rate = models.DecimalField(max_digits=20, decimal_places=10, null=True, blank=True)
    refunded_amount = MoneyField(**MONEY, default=0)  # presentment currency
    counted = MoneyField(**MONEY, default=0, help_text="Currently in the campaign's raised total.")
    campaign_amount = MoneyField(
        **MONEY,
        null=True,
        blank=True,
        help_text="What the gift added to the campaign's raised total when it settled.",
    )
    reference_rate = models.ForeignKey(
        "treasury.ReferenceRate",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="donations",
        help_text="The secretariat's rate that converted the settled amount, if one was needed.",
    )
    settled_at = models.DateTimeField(null=True, blank=True)
    checkout_completed = models.BooleanField(
        default=False, help_text="The donor finished Checkout; money on its way (async methods)."
    )

    # The provider's ids.
    checkout_session_id = models.CharField(max_length=255, blank=True)
    checkout_url = models.URLField(max_length=2000, blank=True)
    payment_intent_id = models.CharField(max_length=255, blank=True)
    charge_id = models.CharField(max_length=255, blank=True)
    balance_transaction_id = models.CharField(max_length=255, blank=True)
    subscription_id = models.CharField(max_length=255, blank=True)
    invoice_id = models.CharField(max_length=255, blank=True)
    customer_id = models.CharField(max_length=255, blank=True)

    needs_review = models.BooleanField(default=False, db_index=True)
    review_note = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="donation_amount_positive"),
            models.UniqueConstraint(fields=["checkout_session_id"],
                                    condition=~Q(checkout_session_id=""),
                                    name="donation_unique_session"),
            models.UniqueConstraint(fields=["payment_intent_id"],
                                    condition=~Q(payment_intent_id=""),
                                    name="donation_unique_payment_intent"),
            models.UniqueConstraint(fields=["invoice_id"], condition=~Q(invoice_id=""),
                                    name="donation_unique_invoice"),
        ]  # fmt: skip

    def __str__(self) -> str:
        return f"Donation {self.pk} {self.amount} to {self.campaign_id} ({self.status})"

    @property
    def public_name(self) -> str:
        return str(_("Anonymous")) if self.anonymous or not self.name else self.name


class DonationTransition(models.Model):
    """Audit row written by every donation state service."""

    donation = models.ForeignKey(Donation, on_delete=models.CASCADE, related_name="transitions")
    from_state = models.CharField(max_length=20, choices=DonationStatus.choices, blank=True)
    to_state = models.CharField(max_length=20, choices=DonationStatus.choices)
    source = models.CharField(max_length=255, blank=True, help_text="Event id or actor.")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                              on_delete=models.SET_NULL)  # fmt: skip
    comment = models.TextField(blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.donation_id}: {self.from_state or '-'} -> {self.to_state}"


class Refund(models.Model):
    class Status(models.TextChoices):
        REQUESTED = "requested", _("Requested")
        PENDING = "pending", _("Pending at the payment provider")
        SUCCEEDED = "succeeded", _("Succeeded")
        FAILED = "failed", _("Failed")

    donation = models.ForeignKey(Donation, on_delete=models.PROTECT, related_name="refunds")
    amount = MoneyField(**MONEY)  # presentment currency
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.REQUESTED)
    idempotency_key = models.CharField(max_length=255, unique=True, null=True, blank=True)
    # The key of our request to the provider is built from this, never from the id (an id
    # is handed out again after a rollback). Empty on refunds from before it existed, which
    # keep the id-based key they may already have been sent with.
    reference = models.UUIDField(default=uuid.uuid4, unique=True, null=True, editable=False)
    provider_refund_id = models.CharField(max_length=255, unique=True, null=True, blank=True)
    settled_amount = MoneyField(**MONEY, null=True, blank=True)  # settlement currency
    balance_transaction_id = models.CharField(max_length=255, blank=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                     on_delete=models.SET_NULL)  # fmt: skip
    reason = models.CharField(max_length=255, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    booked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0),
                                              name="refund_amount_positive")]  # fmt: skip

    def __str__(self) -> str:
        return f"Refund {self.amount} of donation {self.donation_id} ({self.status})"


class Dispute(models.Model):
    donation = models.ForeignKey(Donation, on_delete=models.PROTECT, related_name="disputes")
    provider_dispute_id = models.CharField(max_length=255, unique=True)
    amount = MoneyField(**MONEY)
    status = models.CharField(max_length=32)
    reason = models.CharField(max_length=64, blank=True)
    withdrawn_booked = models.BooleanField(default=False)
    closed_booked = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Dispute {self.provider_dispute_id} ({self.status})"


class Receipt(models.Model):
    """One per confirmed donation; `sent_at` makes the email go out exactly once."""

    donation = models.OneToOneField(Donation, on_delete=models.PROTECT, related_name="receipt")
    number = models.CharField(max_length=32, unique=True)
    issued_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return self.number
