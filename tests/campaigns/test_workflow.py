"""Every campaign transition, legal and illegal, through the services."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from campaigns import services
from campaigns.models import CampaignStatus as S
from campaigns.models import CampaignTransition
from campaigns.workflow import CAMPAIGN_TRANSITIONS
from common.errors import ApplicationError, Conflict
from tests.factories import CampaignFactory, UserFactory

pytestmark = pytest.mark.django_db

ALL = list(S.values)


def _do(to: str, campaign, *, member, reviewer):
    """Perform the verb that leads to `to`, as the right person."""
    if to == S.SUBMITTED:
        return services.campaign_submit(actor=member, campaign=campaign, comment="ready")
    if to == S.CHANGES_REQUESTED:
        return services.campaign_request_changes(actor=reviewer, campaign=campaign, comment="fix")
    if to == S.APPROVED:
        return services.campaign_approve(actor=reviewer, campaign=campaign)
    if to == S.REJECTED:
        return services.campaign_reject(actor=reviewer, campaign=campaign, comment="no")
    if to == S.LIVE:
        return services.campaign_go_live(campaign=campaign)
    return services.campaign_end(actor=reviewer, campaign=campaign, comment="done")


@pytest.mark.parametrize("start", ALL)
@pytest.mark.parametrize("to", [s for s in ALL if s != S.DRAFT])
def test_every_transition_is_allowed_only_when_the_map_says_so(
    start, to, enterprise, member_user, reviewer
):
    # Start later than today so approval does not publish at once.
    campaign = CampaignFactory(enterprise=enterprise, status=start,
                               start_date=timezone.localdate() + dt.timedelta(days=3))  # fmt: skip
    legal = to in CAMPAIGN_TRANSITIONS[start]
    if legal:
        moved = _do(to, campaign, member=member_user, reviewer=reviewer)
        assert moved.status == to
        last = CampaignTransition.objects.filter(campaign=campaign).last()
        assert (last.from_state, last.to_state) == (start, to)
    else:
        with pytest.raises(Conflict) as raised:
            _do(to, campaign, member=member_user, reviewer=reviewer)
        assert "cannot" in raised.value.message
        campaign.refresh_from_db()
        assert campaign.status == start
        assert not CampaignTransition.objects.filter(campaign=campaign).exists()


def test_full_review_cycle_records_who_when_and_why(enterprise, member_user, reviewer):
    campaign = CampaignFactory(enterprise=enterprise, status=S.DRAFT,
                               start_date=timezone.localdate())  # fmt: skip
    campaign = services.campaign_submit(actor=member_user, campaign=campaign)
    campaign = services.campaign_request_changes(
        actor=reviewer, campaign=campaign, comment="Add quotations for the dryers."
    )
    campaign = services.campaign_submit(actor=member_user, campaign=campaign, comment="Added.")
    campaign = services.campaign_approve(actor=reviewer, campaign=campaign, comment="Good.")
    # The start date has come, so approval published it at once.
    assert campaign.status == S.LIVE and campaign.went_live_at is not None
    history = list(campaign.transitions.values_list("to_state", "actor__username", "comment"))
    assert history == [
        (S.SUBMITTED, "member", ""),
        (S.CHANGES_REQUESTED, "reviewer", "Add quotations for the dryers."),
        (S.SUBMITTED, "member", "Added."),
        (S.APPROVED, "reviewer", "Good."),
        (S.LIVE, None, "Published on its start date."),
    ]


def test_approval_before_the_start_date_waits_for_the_schedule(enterprise, reviewer):
    campaign = CampaignFactory(enterprise=enterprise, status=S.SUBMITTED,
                               start_date=timezone.localdate() + dt.timedelta(days=2))  # fmt: skip
    campaign = services.campaign_approve(actor=reviewer, campaign=campaign)
    assert campaign.status == S.APPROVED
    assert services.campaigns_advance_schedule() == {"went_live": 0, "ended": 0}


def test_schedule_publishes_on_start_date_and_ends_on_end_date(enterprise):
    today = timezone.localdate()
    due = CampaignFactory(enterprise=enterprise, status=S.APPROVED, start_date=today)
    over = CampaignFactory(enterprise=enterprise, status=S.LIVE,
                           start_date=today - dt.timedelta(days=30), end_date=today)  # fmt: skip
    running = CampaignFactory(enterprise=enterprise, status=S.LIVE)
    assert services.campaigns_advance_schedule() == {"went_live": 1, "ended": 1}
    for campaign in (due, over, running):
        campaign.refresh_from_db()
    assert (due.status, over.status, running.status) == (S.LIVE, S.ENDED, S.LIVE)
    assert over.transitions.last().actor is None
    # Running it again changes nothing.
    assert services.campaigns_advance_schedule() == {"went_live": 0, "ended": 0}


def test_only_reviewers_review_and_only_members_submit(enterprise, member_user, other_member):
    campaign = CampaignFactory(enterprise=enterprise, status=S.SUBMITTED)
    for verb in (services.campaign_approve, services.campaign_reject,
                 services.campaign_request_changes):  # fmt: skip
        with pytest.raises(ApplicationError) as raised:
            verb(actor=member_user, campaign=campaign, comment="x")
        assert raised.value.status_code == 403
    draft = CampaignFactory(enterprise=enterprise, status=S.DRAFT)
    with pytest.raises(ApplicationError) as raised:
        services.campaign_submit(actor=other_member, campaign=draft)
    assert raised.value.status_code == 403


def test_rejecting_or_requesting_changes_needs_a_comment(enterprise, reviewer):
    campaign = CampaignFactory(enterprise=enterprise, status=S.SUBMITTED)
    for verb in (services.campaign_reject, services.campaign_request_changes):
        with pytest.raises(ApplicationError) as raised:
            verb(actor=reviewer, campaign=campaign, comment="  ")
        assert "comment" in raised.value.fields


def test_suspended_enterprise_cannot_submit(enterprise, member_user, reviewer):
    services.enterprise_suspend(actor=reviewer, enterprise=enterprise, comment="Audit pending")
    campaign = CampaignFactory(enterprise=enterprise, status=S.DRAFT)
    with pytest.raises(ApplicationError) as raised:
        services.campaign_submit(actor=member_user, campaign=campaign)
    assert raised.value.code == "enterprise_not_member"


def test_transitions_email_the_enterprise_and_focal_points_on_submission(
    enterprise, member_user, reviewer, django_capture_on_commit_callbacks
):
    focal = UserFactory(username="focal-my", email="focal@my.example")
    services.focal_point_assign(country="MY", user=focal)
    campaign = CampaignFactory(enterprise=enterprise, status=S.DRAFT)
    with django_capture_on_commit_callbacks(execute=True):
        services.campaign_submit(actor=member_user, campaign=campaign)
    recipients = sorted(r for m in mail.outbox for r in m.to)
    assert "focal@my.example" in recipients
    assert enterprise.contact_email in recipients and member_user.email in recipients
    focal_mail = next(m for m in mail.outbox if "focal@my.example" in m.to)
    # Malaysia's focal points read their notifications in Bahasa Melayu.
    assert focal_mail.subject != next(m for m in mail.outbox if m is not focal_mail).subject
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.campaign_request_changes(actor=reviewer, campaign=campaign, comment="Budget?")
    assert len(mail.outbox) == 1 and "focal@my.example" not in mail.outbox[0].to
    assert "Budget?" in mail.outbox[0].body
