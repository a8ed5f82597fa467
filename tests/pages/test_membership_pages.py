"""Signing up, and an organisation applying to join the network, through the pages."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

from campaigns.models import Enterprise, EnterpriseStatusChange, MembershipStatus

pytestmark = pytest.mark.django_db

APPLICATION = {
    "legal_name": "Bayanihan Water Service Cooperative", "type": "cooperative",
    "country": "PH", "city": "Iloilo City", "contact_email": "hi@bayanihan.example",
    "language": "en", "description": "A community water cooperative.", "sdg_focus": ["6", "5"],
}  # fmt: skip


def test_signup_creates_the_account_and_signs_in(client):
    response = client.post("/accounts/signup/", {
        "username": "ayu", "email": "ayu@donor.example", "password1": "kain-tenun-2026!",
        "password2": "kain-tenun-2026!", "next": "/proposals/",
    })  # fmt: skip
    assert response.status_code == 302 and response["Location"] == "/proposals/"
    user = get_user_model().objects.get(username="ayu")
    assert user.email == "ayu@donor.example" and client.get("/proposals/").status_code == 200


def test_signup_shows_problems_and_creates_nothing(client):
    response = client.post("/accounts/signup/", {
        "username": "ayu", "email": "not-an-email", "password1": "short",
        "password2": "other", "next": "https://elsewhere.example/",
    })  # fmt: skip
    assert response.status_code == 400
    assert b"Enter a valid email address" in response.content
    assert not get_user_model().objects.filter(username="ayu").exists()


def test_an_organisation_applies_through_the_page(client, donor):
    client.force_login(donor)
    assert client.get("/enterprises/apply/").status_code == 200
    response = client.post("/enterprises/apply/", APPLICATION, follow=True)
    assert response.redirect_chain[-1][0] == "/proposals/"
    assert b"has applied" in response.content
    enterprise = Enterprise.objects.get(legal_name=APPLICATION["legal_name"])
    assert enterprise.status == MembershipStatus.APPLICANT
    assert list(enterprise.members.all()) == [donor]
    assert sorted(enterprise.sdg_focus.values_list("number", flat=True)) == [5, 6]
    assert EnterpriseStatusChange.objects.filter(enterprise=enterprise).count() == 1


def test_a_second_application_under_the_same_name_is_refused_on_the_form(client, donor):
    client.force_login(donor)
    client.post("/enterprises/apply/", APPLICATION)
    again = client.post("/enterprises/apply/", APPLICATION)
    assert again.status_code == 400 and b"already applied" in again.content
    assert Enterprise.objects.count() == 1


def test_applying_needs_an_account(client):
    response = client.get("/enterprises/apply/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_the_application_page_in_bahasa_indonesia(client, donor):
    client.force_login(donor)
    client.post("/i18n/setlang/", {"language": "id", "next": "/"})
    page = client.get("/enterprises/apply/").content.decode()
    assert "Ajukan keanggotaan" in page
