"""Malformed input is a 4xx with a message, never a 500: what a fuzzer sends the API.

Each class of bug once: a missing optional field, JSON nested deeper than anyone writes
(through the API's parsers and the webhook receiver), NUL characters (PostgreSQL refuses
them in text, so they used to reach the database as a DataError), dates at the ends of the
calendar, numbers too large for the database's integers. Run on SQLite and PostgreSQL.
"""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from campaigns.models import Campaign
from campaigns.services.proposals import campaign_create
from common.errors import ApplicationError
from common.roles import Role, role_grant
from ledger.models import JournalEntry
from ledger.services.chart import chart_ensure_default
from payments.registry import get_provider
from payments.stripe.signatures import sign_payload
from tests.factories import CampaignFactory, UserFactory, proposal_data

pytestmark = pytest.mark.django_db
HUGE = "99999999999999999999"  # beyond a bigint


def assert_refused(response, status: int = 400) -> dict:
    assert response.status_code == status, response.content
    body = response.json()
    assert body["message"] and body["code"], body
    return body


def proposal_body() -> dict:
    """A complete proposal as JSON carries it."""
    data = json.loads(json.dumps(proposal_data(), default=str))
    return data


@pytest.fixture
def treasurer_api(api, treasurer):
    chart_ensure_default()
    api.force_authenticate(treasurer)
    return api


# --- Optional fields ------------------------------------------------------------------


def test_a_proposal_without_its_optional_lists_is_drafted_not_a_500(api, member_user, enterprise):
    body = {**proposal_body(), "enterprise": enterprise.slug}
    for optional in ("beneficiary_groups", "sdg_indicators", "outcomes", "funding_model"):
        del body[optional]
    api.force_authenticate(member_user)

    response = api.post("/api/v1/campaigns/", body, format="json")

    assert response.status_code == 201, response.content
    campaign = Campaign.objects.get(slug=body["slug"])
    assert campaign.beneficiary_groups == [] and campaign.sdg_indicators == []


# --- Nesting --------------------------------------------------------------------------

NESTED = {
    "a list 100,000 deep": "[" * 100_000 + "]" * 100_000,
    "an object 100,000 deep": '{"a":' * 100_000 + "1" + "}" * 100_000,
    "a list 200 deep": "[" * 200 + "]" * 200,  # parses, but deeper than any request of ours
}


@pytest.mark.parametrize("body", NESTED.values(), ids=NESTED.keys())
@pytest.mark.parametrize(
    "url", ["/api/v1/ledger/manual-adjustments/", "/api/v1/campaigns/", "/api/v1/auth/token/"]
)
def test_deeply_nested_json_is_a_400_with_a_message(treasurer_api, url, body):
    response = treasurer_api.post(url, body, content_type="application/json")

    assert "nested" in assert_refused(response)["message"]
    assert not JournalEntry.objects.exists()


def test_a_signed_but_deeply_nested_webhook_body_is_refused_not_a_500(client, settings):
    settings.STRIPE_WEBHOOK_SECRET = ["whsec_nested"]
    get_provider.cache_clear()
    body = ('{"id": "evt_1", "type": "x", "data": {"object": ' + "[" * 100_000
            + "]" * 100_000 + "}}").encode()  # fmt: skip

    response = client.post("/webhooks/stripe/", data=body, content_type="application/json",
                           HTTP_STRIPE_SIGNATURE=sign_payload(body, "whsec_nested"))  # fmt: skip
    get_provider.cache_clear()

    assert response.status_code == 400


# --- NUL characters -------------------------------------------------------------------


def test_a_nul_character_in_a_json_body_is_a_400_and_nothing_is_booked(treasurer_api):
    lines = [{"account": "1200-BANK\x00", "side": "debit", "amount": "1.00"},
             {"account": "3000-OPERATIONS-MYR", "side": "credit", "amount": "1.00"}]  # fmt: skip
    body = {"reason": "Interest", "effective_date": "2026-03-02", "lines": lines}

    response = treasurer_api.post("/api/v1/ledger/manual-adjustments/", body, format="json")

    assert "NUL" in assert_refused(response)["message"]
    assert not JournalEntry.objects.exists()


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/ledger/accounts/1200-BANK%00/statement/",
        "/api/v1/donations/?status=%00",
        "/api/v1/campaigns/?q=a%00b",
        "/api/v1/ledger/journal/?page=1&date_from=2026-01-01%00",
    ],
)
def test_a_nul_character_in_the_path_or_query_is_a_400_with_a_message(treasurer_api, url):
    assert "NUL" in assert_refused(treasurer_api.get(url))["message"]


def test_a_nul_character_in_a_page_or_admin_address_is_a_400(client, admin_user):
    client.force_login(admin_user)

    for url in ("/admin/knox/authtoken/a%00b/change/", "/?q=a%00b"):
        response = client.get(url)
        assert response.status_code == 400, url
        assert b"NUL" in response.content


# --- Dates and numbers at the ends of their ranges -------------------------------------


