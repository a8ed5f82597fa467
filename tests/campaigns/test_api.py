"""The campaigns API: the permission matrix, filters, errors as JSON, and the schema."""

from __future__ import annotations

import pytest
from knox.models import AuthToken

from campaigns.models import CampaignStatus as S
from tests.factories import CampaignFactory, EnterpriseFactory, proposal_data

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "donor", "member", "other_member", "reviewer", "treasurer", "admin"]


@pytest.fixture
def people(donor, member_user, other_member, reviewer, treasurer, admin_user):
    return {"anonymous": None, "donor": donor, "member": member_user,
            "other_member": other_member, "reviewer": reviewer, "treasurer": treasurer,
            "admin": admin_user}  # fmt: skip


def as_role(api, people, role):
    user = people[role]
    if user is not None:
        _, key = AuthToken.objects.create(user=user)
        api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return api


def payload(**overrides) -> dict:
    data = proposal_data(**overrides)
    for key in ("goal_amount", "start_date", "end_date"):
        data[key] = str(data[key])
    data["budget_lines"] = [{**b, "amount": str(b["amount"])} for b in data["budget_lines"]]
    return data


# (role -> expected status) for seeing a campaign in each state.
SEE = {
    S.DRAFT: {"anonymous": 404, "donor": 404, "member": 200, "other_member": 404,
              "reviewer": 404, "treasurer": 404, "admin": 200},
    S.SUBMITTED: {"anonymous": 404, "donor": 404, "member": 200, "other_member": 404,
                  "reviewer": 200, "treasurer": 404, "admin": 200},
    S.LIVE: dict.fromkeys(ROLES, 200),
}  # fmt: skip


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("state", list(SEE))
def test_who_sees_which_campaign(api, people, enterprise, role, state):
    campaign = CampaignFactory(enterprise=enterprise, status=state)
    response = as_role(api, people, role).get(f"/api/v1/campaigns/{campaign.slug}/")
    assert response.status_code == SEE[state][role]
    listed = as_role(api, people, role).get("/api/v1/campaigns/").json()["results"]
    assert (campaign.slug in [c["slug"] for c in listed]) == (SEE[state][role] == 200)


CREATE = {"anonymous": 401, "donor": 403, "member": 201, "other_member": 403,
          "reviewer": 403, "treasurer": 403, "admin": 201}  # fmt: skip


@pytest.mark.parametrize("role", ROLES)
def test_who_may_draft_for_an_enterprise(api, people, enterprise, role):
    body = {**payload(), "enterprise": enterprise.slug}
    response = as_role(api, people, role).post("/api/v1/campaigns/", body, format="json")
    assert response.status_code == CREATE[role], response.json()


# verb -> (state it applies to, roles allowed)
VERBS = {
    "submit": (S.DRAFT, {"member", "admin"}),
    "approve": (S.SUBMITTED, {"reviewer", "admin"}),
    "request-changes": (S.SUBMITTED, {"reviewer", "admin"}),
    "reject": (S.SUBMITTED, {"reviewer", "admin"}),
    "end": (S.LIVE, {"reviewer", "admin"}),
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("verb", list(VERBS))
def test_who_may_perform_each_review_verb(api, people, enterprise, role, verb):
    state, allowed = VERBS[verb]
    campaign = CampaignFactory(enterprise=enterprise, status=state)
    response = as_role(api, people, role).post(
        f"/api/v1/campaigns/{campaign.slug}/{verb}/", {"comment": "Reasons."}, format="json"
    )
    if role in allowed:
        assert response.status_code == 200, response.json()
    elif role == "anonymous":
        assert response.status_code == 401
    else:
        # Those who cannot see the proposal get 404; those who can but may not act, 403.
        assert response.status_code in (403, 404)
        assert response.json()["message"]
    campaign.refresh_from_db()
    assert (campaign.status != state) == (role in allowed)


def test_illegal_transition_is_409_with_a_message(api, people, enterprise):
    campaign = CampaignFactory(enterprise=enterprise, status=S.DRAFT)
    response = as_role(api, people, "admin").post(f"/api/v1/campaigns/{campaign.slug}/approve/")
    assert response.status_code == 409
    assert response.json() == {"message": "You cannot approve a campaign that is draft.",
                               "code": "illegal_transition", "fields": {}}  # fmt: skip


def test_validation_errors_are_json_with_field_details(api, people, enterprise):
    body = {**payload(goal_amount="1"), "enterprise": enterprise.slug}
    response = as_role(api, people, "member").post("/api/v1/campaigns/", body, format="json")
    assert response.status_code == 400
    data = response.json()
    assert data["message"] == "Please correct the highlighted fields."
    assert "budget_lines" in data["fields"]
    bad = as_role(api, people, "member").post("/api/v1/campaigns/", {"enterprise": "x"},
                                              format="json")  # fmt: skip
    assert bad.status_code == 400 and "title" in bad.json()["fields"]


def test_member_edits_own_draft_only(api, people, enterprise):
    campaign = CampaignFactory(enterprise=enterprise, status=S.DRAFT)
    url = f"/api/v1/campaigns/{campaign.slug}/"
    ok = as_role(api, people, "member").patch(url, {"title": "Better title"}, format="json")
    assert ok.status_code == 200 and ok.json()["title"] == "Better title"
    api.credentials()
    assert as_role(api, people, "other_member").patch(url, {"title": "x"}).status_code == 404


def test_list_filters_and_sorts(api):
    my = CampaignFactory(enterprise=EnterpriseFactory(country="MY"), sdgs=[2])
    ph = CampaignFactory(enterprise=EnterpriseFactory(country="PH", type="ngo"), sdgs=[6],
                         status=S.ENDED)  # fmt: skip
    jp = CampaignFactory(enterprise=EnterpriseFactory(country="JP"), sdgs=[3])

    def slugs(**params):
        return [c["slug"] for c in api.get("/api/v1/campaigns/", params).json()["results"]]

    assert slugs(country="PH") == [ph.slug]
    assert set(slugs(sub_region="southeast_asia")) == {my.slug, ph.slug}
    assert slugs(sdg=3) == [jp.slug]
    assert slugs(enterprise_type="ngo") == [ph.slug]
    assert set(slugs(state="live")) == {my.slug, jp.slug}
    jp.title = "Home care vans in Sendai"
    jp.save()
    assert slugs(q="sendai") == [jp.slug]
    bad = api.get("/api/v1/campaigns/", {"country": "XX"})
    assert bad.status_code == 400 and "country" in bad.json()["fields"]


def test_list_is_paginated(api):
    CampaignFactory.create_batch(25)
    page = api.get("/api/v1/campaigns/").json()
    assert page["count"] == 25 and len(page["results"]) == 20 and page["next"]


def test_schema_and_docs_are_served(api):
    schema = api.get("/api/schema/")
    assert schema.status_code == 200 and b"/api/v1/campaigns/{slug}/approve/" in schema.content
    docs = api.get("/api/docs/")
    assert docs.status_code == 200 and b"swagger" in docs.content.lower()
