"""Our Stripe adapter against a second, independent emulator: localstripe (PyPI, 1.15.x).

The offline sandbox (`sandbox/`) is the primary emulator and was written alongside the adapter,
so the two could share a misreading of Stripe. localstripe was written by other people against
real Stripe; running the same adapter (`payments.stripe.client.StripeProvider`, built from
Django settings exactly as the service builds it) against it cross-checks the request shapes
the adapter sends and the way it reads Stripe's answers, for the flows localstripe supports:
a PaymentIntent confirmed with a succeeding card, a declined card, partial refunds (in a
zero-, two- and three-decimal currency), the authoritative payment re-fetched with its charge,
balance transaction and refunds, a subscription with its first invoice, and webhook signatures.

Where the adapter has no method for a step (creating and confirming a PaymentIntent, creating a
customer, plan or subscription), the test uses the adapter's own `StripeClient`
(`provider.client`), so the step still goes through our client configuration.

How localstripe differs from Stripe, as far as these flows go (each seen in its 1.15.10 code):

- No `/v1/disputes` (nor Checkout Sessions, Prices or Payouts as we use them). `fetch_payment`
  lists disputes, so against localstripe it fails with `ProviderError` (asserted below); the
  other tests replace only that one list call with an empty list, and everything else in
  `fetch_payment` talks to localstripe.
- Balance transactions carry no fee and no conversion: same currency as the charge, `fee` 0,
  `net` equal to `amount`, and `exchange_rate` 1.0 where Stripe sends null when nothing was
  converted. Settlement in MYR with a real fee is covered against our sandbox only.
- A declined card answers 402 with error type `invalid_request_error` (Stripe: `card_error`);
  the library still raises `stripe.CardError` because it goes by the status. Only some of
  Stripe's test cards decline at charge time: `pm_card_chargeCustomerFail` does (used here);
  `pm_card_visa_chargeDeclined` declines only when attached to a customer, and charges fine.
- A charge has no `payment_method_details` or `billing_details`, so the payment's country is
  empty; invoices have no `billing_reason` (Stripe: `subscription_create`).
- Idempotency-Key is ignored (a retried refund would be a second refund), and refunds are not
  checked against what is left on the charge; both are tested against the sandbox instead.
- Subscriptions need the legacy Plans API (there are no Prices), and the customer's default
  payment method is charged at once; there is no clock to advance to the next period.
- Webhooks are sent (once, no retries) only to endpoints registered through its
  `/_config/webhooks/{id}`, signed as Stripe signs them; there is no call to unregister one.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from decimal import Decimal

import pytest
import requests
import stripe
from moneyed import Money

from payments import get_provider
from payments.stripe.amounts import to_minor
from payments.stripe.client import StripeProvider
from payments.types import ProviderError, SignatureError
from tests.fixtures.sandbox import WebhookReceiver

WEBHOOK_SECRET = "whsec_localstripe_cross_check"
SUCCEEDING = "pm_card_visa"
DECLINING = "pm_card_chargeCustomerFail"  # attaches, then declines when charged


@pytest.fixture
def provider(settings, localstripe_server) -> Iterator[StripeProvider]:
    """The service's own provider, configured only through settings, aimed at localstripe."""
    settings.STRIPE_API_BASE = localstripe_server.url
    settings.STRIPE_SECRET_KEY = localstripe_server.api_key
    settings.STRIPE_WEBHOOK_SECRET = [WEBHOOK_SECRET]
    get_provider.cache_clear()
    provider = get_provider()
    assert isinstance(provider, StripeProvider)
    yield provider
    get_provider.cache_clear()  # later tests must not inherit a provider aimed at localstripe


@pytest.fixture
def payments(provider, monkeypatch) -> StripeProvider:
    """`provider` with the one call localstripe cannot answer (list disputes) made empty."""

    def no_disputes(params=None, options=None):
        # Still a check of the request: the disputes of one payment intent, one page.
        assert set(params) == {"payment_intent", "limit"}, params
        assert params["payment_intent"].startswith("pi_"), params
        return {"object": "list", "data": [], "has_more": False}

    monkeypatch.setattr(provider.client.v1.disputes, "list", no_disputes)
    return provider


def pay(provider: StripeProvider, amount: Money, card: str = SUCCEEDING, **metadata: str):
    """Create a PaymentIntent through our client and confirm it (raises on a decline)."""
    intent = provider.client.v1.payment_intents.create(
        {
            "amount": to_minor(amount),
            "currency": str(amount.currency).lower(),
            "payment_method": card,
            "metadata": metadata,
        }
    )
    assert intent.status == "requires_confirmation"
    return provider.client.v1.payment_intents.confirm(intent.id)


