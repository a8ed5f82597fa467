"""Checkout Sessions through the official library: pay, decline, async, expire, hosted page."""

from __future__ import annotations

import urllib.error
import urllib.parse
import urllib.request

import pytest
import stripe

from sandbox import ASYNC_CARD, DECLINE_CARD
from tests.fixtures.sandbox import StripeSandbox

DEEP = ["payment_intent.latest_charge.balance_transaction"]


def test_session_carries_what_the_service_sent(make_session, stripe_sandbox: StripeSandbox):
    session = make_session(amount=12345, donation_id="7")
    assert session.id.startswith("cs_test_")
    assert (session.status, session.payment_status, session.mode) == ("open", "unpaid", "payment")
    assert (session.amount_total, session.currency) == (12345, "myr")
    assert session.metadata.to_dict() == {"donation_id": "7"}
    assert session.client_reference_id == "7"
    assert session.customer_email == "siti@example.my"
    assert session.url == f"{stripe_sandbox.url}/c/pay/{session.id}"
    assert session.payment_intent is None


def test_paying_completes_the_session_with_a_settled_charge(make_session, client, stripe_sandbox):
    session = make_session(amount=5000)
    stripe_sandbox.complete(session.id, email="siti@example.my", name="Siti")
    paid = client.v1.checkout.sessions.retrieve(session.id, params={"expand": DEEP})
    assert (paid.status, paid.payment_status) == ("complete", "paid")
    pi = paid.payment_intent
    assert pi.status == "succeeded" and pi.amount_received == 5000
    assert pi.metadata.to_dict() == {"donation_id": "42"}
    charge = pi.latest_charge
    assert charge.id.startswith("ch_") and charge.paid and charge.status == "succeeded"
    txn = charge.balance_transaction
    # MYR 50.00 at 3% + RM 1.00 leaves RM 47.50.
    assert (txn.amount, txn.fee, txn.net, txn.currency) == (5000, 250, 4750, "myr")
    assert txn.exchange_rate is None and txn.source == charge.id
    assert txn.fee_details[0].type == "stripe_fee"
    assert paid.customer_details.email == "siti@example.my"


def test_a_gift_in_rupiah_settles_in_ringgit_at_the_configured_rate(
    make_session, client, stripe_sandbox_reset: StripeSandbox
):
    stripe_sandbox_reset.set_fx_rates({"IDR": "0.000285"})
    session = make_session(amount=50000000, currency="idr")  # Rp 500,000.00
    stripe_sandbox_reset.complete(session.id)
    charge = client.v1.charges.list(
        params={"payment_intent": client.v1.checkout.sessions.retrieve(session.id).payment_intent}
    ).data[0]
    txn = client.v1.balance_transactions.retrieve(charge.balance_transaction)
    assert (charge.amount, charge.currency) == (50000000, "idr")
    assert (txn.amount, txn.currency, txn.exchange_rate) == (14250, "myr", 0.000285)
    assert txn.fee == 528  # 3% of 142.50 rounded, plus 1.00
    assert txn.net == 14250 - 528
    assert txn.status == "pending" and txn.available_on > txn.created


def test_zero_decimal_currency_converts_whole_units(make_session, client, stripe_sandbox_reset):
    stripe_sandbox_reset.set_fx_rates({"JPY": "0.03"})
    session = make_session(amount=1000, currency="jpy")  # ¥1,000
    stripe_sandbox_reset.complete(session.id)
    paid = client.v1.checkout.sessions.retrieve(session.id, params={"expand": DEEP})
    assert paid.payment_intent.latest_charge.balance_transaction.amount == 3000  # RM 30.00


def test_declined_card_keeps_the_session_open(make_session, client, stripe_sandbox):
    session = make_session()
    with pytest.raises(stripe.CardError) as raised:
        stripe_sandbox.complete(session.id, card=DECLINE_CARD)
    assert raised.value.code == "card_declined"
    assert raised.value.http_status == 402
    after = client.v1.checkout.sessions.retrieve(session.id, params={"expand": ["payment_intent"]})
    assert after.status == "open"
    assert after.payment_intent.status == "requires_payment_method"
    assert after.payment_intent.last_payment_error.code == "card_declined"
    stripe_sandbox.complete(session.id)  # the donor tries another card
    assert client.v1.checkout.sessions.retrieve(session.id).payment_status == "paid"


