"""Every page type under the production Content-Security-Policy, enforced, in a real browser.

Debian's Chromium (through Playwright) loads each kind of page the site serves: the public
pages, the donor's pages, an enterprise member's proposal pages, the admin (index, change
lists, change forms, the reviewers' action pages, the treasurer's pages, the reconciliation
workbench) and the API docs. Every page must carry the policy of
fundraising/settings/production.py as an enforced header, and the browser must report no
violation: no blocked inline script or style, no blocked image, form target or request.
"""

from __future__ import annotations

import os
from decimal import Decimal

import pytest
from django.core import signing
from django.utils import timezone
from moneyed import Money

from campaigns.models import CampaignStatus
from common.roles import Role, role_grant
from donors.models import Donation, DonationStatus, RecurringGift
from donors.services.receipts import CANCEL_SALT
from tests.factories import PASSWORD, CampaignFactory, EnterpriseFactory, UserFactory

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"  # the test's own ORM calls, beside Playwright
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update"]  # fmt: skip
# Reported from inside each page; Playwright's own init script is not subject to the policy.
LISTEN = """
document.addEventListener("securitypolicyviolation", (e) => console.error(
  `CSP violation: ${e.effectiveDirective} blocked ${e.blockedURI || "inline"} at `
  + `${e.sourceFile}:${e.lineNumber} (${e.disposition})`));
"""

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="Debian's Chromium is missing: "
                       "apt-get install chromium (make test does it)"),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]  # fmt: skip


class Browser:
    """One Chromium page that remembers every CSP complaint, with the page it was on."""

    def __init__(self, page, base: str) -> None:
        self.page, self.base = page, base
        self.violations: list[str] = []
        self.headers: dict[str, str] = {}
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.violations.append(f"{page.url}: {error}"))

    def _console(self, message) -> None:
        text = message.text
        if "Content Security Policy" in text or "CSP violation" in text:
            self.violations.append(f"{self.page.url}: {text}")

    def visit(self, path: str, ready: str | None = None):
        response = self.page.goto(self.base + path)
        assert response is not None and response.status < 400, (path, response and response.status)
        self.page.wait_for_load_state("networkidle")
        if ready:
            self.page.wait_for_selector(ready)
        self.headers[path] = response.headers.get("content-security-policy", "")
        assert "content-security-policy-report-only" not in response.headers
        return response

    def sign_in(self, username: str, path: str = "/accounts/login/") -> None:
        self.page.context.clear_cookies()
        self.visit(path)
        self.page.fill("input[name=username]", username)
        self.page.fill("input[name=password]", PASSWORD)
        with self.page.expect_navigation():
            self.page.locator("[type=submit]").last.click()
        self.page.wait_for_load_state("networkidle")


@pytest.fixture
def site(db):
    """One of everything a page shows (made before the browser starts: see test_public_pages)."""
    member = UserFactory(username="member")
    enterprise = EnterpriseFactory(legal_name="Koperasi Wanita Sejahtera", members=[member])
    live = CampaignFactory(enterprise=enterprise, title="Solar rice dryers", slug="solar",
                           raised=Money(Decimal("3700"), "MYR"), sdgs=[1, 6, 13])  # fmt: skip
    draft = CampaignFactory(enterprise=enterprise, slug="draft", status=CampaignStatus.DRAFT)
    submitted = CampaignFactory(enterprise=enterprise, slug="waiting",
                                status=CampaignStatus.SUBMITTED)  # fmt: skip
    monthly = RecurringGift.objects.create(
        campaign=live, provider="stripe", subscription_id="sub_csp", email="siti@example.org"
    )
    donation = Donation.objects.create(
        campaign=live, recurring_gift=monthly, frequency="monthly", provider="stripe",
        amount=Money(Decimal("30"), "MYR"), email="siti@example.org", name="Siti",
        country="MY", status=DonationStatus.SUCCEEDED, settled_at=timezone.now(),
    )  # fmt: skip
    UserFactory(username="admin", is_staff=True, is_superuser=True)
    for username, role in (("reviewer", Role.REVIEWER), ("treasurer", Role.TREASURER)):
        role_grant(user=UserFactory(username=username, is_staff=True), role=role)
    token = signing.dumps({"gift": monthly.pk, "donation": donation.pk}, salt=CANCEL_SALT)
    return {"live": live, "draft": draft, "submitted": submitted, "donation": donation,
            "enterprise": enterprise, "member": member, "cancel_token": token}  # fmt: skip


