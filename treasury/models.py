"""The treasurer's own records: the secretariat's fee share per campaign, disbursements to
enterprises and their audit trail, and the reference exchange rates the secretariat
publishes. The money itself moves in the ledger, through its posting rules."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from djmoney.models.fields import MoneyField

from ledger.models import AMOUNT_DIGITS, AMOUNT_PLACES, RATE_DIGITS, RATE_PLACES, JournalEntry


class FeeShare(models.Model):
    """The share of each donation the secretariat takes as its fee, set per campaign (campaigns
    without a row use `settings.SECRETARIAT_FEE_SHARE`, default 0)."""

    campaign = models.OneToOneField(
        "campaigns.Campaign", on_delete=models.PROTECT, related_name="fee_share"
    )
    share = models.DecimalField(
        max_digits=5, decimal_places=4, help_text=_("0.0500 takes 5% of each donation.")
    )
    reason = models.TextField(blank=True)
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    set_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(share__gte=0, share__lte=Decimal("0.5")),
                name="treasury_fee_share_range",
            )
        ]

    def __str__(self) -> str:
        return f"{self.campaign_id}: {self.share:%}"


class DisbursementState(models.TextChoices):
    APPROVED = "approved", _("Approved")
    PAID = "paid", _("Paid")
    CANCELLED = "cancelled", _("Cancelled")


# The only moves a disbursement can make; each is one service in treasury/services/disbursements.
DISBURSEMENT_TRANSITIONS: dict[str, frozenset[str]] = {
    DisbursementState.APPROVED: frozenset({DisbursementState.PAID, DisbursementState.CANCELLED}),
    DisbursementState.PAID: frozenset(),
    DisbursementState.CANCELLED: frozenset(),
}


class Disbursement(models.Model):
    """Money the treasurer pays an enterprise out of its campaign's restricted fund.

    `amount` is what the enterprise receives, in its currency; `fund_amount` what leaves the
    fund, in the fund's currency. Approval records a pending entry (`entry`), payment posts
    it and books the bank payment (`payment_entry`), cancellation voids it.
    """

    reference = models.CharField(_("reference"), max_length=100, unique=True)
    campaign = models.ForeignKey(
        "campaigns.Campaign", on_delete=models.PROTECT, related_name="disbursements"
    )
    enterprise = models.ForeignKey(
        "campaigns.Enterprise", on_delete=models.PROTECT, related_name="disbursements"
    )
    amount = MoneyField(
        _("amount"), max_digits=AMOUNT_DIGITS, decimal_places=AMOUNT_PLACES,
        default_currency=None, help_text=_("What the enterprise receives, in its currency."),
    )  # fmt: skip
    fund_amount = MoneyField(
        _("fund amount"), max_digits=AMOUNT_DIGITS, decimal_places=AMOUNT_PLACES,
        default_currency=None, help_text=_("What leaves the fund, in the fund's currency."),
    )  # fmt: skip
    fund_rate = models.DecimalField(
        max_digits=RATE_DIGITS, decimal_places=RATE_PLACES, null=True, blank=True,
        help_text=_("Book-currency units per unit of the fund's currency (not for MYR)."),
    )  # fmt: skip
    state = models.CharField(
        max_length=16, choices=DisbursementState.choices, default=DisbursementState.APPROVED
    )
    approved_on = models.DateField(_("approved on"))
    paid = MoneyField(
        _("paid"), max_digits=AMOUNT_DIGITS, decimal_places=AMOUNT_PLACES, null=True,
        blank=True, default_currency=None, help_text=_("What left the bank."),
    )  # fmt: skip
    paid_on = models.DateField(_("paid on"), null=True, blank=True)
    bank_account_code = models.CharField(max_length=64, blank=True)
    entry = models.OneToOneField(
        JournalEntry, on_delete=models.PROTECT, related_name="disbursement",
        help_text=_("The approval's entry: pending, then posted when paid or void."),
    )  # fmt: skip
    payment_entry = models.OneToOneField(
        JournalEntry, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(state__in=DisbursementState.values),
                name="treasury_disbursement_state_valid",
            ),
            models.CheckConstraint(
                condition=Q(amount__gt=0, fund_amount__gt=0),
                name="treasury_disbursement_amounts_positive",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.amount} ({self.state})"


class DisbursementAudit(models.Model):
    """One row per transition of a disbursement: who, when, from and to which state, why."""

    disbursement = models.ForeignKey(Disbursement, on_delete=models.PROTECT, related_name="audit")
    from_state = models.CharField(max_length=16, choices=DisbursementState.choices, blank=True)
    to_state = models.CharField(max_length=16, choices=DisbursementState.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    comment = models.TextField(blank=True)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.disbursement_id}: {self.from_state or '-'} -> {self.to_state}"


class ReferenceRate(models.Model):
    """A rate the secretariat publishes: how many units of the book currency (MYR) one unit
    of `currency` is worth, in force from `effective_date` until the next one.

    Used to count a gift in a campaign's raised total when the donor gave in another
    currency; the books keep the payment provider's own rate. Append-only: a correction is a
    new rate.
    """

    currency = models.CharField(max_length=3)
    rate = models.DecimalField(
        max_digits=24,
        decimal_places=12,
        help_text="Book-currency units per one unit of the currency.",
    )
    effective_date = models.DateField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["currency", "-effective_date"]
        constraints = [
            models.UniqueConstraint(
                fields=["currency", "effective_date"], name="treasury_reference_rate_one_per_day"
            ),
            models.CheckConstraint(
                condition=Q(rate__gt=0), name="treasury_reference_rate_positive"
            ),
        ]

    def __str__(self) -> str:
        return (
            f"1 {self.currency} = {self.rate.normalize():f} {settings.BOOK_CURRENCY} "
            f"from {self.effective_date}"
        )
