"""Money the provider already moved is booked even when its day is in a closed period: into
the first open day, with its own date kept, and listed for the treasurer. Nothing the
treasurer types goes into a closed period."""

from __future__ import annotations

import datetime as dt
from io import StringIO
from unittest import mock

import pytest
from django.core.management import call_command
from django.urls import reverse
from moneyed import Money

from donors.models import DonationStatus
from ledger.models import EntryKind, JournalEntry
from ledger.selectors.balances import trial_balance_figures
from tests.fixtures.giving import stripe_object
from webhooks.models import EventStatus, WebhookEvent

pytestmark = pytest.mark.usefixtures("tx")


def close_through(api, treasurer, until: dt.date) -> None:
    """The treasurer closes `until` on the day after it (the day has ended)."""
    api.force_authenticate(treasurer)
    with mock.patch("ledger.services.periods.secretariat_today",
                    return_value=until + dt.timedelta(days=1)):  # fmt: skip
        response = api.post(
            reverse("api-ledger-period-close"),
            {"until": until.isoformat(), "reason": "Day closed"},
            format="json",
        )
    assert response.status_code == 201, response.content


def ledger_verified() -> str:
    out = StringIO()
    call_command("ledger_verify", stdout=out, stderr=out)  # exits non-zero on a problem
    return out.getvalue()


def test_a_refund_dated_in_a_closed_period_is_booked_into_the_first_open_day(
    api, treasurer, gift, deliver, campaign
):
    g = gift(amount="100")
    deliver.send("checkout.session.completed", g.session())
    refund = g.refund("3000")  # made at the provider: the money has left its balance
    day = JournalEntry.objects.get(kind=EntryKind.DONATION_SETTLED).effective_date
    close_through(api, treasurer, day)

    event = deliver.event("charge.refunded", g.charge())
    assert deliver.post(event).status_code == 200
    row = WebhookEvent.objects.get(event_id=event["id"])
    assert row.status == EventStatus.SUCCEEDED, row.last_error
    d = g.refresh()
    assert d.status == DonationStatus.PARTIALLY_REFUNDED and d.refunded_amount == Money(30, "MYR")

    entry = JournalEntry.objects.get(idempotency_key=f"refund:{refund['id']}")
    assert entry.effective_date == day + dt.timedelta(days=1)  # the first open day
    assert entry.source_refs["original_date"] == day.isoformat()
    assert deliver.post(deliver.event("charge.refunded", g.charge())).status_code == 200
    assert JournalEntry.objects.filter(kind=EntryKind.REFUND).count() == 1  # booked once

    late = api.get(reverse("api-ledger-late-entries")).json()
    assert [(r["entry_id"], r["original_date"], r["effective_date"]) for r in late["results"]] \
        == [(entry.pk, day.isoformat(), entry.effective_date.isoformat())]  # fmt: skip
    assert "all invariants hold" in ledger_verified()
    assert trial_balance_figures().balanced


def test_a_gift_and_a_payout_settled_in_a_closed_period_are_booked_late(
    api, treasurer, gift, stripe_env, deliver
):
    g = gift(amount="80", card="none")
    g.sandbox.complete(g.session_id)  # paid at the provider; the event comes late
    stripe_env.make_available()
    payout = stripe_env.client.v1.payouts.create({"amount": 2000, "currency": "myr"})
    stripe_env.finish_payout(payout.id, paid=True)
    arrival = dt.datetime.fromtimestamp(
        stripe_env.client.v1.payouts.retrieve(payout.id).arrival_date, tz=dt.UTC
    ).date()
    close_through(api, treasurer, arrival)

    deliver.send("checkout.session.completed", g.session())
    deliver.send("payout.paid", stripe_object("payout", id=payout.id))
    assert g.refresh().status == DonationStatus.SUCCEEDED
    assert not WebhookEvent.objects.exclude(status=EventStatus.SUCCEEDED).exists()
    late = JournalEntry.objects.filter(source_refs__has_key="original_date")
    kinds = set(late.values_list("kind", flat=True))
    assert {EntryKind.DONATION_SETTLED, EntryKind.PAYOUT_PAID} <= kinds
    assert {e.effective_date for e in late} == {arrival + dt.timedelta(days=1)}
    assert "all invariants hold" in ledger_verified()
    assert trial_balance_figures().balanced
