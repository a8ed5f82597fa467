"""A visitor on a phone finds a campaign by country and reads it in Bahasa Indonesia.

Drives Debian's Chromium through Playwright against pytest-django's live server.
"""

from __future__ import annotations

import datetime as dt
import os
from decimal import Decimal

import pytest
from django.utils import timezone
from moneyed import Money

from tests.factories import CampaignFactory, EnterpriseFactory

# Playwright's sync API runs an event loop in this thread; the ORM calls made by the test
# itself (factories) are still plain synchronous calls.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]  # fmt: skip

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not os.path.exists(CHROMIUM),
        reason="Debian's Chromium is missing: apt-get install chromium (make test does it)",
    ),
    # serialized_rollback: the flush after a transactional test would otherwise wipe the
    # SDG goals that a data migration loaded, for every test that runs after this one.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def page():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context(
            locale="en-GB", viewport={"width": 390, "height": 844}, is_mobile=True
        )
        page = context.new_page()
        page.set_default_timeout(15_000)
        yield page
        context.close()
        browser.close()


@pytest.fixture
def campaigns(db):
    today = timezone.localdate()
    CampaignFactory(
        enterprise=EnterpriseFactory(legal_name="Koperasi Wanita Sejahtera", country="MY"),
        title="Solar rice dryers", slug="solar-rice-dryers",
    )  # fmt: skip
    return CampaignFactory(
        enterprise=EnterpriseFactory(legal_name="Yayasan Air Bersih", country="ID",
                                     city="Yogyakarta", type="ngo"),
        title="Rainwater tanks for Gunungkidul", slug="rainwater-tanks",
        goal=Money(Decimal("500000000"), "IDR"), raised=Money(Decimal("125000000"), "IDR"),
        end_date=today + dt.timedelta(days=12), sdgs=[6],
    )  # fmt: skip


# `campaigns` before `page`: rows written once Playwright's loop runs would go through a
# second database connection that nobody closes (PostgreSQL then refuses to drop the test DB).
def test_filter_by_country_open_a_campaign_and_read_it_in_indonesian(live_server, campaigns, page):
    page.goto(f"{live_server.url}/")
    assert page.locator("h1").inner_text() == "Community projects of the solidarity economy"

    page.keyboard.press("Tab")  # the first stop is the skip link
    assert page.evaluate("document.activeElement.textContent") == "Skip to main content"

    page.get_by_text("Filters and sorting").click()
    page.get_by_label("Country").select_option("ID")
    page.get_by_role("button", name="Show campaigns").click()
    page.wait_for_url("**/?*country=ID*")
    cards = page.locator(".cards h3")
    assert cards.all_inner_texts() == ["Rainwater tanks for Gunungkidul"]
    assert page.get_by_text("1 campaign", exact=True).is_visible()

    page.get_by_role("link", name="Rainwater tanks for Gunungkidul").click()
    page.wait_for_url("**/campaigns/rainwater-tanks/")
    assert page.locator("h1").inner_text() == "Rainwater tanks for Gunungkidul"
    progress = page.get_by_role("progressbar")
    assert progress.get_attribute("aria-valuenow") == "25"
    assert page.get_by_text("Rp 125,000,000").first.is_visible()

    page.get_by_label("Language").select_option("id")
    page.get_by_role("button", name="Change").click()
    page.wait_for_selector("html[lang=id]")
    assert page.url.endswith("/campaigns/rainwater-tanks/")
    assert page.get_by_role("heading", name="Bagaimana dana akan digunakan").is_visible()
    assert page.get_by_text("12 hari lagi").is_visible()
    assert page.get_by_text("Rp 125.000.000").first.is_visible()
    assert page.get_by_text("Air Bersih dan Sanitasi Layak").is_visible()
