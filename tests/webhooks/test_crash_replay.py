"""A crash in the middle of processing, then `webhooks_replay`: one effect, exactly."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.management import call_command
from moneyed import Money

from campaigns.models import Campaign
from donors.models import DonationStatus
from donors.services import books
from ledger.models import JournalEntry
from webhooks.models import EventStatus, WebhookEvent

pytestmark = pytest.mark.usefixtures("tx")


class Crash(Exception):
    pass


def crash_once(monkeypatch, name):
    real = getattr(books, name)
    calls = {"n": 0}

    def flaky(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 1:
            raise Crash(f"worker died in {name}")
        return real(*args, **kwargs)

    monkeypatch.setattr(books, name, flaky)


def keys():
    return sorted(JournalEntry.objects.values_list("idempotency_key", flat=True))


def test_crash_while_settling_rolls_back_then_replay_settles_once(gift, deliver, campaign,
                                                                   monkeypatch):  # fmt: skip
    g = gift(amount="120")
    crash_once(monkeypatch, "book_donation")
    event = deliver.event("checkout.session.completed", g.session())
    assert deliver.post(event).status_code == 200  # acknowledged; processing failed after
    row = WebhookEvent.objects.get(event_id=event["id"])
    assert row.status == EventStatus.FAILED and "Crash" in row.last_error
    # Nothing half-done: the campaign's total moved with the donation or not at all.
    assert g.refresh().status == DonationStatus.PENDING
    assert Campaign.objects.get(pk=campaign.pk).raised == Money(0, "MYR")
    assert keys() == [] and mail.outbox == []

    call_command("webhooks_replay", "--failed")
    call_command("webhooks_replay", event["id"])  # and once more, by id: no second effect
    row.refresh_from_db()
    assert row.status == EventStatus.SUCCEEDED and row.attempts == 3
    assert g.refresh().status == DonationStatus.SUCCEEDED
    c = Campaign.objects.get(pk=campaign.pk)
    assert c.raised == Money("120", "MYR") and c.donor_count == 1
    assert keys() == [f"donation:{g.donation.reference}"]
    assert len(mail.outbox) == 1


def test_crash_between_settling_and_refunding(gift, deliver, campaign, monkeypatch):
    g = gift(amount="90")
    refund = g.refund("4000")
    crash_once(monkeypatch, "book_refund")
    event = deliver.event("charge.refunded", g.charge())
    deliver.post(event)
    assert WebhookEvent.objects.get(event_id=event["id"]).status == EventStatus.FAILED
    # The settlement committed on its own; the refund did not.
    assert g.refresh().status == DonationStatus.SUCCEEDED
    assert Campaign.objects.get(pk=campaign.pk).raised == Money("90", "MYR")

    call_command("webhooks_replay", "--type", "charge.refunded")
    deliver.post(event)  # Stripe retries the same event too: a duplicate, acknowledged
    d = g.refresh()
    assert d.status == DonationStatus.PARTIALLY_REFUNDED
    assert d.refunded_amount == Money("40", "MYR")
    assert Campaign.objects.get(pk=campaign.pk).raised == Money("50", "MYR")
    assert keys() == sorted([f"donation:{d.reference}", f"refund:{refund['id']}"])
    assert len(mail.outbox) == 1


def test_replay_needs_a_selection():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("webhooks_replay")
    with pytest.raises(CommandError):
        call_command("webhooks_replay", "evt_unknown")
