"""Nobody decides on the business of an enterprise they belong to, and reviewers do not choose
who belongs: membership is the admins' to change."""

from __future__ import annotations

import pytest

from campaigns import services
from campaigns.models import CampaignStatus as S
from campaigns.models import CampaignTransition, EnterpriseStatusChange, MembershipStatus
from common.errors import ApplicationError
from tests.factories import CampaignFactory, EnterpriseFactory

pytestmark = pytest.mark.django_db

CAMPAIGNS = "/admin/campaigns/campaign/"
ENTERPRISES = "/admin/campaigns/enterprise/"
CAMPAIGN_VERBS = {"approve": "approve", "request-changes": "request_changes", "reject": "reject"}


@pytest.fixture
def own_proposal(enterprise, reviewer):
    """A submitted proposal of an enterprise the reviewer belongs to."""
    enterprise.members.add(reviewer)
    return CampaignFactory(enterprise=enterprise, status=S.SUBMITTED)


def _counts() -> tuple[int, int]:
    return CampaignTransition.objects.count(), EnterpriseStatusChange.objects.count()


@pytest.mark.parametrize("verb", list(CAMPAIGN_VERBS))
def test_a_reviewer_cannot_review_their_own_enterprises_proposal_through_the_api(
    api, reviewer, own_proposal, verb
):
    before = _counts()
    api.force_authenticate(reviewer)

    response = api.post(f"/api/v1/campaigns/{own_proposal.slug}/{verb}/",
                        {"comment": "Looks great to me."}, format="json")  # fmt: skip

    assert response.status_code == 403, response.json()
    body = response.json()
    assert body["code"] == "conflict_of_interest"
    assert own_proposal.enterprise.legal_name in body["message"]
    own_proposal.refresh_from_db()
    assert own_proposal.status == S.SUBMITTED and _counts() == before


@pytest.mark.parametrize("verb", list(CAMPAIGN_VERBS))
def test_an_admin_member_cannot_review_their_own_enterprises_proposal(
    api, admin_user, enterprise, verb
):
    enterprise.members.add(admin_user)
    campaign = CampaignFactory(enterprise=enterprise, status=S.SUBMITTED)
    api.force_authenticate(admin_user)

    response = api.post(f"/api/v1/campaigns/{campaign.slug}/{verb}/", {"comment": "Fine."},
                        format="json")  # fmt: skip

    assert response.status_code == 403 and response.json()["code"] == "conflict_of_interest"


@pytest.mark.parametrize("verb", list(CAMPAIGN_VERBS))
def test_a_reviewer_cannot_review_their_own_enterprises_proposal_in_the_admin(
    client, reviewer, own_proposal, verb
):
    other = CampaignFactory(status=S.SUBMITTED)  # of another enterprise: still theirs to review
    client.force_login(reviewer)

    response = client.post(CAMPAIGNS, {"action": CAMPAIGN_VERBS[verb], "apply": "1",
                                       "_selected_action": [own_proposal.pk, other.pk],
                                       "comment": "Reasons."}, follow=True)  # fmt: skip

    page = response.content.decode()
    assert "you belong to" in page.lower() and own_proposal.enterprise.legal_name in page
    own_proposal.refresh_from_db()
    other.refresh_from_db()
    assert own_proposal.status == S.SUBMITTED and other.status != S.SUBMITTED


@pytest.mark.parametrize(
    ("verb", "state"),
    [("accept", MembershipStatus.APPLICANT), ("decline", MembershipStatus.APPLICANT),
     ("suspend", MembershipStatus.MEMBER), ("accept", MembershipStatus.SUSPENDED)],
)  # fmt: skip
def test_a_reviewer_cannot_decide_on_their_own_enterprises_membership(api, reviewer, verb, state):
    own = EnterpriseFactory(status=state, members=[reviewer])
    before = _counts()
    api.force_authenticate(reviewer)

    response = api.post(f"/api/v1/enterprises/{own.slug}/{verb}/", {"comment": "Vouched."},
                        format="json")  # fmt: skip

    assert response.status_code == 403 and response.json()["code"] == "conflict_of_interest"
    own.refresh_from_db()
    assert own.status == state and _counts() == before


