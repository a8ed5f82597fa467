"""The public campaign list and campaign page, as a visitor sees them in each language."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from moneyed import Money

from campaigns.models import Campaign, CampaignStatus
from tests.factories import CampaignFactory, EnterpriseFactory
from tests.pages.factories import image_upload

pytestmark = pytest.mark.django_db

HEADINGS = {
    "en": "Community projects of the solidarity economy",
    "id": "Proyek komunitas ekonomi solidaritas",
    "ms": "Projek komuniti ekonomi solidariti",
}


def get(client, url, language="en", **params):
    return client.get(url, params, HTTP_ACCEPT_LANGUAGE=language)


def titles(response) -> list[str]:
    return [campaign.title for campaign, _progress in response.context["cards"]]


@pytest.fixture
def catalogue(db):
    """Campaigns in three sub-regions, currencies and states."""
    today = timezone.localdate()
    my = EnterpriseFactory(legal_name="Koperasi Wanita Sejahtera", country="MY", city="Kota Bharu")
    id_ = EnterpriseFactory(legal_name="Yayasan Air Bersih", country="ID", city="Yogyakarta",
                            type="ngo")  # fmt: skip
    jp = EnterpriseFactory(legal_name="Tokyo Workers Collective", country="JP", city="Tokyo",
                           type="informal_workers")  # fmt: skip
    return {
        "dryers": CampaignFactory(
            enterprise=my, title="Solar rice dryers", slug="solar-rice-dryers",
            goal=Money(Decimal("1250"), "MYR"), raised=Money(Decimal("1000"), "MYR"),
            end_date=today + dt.timedelta(days=20), sdgs=[1, 2],
        ),
        "water": CampaignFactory(
            enterprise=id_, title="Rainwater tanks", slug="rainwater-tanks",
            goal=Money(Decimal("500000"), "IDR"), raised=Money(Decimal("100000"), "IDR"),
            end_date=today + dt.timedelta(days=3), sdgs=[6],
        ),
        "school": CampaignFactory(
            enterprise=jp, title="Night school", slug="night-school",
            goal=Money(Decimal("12000"), "JPY"), status=CampaignStatus.ENDED,
            start_date=today - dt.timedelta(days=60), end_date=today - dt.timedelta(days=1),
            sdgs=[4, 8],
        ),
        "draft": CampaignFactory(
            enterprise=my, title="Secret kitchen draft", slug="kitchen-draft",
            status=CampaignStatus.DRAFT,
        ),
        "submitted": CampaignFactory(
            enterprise=my, title="Submitted sewing", slug="sewing", status=CampaignStatus.SUBMITTED
        ),
    }  # fmt: skip


@pytest.mark.parametrize("language", ["en", "id", "ms"])
def test_list_renders_in_each_language(client, catalogue, language):
    response = get(client, reverse("campaigns:list"), language)
    assert response.status_code == 200
    html = response.content.decode()
    assert HEADINGS[language] in html
    assert f'<html lang="{language}">' in html


def test_list_shows_only_public_campaigns_as_cards(client, catalogue):
    response = get(client, "/")
    assert sorted(titles(response)) == ["Night school", "Rainwater tanks", "Solar rice dryers"]
    html = response.content.decode()
    assert "Secret kitchen draft" not in html
    assert "Submitted sewing" not in html
    assert "Koperasi Wanita Sejahtera" in html and "Kota Bharu, Malaysia" in html
    assert 'role="progressbar"' in html and 'aria-valuenow="80"' in html  # 1000 of 1250
    assert 'class="progress-fill pct-80"' in html  # its width, from site.css
    assert "3 days left" in html


@pytest.mark.parametrize(
    ("language", "goal", "raised"),
    [("en", "Rp 500,000", "Rp 100,000"), ("id", "Rp 500.000", "Rp 100.000"),
     ("ms", "Rp 500,000", "Rp 100,000")],
)  # fmt: skip
def test_money_is_formatted_for_the_language(client, catalogue, language, goal, raised):
    html = get(client, "/", language).content.decode()
    assert goal in html and raised in html
    assert "¥12,000" in html if language != "id" else "¥12.000" in html


def test_money_in_ringgit_for_indonesian_readers(client, catalogue):
    html = get(client, reverse("campaigns:detail", args=["solar-rice-dryers"]), "id").content
    assert "RM 1.250,00" in html.decode()
    html = get(client, reverse("campaigns:detail", args=["solar-rice-dryers"]), "ms").content
    assert "RM 1,250.00" in html.decode()


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"country": "ID"}, ["Rainwater tanks"]),
        ({"sub_region": "east_asia"}, ["Night school"]),
        ({"sub_region": "southeast_asia"}, ["Rainwater tanks", "Solar rice dryers"]),
        ({"sdg": "6"}, ["Rainwater tanks"]),
        ({"enterprise_type": "informal_workers"}, ["Night school"]),
        ({"state": "ended"}, ["Night school"]),
        ({"state": "live"}, ["Rainwater tanks", "Solar rice dryers"]),
        ({"q": "rice"}, ["Solar rice dryers"]),
        ({"q": "Yogyakarta"}, ["Rainwater tanks"]),
        ({"country": "MY", "state": "ended"}, []),
    ],
)
def test_filters_change_the_results(client, catalogue, params, expected):
    response = get(client, "/", **params)
    assert response.status_code == 200
    assert sorted(titles(response)) == expected
    if not expected:
        assert "No campaign matches these filters" in response.content.decode()


def test_a_bad_filter_value_is_ignored_not_an_error(client, catalogue):
    response = get(client, "/", country="XX", sdg="99", sort="cheapest")
    assert response.status_code == 200
    assert len(titles(response)) == 3


def test_sorting_changes_the_order(client, catalogue):
    assert titles(get(client, "/", sort="ending_soon")) == [
        "Rainwater tanks", "Solar rice dryers", "Night school"
    ]  # fmt: skip
    assert titles(get(client, "/", sort="closest_to_goal", state="live")) == [
        "Solar rice dryers", "Rainwater tanks"
    ]  # fmt: skip
    # The go-live service stamps went_live_at on every campaign the public sees.
    Campaign.objects.filter(went_live_at=None).update(
        went_live_at=timezone.now() - dt.timedelta(days=10)
    )
    newest = CampaignFactory(title="Brand new", went_live_at=timezone.now())
    assert titles(get(client, "/", sort="newest"))[0] == newest.title


def test_pagination_keeps_the_filters(client, db):
    for n in range(14):
        CampaignFactory(title=f"Campaign {n:02}", enterprise__country="PH")
    CampaignFactory(title="Elsewhere", enterprise__country="TH")
    first = get(client, "/", country="PH")
    assert len(titles(first)) == 12
    html = first.content.decode()
    assert "Page 1 of 2" in html
    assert re.search(r'href="\?country=PH&amp;page=2"', html)
    second = get(client, "/", country="PH", page="2")
    assert len(titles(second)) == 2 and "Elsewhere" not in titles(second)


@pytest.mark.parametrize("language", ["en", "id", "ms"])
def test_campaign_page_in_each_language(client, catalogue, language):
    response = get(client, reverse("campaigns:detail", args=["solar-rice-dryers"]), language)
    assert response.status_code == 200
    html = response.content.decode()
    expected = {
        "en": ["How the money will be spent", "No poverty", "SDG 1", "20 days left"],
        "id": ["Bagaimana dana akan digunakan", "Tanpa Kemiskinan", "TPB 1", "20 hari lagi"],
        "ms": ["Bagaimana wang akan dibelanjakan", "Tiada Kemiskinan", "Matlamat 1",
               "20 hari lagi"],
    }[language]  # fmt: skip
    for text in expected:
        assert text in html


def test_campaign_page_shows_budget_sdgs_progress_and_enterprise(client, catalogue):
    campaign = catalogue["dryers"]
    campaign.enterprise.website = "https://kws.example.org"
    campaign.enterprise.save()
    campaign.beneficiary_groups = ["women", "farmers"]
    campaign.donor_count = 7
    campaign.save()
    html = get(client, reverse("campaigns:detail", args=[campaign.slug])).content.decode()
    assert "Solar dryer units" in html and "Training and installation" in html
    assert "RM 625.00" in html and "RM 1,250.00" in html
    assert "No poverty" in html and "Zero hunger" in html
    assert 'class="sdg-badge sdg-1"' in html  # the UN's colour of goal 1, from site.css
    assert "style=" not in html  # the Content-Security-Policy refuses style attributes
    assert 'aria-valuenow="80"' in html and "RM 1,000.00" in html
    assert "<dd>7</dd>" in html
    assert "Women" in html and "Farmers" in html
    assert "Farmers using dryers" in html and "120" in html
    assert "Cooperative" in html and "https://kws.example.org" in html
    assert "<p>Our members lose rice to rain every season.</p>" in html


def test_campaign_page_lists_the_enterprises_other_public_campaigns(client, catalogue):
    sister = CampaignFactory(enterprise=catalogue["dryers"].enterprise, title="Sister project")
    html = get(client, reverse("campaigns:detail", args=["solar-rice-dryers"])).content.decode()
    assert "More from Koperasi Wanita Sejahtera" in html
    assert reverse("campaigns:detail", args=[sister.slug]) in html
    assert "Secret kitchen draft" not in html


def test_campaign_page_has_open_graph_tags(client, catalogue):
    campaign = catalogue["dryers"]
    campaign.cover = image_upload()
    campaign.save()
    html = get(client, reverse("campaigns:detail", args=[campaign.slug])).content.decode()
    assert '<meta property="og:title" content="Solar rice dryers">' in html
    assert f'<meta property="og:description" content="{campaign.summary}">' in html
    assert (
        '<meta property="og:url" content="http://testserver/campaigns/solar-rice-dryers/">' in html
    )
    assert re.search(
        r'<meta property="og:image" content="http://testserver/media/campaigns/covers/', html
    )
    assert '<meta property="og:type" content="website">' in html


def test_a_campaign_without_a_cover_shares_its_enterprises_logo(client, catalogue):
    campaign = catalogue["dryers"]
    html = get(client, reverse("campaigns:detail", args=[campaign.slug])).content.decode()
    assert "og:image" not in html and '<meta name="twitter:card" content="summary">' in html
    campaign.enterprise.logo = image_upload("logo.png", (400, 400))
    campaign.enterprise.save()
    html = get(client, reverse("campaigns:detail", args=[campaign.slug])).content.decode()
    assert re.search(r'<meta property="og:image" content="http://testserver/media/[^"]*logo', html)


def test_ended_campaign_is_public_and_says_so(client, catalogue):
    html = get(client, reverse("campaigns:detail", args=["night-school"])).content.decode()
    assert "Ended" in html and "days left" not in html


@pytest.mark.parametrize("key", ["draft", "submitted"])
def test_unpublished_campaigns_are_404_to_the_public(client, catalogue, key):
    response = get(client, reverse("campaigns:detail", args=[catalogue[key].slug]))
    assert response.status_code == 404


@pytest.mark.parametrize(
    ("language", "text"),
    [("en", "Page not found"), ("id", "Halaman tidak ditemukan"), ("ms", "Halaman tidak dijumpai")],
)
def test_404_page_is_translated(client, settings, db, language, text):
    settings.DEBUG = False
    response = get(client, "/campaigns/nothing-here/", language)
    assert response.status_code == 404
    assert text in response.content.decode()


def test_story_is_rendered_as_html_only_because_it_was_sanitized(client, member_user, enterprise):
    from campaigns import services
    from tests.factories import proposal_data

    campaign = services.campaign_create(
        actor=member_user, enterprise=enterprise,
        data=proposal_data(story='<p onclick="x()">Hi<script>alert(1)</script></p>'),
    )  # fmt: skip
    campaign.status = CampaignStatus.LIVE
    campaign.save()
    html = get(client, reverse("campaigns:detail", args=[campaign.slug])).content.decode()
    assert "<p>Hi</p>" in html
    assert "alert(1)" not in html and "onclick" not in html


@pytest.mark.parametrize(
    ("language", "text"),
    [("en", "Something went wrong"), ("id", "Terjadi kesalahan"), ("ms", "Berlaku masalah")],
)
def test_500_page_stands_alone_and_is_translated(language, text):
    from django.template.loader import render_to_string
    from django.utils import translation

    with translation.override(language):
        html = render_to_string("500.html")
    assert text in html and f'<html lang="{language}">' in html


@pytest.mark.parametrize(
    ("language", "button"), [("en", "Sign in"), ("id", "Masuk"), ("ms", "Log masuk")]
)
def test_sign_in_page_in_each_language(client, language, button):
    html = get(client, reverse("login"), language).content.decode()
    assert f'<button type="submit" class="button">{button}</button>' in html
    assert 'autocomplete="current-password"' in html


def test_staff_see_a_link_to_the_secretariat_admin(client, reviewer, donor):
    client.force_login(donor)
    assert "Secretariat admin" not in get(client, "/").content.decode()
    reviewer.is_staff = True
    reviewer.save()
    client.force_login(reviewer)
    html = get(client, "/", "ms").content.decode()
    assert 'href="/admin/">Pentadbiran sekretariat</a>' in html
