"""Moving a campaign through its review and life: one service per verb.

Each checks the move against `campaigns.workflow.CAMPAIGN_TRANSITIONS` under a row lock,
sets the state, writes a `CampaignTransition` audit row and emails on commit.
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from campaigns.models import (
    Campaign,
    CampaignStatus,
    CampaignTransition,
    Enterprise,
    MembershipStatus,
)
from campaigns.services.conflicts import review_conflict_refuse
from campaigns.workflow import campaign_can_move
from common.errors import ApplicationError, Conflict
from common.roles import is_admin, is_reviewer
from common.tasks import enqueue

VERBS = {
    CampaignStatus.SUBMITTED: gettext_lazy("submit"),
    CampaignStatus.CHANGES_REQUESTED: gettext_lazy("request changes to"),
    CampaignStatus.APPROVED: gettext_lazy("approve"),
    CampaignStatus.REJECTED: gettext_lazy("reject"),
    CampaignStatus.LIVE: gettext_lazy("publish"),
    CampaignStatus.ENDED: gettext_lazy("end"),
}


def _move(
    *, campaign: Campaign, to: str, actor: AbstractBaseUser | None, comment: str = ""
) -> Campaign:
    with transaction.atomic():
        locked = Campaign.objects.select_for_update().get(pk=campaign.pk)
        if not campaign_can_move(locked.status, to):
            raise Conflict(
                _("You cannot %(verb)s a campaign that is %(status)s.")
                % {"verb": VERBS[to], "status": locked.get_status_display().lower()},
                code="illegal_transition",
            )
        from_state, locked.status = locked.status, to
        now = timezone.now()
        if to == CampaignStatus.LIVE:
            locked.went_live_at = now
        elif to == CampaignStatus.ENDED:
            locked.ended_at = now
        locked.save(update_fields=["status", "went_live_at", "ended_at", "updated_at"])
        transition = CampaignTransition.objects.create(
            campaign=locked, from_state=from_state, to_state=to, actor=actor,
            comment=comment.strip(),
        )  # fmt: skip
        transaction.on_commit(
            lambda: enqueue("campaigns.tasks.notify_campaign_transition", transition.pk)
        )
    return locked


def _require_reviewer(user: AbstractBaseUser) -> None:
    if not is_reviewer(user):
        raise ApplicationError(_("Only the secretariat's reviewers may do this."),
                               code="not_a_reviewer", status_code=403)  # fmt: skip


def _require_impartial_reviewer(user: AbstractBaseUser, campaign: Campaign) -> None:
    """A reviewer, and not one of the proposing enterprise's members."""
    _require_reviewer(user)
    review_conflict_refuse(actor=user, enterprise=campaign.enterprise)


def _require_comment(comment: str) -> None:
    if not comment.strip():
        raise ApplicationError(
            _("Say why, so the enterprise knows what to do."),
            fields={"comment": [_("This field is required.")]},
        )


def campaign_submit(*, actor: AbstractBaseUser, campaign: Campaign, comment: str = "") -> Campaign:
    """The enterprise sends its proposal (again) to the secretariat for review."""
    enterprise = Enterprise.objects.get(pk=campaign.enterprise_id)  # its current standing
    if not (is_admin(actor) or enterprise.members.filter(pk=actor.pk).exists()):
        raise ApplicationError(_("Only the enterprise's own members can submit its proposals."),
                               code="not_a_member", status_code=403)  # fmt: skip
    if enterprise.status != MembershipStatus.MEMBER:
        raise ApplicationError(_("Only member enterprises of the network may propose campaigns."),
                               code="enterprise_not_member", status_code=403)  # fmt: skip
    return _move(campaign=campaign, to=CampaignStatus.SUBMITTED, actor=actor, comment=comment)


def campaign_request_changes(
    *, actor: AbstractBaseUser, campaign: Campaign, comment: str
) -> Campaign:
    _require_impartial_reviewer(actor, campaign)
    _require_comment(comment)
    return _move(
        campaign=campaign, to=CampaignStatus.CHANGES_REQUESTED, actor=actor, comment=comment
    )


def campaign_reject(*, actor: AbstractBaseUser, campaign: Campaign, comment: str) -> Campaign:
    _require_impartial_reviewer(actor, campaign)
    _require_comment(comment)
    return _move(campaign=campaign, to=CampaignStatus.REJECTED, actor=actor, comment=comment)


def campaign_approve(*, actor: AbstractBaseUser, campaign: Campaign, comment: str = "") -> Campaign:
    """Approve a proposal; it goes live at once when its start date has come."""
    _require_impartial_reviewer(actor, campaign)
    campaign = _move(campaign=campaign, to=CampaignStatus.APPROVED, actor=actor, comment=comment)
    if campaign.start_date <= timezone.localdate():
        campaign = campaign_go_live(campaign=campaign)
    return campaign


def campaign_go_live(*, campaign: Campaign) -> Campaign:
    """Publish an approved campaign (the schedule calls this on the start date)."""
    return _move(campaign=campaign, to=CampaignStatus.LIVE, actor=None,
                 comment=_("Published on its start date."))  # fmt: skip


def campaign_end(
    *, actor: AbstractBaseUser | None, campaign: Campaign, comment: str = ""
) -> Campaign:
    """End a live campaign: early by a reviewer, or by the schedule on its end date."""
    if actor is not None:
        _require_reviewer(actor)
        _require_comment(comment)
    else:
        comment = comment or _("Ended on its end date.")
    return _move(campaign=campaign, to=CampaignStatus.ENDED, actor=actor, comment=comment)


def campaigns_advance_schedule() -> dict[str, int]:
    """Publish approved campaigns whose start date has come; end live ones at their end date."""
    today = timezone.localdate()
    started = ended = 0
    due = Campaign.objects.filter(status=CampaignStatus.APPROVED, start_date__lte=today)
    for campaign in due.order_by("pk"):
        try:
            campaign_go_live(campaign=campaign)
            started += 1
        except Conflict:  # another run, or a reviewer, moved it first
            continue
    over = Campaign.objects.filter(status=CampaignStatus.LIVE, end_date__lte=today)
    for campaign in over.order_by("pk"):
        try:
            campaign_end(actor=None, campaign=campaign)
            ended += 1
        except Conflict:
            continue
    return {"went_live": started, "ended": ended}
