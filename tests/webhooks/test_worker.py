"""A real Celery worker on Redis: a failing event is retried with backoff, then succeeds once;
after the last retry it stays failed with its traceback. PostgreSQL and Redis only."""

from __future__ import annotations

import os
import time

import pytest
from django.db import connection
from moneyed import Money

from campaigns.models import Campaign
from donors.models import DonationStatus
from donors.services import books
from fundraising.celery import app
from webhooks import tasks
from webhooks.models import EventStatus, WebhookEvent

pytestmark = [pytest.mark.postgres, pytest.mark.usefixtures("tx")]


@pytest.fixture
def worker(settings):
    if connection.vendor != "postgresql" or not os.environ.get("REDIS_URL"):
        pytest.skip("needs PostgreSQL (connections from the worker's thread) and REDIS_URL")
    from celery.contrib.testing.worker import start_worker

    settings.WEBHOOK_RETRY_BASE_SECONDS = 0.5  # retries after 0 s, 2 s, 8 s ...
    saved = app.conf.task_always_eager, app.conf.broker_url
    app.conf.task_always_eager = False
    app.conf.broker_url = os.environ["REDIS_URL"]
    app.control.purge()
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=30):
        yield
    app.conf.task_always_eager, app.conf.broker_url = saved


def wait_for(predicate, timeout: float = 30):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.2)
    return False


def test_failures_retry_with_backoff_then_succeed_once(worker, gift, deliver, campaign,
                                                        monkeypatch):  # fmt: skip
    g = gift(amount="70")
    real, calls = books.book_donation, []

    def flaky(*args, **kwargs):
        calls.append(time.monotonic())
        if len(calls) <= 2:
            raise ConnectionError("ledger database away")
        return real(*args, **kwargs)

    monkeypatch.setattr(books, "book_donation", flaky)
    event = deliver.event("checkout.session.completed", g.session())
    assert deliver.post(event).status_code == 200  # answered before any processing
    row = WebhookEvent.objects.get(event_id=event["id"])
    assert wait_for(lambda: WebhookEvent.objects.get(pk=row.pk).status == EventStatus.SUCCEEDED)
    row.refresh_from_db()
    assert row.attempts == 3 and row.next_attempt_at is None
    assert calls[2] - calls[1] >= 1.5  # the second retry waited (backoff)
    assert g.refresh().status == DonationStatus.SUCCEEDED
    assert Campaign.objects.get(pk=campaign.pk).raised == Money("70", "MYR")


def test_after_the_last_retry_the_event_stays_failed(worker, gift, deliver, monkeypatch):
    g = gift(amount="20")
    monkeypatch.setattr(tasks, "MAX_RETRIES", 1)

    def broken(*args, **kwargs):
        raise ConnectionError("ledger database away")

    monkeypatch.setattr(books, "book_donation", broken)
    event = deliver.event("checkout.session.completed", g.session())
    deliver.post(event)
    row = WebhookEvent.objects.get(event_id=event["id"])
    assert wait_for(
        lambda: (
            WebhookEvent.objects.get(pk=row.pk).attempts == 2
            and WebhookEvent.objects.get(pk=row.pk).status == EventStatus.FAILED
        )
    )
    row.refresh_from_db()
    assert "ledger database away" in row.last_error and g.refresh().status == "pending"
