"""Monthly giving: a subscription from Checkout, invoices each month, failure, cancellation."""

from __future__ import annotations

import pytest
import stripe

from sandbox import ASYNC_CARD, DECLINE_CARD


def _monthly(make_session, client, sandbox, amount: int = 3000):
    session = make_session(amount=amount, monthly=True, donation_id="77")
    sandbox.complete(session.id, email="arif@example.my", name="Arif")
    return client.v1.checkout.sessions.retrieve(
        session.id, params={"expand": ["subscription", "invoice"]}
    )


def test_subscription_checkout_creates_customer_subscription_and_paid_invoice(
    make_session, client, stripe_sandbox
):
    session = _monthly(make_session, client, stripe_sandbox)
    assert (session.mode, session.status, session.payment_status) == (
        "subscription",
        "complete",
        "paid",
    )
    sub, invoice = session.subscription, session.invoice
    assert sub.id.startswith("sub_") and sub.status == "active"
    assert sub.metadata.to_dict() == {"donation_id": "77"}
    assert sub.customer == session.customer and session.customer.startswith("cus_")
    item = sub["items"].data[0]
    assert item.price.recurring.interval == "month" and item.price.unit_amount == 3000
    assert invoice.id.startswith("in_") and invoice.status == "paid"
    assert (invoice.billing_reason, invoice.subscription) == ("subscription_create", sub.id)
    assert invoice.amount_paid == 3000
    assert invoice.parent.subscription_details.metadata.to_dict() == {"donation_id": "77"}
    assert invoice.lines.data[0].metadata.to_dict() == {"donation_id": "77"}
    paid_by = client.v1.invoices.retrieve(
        invoice.id, params={"expand": ["charge.balance_transaction", "payment_intent"]}
    )
    assert paid_by.charge.balance_transaction.net == 3000 - 190
    assert paid_by.payment_intent.status == "succeeded"
    assert paid_by.payment_intent.latest_charge == paid_by.charge.id
    customer = client.v1.customers.retrieve(session.customer)
    assert customer.email == "arif@example.my"


def test_advancing_pays_the_next_invoice(make_session, client, stripe_sandbox):
    sub = _monthly(make_session, client, stripe_sandbox).subscription
    first_end = sub["items"].data[0].current_period_end
    invoice = stripe_sandbox.advance_subscription(sub.id)
    assert (invoice.billing_reason, invoice.status) == ("subscription_cycle", "paid")
    assert invoice.period_start == first_end
    assert invoice.charge and invoice.payment_intent
    assert invoice.subscription_details.metadata.to_dict() == {"donation_id": "77"}
    invoices = client.v1.invoices.list(params={"subscription": sub.id})
    assert len(invoices.data) == 2
    after = client.v1.subscriptions.retrieve(sub.id)
    assert after.latest_invoice == invoice.id
    assert after["items"].data[0].current_period_start == first_end


def test_a_failed_renewal_makes_the_subscription_past_due(make_session, client, stripe_sandbox):
    sub = _monthly(make_session, client, stripe_sandbox).subscription
    unpaid = stripe_sandbox.advance_subscription(sub.id, fail=True)
    assert (unpaid.status, unpaid.amount_paid, unpaid.next_payment_attempt > 0) == ("open", 0, True)
    after = client.v1.subscriptions.retrieve(sub.id, params={"expand": ["latest_invoice"]})
    assert after.status == "past_due"
    assert after.latest_invoice.status == "open" and after.latest_invoice.attempt_count == 1
    types = [e.type for e in client.v1.events.list(params={"limit": 30}).data]
    assert "invoice.payment_failed" in types
    stripe_sandbox.advance_subscription(sub.id)
    assert client.v1.subscriptions.retrieve(sub.id).status == "active"


def test_cancelling_a_subscription(make_session, client, stripe_sandbox):
    sub = _monthly(make_session, client, stripe_sandbox).subscription
    canceled = client.v1.subscriptions.cancel(sub.id)
    assert canceled.status == "canceled" and canceled.canceled_at
    event = client.v1.events.list(params={"type": "customer.subscription.deleted"}).data[0]
    assert event.data.object.id == sub.id
    with pytest.raises(stripe.InvalidRequestError):
        stripe_sandbox.advance_subscription(sub.id)


def test_declined_card_on_monthly_checkout_creates_nothing(make_session, client, stripe_sandbox):
    session = make_session(monthly=True)
    with pytest.raises(stripe.CardError):
        stripe_sandbox.complete(session.id, card=DECLINE_CARD)
    with pytest.raises(stripe.InvalidRequestError):
        stripe_sandbox.complete(session.id, card=ASYNC_CARD)
    after = client.v1.checkout.sessions.retrieve(session.id)
    assert (after.status, after.subscription) == ("open", None)
