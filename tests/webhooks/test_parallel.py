"""Many webhooks for one campaign at once, on PostgreSQL: exact totals, each gift once."""

from __future__ import annotations

import threading
from decimal import Decimal

import pytest
from django.db import connection, connections
from moneyed import Money

from campaigns.models import Campaign
from donors.models import DonationStatus
from ledger.models import JournalEntry
from tests.fixtures.giving import Deliverer
from webhooks.models import EventStatus, WebhookEvent

pytestmark = [pytest.mark.postgres, pytest.mark.usefixtures("tx")]
GIFTS = 12
COPIES = 3  # each event delivered three times, all at once


def test_parallel_deliveries_give_exact_totals(gift, stripe_env, campaign):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers: row locks and real concurrency need PostgreSQL")
    gifts = [gift(amount=str(10 + i)) for i in range(GIFTS)]
    deliverer = Deliverer()
    events = []
    for g in gifts:
        events.append(deliverer.event("checkout.session.completed", g.session()))
        events.append(deliverer.event("payment_intent.succeeded", g.payment_intent()))
    work = [e for e in events for _ in range(COPIES)]
    barrier = threading.Barrier(len(work))
    answers: list[int] = []
    errors: list[BaseException] = []

    def post(event):
        try:
            barrier.wait()
            answers.append(Deliverer().post(event).status_code)
        except BaseException as exc:  # surfaced below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=post, args=(e,)) for e in work]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert not errors and answers == [200] * len(work)

    assert WebhookEvent.objects.count() == len(events)
    assert set(WebhookEvent.objects.values_list("status", flat=True)) == {EventStatus.SUCCEEDED}
    c = Campaign.objects.get(pk=campaign.pk)
    expected = sum(Decimal(10 + i) for i in range(GIFTS))
    assert c.raised == Money(expected, "MYR") and c.donor_count == GIFTS
    for g in gifts:
        assert g.refresh().status == DonationStatus.SUCCEEDED
    assert JournalEntry.objects.filter(idempotency_key__startswith="donation:").count() == GIFTS
