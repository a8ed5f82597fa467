"""The treasurer's side: refunds through the API and the admin, lists, payouts, receipts."""

from __future__ import annotations

import pytest
from django.core import mail
from moneyed import Money

from campaigns.models import Campaign
from donors.models import DonationStatus, Receipt, Refund
from donors.services.receipts import receipt_send
from ledger.models import JournalEntry
from tests.fixtures.giving import stripe_object
from webhooks.models import WebhookEvent

pytestmark = pytest.mark.usefixtures("tx")


@pytest.fixture
def paid(gift, deliver):
    g = gift(amount="100")
    deliver.send("checkout.session.completed", g.session())
    return g


def refund_url(g) -> str:
    return f"/api/v1/donations/{g.donation.reference}/refunds/"


def test_partial_refund_through_the_api_is_booked_when_stripe_confirms(
    api, treasurer, paid, deliver, campaign
):
    api.force_authenticate(treasurer)
    first = api.post(refund_url(paid), {"amount": "40", "reason": "asked by donor"},
                     format="json", HTTP_IDEMPOTENCY_KEY="r-1")  # fmt: skip
    again = api.post(refund_url(paid), {"amount": "40"}, format="json",
                     HTTP_IDEMPOTENCY_KEY="r-1")  # fmt: skip
    assert first.status_code == again.status_code == 202
    assert first.json()["id"] == again.json()["id"]
    refund = Refund.objects.get()
    assert refund.provider_refund_id and refund.requested_by == treasurer
    assert len(stripe_env_refunds(paid)) == 1  # one refund at Stripe, whatever the retries
    # Stripe's charge.refunded arrives: nothing is booked twice.
    deliver.send("charge.refunded", paid.charge())
    d = paid.refresh()
    assert d.status == DonationStatus.PARTIALLY_REFUNDED and d.refunded_amount == Money(40, "MYR")
    assert Campaign.objects.get(pk=campaign.pk).raised == Money("60", "MYR")
    assert JournalEntry.objects.filter(
        idempotency_key=f"refund:{refund.provider_refund_id}"
    ).exists()

    too_much = api.post(refund_url(paid), {"amount": "60.01"}, format="json",
                        HTTP_IDEMPOTENCY_KEY="r-2")  # fmt: skip
    assert too_much.status_code == 400
    rest = api.post(refund_url(paid), {}, format="json", HTTP_IDEMPOTENCY_KEY="r-3")
    assert rest.status_code == 202 and rest.json()["amount"]["amount"] == "60.00"
    assert paid.refresh().status == DonationStatus.REFUNDED


def stripe_env_refunds(g):
    return g.sandbox.client.v1.refunds.list({"payment_intent": g.payment_intent_id}).data


def test_refund_needs_the_treasurer_and_a_key(api, donor, treasurer, paid):
    api.force_authenticate(donor)
    assert api.post(refund_url(paid), {}, format="json",
                    HTTP_IDEMPOTENCY_KEY="k").status_code == 403  # fmt: skip
    api.force_authenticate(treasurer)
    response = api.post(refund_url(paid), {}, format="json")
    assert response.status_code == 400 and "Idempotency-Key" in response.json()["fields"]


def test_a_pending_donation_cannot_be_refunded(api, treasurer, gift):
    g = gift(amount="20", card="none")
    api.force_authenticate(treasurer)
    response = api.post(refund_url(g), {}, format="json", HTTP_IDEMPOTENCY_KEY="k")
    assert response.status_code == 409


def test_refund_from_the_admin(client, treasurer, paid):
    treasurer.is_staff = True
    treasurer.save()
    client.force_login(treasurer)
    url = f"/admin/donors/donation/{paid.donation.pk}/refund/"
    assert client.get(url).status_code == 200
    response = client.post(url, {"amount": "25", "reason": "duplicate gift",
                                 "idempotency_key": "abc"})  # fmt: skip
    assert response.status_code == 302
    client.post(url, {"amount": "25", "idempotency_key": "abc"})  # double click: same refund
    assert Refund.objects.count() == 1
    assert paid.refresh().status == DonationStatus.PARTIALLY_REFUNDED
    assert client.get(f"/admin/donors/donation/{paid.donation.pk}/change/").status_code == 200
    assert client.get("/admin/webhooks/webhookevent/").status_code == 200


def test_treasurer_lists_donations_needing_review(api, treasurer, paid):
    api.force_authenticate(treasurer)
    body = api.get("/api/v1/donations/").json()
    row = body["results"][0]
    assert row["settled_amount"] == {"amount": "100.00", "currency": "MYR"}
    assert row["balance_transaction_id"].startswith("txn_")
    assert api.get("/api/v1/donations/?needs_review=true").json()["count"] == 0
    api.force_authenticate(None)
    assert api.get("/api/v1/donations/").status_code in (401, 403)


def test_receipt_goes_out_exactly_once(paid):
    receipt = Receipt.objects.get(donation=paid.donation)
    assert receipt.sent_at is not None and len(mail.outbox) == 1
    assert receipt_send(receipt_id=receipt.pk) is False  # a second task run sends nothing
    assert len(mail.outbox) == 1
    body = mail.outbox[0].body
    assert receipt.number in body and "RM 100.00" in body and paid.donation.campaign.title in body


def test_receipt_in_the_donors_language(gift, deliver):
    g = gift(amount="100", language="ms")
    deliver.send("checkout.session.completed", g.session())
    assert "Resit" in mail.outbox[0].subject and "Nombor resit" in mail.outbox[0].body


def test_payout_paid_and_failed(stripe_env, deliver, paid):
    stripe_env.make_available()
    payout = stripe_env.client.v1.payouts.create({"amount": 5000, "currency": "myr"})
    obj = stripe_object("payout", id=payout.id)
    deliver.send("payout.failed", obj)  # failed before paid: nothing moved, nothing booked
    stripe_env.finish_payout(payout.id, paid=True)
    deliver.send("payout.paid", obj)
    event = WebhookEvent.objects.get(type="payout.paid")
    assert event.result == "payout paid booked", event.last_error
    assert JournalEntry.objects.filter(idempotency_key=f"payout-paid:{payout.id}").exists()


def test_giving_summary_shows_pending_apart(api, gift, deliver, campaign):
    from sandbox import ASYNC_CARD

    g = gift(amount="40", card=ASYNC_CARD)
    deliver.send("checkout.session.completed", g.session())
    body = api.get(f"/api/v1/campaigns/{campaign.slug}/giving/").json()
    assert body["raised"] == {"amount": "0.00", "currency": "MYR"}
    assert body["pending"] == [{"amount": "40.00", "currency": "MYR"}]


def test_openapi_documents_the_giving_endpoints(client):
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json").content.decode()
    for operation in (
        "donation_start",
        "donation_detail",
        "donation_refund",
        "donation_list",
        "donor_wall",
        "campaign_giving",
    ):
        assert operation in schema


def test_the_secretariat_takes_its_configured_share(gift, deliver, treasurer, settings):
    from treasury.services.fees import fee_share_set

    g = gift(amount="200")
    fee_share_set(campaign_id=g.donation.campaign_id, share="0.05", actor=treasurer)
    deliver.send("checkout.session.completed", g.session())
    entry = JournalEntry.objects.get(idempotency_key=f"secretariat-fee:{g.donation.reference}")
    assert entry.source_refs["amount"]["amount"] in ("10.00", "10")