# --- a payment that succeeds ---------------------------------------------------------------
def test_confirmed_payment_is_fetched_with_its_charge_and_balance_transaction(payments):
    confirmed = pay(payments, Money(5000, "JPY"), donation_id="701")
    assert (confirmed.status, confirmed.amount, confirmed.currency) == ("succeeded", 5000, "jpy")

    payment = payments.fetch_payment(confirmed.id)

    assert payment.payment_intent_id == confirmed.id
    assert payment.status == "succeeded" and payment.succeeded
    assert payment.amount == Money(5000, "JPY")
    assert payment.charge_id.startswith("ch_")
    assert payment.metadata == {"donation_id": "701"}
    assert (payment.refunds, payment.disputes, payment.failure_message) == ((), (), "")
    txn = payment.balance_transaction
    assert txn is not None and txn.id.startswith("txn_")
    assert (txn.gross, txn.fee, txn.net) == (
        Money(5000, "JPY"),
        Money(0, "JPY"),
        Money(5000, "JPY"),
    )
    assert txn.exchange_rate == Decimal("1")  # Stripe: None when nothing is converted
    assert abs(txn.created.timestamp() - time.time()) < 60
    by_charge = payments.fetch_payment(charge_id=payment.charge_id)
    assert by_charge.payment_intent_id == confirmed.id


def test_two_decimal_amount_goes_over_the_wire_in_cents(payments):
    confirmed = pay(payments, Money(Decimal("123.45"), "MYR"))
    assert (confirmed.amount, confirmed.currency) == (12345, "myr")
    assert payments.fetch_payment(confirmed.id).amount == Money(Decimal("123.45"), "MYR")


# --- a declined card -----------------------------------------------------------------------
def test_declined_card_leaves_a_failed_payment_that_cannot_be_refunded(payments):
    intent = payments.client.v1.payment_intents.create(
        {"amount": to_minor(Money("50.00", "MYR")), "currency": "myr", "payment_method": DECLINING}
    )
    with pytest.raises(stripe.CardError) as declined:
        payments.client.v1.payment_intents.confirm(intent.id)
    assert declined.value.code == "card_declined"
    assert declined.value.http_status == 402

    payment = payments.fetch_payment(intent.id)

    assert payment.status == "requires_payment_method"
    assert not payment.succeeded
    assert payment.failure_message == "Your card was declined."
    assert payment.amount == Money(Decimal("50.00"), "MYR")
    assert payment.charge_id.startswith("ch_")  # the failed charge
    assert payment.balance_transaction is None
    with pytest.raises(ProviderError, match="Cannot refund a failed payment"):
        payments.refund(
            payment_intent_id=intent.id,
            amount=Money(10, "MYR"),
            idempotency_key="refund-declined-1",
            reference="declined-1",
        )


# --- partial refunds -----------------------------------------------------------------------
@pytest.mark.parametrize(
    ("paid", "first", "first_minor", "second", "second_minor"),
    [
        (Money(5000, "JPY"), Money(1200, "JPY"), 1200, Money(800, "JPY"), 800),
        (Money("120.50", "MYR"), Money("20.25", "MYR"), 2025, Money("0.75", "MYR"), 75),
        (Money("12.340", "BHD"), Money("2.12", "BHD"), 2120, Money("0.5", "BHD"), 500),
    ],
    ids=["JPY", "MYR", "BHD"],
)
def test_partial_refunds_in_money_and_minor_units(
    payments, paid, first, first_minor, second, second_minor
):
    confirmed = pay(payments, paid)
    zero = Money(0, paid.currency)

    refund = payments.refund(
        payment_intent_id=confirmed.id, amount=first, idempotency_key=f"rf-{confirmed.id}-1",
        reference="refund-1",
    )  # fmt: skip

    assert refund.id.startswith("re_") and refund.status == "succeeded"
    assert refund.amount == first and str(refund.amount.currency) == str(paid.currency)
    assert refund.metadata == {"refund_id": "refund-1"}
    assert refund.balance_transaction is not None  # expanded by the adapter's request
    bt = refund.balance_transaction
    assert (bt.gross, bt.fee, bt.net) == (-first, zero, -first)
    assert payments.client.v1.refunds.retrieve(refund.id).amount == first_minor

    second_refund = payments.refund(
        payment_intent_id=confirmed.id, amount=second, idempotency_key=f"rf-{confirmed.id}-2",
        reference="refund-2",
    )  # fmt: skip

    payment = payments.fetch_payment(confirmed.id)
    assert payment.status == "succeeded"  # a partly refunded payment is still succeeded
    charge = payments.client.v1.charges.retrieve(payment.charge_id)
    assert (charge.amount_refunded, charge.refunded) == (first_minor + second_minor, False)
    refunds = {r.id: (r.amount, r.metadata["refund_id"], r.balance_transaction.net)
               for r in payment.refunds}  # fmt: skip
    assert refunds == {
        refund.id: (first, "refund-1", -first),
        second_refund.id: (second, "refund-2", -second),
    }


