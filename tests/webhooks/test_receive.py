"""POST /webhooks/stripe/: only verified events get in, each once, answered fast."""

from __future__ import annotations

import json
import time

import pytest
from django.test import override_settings

from payments.stripe.signatures import sign_payload, verify_signature
from payments.types import SignatureError
from tests.fixtures.giving import OLD_SECRET
from webhooks.models import EventStatus, WebhookEvent
from webhooks.selectors import rejections

pytestmark = pytest.mark.usefixtures("tx")
UNKNOWN = {"id": "cus_1", "object": "customer"}


def test_good_signature_is_stored_and_acknowledged(deliver):
    event = deliver.event("customer.created", UNKNOWN)
    response = deliver.post(event)
    assert response.status_code == 200 and response.json() == {"received": True, "duplicate": False}
    row = WebhookEvent.objects.get(event_id=event["id"])
    assert row.type == "customer.created" and row.payload == event
    assert "stripe-signature" in row.headers and row.status == EventStatus.SUCCEEDED


def test_a_rotated_secret_still_verifies(deliver):
    response = deliver.post(deliver.event("customer.created", UNKNOWN), secret=OLD_SECRET)
    assert response.status_code == 200


@pytest.mark.parametrize(
    ("kind", "reason"),
    [("missing", "missing"), ("wrong_secret", "mismatch"), ("stale", "stale"),
     ("future", "stale"), ("garbage", "malformed"), ("tampered", "mismatch")],
)  # fmt: skip
def test_bad_signatures_are_refused_counted_and_never_stored(deliver, kind, reason):
    event = deliver.event("payment_intent.succeeded", {"id": "pi_x", "object": "payment_intent"})
    body = json.dumps(event).encode()
    now = int(time.time())
    header = {
        "missing": "",
        "wrong_secret": sign_payload(body, "whsec_someone_else"),
        "stale": sign_payload(body, deliver.secret, now - 301),
        "future": sign_payload(body, deliver.secret, now + 301),
        "garbage": "v1=abc",
        "tampered": sign_payload(body + b" ", deliver.secret),
    }[kind]
    before = rejections("stripe", reason)
    response = deliver.post(event, header=header)
    assert response.status_code == 400
    assert rejections("stripe", reason) == before + 1
    assert not WebhookEvent.objects.filter(event_id=event["id"]).exists()


def test_tolerance_is_five_minutes_either_way():
    body = b"{}"
    now = 1_800_000_000
    for skew in (-300, 0, 300):
        verify_signature(body, sign_payload(body, "s", now + skew), ["s"], now=now)
    with pytest.raises(SignatureError):
        verify_signature(body, sign_payload(body, "s", now - 301), ["s"], now=now)


def test_signed_body_that_is_not_an_event_is_refused(deliver):
    body = b'{"hello": "world"}'
    response = deliver.client.post(
        "/webhooks/stripe/",
        data=body,
        content_type="application/json",
        HTTP_STRIPE_SIGNATURE=sign_payload(body, deliver.secret),
    )
    assert response.status_code == 400


@override_settings(WEBHOOK_MAX_BODY_BYTES=2048)
def test_oversized_body_is_413(deliver):
    event = deliver.event("customer.created", {**UNKNOWN, "padding": "x" * 4096})
    before = rejections("stripe", "oversized")
    assert deliver.post(event).status_code == 413
    assert rejections("stripe", "oversized") == before + 1
    assert not WebhookEvent.objects.exists()


def test_duplicates_answer_200_and_are_stored_once(deliver):
    event = deliver.event("customer.created", UNKNOWN)
    answers = [deliver.post(event) for _ in range(3)]
    assert [r.status_code for r in answers] == [200, 200, 200]
    assert [r.json()["duplicate"] for r in answers] == [False, True, True]
    assert WebhookEvent.objects.get(event_id=event["id"]).duplicates == 2


def test_only_post(deliver):
    assert deliver.client.get("/webhooks/stripe/").status_code == 405


def test_a_lost_enqueue_is_picked_up_by_the_sweeper(deliver, monkeypatch):
    """A broker outage at receive time: the event waits as "received", the sweeper sends it."""
    from webhooks import selectors, tasks

    def broker_down(*args, **kwargs):
        raise ConnectionError("broker down")

    monkeypatch.setattr(tasks.process_event, "apply_async", broker_down)
    event = deliver.event("customer.created", UNKNOWN)
    assert deliver.post(event).status_code == 200
    row = WebhookEvent.objects.get(event_id=event["id"])
    assert row.status == EventStatus.RECEIVED
    monkeypatch.undo()
    WebhookEvent.objects.filter(pk=row.pk).update(received_at=row.received_at.replace(year=2020))
    assert list(selectors.events_unprocessed()) == [row.pk]
    assert tasks.sweep_events() == 1
    row.refresh_from_db()
    assert row.status == EventStatus.SUCCEEDED


def test_inside_a_transaction_a_duplicate_spoils_nothing_and_the_enqueue_waits(monkeypatch):
    """A request stores an event in one autocommit INSERT; a caller's transaction is kept whole."""
    from django.db import transaction

    from payments.types import WebhookEventData
    from webhooks import services

    sent: list[int] = []
    monkeypatch.setattr(services, "enqueue", lambda pk, countdown=0: sent.append(pk))
    event = WebhookEventData(
        id="evt_in_a_transaction", type="customer.created", object_id="cus_1",
        object_type="customer", created=None, livemode=False, payload={"id": "evt_x"},
    )  # fmt: skip
    receive = {"provider": "stripe", "event": event, "body": b"{}", "headers": {}}
    with transaction.atomic():
        assert services.event_receive(**receive) is True
        assert services.event_receive(**receive) is False
        row = WebhookEvent.objects.get(event_id=event.id)  # the transaction is still usable
        assert row.duplicates == 1 and sent == []
    assert sent == [row.pk]
    assert services.event_receive(**receive) is False
    assert sent == [row.pk]