def test_a_reviewer_cannot_accept_their_own_application_in_the_admin(client, reviewer):
    own = EnterpriseFactory(status=MembershipStatus.APPLICANT, members=[reviewer])
    client.force_login(reviewer)

    response = client.post(ENTERPRISES, {"action": "accept_as_member", "apply": "1",
                                         "_selected_action": [own.pk], "comment": ""},
                           follow=True)  # fmt: skip

    assert "you belong to" in response.content.decode().lower()
    own.refresh_from_db()
    assert own.status == MembershipStatus.APPLICANT


def test_the_conflict_rule_is_one_service_later_approvals_can_call(reviewer, enterprise):
    services.review_conflict_refuse(actor=reviewer, enterprise=enterprise)  # not a member: fine
    enterprise.members.add(reviewer)

    with pytest.raises(ApplicationError) as refused:
        services.review_conflict_refuse(actor=reviewer, enterprise=enterprise)

    assert refused.value.status_code == 403 and refused.value.code == "conflict_of_interest"
    assert refused.value.message.strip()


# --- Membership is the admins' ---------------------------------------------------------------


def _change_form(enterprise, **overrides) -> dict:
    data = {
        "legal_name": enterprise.legal_name, "slug": enterprise.slug, "type": enterprise.type,
        "country": enterprise.country, "city": enterprise.city, "website": "",
        "description": enterprise.description, "contact_email": enterprise.contact_email,
        "language": enterprise.language, "sdg_focus": [],
        "history-TOTAL_FORMS": "0", "history-INITIAL_FORMS": "0",
        "history-MIN_NUM_FORMS": "0", "history-MAX_NUM_FORMS": "1000",
    }  # fmt: skip
    return {**data, **overrides}


def test_a_reviewer_cannot_add_themselves_to_an_enterprise_in_the_admin(
    client, reviewer, enterprise, member_user
):
    client.force_login(reviewer)
    url = f"{ENTERPRISES}{enterprise.pk}/change/"

    form = client.get(url)
    posted = client.post(url, _change_form(enterprise, members=[reviewer.pk]))

    assert form.status_code == 200
    assert 'name="members"' not in form.content.decode()  # shown, not editable
    assert posted.status_code == 302, posted.content.decode()[:2000]
    assert list(enterprise.members.all()) == [member_user]


def test_an_admin_still_changes_an_enterprises_members_in_the_admin(
    client, admin_user, enterprise, member_user, donor
):
    client.force_login(admin_user)
    url = f"{ENTERPRISES}{enterprise.pk}/change/"

    assert 'name="members"' in client.get(url).content.decode()
    posted = client.post(url, _change_form(enterprise, members=[member_user.pk, donor.pk]))

    assert posted.status_code == 302, posted.content.decode()[:2000]
    assert set(enterprise.members.all()) == {member_user, donor}


# --- Declining and suspending say why, whoever calls -----------------------------------------


@pytest.mark.parametrize("comment", ["", "   \n\t "])
@pytest.mark.parametrize(
    ("verb", "state"),
    [("decline", MembershipStatus.APPLICANT), ("suspend", MembershipStatus.MEMBER)],
)  # fmt: skip
def test_declining_or_suspending_an_enterprise_needs_a_reason_through_the_api(
    api, reviewer, verb, state, comment
):
    target = EnterpriseFactory(status=state)
    before = _counts()
    api.force_authenticate(reviewer)

    response = api.post(f"/api/v1/enterprises/{target.slug}/{verb}/", {"comment": comment},
                        format="json")  # fmt: skip
    without_body = api.post(f"/api/v1/enterprises/{target.slug}/{verb}/")

    for answer in (response, without_body):
        assert answer.status_code == 400, answer.json()
        assert answer.json()["message"] and "comment" in answer.json()["fields"]
    target.refresh_from_db()
    assert target.status == state and _counts() == before


@pytest.mark.parametrize("service", [services.enterprise_decline, services.enterprise_suspend])
def test_declining_or_suspending_needs_a_reason_in_the_service(reviewer, service):
    target = EnterpriseFactory(status=MembershipStatus.APPLICANT)
    if service is services.enterprise_suspend:
        target = EnterpriseFactory()

    with pytest.raises(ApplicationError) as refused:
        service(actor=reviewer, enterprise=target, comment="  ")

    assert refused.value.status_code == 400 and "comment" in refused.value.fields
