"""The review history in the API: the public sees states and dates, never who decided nor
why; the enterprise's members read the comments addressed to them; reviewers see it all."""

from __future__ import annotations

import pytest
from django.urls import reverse

from campaigns.models import CampaignStatus as S
from campaigns.models import CampaignTransition, EnterpriseStatusChange, MembershipStatus
from common.roles import Role, role_grant
from tests.factories import CampaignFactory, UserFactory

pytestmark = pytest.mark.django_db

REASON = "Budget line 2 looks padded; the treasurer has doubts about the chair."
STAFF = "amira.reviewer"


@pytest.fixture
def staff(db):
    user = UserFactory(username=STAFF)
    role_grant(user=user, role=Role.REVIEWER)
    return user


@pytest.fixture
def live(enterprise, member_user, staff):
    """A live campaign whose review sent it back once, with a comment, before approval."""
    campaign = CampaignFactory(enterprise=enterprise, status=S.LIVE)
    for from_state, to_state, actor, comment in [
        ("draft", "submitted", member_user, ""),
        ("submitted", "changes_requested", staff, REASON),
        ("changes_requested", "submitted", member_user, "Fixed."),
        ("submitted", "approved", staff, "Internal: approved after a call."),
        ("approved", "live", None, "Published on its start date."),
    ]:
        CampaignTransition.objects.create(
            campaign=campaign, from_state=from_state, to_state=to_state, actor=actor,
            comment=comment,
        )  # fmt: skip
    return campaign


@pytest.fixture
def people(donor, member_user, treasurer, admin_user, staff):
    return {"anonymous": None, "donor": donor, "treasurer": treasurer, "member": member_user,
            "reviewer": staff, "admin": admin_user}  # fmt: skip


HISTORY_KEYS = {
    "anonymous": {"from_status", "to_status", "created_at"},
    "donor": {"from_status", "to_status", "created_at"},
    "treasurer": {"from_status", "to_status", "created_at"},
    "member": {"from_status", "to_status", "created_at", "comment"},
    "reviewer": {"from_status", "to_status", "created_at", "comment", "actor"},
    "admin": {"from_status", "to_status", "created_at", "comment", "actor"},
}


@pytest.mark.parametrize("role", list(HISTORY_KEYS))
def test_the_public_never_reads_who_reviewed_a_campaign_nor_why(api, people, live, role):
    api.force_authenticate(people[role])

    response = api.get(f"/api/v1/campaigns/{live.slug}/")

    assert response.status_code == 200
    history = response.json()["history"]
    assert [h["to_status"] for h in history] == [
        "submitted", "changes_requested", "submitted", "approved", "live"
    ]  # fmt: skip
    assert all(set(h) == HISTORY_KEYS[role] for h in history), history
    shows_comments = "comment" in HISTORY_KEYS[role]
    assert (REASON in response.content.decode()) == shows_comments
    assert (STAFF in response.content.decode()) == ("actor" in HISTORY_KEYS[role])


def test_the_reviewer_reads_who_and_why(api, people, live):
    api.force_authenticate(people["reviewer"])

    history = api.get(f"/api/v1/campaigns/{live.slug}/").json()["history"]

    assert (history[1]["actor"], history[1]["comment"]) == (STAFF, REASON)
    assert history[-1]["actor"] is None  # the schedule


@pytest.mark.parametrize("role", list(HISTORY_KEYS))
def test_the_public_never_reads_who_decided_on_an_enterprise_nor_why(
    api, people, enterprise, staff, role
):
    EnterpriseStatusChange.objects.create(enterprise=enterprise, from_state="applicant",
                                          to_state=MembershipStatus.MEMBER, actor=staff,
                                          comment=REASON)  # fmt: skip
    api.force_authenticate(people[role])

    response = api.get(f"/api/v1/enterprises/{enterprise.slug}/")

    assert response.status_code == 200
    (change,) = response.json()["history"]
    assert set(change) == HISTORY_KEYS[role]
    assert change["to_status"] == "member"
    assert (REASON in response.content.decode()) == ("comment" in HISTORY_KEYS[role])
    assert (STAFF in response.content.decode()) == ("actor" in HISTORY_KEYS[role])


def test_the_schema_says_who_reads_the_actor_and_the_comment(api):
    schema = api.get(reverse("schema"), {"format": "json"}).json()["components"]["schemas"]

    for name in ("TransitionOut", "EnterpriseStatusChangeOut"):
        component = schema[name]
        # Optional: present only for the roles that may read them, and the docs say which.
        assert {"actor", "comment"}.isdisjoint(component.get("required", [])), name
        assert "reviewer" in component["properties"]["actor"]["description"].lower()
        assert "member" in component["properties"]["comment"]["description"].lower()
