"""Member enterprises, their project campaigns, and the review trail of both."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from djmoney.models.fields import MoneyField

from campaigns.regions import CAMPAIGN_CURRENCIES, SUB_REGION, Country, SubRegion
from common.uploads import PublicImageField, RandomName

CURRENCY_CHOICES = [(code, code) for code in CAMPAIGN_CURRENCIES]


class EnterpriseType(models.TextChoices):
    COOPERATIVE = "cooperative", _("Cooperative")
    SOCIAL_ENTERPRISE = "social_enterprise", _("Social enterprise")
    NGO = "ngo", _("NGO / non-profit")
    COMMUNITY_BASED = "community_based", _("Community-based organisation")
    INFORMAL_WORKERS = "informal_workers", _("Informal-workers' association")
    OTHER = "other", _("Other")


class MembershipStatus(models.TextChoices):
    APPLICANT = "applicant", _("Applicant")
    MEMBER = "member", _("Member")
    DECLINED = "declined", _("Declined")
    SUSPENDED = "suspended", _("Suspended")


class SdgGoal(models.Model):
    """One of the 17 Sustainable Development Goals (loaded by a data migration)."""

    number = models.PositiveSmallIntegerField(
        primary_key=True, validators=[MinValueValidator(1), MaxValueValidator(17)]
    )
    name = models.CharField(max_length=120)
    colour = models.CharField(max_length=7, help_text="The UN's colour for the goal's badge.")

    class Meta:
        ordering = ["number"]
        constraints = [
            models.CheckConstraint(condition=Q(number__gte=1, number__lte=17), name="sdg_1_to_17")
        ]

    def __str__(self) -> str:
        return f"SDG {self.number}: {self.name}"


class Enterprise(models.Model):
    legal_name = models.CharField(_("legal name"), max_length=200, unique=True)
    slug = models.SlugField(max_length=80, unique=True)
    type = models.CharField(_("type"), max_length=32, choices=EnterpriseType.choices)
    country = models.CharField(_("country"), max_length=2, choices=Country.choices)
    city = models.CharField(_("city"), max_length=100)
    website = models.URLField(_("website"), blank=True)
    description = models.TextField(_("description"))
    logo = PublicImageField(_("logo"), upload_to=RandomName("enterprises/logos"), blank=True)
    sdg_focus = models.ManyToManyField(SdgGoal, blank=True, related_name="enterprises")
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="enterprises"
    )
    status = models.CharField(
        max_length=16, choices=MembershipStatus.choices, default=MembershipStatus.APPLICANT
    )
    language = models.CharField(
        _("correspondence language"), max_length=8, choices=settings.LANGUAGES, default="en"
    )
    contact_email = models.EmailField(_("contact email"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["legal_name"]

    def __str__(self) -> str:
        return self.legal_name

    @property
    def sub_region(self) -> SubRegion:
        return SUB_REGION[self.country]


class EnterpriseStatusChange(models.Model):
    """Audit row written by every enterprise membership service."""

    enterprise = models.ForeignKey(Enterprise, on_delete=models.CASCADE, related_name="history")
    from_state = models.CharField(max_length=16, choices=MembershipStatus.choices, blank=True)
    to_state = models.CharField(max_length=16, choices=MembershipStatus.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    comment = models.TextField(blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.enterprise}: {self.from_state or '-'} -> {self.to_state}"


class FocalPoint(models.Model):
    """A country's coordinator; two slots per country make "at most two" a DB rule."""

    country = models.CharField(max_length=2, choices=Country.choices)
    slot = models.PositiveSmallIntegerField(choices=[(1, "1"), (2, "2")])
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="focal_points"
    )

    class Meta:
        ordering = ["country", "slot"]
        constraints = [
            models.UniqueConstraint(fields=["country", "slot"], name="focal_point_two_per_country"),
            models.UniqueConstraint(fields=["country", "user"], name="focal_point_once_per_user"),
            models.CheckConstraint(condition=Q(slot__in=[1, 2]), name="focal_point_slot_1_or_2"),
        ]

    def __str__(self) -> str:
        return f"{self.get_country_display()} focal point {self.slot}: {self.user}"


class CampaignStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    CHANGES_REQUESTED = "changes_requested", _("Changes requested")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    LIVE = "live", _("Live")
    ENDED = "ended", _("Ended")


class FundingModel(models.TextChoices):
    KEEP_IT_ALL = "keep_it_all", _("Keep what you raise")
    ALL_OR_NOTHING = "all_or_nothing", _("All or nothing")


class BeneficiaryGroup(models.TextChoices):
    WOMEN = "women", _("Women")
    YOUTH = "youth", _("Youth")
    FARMERS = "farmers", _("Farmers")
    INFORMAL_WORKERS = "informal_workers", _("Informal-economy workers")
    DISABILITIES = "disabilities", _("Persons with disabilities")
    INDIGENOUS = "indigenous", _("Indigenous communities")
    OTHER = "other", _("Other")


class Campaign(models.Model):
    enterprise = models.ForeignKey(Enterprise, on_delete=models.PROTECT, related_name="campaigns")
    title = models.CharField(_("title"), max_length=140)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    summary = models.CharField(_("summary"), max_length=280)
    story = models.TextField(_("story"), help_text=_("Rich text; scripts are removed."))
    cover = PublicImageField(_("cover image"), upload_to=RandomName("campaigns/covers"), blank=True)
    goal = MoneyField(
        _("goal"), max_digits=16, decimal_places=2, currency_choices=CURRENCY_CHOICES,
        default_currency="MYR",
    )  # fmt: skip
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))
    funding_model = models.CharField(
        _("funding model"), max_length=16, choices=FundingModel.choices,
        default=FundingModel.KEEP_IT_ALL,
    )  # fmt: skip
    sdg_goals = models.ManyToManyField(SdgGoal, related_name="campaigns", blank=True)
    sdg_indicators = models.JSONField(_("SDG indicators"), default=list, blank=True)
    beneficiary_groups = models.JSONField(_("beneficiary groups"), default=list, blank=True)
    status = models.CharField(
        max_length=20, choices=CampaignStatus.choices, default=CampaignStatus.DRAFT, db_index=True
    )
    # Cached totals in the campaign currency, maintained by the giving services in the same
    # transaction as each confirmed donation (zero until giving exists).
    raised = MoneyField(
        max_digits=16, decimal_places=2, currency_choices=CURRENCY_CHOICES, default=0,
        default_currency="MYR",
    )  # fmt: skip
    donor_count = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    went_live_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(end_date__gt=models.F("start_date")),
                                   name="campaign_ends_after_start"),
            models.CheckConstraint(condition=Q(goal__gt=0), name="campaign_goal_positive"),
            models.CheckConstraint(condition=Q(raised_currency=models.F("goal_currency")),
                                   name="campaign_raised_in_goal_currency"),
        ]  # fmt: skip

    def __str__(self) -> str:
        return self.title


class BudgetLine(models.Model):
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="budget_lines")
    position = models.PositiveSmallIntegerField(default=0)
    description = models.CharField(_("description"), max_length=200)
    amount = MoneyField(
        _("amount"), max_digits=16, decimal_places=2, currency_choices=CURRENCY_CHOICES,
        default_currency="MYR",
    )  # fmt: skip

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="budget_line_positive")
        ]

    def __str__(self) -> str:
        return f"{self.description}: {self.amount}"


class ExpectedOutcome(models.Model):
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="outcomes")
    position = models.PositiveSmallIntegerField(default=0)
    indicator = models.CharField(_("indicator"), max_length=200)
    target_value = models.DecimalField(_("target value"), max_digits=14, decimal_places=2)
    unit = models.CharField(_("unit"), max_length=60)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return f"{self.indicator}: {self.target_value} {self.unit}"


class CampaignTransition(models.Model):
    """Who moved a campaign from one state to another, when, and why."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="transitions")
    from_state = models.CharField(max_length=20, choices=CampaignStatus.choices, blank=True)
    to_state = models.CharField(max_length=20, choices=CampaignStatus.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        help_text="Empty when the schedule made the change.",
    )  # fmt: skip
    comment = models.TextField(blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.campaign}: {self.from_state or '-'} -> {self.to_state}"
