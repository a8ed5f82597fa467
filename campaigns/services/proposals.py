"""Writing a proposal: create and update, all-or-nothing, by the enterprise's members."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from moneyed import Money

from campaigns.models import (
    BudgetLine,
    Campaign,
    Enterprise,
    ExpectedOutcome,
    FundingModel,
    MembershipStatus,
    SdgGoal,
)
from campaigns.services.validation import check_proposal
from campaigns.workflow import EDITABLE
from common.errors import ApplicationError, Conflict
from common.roles import is_admin

PROPOSAL_FIELDS = (
    "title", "slug", "summary", "story", "cover", "goal_amount", "goal_currency",
    "start_date", "end_date", "funding_model", "sdg_goals", "sdg_indicators",
    "beneficiary_groups", "budget_lines", "outcomes",
)  # fmt: skip
# May be left out of a new proposal: none of them is chosen.
OPTIONAL_LISTS = ("sdg_indicators", "beneficiary_groups", "outcomes")


def _require_proposer(user: AbstractBaseUser, enterprise: Enterprise) -> None:
    enterprise = Enterprise.objects.get(pk=enterprise.pk)  # its current standing
    if not (is_admin(user) or enterprise.members.filter(pk=user.pk).exists()):
        raise ApplicationError(
            _("Only the enterprise's own members can write its proposals."),
            code="not_a_member", status_code=403,
        )  # fmt: skip
    if enterprise.status != MembershipStatus.MEMBER:
        raise ApplicationError(
            _("Only member enterprises of the network may propose campaigns."),
            code="enterprise_not_member", status_code=403,
        )  # fmt: skip


def _current_data(campaign: Campaign) -> dict[str, Any]:
    return {
        "title": campaign.title, "slug": campaign.slug, "summary": campaign.summary,
        "story": campaign.story, "cover": None, "goal_amount": campaign.goal.amount,
        "goal_currency": str(campaign.goal.currency), "start_date": campaign.start_date,
        "end_date": campaign.end_date, "funding_model": campaign.funding_model,
        "sdg_goals": list(campaign.sdg_goals.values_list("number", flat=True)),
        "sdg_indicators": list(campaign.sdg_indicators),
        "beneficiary_groups": list(campaign.beneficiary_groups),
        "budget_lines": [{"description": line.description, "amount": line.amount.amount}
                         for line in campaign.budget_lines.all()],
        "outcomes": [{"indicator": o.indicator, "target_value": o.target_value, "unit": o.unit}
                     for o in campaign.outcomes.all()],
    }  # fmt: skip


def _validated(data: dict[str, Any], *, campaign: Campaign | None = None) -> dict[str, Any]:
    unknown = set(data) - set(PROPOSAL_FIELDS)
    if unknown:
        raise ApplicationError(
            _("Unknown fields: %(fields)s") % {"fields": ", ".join(sorted(unknown))}
        )
    merged = {**(_current_data(campaign) if campaign else {}), **data}
    merged.setdefault("funding_model", FundingModel.KEEP_IT_ALL)
    for optional in OPTIONAL_LISTS:
        merged.setdefault(optional, [])
    errors = check_proposal(merged, today=timezone.localdate())
    for field in sorted(set(PROPOSAL_FIELDS) - set(merged) - {"cover"}):
        errors.setdefault(field, []).append(_("This field is required."))
    slug_taken = Campaign.objects.filter(slug=merged.get("slug")).exclude(
        pk=campaign.pk if campaign else None
    )
    if merged.get("slug") and slug_taken.exists():
        errors.setdefault("slug", []).append(_("Another campaign already uses this address."))
    if errors:
        raise ApplicationError(
            _("Please correct the highlighted fields."), code="invalid", fields=errors
        )
    return merged


def _write(campaign: Campaign, data: dict[str, Any]) -> Campaign:
    goal = Money(data["goal_amount"], data["goal_currency"])
    for field in ("title", "slug", "summary", "story", "start_date", "end_date",
                  "funding_model", "sdg_indicators", "beneficiary_groups"):  # fmt: skip
        setattr(campaign, field, data[field])
    campaign.goal = goal
    if campaign.raised.amount == 0:
        campaign.raised = Money(0, goal.currency)
    if data.get("cover"):
        campaign.cover = data["cover"]
    try:
        campaign.save()
    except IntegrityError as exc:  # a concurrent proposal took the slug
        raise Conflict(_("Another campaign already uses this address."),
                       fields={"slug": [_("Already taken.")]}) from exc  # fmt: skip
    campaign.sdg_goals.set(SdgGoal.objects.filter(number__in=data["sdg_goals"]))
    campaign.budget_lines.all().delete()
    BudgetLine.objects.bulk_create(
        BudgetLine(campaign=campaign, position=i, description=line["description"],
                   amount=Money(line["amount"], goal.currency))
        for i, line in enumerate(data["budget_lines"])
    )  # fmt: skip
    campaign.outcomes.all().delete()
    ExpectedOutcome.objects.bulk_create(
        ExpectedOutcome(campaign=campaign, position=i, indicator=o["indicator"].strip(),
                        target_value=o["target_value"], unit=o["unit"].strip())
        for i, o in enumerate(data.get("outcomes") or [])
    )  # fmt: skip
    return campaign


def campaign_create(
    *, actor: AbstractBaseUser, enterprise: Enterprise, data: dict[str, Any]
) -> Campaign:
    """Draft a new proposal for a member enterprise. Nothing is saved unless all is valid."""
    _require_proposer(actor, enterprise)
    cleaned = _validated(dict(data))
    with transaction.atomic():
        campaign = Campaign(enterprise=enterprise, created_by=actor)
        return _write(campaign, cleaned)


def campaign_update(
    *, actor: AbstractBaseUser, campaign: Campaign, data: dict[str, Any]
) -> Campaign:
    """Change a draft (or a proposal sent back for changes); absent keys keep their value."""
    _require_proposer(actor, campaign.enterprise)
    with transaction.atomic():
        locked = Campaign.objects.select_for_update().get(pk=campaign.pk)
        if locked.status not in EDITABLE:
            raise Conflict(
                _("A %(status)s proposal can no longer be edited.")
                % {"status": locked.get_status_display().lower()},
                code="not_editable",
            )
        cleaned = _validated(dict(data), campaign=locked)
        return _write(locked, cleaned)
