"""Webhooks: signed as Stripe signs, retried, duplicated, shuffled, held and released."""

from __future__ import annotations

import json
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import stripe

from sandbox.webhooks import signature_header
from tests.fixtures.sandbox import StripeSandbox, WebhookReceiver

PAYMENT_EVENTS = {"charge.succeeded", "payment_intent.succeeded", "checkout.session.completed"}


def _pay(make_session, sandbox: StripeSandbox, donation_id: str = "1") -> str:
    session = make_session(donation_id=donation_id)
    sandbox.complete(session.id)
    return session.id


def test_deliveries_verify_with_the_official_library(
    make_session, stripe_sandbox, stripe_webhook_receiver: WebhookReceiver
):
    session_id = _pay(make_session, stripe_sandbox)
    stripe_sandbox.flush()
    received = stripe_webhook_receiver.received
    assert {json.loads(r["body"])["type"] for r in received} == PAYMENT_EVENTS
    for delivery in received:
        header = delivery["headers"]["Stripe-Signature"]
        assert header.startswith("t=") and ",v1=" in header
        event = stripe.Webhook.construct_event(
            delivery["body"], header, stripe_webhook_receiver.secret
        )
        assert event.livemode is False and event.api_version == stripe.api_version
    completed = next(e for e in stripe_webhook_receiver.events() if e["type"].startswith("check"))
    assert completed["data"]["object"]["id"] == session_id
    assert completed["data"]["object"]["metadata"] == {"donation_id": "1"}
    tampered = received[0]["body"].replace(b'"livemode": false', b'"livemode": true')
    with pytest.raises(stripe.SignatureVerificationError):
        stripe.Webhook.construct_event(
            tampered, received[0]["headers"]["Stripe-Signature"], stripe_webhook_receiver.secret
        )


def test_signature_is_hmac_of_timestamp_dot_body():
    header = signature_header(b'{"id": "evt_1"}', "whsec_sandbox", timestamp=1700000000)
    assert header == (
        "t=1700000000,v1="
        + stripe.WebhookSignature._compute_signature('1700000000.{"id": "evt_1"}', "whsec_sandbox")
    )


def test_endpoint_registered_with_a_chosen_secret(make_session, stripe_sandbox):
    receiver = WebhookReceiver()
    endpoint = stripe_sandbox.register_webhook(receiver.url, secret="whsec_sandbox")
    try:
        _pay(make_session, stripe_sandbox)
        stripe_sandbox.flush()
        body, headers = receiver.received[0]["body"], receiver.received[0]["headers"]
        stripe.Webhook.construct_event(body, headers["Stripe-Signature"], "whsec_sandbox")
    finally:
        stripe_sandbox.remove_webhook(endpoint.id)
        receiver.stop()


def test_webhook_endpoint_api(client):
    endpoint = client.v1.webhook_endpoints.create(
        params={"url": "http://127.0.0.1:9/hook", "enabled_events": ["payout.paid"]}
    )
    assert endpoint.id.startswith("we_") and endpoint.secret.startswith("whsec_")
    assert endpoint.id in [e.id for e in client.v1.webhook_endpoints.list().data]
    assert "secret" not in client.v1.webhook_endpoints.retrieve(endpoint.id)
    assert client.v1.webhook_endpoints.delete(endpoint.id).deleted is True


def test_failed_deliveries_are_retried(make_session, stripe_sandbox, stripe_webhook_receiver):
    stripe_webhook_receiver.fail_next(2)
    _pay(make_session, stripe_sandbox)
    stripe_sandbox.flush()
    assert {e["type"] for e in stripe_webhook_receiver.events()} == PAYMENT_EVENTS
    mine = [
        d
        for d in stripe_sandbox.deliveries()
        if d["endpoint"] == stripe_webhook_receiver.endpoint_id
    ]
    failures = [d for d in mine if not d["succeeded"]]
    assert len(failures) == 2 and {d["status"] for d in failures} == {500}
    retried = next(d for d in mine if d["event"] == failures[0]["event"] and d["succeeded"])
    assert retried["attempt"] == 2


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class _Ok(BaseHTTPRequestHandler):
    hits: list[bytes] = []

    def do_POST(self) -> None:  # noqa: N802
        _Ok.hits.append(self.rfile.read(int(self.headers["Content-Length"])))
        self.send_response(204)
        self.end_headers()

    def log_message(self, format, *args) -> None:  # noqa: A002
        return


