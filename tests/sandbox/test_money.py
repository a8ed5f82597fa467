"""Refunds, disputes, the balance and payouts: every movement in the settlement currency."""

from __future__ import annotations

import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest
import stripe

from tests.fixtures.sandbox import StripeSandbox


def _paid_charge(make_session, client, sandbox: StripeSandbox, **kwargs):
    session = make_session(**kwargs)
    sandbox.complete(session.id)
    pi = client.v1.payment_intents.retrieve(
        client.v1.checkout.sessions.retrieve(session.id).payment_intent
    )
    return client.v1.charges.retrieve(pi.latest_charge)


def test_payment_intent_confirm_and_decline(client):
    pi = client.v1.payment_intents.create(
        params={"amount": 2500, "currency": "myr", "metadata": {"donation_id": "9"}}
    )
    assert pi.status == "requires_payment_method" and pi.client_secret.startswith(pi.id)
    done = client.v1.payment_intents.confirm(
        pi.id, params={"payment_method": "pm_card_visa", "expand": ["latest_charge"]}
    )
    assert done.status == "succeeded" and done.latest_charge.amount == 2500
    with pytest.raises(stripe.CardError) as declined:
        client.v1.payment_intents.create(
            params={
                "amount": 2500,
                "currency": "myr",
                "payment_method": "pm_card_chargeDeclined",
                "confirm": True,
            }
        )
    assert declined.value.code == "card_declined"
    assert declined.value.error.decline_code == "generic_decline"


def test_partial_refunds_each_at_the_rate_of_their_day(
    make_session, client, stripe_sandbox_reset: StripeSandbox
):
    sandbox = stripe_sandbox_reset
    sandbox.set_fx_rates({"IDR": "0.000285"})
    charge = _paid_charge(make_session, client, sandbox, amount=10000000, currency="idr")
    first = client.v1.refunds.create(
        params={"charge": charge.id, "amount": 4000000, "expand": ["balance_transaction"]}
    )
    sandbox.set_fx_rates({"IDR": "0.000300"})  # the rupiah strengthened the next day
    second = client.v1.refunds.create(
        params={"payment_intent": charge.payment_intent, "amount": 1000000},
        options={"idempotency_key": f"refund-{charge.id}-2"},
    )
    assert first.id.startswith("re_") and first.status == "succeeded"
    assert (first.balance_transaction.amount, first.balance_transaction.exchange_rate) == (
        -1140,
        0.000285,
    )
    second_txn = client.v1.balance_transactions.retrieve(second.balance_transaction)
    assert (second_txn.amount, second_txn.type, second_txn.fee) == (-300, "refund", 0)
    after = client.v1.charges.retrieve(charge.id)
    assert (after.amount_refunded, after.refunded) == (5000000, False)
    assert [r.id for r in after.refunds.data] == [second.id, first.id]
    client.v1.refunds.create(params={"charge": charge.id})  # the rest
    after = client.v1.charges.retrieve(charge.id)
    assert (after.amount_refunded, after.refunded, len(after.refunds.data)) == (10000000, True, 3)
    with pytest.raises(stripe.InvalidRequestError) as again:
        client.v1.refunds.create(params={"charge": charge.id, "amount": 1})
    assert again.value.code == "charge_already_refunded"


def test_refund_larger_than_what_is_left(make_session, client, stripe_sandbox):
    charge = _paid_charge(make_session, client, stripe_sandbox)
    with pytest.raises(stripe.InvalidRequestError) as raised:
        client.v1.refunds.create(params={"charge": charge.id, "amount": 5001})
    assert (raised.value.code, raised.value.param) == ("amount_too_large", "amount")


def test_failed_refund_puts_the_money_back(make_session, client, stripe_sandbox):
    charge = _paid_charge(make_session, client, stripe_sandbox)
    refund = client.v1.refunds.create(params={"charge": charge.id, "amount": 1000})
    failed = stripe_sandbox.fail_refund(refund.id)
    assert failed.status == "failed" and failed.failure_balance_transaction
    assert client.v1.charges.retrieve(charge.id).amount_refunded == 0
    types = [e.type for e in _events_for(client, refund.id)]
    assert types == ["refund.failed", "refund.updated", "refund.created"]


def test_dispute_withdraws_then_reinstates_when_won(make_session, client, stripe_sandbox):
    charge = _paid_charge(make_session, client, stripe_sandbox, amount=10000)
    dispute = stripe_sandbox.dispute(charge.id)
    assert dispute.id.startswith("dp_") and dispute.status == "needs_response"
    withdrawal = dispute.balance_transactions[0]
    assert (withdrawal.amount, withdrawal.fee, withdrawal.net) == (-10000, 6500, -16500)
    assert withdrawal.reporting_category == "dispute"
    assert client.v1.charges.retrieve(charge.id).disputed is True
    with pytest.raises(stripe.InvalidRequestError) as raised:
        client.v1.refunds.create(params={"charge": charge.id})
    assert raised.value.code == "charge_disputed"
    won = stripe_sandbox.win(dispute.id)
    assert won.status == "won"
    assert (won.balance_transactions[1].amount, won.balance_transactions[1].net) == (10000, 16500)
    types = [e.type for e in _events_for(client, dispute.id)]
    assert types == [
        "charge.dispute.closed",
        "charge.dispute.funds_reinstated",
        "charge.dispute.funds_withdrawn",
        "charge.dispute.created",
    ]


