"""Signed deliveries of every event type; the service re-fetches from the sandbox and acts."""

from __future__ import annotations

from decimal import Decimal

import pytest
import stripe
from django.core import mail
from moneyed import Money

from campaigns.models import Campaign
from donors.models import DonationStatus, Receipt
from ledger.models import JournalEntry
from tests.fixtures.giving import stripe_object
from webhooks.models import EventStatus, WebhookEvent

pytestmark = pytest.mark.usefixtures("tx")
S = DonationStatus


def thrice(deliver, type_, obj):
    """Stripe delivers at least once: send the same event three times."""
    event = deliver.event(type_, obj)
    for _ in range(3):
        assert deliver.post(event).status_code == 200
    row = WebhookEvent.objects.get(event_id=event["id"])
    assert row.duplicates == 2 and row.status == EventStatus.SUCCEEDED, row.last_error
    return row


def entries(kind_prefix: str = "") -> list[str]:
    return sorted(JournalEntry.objects.filter(idempotency_key__startswith=kind_prefix)
                  .values_list("idempotency_key", flat=True))  # fmt: skip


def test_idr_gift_settled_in_myr_with_fee(gift, deliver, campaign):
    g = gift(amount="50000", currency="IDR", country="ID")
    thrice(deliver, "checkout.session.completed", g.session())
    d = g.refresh()
    assert d.status == S.SUCCEEDED
    assert d.amount == Money("50000", "IDR")
    assert str(d.settled_amount.currency) == "MYR" and d.settled_amount.amount > 0
    assert d.processing_fee.amount > 0
    assert d.net_amount.amount == d.settled_amount.amount - d.processing_fee.amount
    assert d.exchange_rate and d.exchange_rate < Decimal("0.01")
    assert d.country == "ID" and d.charge_id and d.balance_transaction_id
    c = Campaign.objects.get(pk=campaign.pk)
    # Raised is in the campaign's MYR: the settled gross, fees not deducted.
    assert c.raised == Money(d.settled_amount.amount, "MYR") and c.donor_count == 1
    assert entries("donation:") == [f"donation:{d.reference}"]
    assert Receipt.objects.filter(donation=d, sent_at__isnull=False).count() == 1
    assert len(mail.outbox) == 1 and d.receipt.number in mail.outbox[0].subject


def test_payment_intent_succeeded_alone_settles(gift, deliver, campaign):
    g = gift(amount="80")
    thrice(deliver, "payment_intent.succeeded", g.payment_intent())
    assert g.refresh().status == S.SUCCEEDED
    assert Campaign.objects.get(pk=campaign.pk).raised == Money("80", "MYR")
    assert len(mail.outbox) == 1


def test_partial_then_full_refund(gift, deliver, campaign):
    g = gift(amount="100")
    deliver.send("checkout.session.completed", g.session())
    g.refund("3000")
    thrice(deliver, "charge.refunded", g.charge())
    d = g.refresh()
    assert d.status == S.PARTIALLY_REFUNDED and d.refunded_amount == Money("30", "MYR")
    assert Campaign.objects.get(pk=campaign.pk).raised == Money("70", "MYR")
    refund = g.refund()  # the rest
    thrice(deliver, "refund.updated", refund)
    d = g.refresh()
    assert d.status == S.REFUNDED and d.refunded_amount == Money("100", "MYR")
    c = Campaign.objects.get(pk=campaign.pk)
    assert c.raised == Money("0", "MYR") and c.donor_count == 0
    assert len(entries("refund:")) == 2


@pytest.mark.parametrize("outcome", ["won", "lost"])
def test_dispute_to_its_end(gift, deliver, campaign, outcome, stripe_env):
    g = gift(amount="60")
    deliver.send("checkout.session.completed", g.session())
    dispute = g.dispute()
    thrice(deliver, "charge.dispute.created", dispute)
    thrice(deliver, "charge.dispute.funds_withdrawn", dispute)
    assert g.refresh().status == S.DISPUTED
    assert Campaign.objects.get(pk=campaign.pk).raised == Money("60", "MYR")
    (stripe_env.win if outcome == "won" else stripe_env.lose)(dispute["id"])
    if outcome == "won":
        thrice(deliver, "charge.dispute.funds_reinstated", dispute)
    thrice(deliver, "charge.dispute.closed", dispute)
    d = g.refresh()
    c = Campaign.objects.get(pk=campaign.pk)
    if outcome == "won":
        assert d.status == S.DISPUTE_WON and c.raised == Money("60", "MYR")
    else:
        assert d.status == S.DISPUTE_LOST and c.raised == Money("0", "MYR")
        assert c.donor_count == 0
    assert entries("dispute-") == sorted([f"dispute-closed:{dispute['id']}",
                                          f"dispute-opened:{dispute['id']}"])  # fmt: skip


def test_declined_card_fails_the_donation(gift, deliver):
    from sandbox import DECLINE_CARD

    g = gift(amount="50", card="none")
    # The sandbox answers a decline as Stripe does: with a card error, and
    # keeps the failed payment intent on the session.
    with pytest.raises(stripe.CardError):
        g.sandbox.complete(g.session_id, card=DECLINE_CARD)
    session = g.sandbox.client.v1.checkout.sessions.retrieve(g.session_id)
    pi = session.payment_intent
    assert pi, "a declined checkout keeps its payment intent"
    thrice(deliver, "payment_intent.payment_failed", stripe_object("payment_intent", id=pi))
    assert g.refresh().status == S.FAILED


@pytest.mark.parametrize("succeeded", [True, False])
def test_async_payment(gift, deliver, succeeded, campaign):
    from sandbox import ASYNC_CARD

    g = gift(amount="40", card=ASYNC_CARD)
    thrice(deliver, "checkout.session.completed", g.session())
    d = g.refresh()
    assert d.status == S.PENDING and d.checkout_completed
    g.sandbox.settle_async(g.session_id, succeeded=succeeded)
    kind = "succeeded" if succeeded else "failed"
    thrice(deliver, f"checkout.session.async_payment_{kind}", g.session())
    assert g.refresh().status == (S.SUCCEEDED if succeeded else S.FAILED)
    expected = Money("40" if succeeded else "0", "MYR")
    assert Campaign.objects.get(pk=campaign.pk).raised == expected


def test_expired_session(gift, deliver, stripe_env):
    g = gift(amount="25", card="none")
    stripe_env.client.v1.checkout.sessions.expire(g.session_id)
    thrice(deliver, "checkout.session.expired", g.session())
    assert g.refresh().status == S.EXPIRED


def test_amount_mismatch_is_flagged_not_booked(gift, deliver, campaign):
    g = gift(amount="50")
    d = g.donation
    # Our record says something else than what Stripe charged: the treasurer must look.
    type(d).objects.filter(pk=d.pk).update(amount=Decimal("55"))
    thrice(deliver, "checkout.session.completed", g.session())
    d = g.refresh()
    assert d.status == S.PENDING and d.needs_review and "mismatch" in d.review_note
    assert Campaign.objects.get(pk=campaign.pk).raised == Money("0", "MYR")
    assert entries("donation:") == []


def test_unknown_type_is_stored_and_acknowledged(deliver):
    row = thrice(deliver, "customer.created", {"id": "cus_123", "object": "customer"})
    assert row.result == "ignored: unknown type"
