"""End to end against the sandbox: the API starts the gift, the sandbox takes the card and
sends its signed webhooks (duplicated, shuffled) to a live server; donation, totals, ledger,
receipt and monthly giving are checked as a donor and the treasurer would see them."""

from __future__ import annotations

import json
import re
import urllib.request
from decimal import Decimal

import pytest
from django.core import mail
from moneyed import Money

from campaigns.models import Campaign
from donors.models import Donation, DonationStatus, RecurringGift
from ledger.models import JournalEntry
from tests.fixtures.giving import WEBHOOK_SECRET

pytestmark = pytest.mark.usefixtures("tx")


@pytest.fixture
def wired(stripe_env, stripe_sandbox_reset, live_server, settings):
    """The sandbox delivers to the live server, each event twice and in shuffled order."""
    settings.SITE_URL = live_server.url
    stripe_env.register_webhook(f"{live_server.url}/webhooks/stripe/", secret=WEBHOOK_SECRET)
    stripe_env.duplicate(2)
    stripe_env.shuffle(True)
    return stripe_env


def api_post(url: str, data: dict) -> tuple[int, dict]:
    headers = {"Content-Type": "application/json"}
    body = json.dumps(data).encode()
    request = urllib.request.Request(url, data=body, method="POST", headers=headers)  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 - loopback
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read())


def test_idr_gift_end_to_end(wired, live_server, campaign):
    wired.set_fx_rates({"IDR": "0.000285"})
    status, body = api_post(f"{live_server.url}/api/v1/campaigns/{campaign.slug}/donations/", {
        "amount": "150000", "currency": "IDR", "email": "dewi@example.id", "name": "Dewi",
        "country": "ID", "message": "Semangat!", "language": "id"})  # fmt: skip
    assert status == 201, body
    assert body["status"] == "pending" and body["checkout_url"].startswith(wired.url)
    donation = Donation.objects.get(reference=body["reference"])
    wired.complete(donation.checkout_session_id)
    wired.flush()

    donation.refresh_from_db()
    assert donation.status == DonationStatus.SUCCEEDED
    assert donation.settled_amount.amount == Decimal("42.75")  # 150,000 x 0.000285
    fee = donation.processing_fee.amount
    assert donation.net_amount.amount == donation.settled_amount.amount - fee
    c = Campaign.objects.get(pk=campaign.pk)
    assert c.raised == Money("42.75", "MYR") and c.donor_count == 1
    entry = JournalEntry.objects.get(idempotency_key=f"donation:{donation.reference}")
    assert entry.source_refs["donor_country"] == "ID"
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["dewi@example.id"]
    assert "Rp" in mail.outbox[0].body and donation.receipt.number in mail.outbox[0].body

    with urllib.request.urlopen(f"{live_server.url}/campaigns/{campaign.slug}/",  # noqa: S310
                                timeout=30) as page:  # fmt: skip
        html = page.read().decode()
    assert "Dewi" in html and "Semangat!" in html


def test_monthly_gift_end_to_end(wired, live_server, campaign):
    status, body = api_post(
        f"{live_server.url}/api/v1/campaigns/{campaign.slug}/donations/",
        {"amount": "30", "email": "amir@example.my", "country": "MY", "monthly": True},
    )
    assert status == 201, body
    first = Donation.objects.get(reference=body["reference"])
    wired.complete(first.checkout_session_id)
    wired.flush()
    first.refresh_from_db()
    assert first.status == DonationStatus.SUCCEEDED and first.invoice_id
    gift = RecurringGift.objects.get(subscription_id=first.subscription_id)

    wired.advance_subscription(gift.subscription_id)  # next month's invoice is paid
    wired.flush()
    donations = Donation.objects.filter(recurring_gift=gift).order_by("pk")
    assert [d.status for d in donations] == [DonationStatus.SUCCEEDED] * 2
    c = Campaign.objects.get(pk=campaign.pk)
    assert c.raised == Money("60", "MYR") and c.donor_count == 1  # one donor, two months

    assert len(mail.outbox) == 2
    link = re.search(r"https?://\S+/monthly/cancel/\S+/", mail.outbox[-1].body).group(0)
    path = link.split(live_server.url, 1)[1]
    from django.test import Client

    client = Client()
    assert client.get(path).status_code == 200
    # In-memory SQLite shares one connection between this thread and the live server's, so
    # the webhook the cancellation triggers waits until this request is over.
    wired.hold()
    response = client.post(path)
    assert response.status_code == 200 and b'data-status="cancelled"' in response.content
    wired.release()
    wired.flush()  # Stripe's customer.subscription.deleted agrees
    gift.refresh_from_db()
    assert gift.status == RecurringGift.Status.CANCELLED
    assert client.get(path.replace("/cancel/", "/cancel/x")).status_code == 404
