"""The gift form as donors see it: money-formatted presets and a country list in their language,
working as a plain HTML form (no JavaScript)."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from moneyed import Money

from common.countries import COUNTRY_CODES, country_from_accept_language
from donors.models import Donation
from tests.factories import CampaignFactory

pytestmark = pytest.mark.usefixtures("tx")
GOOD = {"amount": "50", "email": "siti@example.org", "name": "Siti", "country": "MY"}


def page(client, campaign, language: str) -> str:
    response = client.get(f"/campaigns/{campaign.slug}/", HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    return response.content.decode()


def country_select(html: str) -> str:
    return re.search(r'<select id="give-country".*?</select>', html, re.S).group(0)


@pytest.mark.parametrize(
    ("language", "shown"),
    [("id", ["Rp 50.000", "Rp 100.000", "Rp 500.000"]),
     ("en", ["Rp 50,000", "Rp 250,000"]), ("ms", ["Rp 50,000"])],
)  # fmt: skip
def test_presets_are_shown_as_money_in_the_pages_language(client, db, language, shown):
    campaign = CampaignFactory(goal=Money(Decimal("50000000"), "IDR"))
    html = page(client, campaign, language)
    for text in shown:
        assert f"> {text}</label>" in html
    assert 'value="50000"' in html and "> 50000</label>" not in html


def test_myr_presets_keep_their_cents(client, campaign):
    assert "> RM 20.00</label>" in page(client, campaign, "en")


@pytest.mark.parametrize(
    ("language", "names", "prompt"),
    [("en", ["United States", "Malaysia", "Åland Islands"], "Choose your country"),
     ("id", ["Amerika Serikat", "Jepang"], "Pilih negara Anda"),
     ("ms", ["Amerika Syarikat", "Jepun"], "Pilih negara anda")],
)  # fmt: skip
def test_every_country_is_listed_by_its_name_in_the_pages_language(client, campaign, language,
                                                                    names, prompt):  # fmt: skip
    select = country_select(page(client, campaign, language))
    codes = re.findall(r'<option value="([A-Z]*)"', select)
    assert codes[0] == "" and set(codes[1:]) == COUNTRY_CODES and len(codes) == 250
    for name in names:
        assert f">{name}</option>" in select
    assert f'<option value="" selected>{prompt}</option>' in select


def test_the_country_defaults_to_the_browsers_region_never_the_campaigns(client, campaign):
    assert campaign.enterprise.country == "MY"
    select = country_select(page(client, campaign, "en-SG,en;q=0.9"))
    assert '<option value="SG" selected>' in select and 'MY" selected' not in select
    plain = country_select(page(client, campaign, "en"))
    assert '<option value="" selected>' in plain and " selected>Malaysia" not in plain


def test_a_region_is_read_from_any_of_the_preferred_languages():
    assert country_from_accept_language("id-ID,id;q=0.9") == "ID"
    assert country_from_accept_language("ms, en-GB;q=0.5") == "GB"
    assert country_from_accept_language("es-419, en") == ""
    assert country_from_accept_language("") == ""


def test_the_form_without_javascript_asks_for_a_country_and_keeps_the_choice(client, stripe_env,
                                                                           campaign):  # fmt: skip
    form = {**GOOD, "currency": "MYR", "country": ""}
    refused = client.post(f"/give/{campaign.slug}/", form, HTTP_ACCEPT_LANGUAGE="en-SG")
    assert refused.status_code == 400 and "Choose your country." in refused.content.decode()
    assert '<option value="" selected>' in country_select(refused.content.decode())
    again = client.post(f"/give/{campaign.slug}/", {**form, "country": "JP", "amount": "1"})
    assert '<option value="JP" selected>' in country_select(again.content.decode())
    done = client.post(f"/give/{campaign.slug}/", {**form, "country": "JP"})
    assert done.status_code == 302 and Donation.objects.get().country == "JP"


@pytest.mark.parametrize("country", ["XX", "EU", "M1", "Malaysia", "XK"])
def test_an_unknown_country_code_is_a_clear_400(api, stripe_env, campaign, country):
    response = api.post(f"/api/v1/campaigns/{campaign.slug}/donations/",
                        {**GOOD, "country": country}, format="json")  # fmt: skip
    assert response.status_code == 400
    message = response.json()["fields"]["country"][0]
    assert f"“{country}” is not a country we know" in message
    assert not Donation.objects.exists()


def test_a_lower_case_code_is_taken(api, stripe_env, campaign):
    response = api.post(f"/api/v1/campaigns/{campaign.slug}/donations/",
                        {**GOOD, "country": "sg"}, format="json")  # fmt: skip
    assert response.status_code == 201 and Donation.objects.get().country == "SG"


def test_a_preset_is_an_amount_in_its_own_currency(client, stripe_env, db):
    campaign = CampaignFactory(goal=Money(Decimal("50000000"), "IDR"))
    form = {**GOOD, "amount": "50000", "currency": "MYR", "preset_currency": "IDR"}
    refused = client.post(f"/give/{campaign.slug}/", form)
    html = refused.content.decode()
    assert refused.status_code == 400 and "amounts to choose from are in IDR" in html
    assert not Donation.objects.exists()
    given = client.post(f"/give/{campaign.slug}/", {**form, "currency": "IDR"})
    assert given.status_code == 302 and Donation.objects.get().amount == Money(50000, "IDR")


def test_the_form_says_which_currency_its_presets_are_in(client, db):
    campaign = CampaignFactory(goal=Money(Decimal("50000000"), "IDR"))
    assert '<input type="hidden" name="preset_currency" value="IDR">' in page(client, campaign,
                                                                              "en")  # fmt: skip
