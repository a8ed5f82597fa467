"""The reviewers' queue in the admin: its actions call the same services as the API."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from campaigns.models import CampaignStatus as S
from campaigns.models import MembershipStatus
from tests.factories import CampaignFactory, EnterpriseFactory, UserFactory

pytestmark = pytest.mark.django_db
CHANGELIST = "/admin/campaigns/campaign/"


def test_queue_opens_on_submitted_proposals(client, reviewer, enterprise):
    waiting = CampaignFactory(enterprise=enterprise, status=S.SUBMITTED, title="Waiting one")
    CampaignFactory(enterprise=enterprise, status=S.LIVE, title="Already live")
    client.force_login(reviewer)
    page = client.get(CHANGELIST).content.decode()
    assert waiting.title in page and "Already live" not in page


def test_request_changes_asks_for_a_comment_then_calls_the_service(client, reviewer, enterprise):
    campaign = CampaignFactory(enterprise=enterprise, status=S.SUBMITTED)
    client.force_login(reviewer)
    form = {"action": "request_changes", "_selected_action": [campaign.pk]}
    asked = client.post(CHANGELIST, form)
    assert asked.status_code == 200 and b'name="comment"' in asked.content
    # Without a comment the form is shown again and nothing changes.
    again = client.post(CHANGELIST, {**form, "apply": "1", "comment": ""})
    assert again.status_code == 200
    campaign.refresh_from_db()
    assert campaign.status == S.SUBMITTED
    done = client.post(CHANGELIST, {**form, "apply": "1", "comment": "Add quotations."})
    assert done.status_code == 302
    campaign.refresh_from_db()
    assert campaign.status == S.CHANGES_REQUESTED
    last = campaign.transitions.last()
    assert (last.actor, last.comment) == (reviewer, "Add quotations.")


def test_an_illegal_action_is_reported_not_raised(client, reviewer, enterprise):
    draft = CampaignFactory(enterprise=enterprise, status=S.DRAFT)
    client.force_login(reviewer)
    response = client.post(CHANGELIST, {"action": "approve", "_selected_action": [draft.pk],
                                        "apply": "1", "comment": ""}, follow=True)  # fmt: skip
    assert b"cannot approve a campaign that is draft" in response.content
    draft.refresh_from_db()
    assert draft.status == S.DRAFT


def test_reviewer_accepts_an_applicant_from_the_admin(client, reviewer):
    applicant = EnterpriseFactory(status=MembershipStatus.APPLICANT)
    client.force_login(reviewer)
    client.post("/admin/campaigns/enterprise/", {"action": "accept_as_member", "apply": "1",
                "_selected_action": [applicant.pk], "comment": "Checked."})  # fmt: skip
    applicant.refresh_from_db()
    assert applicant.status == MembershipStatus.MEMBER


def test_donors_cannot_open_the_admin(client, donor):
    client.force_login(donor)
    assert client.get(CHANGELIST).status_code == 302  # to the admin login


def test_grant_role_command_gives_admin_access(client):
    user = UserFactory(username="new-reviewer")
    call_command("grant_role", "new-reviewer", "reviewer")
    client.force_login(user)
    assert client.get(CHANGELIST).status_code == 200