# --- a subscription ------------------------------------------------------------------------
def test_monthly_subscription_is_read_back_with_its_paid_invoice_then_canceled(payments):
    client = payments.client
    card = client.v1.payment_methods.create(
        {"type": "card",
         "card": {"number": "4242424242424242", "exp_month": 12, "exp_year": 2034, "cvc": "123"}}
    )  # fmt: skip
    customer = client.v1.customers.create(
        {"email": "siti@example.org", "payment_method": card.id,
         "invoice_settings": {"default_payment_method": card.id}}
    )  # fmt: skip
    plan = client.v1.plans.create(
        {"amount": to_minor(Money("25.00", "MYR")), "currency": "myr", "interval": "month",
         "product": {"name": "Monthly gift to Kampung Air Bersih"}}
    )  # fmt: skip
    created = client.v1.subscriptions.create(
        {"customer": customer.id, "items": [{"plan": plan.id}], "metadata": {"donation_id": "42"}}
    )

    subscription = payments.fetch_subscription(created.id)
    assert (subscription.id, subscription.status) == (created.id, "active")
    assert subscription.metadata == {"donation_id": "42"}

    invoice = payments.fetch_invoice(created.latest_invoice)
    assert (invoice.status, invoice.subscription_id) == ("paid", created.id)
    assert invoice.amount_paid == Money("25.00", "MYR")
    assert invoice.payment_intent_id.startswith("pi_")
    assert invoice.billing_reason == ""  # Stripe: "subscription_create"

    payment = payments.fetch_payment(invoice.payment_intent_id)
    assert payment.succeeded and payment.amount == Money("25.00", "MYR")
    assert (payment.invoice_id, payment.customer_id) == (invoice.id, customer.id)
    assert payment.balance_transaction.net == Money("25.00", "MYR")

    canceled = payments.cancel_subscription(created.id)
    assert (canceled.id, canceled.status) == (created.id, "canceled")
    assert payments.fetch_subscription(created.id).status == "canceled"


# --- errors come back as our interface's errors ---------------------------------------------
def test_provider_errors_are_provider_error_not_the_library_s(provider):
    with pytest.raises(ProviderError):
        provider.fetch_subscription("sub_does_not_exist")
    confirmed = pay(provider, Money(1000, "JPY"))
    # localstripe has no /v1/disputes: its 404 must surface as our ProviderError too.
    with pytest.raises(ProviderError, match="404"):
        provider.fetch_payment(confirmed.id)


# --- webhooks signed by localstripe ---------------------------------------------------------
def _configure_webhook(url: str, target: str, events: list[str]) -> None:
    # JSON, not a form: an empty `events` list (listen to nothing) has no form encoding.
    config = {"url": target, "secret": WEBHOOK_SECRET, "events": events}
    response = requests.post(f"{url}/_config/webhooks/gotong", json=config, timeout=5)
    assert response.status_code == 200, response.text


@pytest.fixture
def localstripe_webhooks(localstripe_server):
    receiver = WebhookReceiver()
    _configure_webhook(localstripe_server.url, receiver.url, ["payment_intent.succeeded"])
    try:
        yield receiver
    finally:  # localstripe cannot unregister an endpoint: make it listen to nothing
        _configure_webhook(localstripe_server.url, receiver.url, [])
        receiver.stop()


def _wait_for(receiver: WebhookReceiver, object_id: str, timeout: float = 15) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for delivery in list(receiver.received):
            if json.loads(delivery["body"])["data"]["object"]["id"] == object_id:
                return delivery
        time.sleep(0.1)
    raise AssertionError(f"no webhook about {object_id} within {timeout}s")


def test_webhook_signed_by_localstripe_verifies_with_our_adapter(provider, localstripe_webhooks):
    confirmed = pay(provider, Money("30.00", "MYR"), donation_id="99")
    delivery = _wait_for(localstripe_webhooks, confirmed.id)
    headers = {k.lower(): v for k, v in delivery["headers"].items()}

    event = provider.verify_webhook(delivery["body"], headers)

    assert event.id.startswith("evt_")
    assert (event.type, event.object_type) == ("payment_intent.succeeded", "payment_intent")
    assert (event.object_id, event.livemode) == (confirmed.id, False)
    assert event.payload["data"]["object"]["metadata"] == {"donation_id": "99"}
    assert event.payload["data"]["object"]["amount"] == 3000

    stranger = StripeProvider(
        secret_key="sk_test_x", webhook_secrets=["whsec_other"], api_base="http://127.0.0.1:9"
    )
    with pytest.raises(SignatureError) as refused:
        stranger.verify_webhook(delivery["body"], headers)
    assert refused.value.reason == "mismatch"
    with pytest.raises(SignatureError) as tampered:
        provider.verify_webhook(delivery["body"].replace(b"3000", b"3001"), headers)
    assert tampered.value.reason == "mismatch"
