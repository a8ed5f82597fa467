"""Only the treasurer (and admins) reach the posting operations: 401 anonymous, 403 donors,
enterprise members and reviewers; and the API docs describe every one of them."""

from __future__ import annotations

import pytest
from django.urls import reverse

from ledger.models import JournalEntry

pytestmark = pytest.mark.django_db

ENDPOINTS = [
    ("post", "api-ledger-offline-gifts", {}),
    ("post", "api-ledger-releases", {}),
    ("post", "api-ledger-manual-adjustments", {}),
    ("post", "api-ledger-entry-reverse", {"pk": 1}),
    ("post", "api-ledger-fx-revaluations", {}),
    ("get", "api-ledger-fee-share", {"campaign_id": 1}),
    ("put", "api-ledger-fee-share", {"campaign_id": 1}),
    ("get", "api-ledger-disbursements", {}),
    ("post", "api-ledger-disbursements", {}),
    ("get", "api-ledger-disbursement", {"pk": 1}),
    ("post", "api-ledger-disbursement-pay", {"pk": 1}),
    ("post", "api-ledger-disbursement-cancel", {"pk": 1}),
]
DENIED = {"anonymous": 401, "donor": 403, "member_user": 403, "reviewer": 403}
# A body that would book something if the caller were let in.
GIFT = {"campaign": 1, "reference": "bank-1", "amount": "10.00", "currency": "MYR",
        "donor_country": "MY", "effective_date": "2026-03-02"}  # fmt: skip


@pytest.fixture
def as_role(request, api, enterprise):
    def login(role: str):
        if role != "anonymous":
            api.force_authenticate(request.getfixturevalue(role))
        return api

    return login


def _call(api, method: str, name: str, kwargs: dict):
    return getattr(api, method)(reverse(name, kwargs=kwargs), GIFT, format="json")


@pytest.mark.parametrize(("method", "name", "kwargs"), ENDPOINTS)
@pytest.mark.parametrize("role", list(DENIED))
def test_everyone_but_the_treasurer_is_turned_away(as_role, role, method, name, kwargs):
    response = _call(as_role(role), method, name, kwargs)

    assert response.status_code == DENIED[role], response.content
    assert response.json()["message"]
    assert not JournalEntry.objects.exists()


@pytest.mark.parametrize(("method", "name", "kwargs"), ENDPOINTS)
@pytest.mark.parametrize("role", ["treasurer", "admin_user"])
def test_the_treasurer_and_admins_get_in(as_role, role, method, name, kwargs):
    response = _call(as_role(role), method, name, kwargs)

    # In: the answer, or a 4xx about the input or a missing object, never a 500.
    assert response.status_code not in (401, 403), response.content
    assert response.status_code < 500, response.content
    assert "message" in response.json() or response.status_code < 300


def test_the_api_docs_describe_every_operation(api):
    schema = api.get(reverse("schema"), {"format": "json"}).json()
    paths = schema["paths"]

    expected = {
        "/api/v1/ledger/offline-gifts/": ["post"],
        "/api/v1/ledger/releases/": ["post"],
        "/api/v1/ledger/manual-adjustments/": ["post"],
        "/api/v1/ledger/entries/{id}/reverse/": ["post"],
        "/api/v1/ledger/fx-revaluations/": ["post"],
        "/api/v1/ledger/campaigns/{campaign_id}/fee-share/": ["get", "put"],
        "/api/v1/ledger/disbursements/": ["get", "post"],
        "/api/v1/ledger/disbursements/{id}/": ["get"],
        "/api/v1/ledger/disbursements/{id}/pay/": ["post"],
        "/api/v1/ledger/disbursements/{id}/cancel/": ["post"],
    }
    for path, methods in expected.items():
        for method in methods:
            operation = paths[path][method]
            assert operation["summary"], (path, method)
            assert operation["tags"][0].startswith("ledger: "), (path, method)
    gift = paths["/api/v1/ledger/offline-gifts/"]["post"]
    assert {"201", "400", "409"} <= set(gift["responses"])
    pay = paths["/api/v1/ledger/disbursements/{id}/pay/"]["post"]
    assert "Conflicts" in pay["responses"]["409"]["description"]
    assert gift["requestBody"]["content"]["application/json"]["schema"]["$ref"].endswith(
        "OfflineGiftInRequest"
    )
