"""Reads of enterprises and campaigns: what the public, members and reviewers may see."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import (
    Case,
    DecimalField,
    ExpressionWrapper,
    F,
    IntegerField,
    Q,
    QuerySet,
    Value,
    When,
)
from django.http import Http404
from django.utils import timezone
from moneyed import Money

from campaigns.models import Campaign, CampaignStatus, Enterprise, MembershipStatus
from campaigns.regions import countries_in
from campaigns.services.funds import campaign_fund_owner
from campaigns.workflow import PUBLIC
from common.roles import is_admin, is_reviewer
from ledger.selectors.balances import fund_balance

AnyUser = AbstractBaseUser | AnonymousUser
SORTS = ("ending_soon", "newest", "closest_to_goal")
_PUBLIC = Q(status__in=PUBLIC)
_NOTHING, _EVERYTHING = Q(pk__in=[]), Q(pk__isnull=False)

# How much of a review history (campaign transitions, membership changes) a user reads.
HISTORY_PUBLIC, HISTORY_MEMBER, HISTORY_REVIEWER = "public", "member", "reviewer"


@dataclass(frozen=True)
class CampaignProgress:
    raised: Money
    goal: Money
    percent: int
    days_left: int | None


def _with_relations(qs: QuerySet[Campaign]) -> QuerySet[Campaign]:
    return qs.select_related("enterprise").prefetch_related("sdg_goals")


def _sorted(qs: QuerySet[Campaign], sort: str) -> QuerySet[Campaign]:
    if sort == "newest":
        return qs.order_by(F("went_live_at").desc(nulls_last=True), "-created_at", "-pk")
    if sort == "closest_to_goal":
        share = ExpressionWrapper(
            F("raised") * Value(1000) / F("goal"),
            output_field=DecimalField(max_digits=20, decimal_places=4),
        )
        reached = Case(When(raised__gte=F("goal"), then=1), default=0, output_field=IntegerField())
        return qs.annotate(share=share, reached=reached).order_by("reached", "-share", "end_date")
    live_first = Case(
        When(status=CampaignStatus.LIVE, then=0), default=1, output_field=IntegerField()
    )
    return qs.annotate(live_first=live_first).order_by("live_first", "end_date", "pk")


def campaign_filter(qs: QuerySet[Campaign], filters: dict[str, Any]) -> QuerySet[Campaign]:
    """Apply the public list's search, filters and sort to any campaign queryset."""
    if q := (filters.get("q") or "").strip():
        qs = qs.filter(
            Q(title__icontains=q) | Q(summary__icontains=q) | Q(enterprise__legal_name__icontains=q)
            | Q(enterprise__city__icontains=q)
        )  # fmt: skip
    if country := filters.get("country"):
        qs = qs.filter(enterprise__country=country)
    if sub_region := filters.get("sub_region"):
        qs = qs.filter(enterprise__country__in=countries_in(sub_region))
    if sdg := filters.get("sdg"):
        qs = qs.filter(sdg_goals__number=int(sdg))
    if enterprise_type := filters.get("enterprise_type"):
        qs = qs.filter(enterprise__type=enterprise_type)
    if state := filters.get("state"):
        qs = qs.filter(status=state)
    if status := filters.get("status"):
        qs = qs.filter(status=status)
    sort = filters.get("sort") if filters.get("sort") in SORTS else "ending_soon"
    return _sorted(qs.distinct(), sort)


def campaign_list_public(*, filters: dict[str, Any] | None = None) -> QuerySet[Campaign]:
    """Live and ended campaigns, searched, filtered and sorted as on the public list."""
    filters = dict(filters or {})
    if filters.get("state") not in (CampaignStatus.LIVE, CampaignStatus.ENDED):
        filters["state"] = ""
    filters.pop("status", None)
    return _with_relations(campaign_filter(campaigns_public(), filters))


def campaigns_public() -> QuerySet[Campaign]:
    """The one rule of what the public sees: live and ended campaigns (`workflow.PUBLIC`).
    Every public page and endpoint that finds a campaign, by list or by slug, starts here;
    a draft, a proposal under review, an approved one not yet live or a rejected one is a 404
    there, for everyone (its enterprise and the reviewers follow it on the proposal pages)."""
    return Campaign.objects.filter(_PUBLIC)


