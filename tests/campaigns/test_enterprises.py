"""Member enterprises: applying, the secretariat's decisions, focal points."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction
from knox.models import AuthToken

from campaigns import services
from campaigns.models import EnterpriseStatusChange, FocalPoint, MembershipStatus
from common.errors import ApplicationError, Conflict
from tests.factories import EnterpriseFactory, UserFactory

pytestmark = pytest.mark.django_db

APPLICATION = {"legal_name": "Bayanihan Water Service Cooperative", "type": "cooperative",
               "country": "PH", "city": "Iloilo City", "contact_email": "hi@bayanihan.example",
               "description": "A community water cooperative.", "sdg_focus": [6]}  # fmt: skip


def login(api, user):
    _, key = AuthToken.objects.create(user=user)
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return api


def test_apply_then_accept_through_the_api(api, donor, reviewer):
    response = login(api, donor).post("/api/v1/enterprises/", APPLICATION, format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["status"] == "applicant" and body["sub_region"] == "southeast_asia"
    slug = body["slug"]
    # Applicants are not public; the applicant and reviewers see them.
    api.credentials()
    assert api.get(f"/api/v1/enterprises/{slug}/").status_code == 404
    assert login(api, donor).get(f"/api/v1/enterprises/{slug}/").status_code == 200
    denied = login(api, donor).post(f"/api/v1/enterprises/{slug}/accept/")
    assert denied.status_code == 403
    accepted = login(api, reviewer).post(
        f"/api/v1/enterprises/{slug}/accept/", {"comment": "References checked."}, format="json"
    )
    assert accepted.status_code == 200 and accepted.json()["status"] == "member"
    assert [h["to_status"] for h in accepted.json()["history"]] == ["applicant", "member"]
    api.credentials()
    assert api.get(f"/api/v1/enterprises/{slug}/").status_code == 200


def test_membership_moves(reviewer):
    applicant = EnterpriseFactory(status=MembershipStatus.APPLICANT)
    services.enterprise_decline(actor=reviewer, enterprise=applicant, comment="Not SSE")
    with pytest.raises(Conflict):
        services.enterprise_accept(actor=reviewer, enterprise=applicant)
    member = EnterpriseFactory()
    services.enterprise_suspend(actor=reviewer, enterprise=member, comment="Audit")
    reinstated = services.enterprise_accept(actor=reviewer, enterprise=member, comment="Cleared")
    assert reinstated.status == MembershipStatus.MEMBER
    assert EnterpriseStatusChange.objects.filter(enterprise=member).count() == 2


def test_application_is_validated(donor):
    with pytest.raises(ApplicationError) as raised:
        services.enterprise_apply(actor=donor, data={**APPLICATION, "country": "GB", "city": ""})
    assert {"country", "city"} <= set(raised.value.fields)
    services.enterprise_apply(actor=donor, data=APPLICATION)
    with pytest.raises(ApplicationError) as raised:
        services.enterprise_apply(actor=donor, data=APPLICATION)
    assert "legal_name" in raised.value.fields


def test_at_most_two_focal_points_per_country():
    first, second, third = (UserFactory() for _ in range(3))
    services.focal_point_assign(country="ID", user=first)
    services.focal_point_assign(country="ID", user=second)
    services.focal_point_assign(country="ID", user=first)  # already one: no change
    with pytest.raises(Conflict):
        services.focal_point_assign(country="ID", user=third)
    assert FocalPoint.objects.filter(country="ID").count() == 2
    # The database itself refuses a third slot.
    with pytest.raises(IntegrityError), transaction.atomic():
        FocalPoint.objects.create(country="ID", slot=3, user=third)


def test_enterprise_list_filters(api, reviewer):
    EnterpriseFactory(country="TH")
    EnterpriseFactory(status=MembershipStatus.APPLICANT)
    public = api.get("/api/v1/enterprises/").json()
    assert public["count"] == 1
    assert login(api, reviewer).get("/api/v1/enterprises/", {"status": "applicant"}).json()[
        "count"] == 1  # fmt: skip
