"""Disputes (chargebacks): follow the provider's dispute to its end, booking each money
movement once.

Campaign totals: a disputed gift stays counted while the dispute is open (the money may come
back); a lost dispute takes what is left of the gift off the campaign; a won one changes
nothing there.
"""

from __future__ import annotations

from django.db import transaction
from moneyed import Money

from campaigns.services.totals import campaign_totals_move
from donors.models import Dispute, Donation, DonationStatus
from donors.services import books
from donors.services.common import lock_donation, share_of, transition
from payments.types import DisputeSnapshot

S = DonationStatus
CLOSED = {"won": S.DISPUTE_WON, "lost": S.DISPUTE_LOST}


def dispute_sync(*, donation: Donation, dispute: DisputeSnapshot, source: str = "") -> Dispute:
    """Bring our record of a dispute up to the provider's; each stage acts once (flags on the
    row)."""
    with transaction.atomic(durable=True):
        donation = lock_donation(donation.pk)
        row, created = Dispute.objects.select_for_update().get_or_create(
            provider_dispute_id=dispute.id,
            defaults={"donation": donation, "amount": dispute.amount, "status": dispute.status,
                      "reason": dispute.reason},
        )  # fmt: skip
        if created and donation.status != S.DISPUTED:
            transition(donation, S.DISPUTED, source=source, comment=dispute.reason)
        if not row.withdrawn_booked:
            row.withdrawn_booked = books.book_dispute_opened(donation, dispute)
        if dispute.status in CLOSED and row.withdrawn_booked and not row.closed_booked:
            _close(donation, row, dispute, source)
        elif dispute.status == "warning_closed" and not row.closed_booked:
            # An inquiry that never became a chargeback: no money moved, the gift stands.
            if donation.status == S.DISPUTED:
                transition(donation, S.DISPUTE_WON, source=source, comment="inquiry closed")
            row.closed_booked = True
        row.status = dispute.status
        row.save()
        donation.save()
    return row


def _close(donation: Donation, row: Dispute, dispute: DisputeSnapshot, source: str) -> None:
    to = CLOSED[dispute.status]
    if dispute.status == "lost":
        share = share_of(donation, dispute.amount)
        whole = share.amount == donation.counted.amount
        campaign_totals_move(campaign_id=donation.campaign_id, raised=-share,
                             donors=-1 if whole else 0)  # fmt: skip
        donation.counted = Money(donation.counted.amount - share.amount, share.currency)
    # The date of the provider's last money movement on the dispute: stable across replays.
    day = max(bt.created for bt in dispute.balance_transactions).date()
    books.book_dispute_closed(donation, dispute, day)
    if donation.status == S.DISPUTED:
        transition(donation, to, source=source, comment=f"dispute {dispute.id} {dispute.status}")
    row.closed_booked = True