def test_async_payment_completes_unpaid_then_settles(make_session, client, stripe_sandbox):
    session = make_session()
    stripe_sandbox.complete(session.id, card=ASYNC_CARD)
    pending = client.v1.checkout.sessions.retrieve(session.id, params={"expand": DEEP})
    assert (pending.status, pending.payment_status) == ("complete", "unpaid")
    assert pending.payment_intent.status == "processing"
    assert pending.payment_intent.latest_charge.balance_transaction is None
    stripe_sandbox.settle_async(session.id, succeeded=True)
    settled = client.v1.checkout.sessions.retrieve(session.id, params={"expand": DEEP})
    assert settled.payment_status == "paid"
    assert settled.payment_intent.latest_charge.balance_transaction.net == 4750
    types = _event_types(client, session.id)
    assert "checkout.session.async_payment_succeeded" in types


def test_async_payment_can_fail(make_session, client, stripe_sandbox):
    session = make_session()
    stripe_sandbox.complete(session.id, card=ASYNC_CARD)
    stripe_sandbox.settle_async(session.id, succeeded=False)
    failed = client.v1.checkout.sessions.retrieve(session.id, params={"expand": ["payment_intent"]})
    assert failed.payment_status == "unpaid"
    assert failed.payment_intent.status == "requires_payment_method"
    assert "checkout.session.async_payment_failed" in _event_types(client, session.id)


def test_expire_and_paying_an_expired_session(make_session, client, stripe_sandbox):
    session = make_session()
    expired = client.v1.checkout.sessions.expire(session.id)
    assert expired.status == "expired"
    with pytest.raises(stripe.InvalidRequestError):
        stripe_sandbox.complete(session.id)
    assert "checkout.session.expired" in _event_types(client, session.id)


def test_sessions_expire_after_a_day_on_the_sandbox_clock(make_session, client, stripe_sandbox):
    session = make_session()
    stripe_sandbox.advance_clock(24 * 3600 + 1)
    assert client.v1.checkout.sessions.retrieve(session.id).status == "expired"


def test_list_sessions_filtered_by_payment_intent(make_session, client, stripe_sandbox):
    session = make_session()
    stripe_sandbox.complete(session.id)
    pi = client.v1.checkout.sessions.retrieve(session.id).payment_intent
    found = client.v1.checkout.sessions.list(params={"payment_intent": pi})
    assert [s.id for s in found.data] == [session.id]
    items = client.v1.checkout.sessions.line_items.list(session.id)
    assert items.data[0].amount_total == 5000
    expanded = client.v1.checkout.sessions.retrieve(session.id, params={"expand": ["line_items"]})
    assert expanded.line_items.data[0].description == "Clean water for Kampung Baru"


def test_validation_errors_look_like_stripe(client, make_session):
    with pytest.raises(stripe.InvalidRequestError) as raised:
        make_session(amount=100)  # RM 1.00 is below Stripe's RM 2.00 minimum
    assert raised.value.code == "amount_too_small"
    with pytest.raises(stripe.InvalidRequestError) as raised:
        make_session(amount=100_000_000)  # RM 1,000,000.00: more than eight digits
    assert raised.value.code == "amount_too_large"
    with pytest.raises(stripe.InvalidRequestError) as raised:
        make_session(currency="xyz")
    assert raised.value.param == "line_items[0][price_data][currency]"


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def test_hosted_page_shows_the_amount_and_pays_without_javascript(make_session, client):
    session = make_session(amount=15000000, currency="idr")
    with urllib.request.urlopen(session.url) as page:  # noqa: S310 - loopback sandbox
        html = page.read().decode()
    assert "IDR 150,000.00" in html and 'name="card"' in html and "<script" not in html
    assert "4000000000000002" in html and "http://127.0.0.1:8000/campaigns/water/" in html
    form = urllib.parse.urlencode({"card": "4242 4242 4242 4242", "email": "a@b.id"}).encode()
    opener = urllib.request.build_opener(_NoRedirect)
    with pytest.raises(urllib.error.HTTPError) as redirect:
        opener.open(session.url, data=form)
    assert redirect.value.code == 303
    assert redirect.value.headers["Location"] == (
        f"http://127.0.0.1:8000/thanks/?session={session.id}"
    )
    assert client.v1.checkout.sessions.retrieve(session.id).payment_status == "paid"


def test_hosted_page_shows_a_decline(make_session):
    session = make_session()
    form = urllib.parse.urlencode({"card": DECLINE_CARD}).encode()
    with pytest.raises(urllib.error.HTTPError) as declined:
        urllib.request.urlopen(session.url, data=form)  # noqa: S310
    assert declined.value.code == 402
    assert "Your card was declined." in declined.value.read().decode()


def _event_types(client: stripe.StripeClient, session_id: str) -> list[str]:
    events = client.v1.events.list(params={"limit": 100})
    return [
        e.type
        for e in events.data
        if e.type.startswith("checkout.session") and e.data.object.id == session_id
    ]
