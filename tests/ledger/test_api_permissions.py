"""Only the treasurer (and admins) reach the ledger API: 401 anonymous, 403 other roles."""

from __future__ import annotations

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

GETS = [
    ("api-ledger-trial-balance", {}),
    ("api-ledger-balance-sheet", {}),
    ("api-ledger-income-expenditure", {}),
    ("api-ledger-changes-in-funds", {}),
    ("api-ledger-fund-statement", {"campaign_id": 1}),
    ("api-ledger-foreign-contributions", {}),
    ("api-ledger-journal", {}),
    ("api-ledger-accounts", {}),
    ("api-ledger-account-statement", {"code": "1100-STRIPE-MYR"}),
    ("api-ledger-periods", {}),
    ("api-ledger-imports", {}),
    ("api-ledger-import", {"pk": 1}),
    ("api-ledger-reconciliation-report", {}),
    ("api-ledger-workbench", {}),
]
POSTS = [
    ("api-ledger-period-close", {}),
    ("api-ledger-period-reopen", {"pk": 1}),
    ("api-ledger-imports", {}),
    ("api-ledger-auto-match", {}),
    ("api-ledger-item-match", {"item_type": "bank_line", "pk": 1}),
    ("api-ledger-item-explain", {"item_type": "bank_line", "pk": 1}),
    ("api-ledger-item-unmatch", {"item_type": "bank_line", "pk": 1}),
    ("api-ledger-link-payouts", {"pk": 1}),
]
ENDPOINTS = [("get", *e) for e in GETS] + [("post", *e) for e in POSTS]
DENIED = {"anonymous": 401, "donor": 403, "member_user": 403, "reviewer": 403}


def _call(api, method, name, kwargs, fmt=None):
    url = reverse(name, kwargs=kwargs)
    if method == "get":
        return api.get(url, {"format": fmt} if fmt else {})
    return api.post(url, {}, format="json")


@pytest.fixture
def as_role(request, api, enterprise):
    def login(role: str):
        if role != "anonymous":
            api.force_authenticate(request.getfixturevalue(role))
        return api

    return login


@pytest.mark.parametrize(("method", "name", "kwargs"), ENDPOINTS)
@pytest.mark.parametrize("role", list(DENIED))
def test_everyone_but_the_treasurer_is_turned_away(as_role, role, method, name, kwargs):
    response = _call(as_role(role), method, name, kwargs)

    assert response.status_code == DENIED[role], response.content
    assert response.json()["message"]


@pytest.mark.parametrize(("method", "name", "kwargs"), ENDPOINTS)
@pytest.mark.parametrize("role", ["treasurer", "admin_user"])
def test_the_treasurer_and_admins_get_in(as_role, role, method, name, kwargs):
    response = _call(as_role(role), method, name, kwargs)

    # In: the answer is the report, or a 4xx about the (empty) input or a missing object.
    assert response.status_code not in (401, 403, 500), response.content


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_a_download_request_is_refused_the_same_way(as_role, fmt):
    response = _call(as_role("donor"), "get", "api-ledger-trial-balance", {}, fmt)

    assert response.status_code == 403


def test_the_api_docs_describe_every_ledger_endpoint(api):
    schema = api.get(reverse("schema"), {"format": "json"}).json()
    placeholders = {"campaign_id": 7, "code": "CODE", "pk": 8, "item_type": "ITEM"}
    # drf-spectacular names a `pk` path parameter `id`.
    names = {"7": "{campaign_id}", "CODE": "{code}", "8": "{id}", "ITEM": "{item_type}"}
    for _, name, kwargs in ENDPOINTS:
        url = reverse(name, kwargs={k: placeholders[k] for k in kwargs})
        template = "/".join(names.get(part, part) for part in url.split("/"))
        assert template in schema["paths"], template
    trial = schema["paths"]["/api/v1/ledger/trial-balance/"]["get"]
    assert {"text/csv", "application/json"} <= set(trial["responses"]["200"]["content"])
    assert {p["name"] for p in trial["parameters"]} >= {"as_of", "format"}
