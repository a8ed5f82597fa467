"""The secretariat's configured fee share per campaign, and the fee it takes on a donation."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import transaction
from moneyed import Money

from campaigns.models import Campaign
from campaigns.services.funds import campaign_fund
from common.errors import ApplicationError
from common.money import quantize
from ledger.models import LATE_REF, JournalEntry
from ledger.services.rules import secretariat_fee
from ledger.services.rules.base import money_from_ref, posted_entry
from treasury.models import FeeShare

MAX_SHARE = Decimal("0.5")


def fee_share_set(*, campaign_id: int, share: Decimal, actor: Any, reason: str = "") -> FeeShare:
    """Set the share (0 to 0.5) of each new donation the secretariat takes from a campaign."""
    share = Decimal(share)
    if not Decimal(0) <= share <= MAX_SHARE:
        raise ApplicationError("The fee share must be between 0 and 0.5.", code="invalid")
    with transaction.atomic(durable=True):
        row, _ = FeeShare.objects.update_or_create(
            campaign_id=campaign_id, defaults={"share": share, "set_by": actor, "reason": reason}
        )
        return row


def fee_share_for(*, campaign_id: int) -> Decimal:
    """The campaign's share, or the secretariat's default (`SECRETARIAT_FEE_SHARE`)."""
    row = FeeShare.objects.filter(campaign_id=campaign_id).only("share").first()
    if row is not None:
        return row.share
    return Decimal(str(getattr(settings, "SECRETARIAT_FEE_SHARE", "0")))


def secretariat_fee_on_donation(
    *, campaign: Campaign, donation_ref: str, effective_date: date | None = None,
    durable: bool = True,
) -> JournalEntry | None:  # fmt: skip
    """Take the campaign's configured share of a settled donation's gross into fee income
    (see `rules.secretariat_fee`); None when the share is zero. Idempotent on the donation:
    the share is read once, when the fee is first booked."""
    existing = JournalEntry.objects.filter(idempotency_key=f"secretariat-fee:{donation_ref}")
    if existing.exists():
        return existing.get()
    with transaction.atomic(durable=durable):
        donation = posted_entry(f"donation:{donation_ref}", missing="Donation not booked yet.")
        gross = money_from_ref(donation.source_refs["gross"])
        share = fee_share_for(campaign_id=campaign.pk)
        amount = quantize(gross.amount * share, gross.currency.code)
        if not amount:
            return None
        rate = donation.source_refs.get("book_rate")
        # A gift booked late (its own day was closed) gives its fee the same day, so the fee
        # is booked late beside it and listed with it.
        happened = donation.source_refs.get(LATE_REF)
        return secretariat_fee(
            donation_ref=donation_ref, refs={"campaign_id": campaign.pk},
            fund=campaign_fund(campaign=campaign, currency=gross.currency.code),
            amount=Money(amount, gross.currency), durable=False,
            book_rate=Decimal(rate) if rate else None,
            effective_date=effective_date
            or (date.fromisoformat(happened) if happened else donation.effective_date),
        )  # fmt: skip
