"""Bring a donation in line with the authoritative payment, whatever event brought us here.

Every payment-related webhook (success, failure, refund, dispute) ends here with a freshly
fetched PaymentSnapshot, so the order in which the provider's events arrive does not matter: a
refund that arrives before the success first settles the donation, then books the refund.
"""

from __future__ import annotations

from donors.models import Donation, DonationStatus
from donors.services.disputes import dispute_sync
from donors.services.refunds import refund_book
from donors.services.settlement import donation_fail, donation_settle
from payments.types import PaymentSnapshot

FAILED = {"requires_payment_method", "canceled"}


def payment_apply(
    *, donation: Donation | None, payment: PaymentSnapshot | None, source: str
) -> str:
    """The last step of every event that carries a payment: sync it, and say what was done."""
    if payment is None:
        return "no payment yet"
    if donation is None:
        return f"no donation for {payment.payment_intent_id}"
    done = payment_sync(donation=donation, payment=payment, source=source)
    return ", ".join(done) or "no change"


def payment_sync(*, donation: Donation, payment: PaymentSnapshot, source: str = "") -> list[str]:
    """Apply what changed, in causal order; returns what was done (for the event's record)."""
    done: list[str] = []
    if payment.succeeded:
        before = donation.balance_transaction_id
        donation = donation_settle(donation=donation, payment=payment, source=source)
        if donation.needs_review and not donation.balance_transaction_id:
            return ["flagged"]
        if not before and donation.balance_transaction_id:
            done.append("settled")
    elif payment.status in FAILED and donation.status == DonationStatus.PENDING:
        donation_fail(donation=donation, reason=payment.failure_message, source=source)
        done.append("failed")
    if not donation.balance_transaction_id:
        return done
    for refund in payment.refunds:
        row = refund_book(donation=donation, refund=refund, source=source)
        if row is not None:
            done.append(f"refund {refund.id}")
    for dispute in payment.disputes:
        dispute_sync(donation=donation, dispute=dispute, source=source)
        done.append(f"dispute {dispute.id} {dispute.status}")
    return done
