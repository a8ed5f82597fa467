"""A donor gives in IDR in a real browser (Debian's Chromium through Playwright).

The campaign page's form -> the sandbox's hosted checkout page -> the thank-you page, which
refreshes until the sandbox's signed webhook confirms the gift; the campaign page's progress
bar then shows the new total, the receipt reaches a real SMTP server on loopback (aiosmtpd),
the trial balance is zero and the campaign's fund statement shows the gift.
"""

from __future__ import annotations

import os
import socket
import threading
from decimal import Decimal
from email import message_from_bytes

import pytest
from django.db import connections
from moneyed import Money

from campaigns.models import Campaign
from donors.models import Donation, DonationStatus
from tests.fixtures.giving import WEBHOOK_SECRET

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"  # the test's own ORM calls, beside Playwright
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update"]  # fmt: skip

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="Debian's Chromium is missing: "
                       "apt-get install chromium (make test does it)"),
    pytest.mark.usefixtures("tx"),
]  # fmt: skip


class Mailbox:
    """A real SMTP server on 127.0.0.1 that keeps what it receives."""

    def __init__(self) -> None:
        from aiosmtpd.controller import Controller

        self.messages: list = []
        self.arrived = threading.Event()
        mailbox = self

        class Handler:
            async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd API
                mailbox.messages.append(message_from_bytes(envelope.content))
                mailbox.arrived.set()
                return "250 OK"

        with socket.socket() as probe:  # a free port (the controller cannot start on 0)
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.controller = Controller(Handler(), hostname="127.0.0.1", port=self.port)
        self.controller.start()


@pytest.fixture
def mailbox(settings):
    box = Mailbox()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", box.port
    settings.EMAIL_USE_TLS = False
    yield box
    box.controller.stop()


@pytest.fixture
def page(live_server):
    """Depends on the live server so the browser (and its keep-alive connections, each holding
    a database connection in a server thread) closes before the server stops."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context(locale="en-GB")
        page = context.new_page()
        page.set_default_timeout(20_000)
        yield page
        context.close()
        browser.close()
        # ORM calls made while Playwright's loop runs use their own connection (asgiref's
        # Local follows the context): close it here, or the test database cannot be dropped.
        connections.close_all()


def test_donor_gives_in_idr_in_a_browser(page, live_server, stripe_env, stripe_sandbox_reset,
                                         settings, mailbox, campaign):  # fmt: skip
    settings.SITE_URL = live_server.url
    stripe_env.register_webhook(f"{live_server.url}/webhooks/stripe/", secret=WEBHOOK_SECRET)
    stripe_env.set_fx_rates({"IDR": "0.000285"})

    page.goto(f"{live_server.url}/campaigns/{campaign.slug}/")
    form = page.locator("form.give-form")
    form.locator("#give-other").fill("150000")
    form.locator("#give-currency").select_option("IDR")
    form.locator("#give-email").fill("dewi@example.id")
    form.locator("#give-name").fill("Dewi Lestari")
    form.locator("#give-country").select_option("ID")
    form.locator("#give-message").fill("Semoga panennya melimpah")
    form.locator("button[type=submit]").click()

    page.wait_for_url(f"{stripe_env.url}/c/pay/**")  # the sandbox's hosted checkout page
    page.locator("button[type=submit]").click()  # the success card is filled in
    page.wait_for_url(f"{live_server.url}/donations/**/thank-you/")
    page.wait_for_selector('[data-status="succeeded"]', timeout=30_000)  # meta refresh

    donation = Donation.objects.get(email="dewi@example.id")
    assert donation.status == DonationStatus.SUCCEEDED
    assert donation.amount == Money("150000", "IDR") and donation.country == "ID"
    assert donation.settled_amount == Money(Decimal("42.75"), "MYR")

    page.goto(f"{live_server.url}/campaigns/{campaign.slug}/")
    progress = page.locator(".progress-figures").inner_text()
    assert "RM 42.75" in progress
    assert "Dewi Lestari" in page.locator(".donor-wall").inner_text()
    assert Campaign.objects.get(pk=campaign.pk).raised == Money("42.75", "MYR")

    assert mailbox.arrived.wait(10)
    receipt = mailbox.messages[0]
    body = receipt.get_payload(decode=True).decode()
    assert receipt["To"] == "dewi@example.id" and donation.receipt.number in receipt["Subject"]
    assert "Rp 150.000" in body or "Rp 150,000" in body

    from ledger.selectors.reports import trial_balance_report as trial_balance
    from treasury.selectors import campaign_fund_statement as fund_statement

    report = trial_balance()
    assert report.balanced
    assert all(t["difference"] == 0 for t in report.totals)
    statement = fund_statement(campaign_id=campaign.pk)
    (fund,) = statement.funds
    assert fund["currency"] == "MYR" and fund["received"] == Decimal("42.75")
    assert any(str(donation.reference) in str(line) for line in fund["lines"])
    stripe_env.flush()  # no delivery still in flight when the live server stops
