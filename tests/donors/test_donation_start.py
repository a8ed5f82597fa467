"""Starting a gift: validation with clear messages, rate limit, nothing half-made, redirect."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import override_settings
from moneyed import Money

from campaigns.models import CampaignStatus
from donors.models import Donation, DonationStatus
from tests.factories import CampaignFactory

pytestmark = pytest.mark.usefixtures("tx")
GOOD = {"amount": "50", "email": "siti@example.org", "name": "Siti", "country": "MY"}


def url(campaign) -> str:
    return f"/api/v1/campaigns/{campaign.slug}/donations/"


def test_start_creates_a_pending_donation_and_a_checkout_session(api, stripe_env, campaign):
    response = api.post(
        url(campaign),
        {**GOOD, "cover_fee": True, "dedication": "Ibu", "anonymous": True, "message": "Good luck"},
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    d = Donation.objects.get(reference=body["reference"])
    assert d.status == DonationStatus.PENDING and d.checkout_session_id.startswith("cs_")
    assert body["checkout_url"] == d.checkout_url and d.checkout_url.startswith(stripe_env.url)
    # Covering the fee adds the estimate (4% of MYR 50) to what the donor pays.
    assert d.amount == Money("52.00", "MYR") and d.fee_cover == Money("2.00", "MYR")
    session = stripe_env.client.v1.checkout.sessions.retrieve(d.checkout_session_id)
    assert session.client_reference_id == str(d.reference) and session.amount_total == 5200
    assert session.mode == "payment" and session.metadata["donation_id"] == str(d.reference)
    assert d.transitions.get().to_state == DonationStatus.PENDING


def test_monthly_gives_a_subscription_session(api, stripe_env, campaign):
    response = api.post(url(campaign), {**GOOD, "monthly": True}, format="json")
    d = Donation.objects.get(reference=response.json()["reference"])
    assert stripe_env.client.v1.checkout.sessions.retrieve(d.checkout_session_id).mode == (
        "subscription"
    )


@pytest.mark.parametrize(
    ("data", "field", "text"),
    [
        ({"amount": "1.50"}, "amount", "smallest gift in MYR is RM 2.00"),
        ({"amount": "50000.01"}, "amount", "largest gift online"),
        ({"amount": "10.555"}, "amount", "at most 2 decimals"),
        ({"amount": "50000.555", "currency": "IDR"}, "amount", "IDR amounts have at most 2"),
        ({"amount": "5000", "currency": "IDR"}, "amount", "smallest gift in IDR"),
        ({"currency": "GBP"}, "currency", "not taken in GBP"),
        ({"email": "not-an-email"}, "email", "valid email"),
        ({"country": "M1"}, "country", "country"),
        ({"amount": "-5"}, "amount", ""),
    ],
)  # fmt: skip
def test_bad_input_is_refused_with_a_clear_message(api, stripe_env, campaign, data, field, text):
    response = api.post(url(campaign), {**GOOD, **data}, format="json")
    assert response.status_code == 400
    body = response.json()
    assert field in body["fields"] and text.lower() in str(body).lower()
    assert not Donation.objects.exists()


def test_zero_decimal_currency_takes_whole_units(api, stripe_env, settings, db):
    settings.DONATION_CURRENCIES = ["JPY", "MYR"]
    campaign = CampaignFactory(goal=Money(Decimal("500000"), "JPY"))
    assert api.post(url(campaign), {**GOOD, "amount": "1000.5", "currency": "JPY"},
                    format="json").status_code == 400  # fmt: skip
    response = api.post(url(campaign), {**GOOD, "amount": "1000", "currency": "JPY"},
                        format="json")  # fmt: skip
    assert response.status_code == 201
    d = Donation.objects.get()
    assert stripe_env.client.v1.checkout.sessions.retrieve(
        d.checkout_session_id).amount_total == 1000  # fmt: skip


def test_a_campaign_in_another_currency_takes_only_its_own_until_its_rate_is_published(
    api, stripe_env
):
    # With a reference rate for IDR, every enabled currency: see test_reference_rates.py.
    campaign = CampaignFactory(goal=Money(Decimal("50000000"), "IDR"))
    ok = api.post(url(campaign), {**GOOD, "amount": "100000", "currency": "IDR"}, format="json")
    assert ok.status_code == 201
    for currency in ("MYR", "USD"):
        refused = api.post(url(campaign), {**GOOD, "currency": currency}, format="json")
        assert refused.status_code == 400 and currency in refused.json()["message"]


def test_campaign_must_be_live(api, stripe_env, db):
    campaign = CampaignFactory(status=CampaignStatus.ENDED)
    response = api.post(url(campaign), GOOD, format="json")
    assert response.status_code == 400 and response.json()["code"] == "campaign_not_live"


@override_settings(DONATION_RATE_LIMIT=(3, 600))
def test_rate_limited_per_client(api, stripe_env, campaign):
    codes = [api.post(url(campaign), GOOD, format="json", REMOTE_ADDR="10.0.0.7").status_code
             for _ in range(4)]  # fmt: skip
    assert codes == [201, 201, 201, 429]
    other = api.post(url(campaign), GOOD, format="json", REMOTE_ADDR="10.0.0.8")
    assert other.status_code == 201
    assert Donation.objects.count() == 4


def test_provider_down_leaves_nothing_half_made(api, settings, campaign):
    settings.STRIPE_API_BASE = "http://127.0.0.1:9"  # nothing listens there
    response = api.post(url(campaign), GOOD, format="json")
    assert response.status_code == 503 and response.json()["code"] == "provider_unavailable"
    assert not Donation.objects.exists()


def test_the_campaign_page_carries_the_form_and_it_redirects_to_stripe(client, stripe_env,
                                                                       campaign):  # fmt: skip
    page = client.get(f"/campaigns/{campaign.slug}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert f'action="/give/{campaign.slug}/"' in html and "Be the first to give" in html
    response = client.post(
        f"/give/{campaign.slug}/",
        {
            "amount": "50",
            "currency": "MYR",
            "email": "a@example.org",
            "country": "MY",
            "monthly": "on",
        },
    )
    assert response.status_code == 302 and response["Location"].startswith(stripe_env.url)
    assert Donation.objects.get().frequency == "monthly"


def test_the_form_shows_errors_and_keeps_values(client, stripe_env, campaign):
    response = client.post(
        f"/give/{campaign.slug}/",
        {
            "amount": "other",
            "other_amount": "1",
            "currency": "MYR",
            "email": "x@y.org",
            "name": "Ana",
            "country": "MY",
        },
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "smallest gift" in html and 'value="Ana"' in html
    assert not Donation.objects.exists()