def _proposals_of(user: AnyUser) -> Q:
    """The proposals a user follows, whatever their state: their enterprises' own (drafts
    included); for reviewers every one submitted at least once; for admins all."""
    if not user.is_authenticated:
        return _NOTHING
    if is_admin(user):
        return _EVERYTHING
    followed = Q(enterprise__members=user)
    if is_reviewer(user):
        followed |= ~Q(status=CampaignStatus.DRAFT)
    return followed


def campaigns_visible_to(*, user: AnyUser) -> QuerySet[Campaign]:
    """Everything a user may see in the API: public campaigns and the proposals they follow."""
    return _with_relations(Campaign.objects.filter(_PUBLIC | _proposals_of(user)).distinct())


def campaign_get_public(*, slug: str) -> Campaign:
    """A public campaign (`campaigns_public`), or 404."""
    try:
        return _with_relations(campaigns_public()).get(slug=slug)
    except Campaign.DoesNotExist as exc:
        raise Http404("No such campaign.") from exc


def campaign_get_proposal(*, user: AnyUser, slug: str) -> Campaign:
    """A proposal, with its review history, for the proposal pages: its enterprise's members
    and the reviewers follow it; anyone else gets 404 (the public page is theirs)."""
    try:
        return _with_relations(Campaign.objects.filter(_proposals_of(user)).distinct()).get(
            slug=slug
        )
    except Campaign.DoesNotExist as exc:
        raise Http404("No such campaign.") from exc


def campaign_get_for_user(*, user: AnyUser, slug: str) -> Campaign:
    """A campaign the user may see (a draft only by its own enterprise), or 404."""
    try:
        return campaigns_visible_to(user=user).get(slug=slug)
    except Campaign.DoesNotExist as exc:
        raise Http404("No such campaign.") from exc


def campaigns_of_user(*, user: AnyUser) -> QuerySet[Campaign]:
    """The proposals of the enterprises the user belongs to, newest first."""
    if not user.is_authenticated:
        return Campaign.objects.none()
    return _with_relations(Campaign.objects.filter(enterprise__members=user)).order_by(
        "-updated_at", "-pk"
    )


def enterprises_of_user(*, user: AnyUser) -> QuerySet[Enterprise]:
    """Member enterprises the user may propose campaigns for."""
    if not user.is_authenticated:
        return Enterprise.objects.none()
    return Enterprise.objects.filter(members=user, status=MembershipStatus.MEMBER)


def enterprise_other_campaigns(*, campaign: Campaign, limit: int = 3) -> list[Campaign]:
    qs = campaigns_public().filter(enterprise_id=campaign.enterprise_id)
    return list(
        _with_relations(qs.exclude(pk=campaign.pk)).order_by(
            F("went_live_at").desc(nulls_last=True), "-pk"
        )[:limit]
    )


def campaign_progress(*, campaign: Campaign, today: date | None = None) -> CampaignProgress:
    today = today or timezone.localdate()
    goal, raised = campaign.goal, campaign.raised
    percent = int(min(100, raised.amount * 100 / goal.amount)) if goal.amount else 0
    days_left = None
    if campaign.status == CampaignStatus.LIVE:
        days_left = max(0, (campaign.end_date - today).days)
    return CampaignProgress(raised=raised, goal=goal, percent=percent, days_left=days_left)


def review_queue() -> QuerySet[Campaign]:
    """Proposals waiting for the secretariat, oldest first."""
    return _with_relations(Campaign.objects.filter(status=CampaignStatus.SUBMITTED)).order_by(
        "updated_at", "pk"
    )


def history_audience(*, user: AnyUser, enterprise: Enterprise) -> str:
    """Reviewers (and admins) read all of a review history; the enterprise's members read the
    comments addressed to them; everyone else reads the states and dates, not who nor why."""
    if is_reviewer(user):
        return HISTORY_REVIEWER
    if user.is_authenticated and enterprise.members.filter(pk=user.pk).exists():
        return HISTORY_MEMBER
    return HISTORY_PUBLIC


def enterprises_visible_to(*, user: AnyUser) -> QuerySet[Enterprise]:
    """The public sees member enterprises; reviewers every applicant; users their own."""
    if is_reviewer(user):
        return Enterprise.objects.all()
    visible = Q(status=MembershipStatus.MEMBER)
    if user.is_authenticated:
        visible |= Q(members=user)
    return Enterprise.objects.filter(visible).distinct()


def campaign_fund_balance(*, campaign: Campaign) -> dict[str, Money]:
    """What the campaign's restricted fund holds in the ledger, per currency, read positive."""
    return fund_balance(owner=campaign_fund_owner(campaign.pk))