def test_an_endpoint_that_is_down_gets_the_event_when_it_comes_back(make_session, stripe_sandbox):
    port = _free_port()
    endpoint = stripe_sandbox.register_webhook(f"http://127.0.0.1:{port}/hook")
    server = None
    try:
        _pay(make_session, stripe_sandbox)
        deadline = time.monotonic() + 5
        while not any(d["endpoint"] == endpoint.id for d in stripe_sandbox.deliveries()):
            assert time.monotonic() < deadline
            time.sleep(0.01)
        first = next(d for d in stripe_sandbox.deliveries() if d["endpoint"] == endpoint.id)
        assert first["status"] is None and "Connection" in first["error"]
        server = ThreadingHTTPServer(("127.0.0.1", port), _Ok)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        stripe_sandbox.flush()
        assert {json.loads(b)["type"] for b in _Ok.hits} == PAYMENT_EVENTS
    finally:
        stripe_sandbox.remove_webhook(endpoint.id)
        if server:
            server.shutdown()
            server.server_close()


def test_retries_are_bounded(make_session, stripe_sandbox):
    endpoint = stripe_sandbox.register_webhook(f"http://127.0.0.1:{_free_port()}/hook")
    try:
        _pay(make_session, stripe_sandbox)
        stripe_sandbox.flush()
        attempts = [d for d in stripe_sandbox.deliveries() if d["endpoint"] == endpoint.id]
        retries = len(stripe_sandbox.handle.sender.config.retry_schedule)
        assert len(attempts) == len(PAYMENT_EVENTS) * (retries + 1)
        event_id = attempts[0]["event"]
        assert stripe_sandbox.client.v1.events.retrieve(event_id).pending_webhooks == 1
    finally:
        stripe_sandbox.remove_webhook(endpoint.id)


def test_each_event_delivered_n_times(make_session, stripe_sandbox_reset, stripe_webhook_receiver):
    stripe_sandbox_reset.duplicate(3)
    _pay(make_session, stripe_sandbox_reset)
    stripe_sandbox_reset.flush()
    ids = [e["id"] for e in stripe_webhook_receiver.events()]
    assert len(ids) == 9 and all(ids.count(i) == 3 for i in ids)


def test_hold_release_and_shuffle(
    make_session, client, stripe_sandbox_reset, stripe_webhook_receiver
):
    sandbox = stripe_sandbox_reset
    sandbox.hold()
    for n in range(8):
        _pay(make_session, sandbox, donation_id=str(n))
    time.sleep(0.1)
    assert stripe_webhook_receiver.received == []
    with pytest.raises(stripe.InvalidRequestError):
        sandbox.flush()
    created = [e.id for e in client.v1.events.list(params={"limit": 24}).data][::-1]
    assert client.v1.events.retrieve(created[0]).pending_webhooks == 1
    sandbox.shuffle(True)
    sandbox.release()
    sandbox.flush()
    arrived = [e["id"] for e in stripe_webhook_receiver.events()]
    assert sorted(arrived) == sorted(created)
    assert arrived != created  # 24 events in creation order by chance: 1 in 24!
    assert client.v1.events.retrieve(created[0]).pending_webhooks == 0


def test_in_order_without_shuffle(
    make_session, client, stripe_sandbox_reset, stripe_webhook_receiver
):
    stripe_sandbox_reset.hold()
    for n in range(3):
        _pay(make_session, stripe_sandbox_reset, donation_id=str(n))
    created = [e.id for e in client.v1.events.list(params={"limit": 9}).data][::-1]
    stripe_sandbox_reset.release()
    stripe_sandbox_reset.flush()
    assert [e["id"] for e in stripe_webhook_receiver.events()] == created


def test_enabled_events_filter_what_an_endpoint_gets(make_session, stripe_sandbox):
    receiver = WebhookReceiver()
    endpoint = stripe_sandbox.register_webhook(receiver.url, events=["charge.succeeded"])
    try:
        _pay(make_session, stripe_sandbox)
        stripe_sandbox.flush()
        assert [e["type"] for e in receiver.events()] == ["charge.succeeded"]
    finally:
        stripe_sandbox.remove_webhook(endpoint.id)
        receiver.stop()
