"""Reconciliation from Stripe's API, against the offline sandbox (the official library,
`base_addresses={"api": STRIPE_API_BASE}`): a real donation and two payouts, booked by the
posting rules, imported, matched, and the two payouts tied to one bank deposit."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from moneyed import Money

from ledger.services import rules
from payments.stripe.amounts import from_minor
from reconciliation.models import (
    BankStatementLine,
    ProviderPayout,
    ProviderTransaction,
)
from reconciliation.selectors import payout_totals
from reconciliation.services.imports import import_job_create, import_run
from tests.ledger.accounts import clearing, fund, refs

pytestmark = pytest.mark.django_db(transaction=False)


def _paid_donation(sandbox) -> tuple[object, object]:
    client = sandbox.client
    session = client.v1.checkout.sessions.create(params={
        "mode": "payment", "success_url": "http://127.0.0.1/ok", "cancel_url": "http://127.0.0.1/",
        "line_items": [{"quantity": 1, "price_data": {
            "currency": "myr", "unit_amount": 25000, "product_data": {"name": "Ledger test"}}}],
    })  # fmt: skip
    sandbox.complete(session.id)
    intent = client.v1.payment_intents.retrieve(
        client.v1.checkout.sessions.retrieve(session.id).payment_intent
    )
    charge = client.v1.charges.retrieve(intent.latest_charge)
    return charge, client.v1.balance_transactions.retrieve(charge.balance_transaction)


def _myr(minor: int) -> Money:
    return from_minor(minor, "MYR")


@pytest.fixture
def stripe_books(stripe_sandbox, settings, chart, campaign):
    """A donation of MYR 250 and two payouts of its net, in Stripe and in the ledger."""
    settings.STRIPE_API_BASE = stripe_sandbox.url
    settings.STRIPE_SECRET_KEY = stripe_sandbox.api_key
    charge, bt = _paid_donation(stripe_sandbox)
    day = dt.date.fromtimestamp(bt.created)
    donation = rules.donation_settled(
        fund=fund(campaign),
        clearing=clearing(),
        refs=refs(campaign, balance_transaction_id=bt.id, charge_id=charge.id),
        donation_ref=charge.id,
        presentment=_myr(bt.amount),
        gross=_myr(bt.amount),
        fee=_myr(bt.fee),
        net=_myr(bt.net),
        exchange_rate=None,
        donor_country="MY",
        effective_date=day,
    )
    stripe_sandbox.make_available()
    payouts = []
    for amount in (bt.net - 1000, 1000):
        payout = stripe_sandbox.client.v1.payouts.create(
            params={"amount": amount, "currency": "myr"}
        )
        payouts.append(stripe_sandbox.finish_payout(payout.id, paid=True))
    entries = [
        rules.payout_paid(
            clearing=clearing(),
            label="Stripe",
            payout_id=p.id,
            amount=_myr(p.amount),
            bank_account_code=None,
            effective_date=dt.date.fromtimestamp(p.arrival_date),
        )
        for p in payouts
    ]
    return {"bt": bt, "donation": donation, "payouts": payouts, "payout_entries": entries}


def test_api_import_matches_the_donation_and_the_payouts(
    api, treasurer, stripe_books, django_capture_on_commit_callbacks
):
    api.force_authenticate(treasurer)
    with django_capture_on_commit_callbacks(execute=True):
        response = api.post(reverse("api-ledger-imports"), {"kind": "stripe_api"}, format="json")

    assert response.status_code == 201, response.content
    job = api.get(response["Location"]).json()
    assert job["state"] == "succeeded" and job["processed"] == job["total"] > 3
    bt = ProviderTransaction.objects.get(provider_id=stripe_books["bt"].id)
    assert (bt.status, bt.entry) == ("matched", stripe_books["donation"])
    assert bt.net == from_minor(stripe_books["bt"].net, "MYR").amount and bt.fee > 0
    for payout, entry in zip(stripe_books["payouts"], stripe_books["payout_entries"], strict=True):
        stored = ProviderPayout.objects.get(provider_id=payout.id)
        assert (stored.status, stored.entry, stored.payout_status) == ("matched", entry, "paid")
        own = ProviderTransaction.objects.get(type="payout", source_id=payout.id)
        assert own.entry == entry  # the payout's balance transaction: the same entry

    again = import_run(job=import_job_create(kind="stripe_api"))
    assert again.created_count == 0 and again.existing_count == job["total"]


def test_two_payouts_tied_to_one_bank_deposit(api, treasurer, stripe_books):
    import_run(job=import_job_create(kind="stripe_api"))
    total = sum(from_minor(p.amount, "MYR").amount for p in stripe_books["payouts"])
    arrival = dt.date.fromtimestamp(stripe_books["payouts"][0].arrival_date)
    bank = import_job_create(kind="bank_csv")
    import_run(job=bank, data=(
        "date,description,amount,currency,reference\n"
        f"{arrival},STRIPE PAYMENTS MALAYSIA,{total},MYR,STRIPE DEPOSIT\n"
    ))  # fmt: skip
    line = BankStatementLine.objects.get(reference="STRIPE DEPOSIT")
    api.force_authenticate(treasurer)
    url = reverse("api-ledger-link-payouts", kwargs={"pk": line.pk})
    ids = [p.id for p in stripe_books["payouts"]]
    wrong = api.post(url, {"payout_ids": ids[:1]}, format="json")
    assert wrong.status_code == 400 and wrong.json()["code"] == "amount_mismatch"
    linked = api.post(url, {"payout_ids": ids}, format="json")

    assert linked.status_code == 200, linked.content
    assert linked.json()["status"] == "matched"
    rows = {r["provider_id"]: r for r in payout_totals() if r["provider_id"] in ids}
    for payout in stripe_books["payouts"]:
        row = rows[payout.id]
        assert row["deposit"] == Decimal(total) and row["bank_line_id"] == line.pk
        assert row["entry_amount"] == from_minor(payout.amount, "MYR").amount