def test_lost_dispute_keeps_the_money_out(make_session, client, stripe_sandbox):
    charge = _paid_charge(make_session, client, stripe_sandbox)
    dispute = stripe_sandbox.dispute(charge.id, reason="fraudulent")
    lost = stripe_sandbox.lose(dispute.id)
    assert (lost.status, lost.reason, len(lost.balance_transactions)) == ("lost", "fraudulent", 1)
    fetched = client.v1.disputes.retrieve(dispute.id, params={"expand": ["charge"]})
    assert fetched.charge.id == charge.id


def test_balance_payout_and_its_transactions(make_session, client, stripe_sandbox):
    charge = _paid_charge(make_session, client, stripe_sandbox, amount=20000)
    pending = client.v1.balance.retrieve().pending[0]
    assert pending.currency == "myr" and pending.amount >= 19300
    stripe_sandbox.make_available()
    available = client.v1.balance.retrieve().available[0].amount
    assert available >= 19300
    payout = client.v1.payouts.create(params={"amount": available, "currency": "myr"})
    assert payout.id.startswith("po_") and payout.status == "in_transit"
    assert client.v1.balance.retrieve().available[0].amount == 0
    included = client.v1.balance_transactions.list(params={"payout": payout.id, "limit": 100})
    sources = {t.source for t in included.data}
    assert charge.id in sources and payout.id in sources
    paid = stripe_sandbox.finish_payout(payout.id, paid=True)
    assert paid.status == "paid"
    assert [e.type for e in _events_for(client, payout.id)] == ["payout.paid", "payout.created"]
    with pytest.raises(stripe.InvalidRequestError) as raised:
        client.v1.payouts.create(params={"amount": 100, "currency": "myr"})
    assert raised.value.code == "balance_insufficient"


def test_failed_payout_returns_to_the_balance(make_session, client, stripe_sandbox):
    _paid_charge(make_session, client, stripe_sandbox)
    stripe_sandbox.make_available()
    payout = client.v1.payouts.create(params={"currency": "myr"})
    failed = stripe_sandbox.finish_payout(payout.id, paid=False)
    assert failed.status == "failed" and failed.failure_code == "account_closed"
    assert client.v1.balance.retrieve().available[0].amount == payout.amount
    assert [e.type for e in _events_for(client, payout.id)] == ["payout.failed", "payout.created"]
    client.v1.payouts.create(params={"currency": "myr"})  # empty the balance for other tests


def test_pending_funds_become_available_when_the_clock_passes(make_session, client, stripe_sandbox):
    charge = _paid_charge(make_session, client, stripe_sandbox)
    stripe_sandbox.advance_clock(3 * 24 * 3600)
    txn = client.v1.balance_transactions.retrieve(charge.balance_transaction)
    assert txn.status == "available"


def test_fees_are_configurable(make_session, client, stripe_sandbox):
    stripe_sandbox.helper("fees", currency="myr", percent="2.5", fixed=50)
    try:
        charge = _paid_charge(make_session, client, stripe_sandbox, amount=10000)
        txn = client.v1.balance_transactions.retrieve(charge.balance_transaction)
        assert (txn.fee, txn.net) == (300, 9700)
    finally:
        stripe_sandbox.helper("fees", currency="myr", percent="3.0", fixed=100)


def test_refunds_and_disputes_leave_the_available_balance_at_once(
    make_session, client, stripe_sandbox
):
    charge = _paid_charge(make_session, client, stripe_sandbox)
    refund = client.v1.refunds.create(params={"charge": charge.id, "amount": 1000})
    txn = client.v1.balance_transactions.retrieve(refund.balance_transaction)
    assert (txn.status, txn.available_on) == ("available", txn.created)


def test_receipt_page_shows_the_payment_and_its_refunds(make_session, client, stripe_sandbox):
    charge = _paid_charge(make_session, client, stripe_sandbox, amount=12000)
    client.v1.refunds.create(params={"charge": charge.id, "amount": 2000})
    with urllib.request.urlopen(charge.receipt_url) as page:  # noqa: S310 - loopback sandbox
        html = page.read().decode()
    assert "MYR 120.00" in html and "MYR 20.00" in html


def _events_for(client: stripe.StripeClient, object_id: str) -> list:
    events = client.v1.events.list(params={"limit": 100})
    return [e for e in events.data if e.data.object.id == object_id]


def test_concurrent_refunds_never_exceed_the_charge(make_session, client, stripe_sandbox):
    charge = _paid_charge(make_session, client, stripe_sandbox, amount=10000)

    def refund(_: int) -> str:
        try:
            client.v1.refunds.create(params={"charge": charge.id, "amount": 700})
            return "ok"
        except stripe.InvalidRequestError as error:
            return error.code or "error"

    with ThreadPoolExecutor(max_workers=16) as pool:
        outcomes = list(pool.map(refund, range(20)))
    assert outcomes.count("ok") == 14  # 14 x 7.00 fit in 100.00, a 15th does not
    assert set(outcomes) == {"ok", "amount_too_large"}
    assert client.v1.charges.retrieve(charge.id).amount_refunded == 9800
