"""Our objects carry every key of Stripe's own example objects (``fixtures3.json``)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.fixtures.sandbox import StripeSandbox

# Stripe's own examples, copied from shared/stripe/fixtures3.json so the check never depends
# on a folder outside the repository.
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "stripe" / "fixtures3_subset.json"
KINDS = [
    "charge", "payment_intent", "checkout.session", "balance_transaction", "refund", "dispute",
    "invoice", "subscription", "payout", "customer", "event",
]  # fmt: skip
PREFIXES = {
    "charge": "ch_", "payment_intent": "pi_", "checkout.session": "cs_test_",
    "balance_transaction": "txn_", "refund": "re_", "dispute": "dp_", "invoice": "in_",
    "subscription": "sub_", "payout": "po_", "customer": "cus_", "event": "evt_",
}  # fmt: skip


@pytest.fixture(scope="module")
def examples() -> dict[str, Any]:
    return json.loads(FIXTURES.read_text())["resources"]


@pytest.fixture(scope="module")
def ours(stripe_sandbox: StripeSandbox) -> dict[str, dict[str, Any]]:
    """One of each object, made through the flows the service uses, as raw JSON."""
    client, sandbox = stripe_sandbox.client, stripe_sandbox
    price = {"currency": "idr", "unit_amount": 20000000, "product_data": {"name": "Seeds"}}
    session = client.v1.checkout.sessions.create(
        params={
            "mode": "payment",
            "line_items": [{"price_data": price, "quantity": 1}],
            "success_url": "http://127.0.0.1:8000/thanks/",
        }
    )
    sandbox.complete(session.id)
    pi = client.v1.payment_intents.retrieve(
        client.v1.checkout.sessions.retrieve(session.id).payment_intent
    )
    charge = client.v1.charges.retrieve(pi.latest_charge)
    refund = client.v1.refunds.create(params={"charge": charge.id, "amount": 1000000})
    monthly = {**price, "recurring": {"interval": "month"}}
    sub_session = client.v1.checkout.sessions.create(
        params={
            "mode": "subscription",
            "line_items": [{"price_data": monthly, "quantity": 1}],
            "success_url": "http://127.0.0.1:8000/thanks/",
        }
    )
    sandbox.complete(sub_session.id)
    sub_session = client.v1.checkout.sessions.retrieve(sub_session.id)
    sandbox.make_available()
    payout = client.v1.payouts.create(params={"currency": "myr"})
    dispute = sandbox.dispute(charge.id)
    found = {
        "charge": charge, "payment_intent": pi, "checkout.session": sub_session,
        "balance_transaction": client.v1.balance_transactions.retrieve(charge.balance_transaction),
        "refund": refund, "dispute": dispute, "payout": payout,
        "invoice": client.v1.invoices.retrieve(sub_session.invoice),
        "subscription": client.v1.subscriptions.retrieve(sub_session.subscription),
        "customer": client.v1.customers.retrieve(sub_session.customer),
        "event": client.v1.events.list(params={"limit": 1}).data[0],
    }  # fmt: skip
    return {kind: obj.to_dict() for kind, obj in found.items()}


@pytest.mark.parametrize("kind", KINDS)
def test_top_level_keys_match_stripes_example(kind: str, examples, ours):
    missing = set(examples[kind]) - set(ours[kind])
    assert not missing, f"{kind} lacks {sorted(missing)}"
    assert ours[kind]["object"] == examples[kind]["object"]
    assert ours[kind]["id"].startswith(PREFIXES[kind])


@pytest.mark.parametrize(
    ("kind", "path"),
    [
        ("charge", ("billing_details",)),
        ("charge", ("outcome",)),
        ("charge", ("refunds",)),
        ("charge", ("payment_method_details",)),
        ("charge", ("payment_method_details", "card", "checks")),
        ("checkout.session", ("customer_details",)),
        ("dispute", ("evidence",)),
        ("dispute", ("evidence_details",)),
        ("event", ("request",)),
        ("invoice", ("status_transitions",)),
        ("invoice", ("parent", "subscription_details")),
        ("subscription", ("cancellation_details",)),
        ("subscription", ("items",)),
    ],
)
def test_nested_objects_keep_stripes_keys(kind: str, path: tuple[str, ...], examples, ours):
    example, mine = examples[kind], ours[kind]
    for key in path:
        example, mine = example[key], mine[key]
    assert not set(example) - set(mine), f"{kind}.{'.'.join(path)} lacks {set(example) - set(mine)}"


def test_balance_transaction_keys_in_the_fee_details(examples, ours):
    fee = ours["balance_transaction"]["fee_details"][0]
    assert set(fee) == {"amount", "application", "currency", "description", "type"}
    assert ours["balance_transaction"]["exchange_rate"] is not None
