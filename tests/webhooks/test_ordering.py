"""Success, refund and dispute of one payment, in every order of arrival: one outcome."""

from __future__ import annotations

import itertools

import pytest
from moneyed import Money

from campaigns.models import Campaign
from donors.models import DonationStatus
from ledger.models import JournalEntry
from webhooks.models import EventStatus, WebhookEvent

pytestmark = pytest.mark.usefixtures("tx")


@pytest.mark.parametrize("order", list(itertools.permutations(["success", "refund", "dispute"])))
def test_every_order_of_arrival(gift, deliver, campaign, order):
    g = gift(amount="100")
    refund = g.refund("2500")  # MYR 25 back to the donor, then the bank disputes the rest
    dispute = g.dispute()
    events = {
        "success": deliver.event("payment_intent.succeeded", g.payment_intent()),
        "refund": deliver.event("charge.refunded", g.charge()),
        "dispute": deliver.event("charge.dispute.created", dispute),
    }
    for name in order:
        assert deliver.post(events[name]).status_code == 200
    assert set(WebhookEvent.objects.values_list("status", flat=True)) == {EventStatus.SUCCEEDED}

    d = g.refresh()
    assert d.status == DonationStatus.DISPUTED
    assert d.refunded_amount == Money("25", "MYR")
    assert [r.provider_refund_id for r in d.refunds.all()] == [refund["id"]]
    c = Campaign.objects.get(pk=campaign.pk)
    assert c.raised == Money("75", "MYR") and c.donor_count == 1
    keys = set(JournalEntry.objects.values_list("idempotency_key", flat=True))
    assert keys == {f"donation:{d.reference}", f"refund:{refund['id']}",
                    f"dispute-opened:{dispute['id']}"}  # fmt: skip
    statuses = list(d.transitions.values_list("to_state", flat=True))
    assert statuses == ["pending", "succeeded", "partially_refunded", "disputed"]
