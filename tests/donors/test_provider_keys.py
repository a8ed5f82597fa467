"""The idempotency keys sent to the payment provider come from values that are never handed
out again. An auto-increment id is: SQLite gives a rolled-back row's id to the next row, and
the provider would replay the first request's answer (an error included) to the new one."""

from __future__ import annotations

import pytest

from donors.models import Donation, DonationStatus, Refund
from donors.services import refund_request

pytestmark = pytest.mark.usefixtures("tx")
GOOD = {"amount": "50", "email": "siti@example.org", "name": "Siti", "country": "MY"}


def url(campaign) -> str:
    return f"/api/v1/campaigns/{campaign.slug}/donations/"


def test_a_gift_refused_by_the_provider_does_not_block_the_next_gift(api, stripe_env, campaign):
    # INR 1.00 passes our own minimum (INR 0.50) but is below the provider's minimum once
    # converted to the settlement currency: the provider refuses the checkout session and
    # the donation is rolled back (on SQLite its id goes to the next donation).
    refused = api.post(url(campaign), {**GOOD, "amount": "1.00", "currency": "INR"},
                       format="json")  # fmt: skip
    assert refused.status_code == 503 and not Donation.objects.exists()
    response = api.post(url(campaign), GOOD, format="json")
    assert response.status_code == 201, response.json()
    donation = Donation.objects.get()
    assert donation.status == DonationStatus.PENDING and donation.checkout_session_id
    session = stripe_env.client.v1.checkout.sessions.retrieve(donation.checkout_session_id)
    assert session.amount_total == 5000


def test_the_checkout_key_is_the_donations_reference(api, stripe_env, campaign):
    response = api.post(url(campaign), GOOD, format="json")
    donation = Donation.objects.get(reference=response.json()["reference"])
    keys = [key for key in stripe_env.handle.store.idempotency if str(donation.reference) in key]
    assert keys == [f"gotong-donation-{donation.reference}-checkout"]


def test_the_provider_knows_a_donation_by_its_reference_never_by_its_id(api, stripe_env, campaign):
    """The session names the donation by its UUID: an id could be a rolled-back donation's,
    handed since to another gift, and the webhook would settle the wrong one."""
    response = api.post(url(campaign), GOOD, format="json")
    donation = Donation.objects.get(reference=response.json()["reference"])
    session = stripe_env.client.v1.checkout.sessions.retrieve(donation.checkout_session_id)
    assert session.client_reference_id == str(donation.reference)
    assert session.metadata["donation_id"] == str(donation.reference)


def test_a_session_found_only_by_its_reference_reaches_its_donation(gift, deliver):
    """The webhook finds the donation by the reference the session carries even when the
    session id was never stored (the request crashed after the provider answered)."""
    g = gift(amount="60")
    Donation.objects.filter(pk=g.donation.pk).update(checkout_session_id="")
    deliver.send("checkout.session.completed", g.session())
    assert g.refresh().status == DonationStatus.SUCCEEDED


def test_each_refund_is_sent_with_its_own_never_reused_key(gift, deliver, treasurer):
    g = gift(amount="100")
    deliver.send("checkout.session.completed", g.session())
    refund = refund_request(donation=g.donation, amount=None, idempotency_key="k-1",
                            actor=treasurer)  # fmt: skip
    refund.refresh_from_db()
    assert refund.reference and refund.provider_refund_id
    store = stripe_env_keys(g)
    assert f"gotong-refund-{refund.reference}" in store
    assert f"gotong-refund-{refund.pk}" not in store


def stripe_env_keys(g) -> set[str]:
    return set(g.sandbox.handle.store.idempotency)


def test_refund_rows_get_distinct_references(gift, deliver, treasurer):
    g = gift(amount="100")
    deliver.send("checkout.session.completed", g.session())
    for n in (1, 2):
        refund_request(donation=g.donation, amount=None if n == 2 else g.donation.amount / 4,
                       idempotency_key=f"k-{n}", actor=treasurer)  # fmt: skip
    references = list(Refund.objects.values_list("reference", flat=True))
    assert len(set(references)) == 2 and None not in references


def test_refunds_from_before_the_migration_keep_the_key_they_were_sent_with(campaign):
    """The migration adds the UUID empty: two existing refunds do not share one default (the
    unique constraint would refuse it), and a refund already sent keeps its first key."""
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor
    from moneyed import Money

    from donors.services.refunds import provider_key

    donation = Donation.objects.create(campaign=campaign, provider="stripe", email="a@b.org",
                                       amount=Money(100, "MYR"), country="MY")  # fmt: skip
    executor = MigrationExecutor(connection)
    executor.migrate([("donors", "0004_provider_neutral")])
    with connection.cursor() as cursor:
        for n in (1, 2):
            cursor.execute(
                "INSERT INTO donors_refund (donation_id, amount, amount_currency, status, "
                "idempotency_key, balance_transaction_id, reason, created_at) "
                "VALUES (%s, 10, 'MYR', 'requested', %s, '', '', %s)",
                [donation.pk, f"old-{n}", "2026-01-01 00:00:00+00:00"],
            )
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
    old = list(Refund.objects.order_by("pk"))
    assert [r.reference for r in old] == [None, None]
    assert [provider_key(r) for r in old] == [f"gotong-refund-{r.pk}" for r in old]
    new = Refund.objects.create(donation=donation, amount=Money(5, "MYR"), idempotency_key="n")
    assert new.reference and provider_key(new) == f"gotong-refund-{new.reference}"