@pytest.mark.parametrize("name", ["api-ledger-income-expenditure", "api-ledger-changes-in-funds"])
@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31"])
def test_a_report_period_at_the_end_of_the_calendar_is_a_400(treasurer_api, name, day):
    response = treasurer_api.get(reverse(name), {"date_from": day, "date_to": day})

    assert "date_from" in assert_refused(response)["fields"]


def test_a_fund_statement_from_the_first_day_of_the_calendar_is_a_400(treasurer_api):
    url = reverse("api-ledger-fund-statement", kwargs={"campaign_id": CampaignFactory().pk})

    response = treasurer_api.get(url, {"date_from": "0001-01-01"})

    assert "date_from" in assert_refused(response)["fields"]


@pytest.mark.parametrize("day", ["0001-01-01", "9999-99-99", "2026-02-30"])
def test_an_impossible_or_extreme_as_of_date_is_a_400(treasurer_api, day):
    response = treasurer_api.get(reverse("api-ledger-trial-balance"), {"as_of": day})

    assert "as_of" in assert_refused(response)["fields"]


@pytest.mark.parametrize(
    "url",
    [
        f"/api/v1/ledger/disbursements/{HUGE}/",
        f"/api/v1/ledger/reconciliation/imports/{HUGE}/",
        f"/api/v1/ledger/campaigns/{HUGE}/fund-statement/",
        f"/api/v1/ledger/journal/?page={HUGE}",
        "/api/v1/ledger/journal/?format=pdf",
    ],
)
def test_huge_numbers_and_unknown_formats_in_an_address_are_a_4xx(treasurer_api, url):
    response = treasurer_api.get(url)

    assert response.status_code == 404, response.content
    assert response.json()["message"]


def test_a_huge_id_in_a_body_is_a_400(treasurer_api):
    body = {"campaign": int(HUGE), "reference": "bank-1", "amount": "10.00", "currency": "MYR",
            "donor_country": "JP", "effective_date": "2026-03-02"}  # fmt: skip

    response = treasurer_api.post(reverse("api-ledger-offline-gifts"), body, format="json")

    assert "campaign" in assert_refused(response)["fields"]


def test_the_admin_refund_page_of_a_missing_donation_is_a_404(client, db):
    treasurer = UserFactory(username="treasurer-admin", is_staff=True)
    role_grant(user=treasurer, role=Role.TREASURER)
    client.force_login(treasurer)

    for pk in ("424242", HUGE):
        assert client.get(f"/admin/donors/donation/{pk}/refund/").status_code == 404


def test_a_nul_character_in_a_signed_webhook_event_id_is_refused_not_a_500(client, settings):
    settings.STRIPE_WEBHOOK_SECRET = ["whsec_nul"]
    get_provider.cache_clear()
    event = {"id": "evt_\x00", "type": "customer.created", "created": 1,
             "data": {"object": {"id": "cus_1", "object": "customer"}}}  # fmt: skip
    body = json.dumps(event).encode()

    response = client.post("/webhooks/stripe/", data=body, content_type="application/json",
                           HTTP_STRIPE_SIGNATURE=sign_payload(body, "whsec_nul"))  # fmt: skip
    get_provider.cache_clear()

    assert response.status_code == 400


def test_a_proposal_missing_a_required_field_is_refused_by_the_service_not_a_keyerror(
    member_user, enterprise
):
    data = {k: v for k, v in proposal_data().items() if k != "title"}

    with pytest.raises(ApplicationError) as refused:
        campaign_create(actor=member_user, enterprise=enterprise, data=data)

    assert "title" in refused.value.fields
    assert not Campaign.objects.exists()


def _routes() -> list[str]:
    """Every address of the site, as a route string."""
    from django.urls import URLPattern, URLResolver, get_resolver

    def walk(patterns, prefix: str):
        for entry in patterns:
            route = prefix + str(entry.pattern)
            if isinstance(entry, URLResolver):
                yield from walk(entry.url_patterns, route)
            elif isinstance(entry, URLPattern):
                yield route

    return sorted(set(walk(get_resolver().url_patterns, "/")))


def _id_routes() -> list[str]:
    """Every address with a row id in it (`<id:...>`)."""
    return [route for route in _routes() if "<id:" in route]


def test_api_addresses_take_row_ids_through_the_bounded_converter():
    unbounded = [r for r in _routes() if r.startswith(("/api/", "/webhooks/")) and "<int:" in r]
    assert unbounded == []


@pytest.mark.parametrize("digits", [19, 25])
def test_an_id_past_the_databases_integers_is_a_json_404_on_every_route(treasurer_api, digits):
    import re

    routes = _id_routes()
    assert len(routes) >= 12, routes
    for route in routes:
        url = re.sub(r"<id:\w+>", "9" * digits, route)
        url = re.sub(r"<(?:str|slug):\w+>", "bank_line", url)
        for method in ("get", "post"):
            response = getattr(treasurer_api, method)(url)
            assert response.status_code == 404, (method, url, response.content)
            assert response["Content-Type"] == "application/json", (method, url)
