"""Stripe's request conventions: auth, errors, idempotency, form encoding, expand, lists."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
import uuid

import pytest
import stripe

from sandbox.forms import parse
from tests.fixtures.sandbox import StripeSandbox


def test_only_test_secret_keys_are_accepted(stripe_sandbox: StripeSandbox):
    live = stripe.StripeClient("sk_live_nope", base_addresses={"api": stripe_sandbox.url})
    with pytest.raises(stripe.AuthenticationError) as raised:
        live.v1.balance.retrieve()
    assert raised.value.http_status == 401
    request = urllib.request.Request(f"{stripe_sandbox.url}/v1/balance")  # noqa: S310 - loopback sandbox
    with pytest.raises(urllib.error.HTTPError) as anonymous:
        urllib.request.urlopen(request)  # noqa: S310 - loopback sandbox
    assert anonymous.value.code == 401


def test_missing_objects_are_resource_missing(client):
    with pytest.raises(stripe.InvalidRequestError) as raised:
        client.v1.charges.retrieve("ch_doesnotexist")
    error = raised.value
    assert (error.http_status, error.code, error.param) == (404, "resource_missing", "id")
    assert error.error.type == "invalid_request_error"
    assert "No such charge: 'ch_doesnotexist'" in error.user_message


def test_unknown_url_is_404(stripe_sandbox: StripeSandbox):
    with pytest.raises(stripe.InvalidRequestError) as raised:
        stripe_sandbox.client.raw_request("get", "/v1/nothing_here")
    assert raised.value.http_status == 404


def test_same_idempotency_key_replays_the_first_response(make_session, client):
    key = f"donation-{uuid.uuid4()}"
    params = {"amount": 2000, "currency": "myr", "metadata": {"donation_id": "5"}}
    first = client.v1.payment_intents.create(params=params, options={"idempotency_key": key})
    again = client.v1.payment_intents.create(params=params, options={"idempotency_key": key})
    assert again.id == first.id
    assert again.last_response.headers.get("Idempotent-Replayed") == "true"
    with pytest.raises(stripe.IdempotencyError) as raised:
        client.v1.payment_intents.create(
            params={**params, "amount": 2001}, options={"idempotency_key": key}
        )
    assert raised.value.http_status == 400
    assert raised.value.error.type == "idempotency_error"


def test_errors_are_replayed_under_their_key_too(client):
    key = f"bad-{uuid.uuid4()}"
    for _ in range(2):
        with pytest.raises(stripe.InvalidRequestError) as raised:
            client.v1.refunds.create(
                params={"charge": "ch_missing"}, options={"idempotency_key": key}
            )
        assert raised.value.code == "resource_missing"


def test_error_body_has_stripes_shape(stripe_sandbox: StripeSandbox):
    request = urllib.request.Request(  # noqa: S310 - loopback sandbox
        f"{stripe_sandbox.url}/v1/refunds",
        data=b"charge=ch_missing",
        headers={"Authorization": f"Bearer {stripe_sandbox.api_key}"},
    )
    with pytest.raises(urllib.error.HTTPError) as raised:
        urllib.request.urlopen(request)  # noqa: S310
    body = json.loads(raised.value.read())
    assert set(body) == {"error"}
    assert {"type", "code", "message", "param"} <= set(body["error"])
    assert raised.value.headers["Request-Id"].startswith("req_")


def test_nested_form_keys_are_decoded():
    decoded = parse(
        "metadata[donation_id]=1&line_items[0][price_data][unit_amount]=500"
        "&line_items[0][price_data][product_data][name]=Well&line_items[1][quantity]=2"
        "&expand[]=payment_intent&expand[]=customer&expand[2]=invoice"
    )
    assert decoded["metadata"] == {"donation_id": "1"}
    assert decoded["line_items"][0]["price_data"] == {
        "unit_amount": "500",
        "product_data": {"name": "Well"},
    }
    assert decoded["line_items"][1] == {"quantity": "2"}
    assert decoded["expand"] == ["payment_intent", "customer", "invoice"]


def test_expand_in_lists_and_nested_paths(make_session, client, stripe_sandbox):
    session = make_session()
    stripe_sandbox.complete(session.id)
    pi_id = client.v1.checkout.sessions.retrieve(session.id).payment_intent
    charges = client.v1.charges.list(
        params={"payment_intent": pi_id, "expand": ["data.balance_transaction"]}
    )
    assert charges.data[0].balance_transaction.object == "balance_transaction"
    client.v1.refunds.create(params={"payment_intent": pi_id, "amount": 100})
    charge = client.v1.charges.retrieve(
        charges.data[0].id, params={"expand": ["refunds.data.balance_transaction"]}
    )
    assert charge.refunds.data[0].balance_transaction.amount == -100


def test_lists_paginate_newest_first(client):
    created = [
        client.v1.customers.create(params={"email": f"p{i}@example.my"}).id for i in range(5)
    ]
    page = client.v1.customers.list(params={"limit": 2})
    assert [c.id for c in page.data] == created[::-1][:2] and page.has_more
    walked = [c.id for c in page.auto_paging_iter()]
    assert walked[:5] == created[::-1]
    first = client.v1.customers.retrieve(created[0])
    since = client.v1.customers.list(params={"created": {"gte": first.created}, "limit": 100})
    assert set(created) <= {c.id for c in since.data}
    assert client.v1.customers.list(params={"created": {"gt": first.created + 3600}}).data == []
    newer = client.v1.customers.list(params={"limit": 2, "ending_before": created[1]})
    assert [c.id for c in newer.data] == [created[3], created[2]] and newer.has_more


def test_events_are_retrievable_and_shaped_like_stripes(make_session, client, stripe_sandbox):
    session = make_session()
    stripe_sandbox.complete(session.id)
    listed = client.v1.events.list(params={"type": "checkout.session.completed", "limit": 1})
    event = client.v1.events.retrieve(listed.data[0].id)
    assert event.id.startswith("evt_") and event.object == "event"
    assert event.data.object.id == session.id
    assert event.request.id.startswith("req_") and event.livemode is False
    assert event.api_version == stripe.api_version