@pytest.fixture
def browser(live_server, site):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = chromium.new_context(locale="en-GB")  # bypass_csp stays off
        context.add_init_script(LISTEN)
        page = context.new_page()
        page.set_default_timeout(20_000)
        yield Browser(page, live_server.url)
        context.close()
        chromium.close()
    from django.db import connections

    connections.close_all()


def expected_policy() -> str:
    """The production policy as the middleware writes it, with this run's checkout origin."""
    from csp.utils import build_policy

    from fundraising.csp_middleware import checkout_origin

    return build_policy(update={"form-action": [checkout_origin()]})


def test_every_page_type_runs_under_the_production_csp_without_a_violation(browser, site):
    live, draft, donation = site["live"], site["draft"], site["donation"]
    # The public and the donor's pages
    browser.visit("/")
    browser.visit(f"/campaigns/{live.slug}/", ready=".sdg-badge")
    browser.visit(f"/give/{live.slug}/")
    browser.visit(f"/donations/{donation.reference}/thank-you/")
    browser.visit(f"/donations/{donation.reference}/cancelled/")
    browser.visit(f"/monthly/cancel/{site['cancel_token']}/")
    browser.visit("/accounts/signup/")

    # An enterprise member's proposal pages
    browser.sign_in("member")
    browser.visit("/proposals/")
    browser.visit(f"/proposals/{draft.slug}/")
    browser.visit(f"/proposals/{draft.slug}/edit/")
    browser.visit("/proposals/new/")
    browser.visit("/enterprises/apply/")

    # The reviewers' admin: the queue, a proposal, an action's confirmation page
    browser.sign_in("reviewer", path="/admin/login/")
    browser.visit("/admin/")
    browser.visit("/admin/campaigns/campaign/")
    browser.page.locator(f"input[name=_selected_action][value='{site['submitted'].pk}']").check()
    browser.page.select_option("select[name=action]", "approve")
    with browser.page.expect_navigation():
        browser.page.locator("button[name=index]").click()
    browser.page.wait_for_selector("input[name=apply]")  # the action's comment page
    browser.page.wait_for_load_state("networkidle")
    browser.visit(f"/admin/campaigns/campaign/{live.pk}/change/")
    browser.visit(f"/admin/campaigns/enterprise/{site['enterprise'].pk}/change/")

    # The treasurer's admin: journal, entry forms, rates, the reconciliation workbench
    browser.sign_in("treasurer", path="/admin/login/")
    browser.visit("/admin/ledger/journalentry/")
    browser.visit("/admin/ledger/journalentry/offline-gift/")
    browser.visit("/admin/treasury/referencerate/")
    browser.visit("/admin/treasury/referencerate/add/")
    browser.visit("/admin/reconciliation/bankstatementline/workbench/")
    browser.visit("/admin/donors/donation/")
    browser.visit(f"/admin/donors/donation/{donation.pk}/change/")

    # A superuser's admin: the widgets with the most JavaScript (filter_horizontal, dates)
    browser.sign_in("admin", path="/admin/login/")
    browser.visit("/admin/auth/user/add/")
    browser.visit(f"/admin/auth/user/{site['member'].pk}/change/", ready=".selector")
    browser.page.locator(".datetimeshortcuts a").first.click()  # "Today"
    browser.page.locator("a.calendarlink, #calendarlink0").first.click()  # the calendar
    browser.page.wait_for_selector(".calendarbox", state="visible")
    browser.visit("/admin/auth/group/add/", ready=".selector")
    browser.page.locator(".selector-chooseall").first.click()
    browser.page.locator("button.theme-toggle").first.click()  # theme.js

    # The API docs: Swagger UI, fully drawn from the schema
    browser.visit("/api/docs/", ready=".swagger-ui .opblock")

    assert browser.violations == [], "\n".join(browser.violations)
    policy = expected_policy()
    assert "script-src 'self';" in policy and "unsafe-inline" not in policy
    # Every page, the admin's and the API docs' included, under the one policy: none relaxes it.
    assert {path: header for path, header in browser.headers.items() if header != policy} == {}


def test_the_gift_form_reaches_the_providers_checkout_page_under_the_csp(
    browser, live_server, stripe_env, stripe_sandbox_reset, settings, site
):
    """Chromium holds the redirect after the gift form's POST to form-action."""
    settings.SITE_URL = live_server.url
    browser.visit(f"/campaigns/{site['live'].slug}/")
    form = browser.page.locator("form.give-form")
    form.locator("#give-other").fill("25")
    form.locator("#give-email").fill("dewi@example.id")
    form.locator("#give-country").select_option("ID")
    form.locator("button[type=submit]").click()
    browser.page.wait_for_url(f"{stripe_env.url}/c/pay/**")
    assert browser.violations == []
