"""The treasurer's bookings for a campaign's fund: a gift received by bank transfer, and money
released from the restriction. Each opens the campaign's fund and calls the ledger's rule;
the rules' own docstrings say what is booked."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from moneyed import Money

from campaigns.models import Campaign
from campaigns.services.funds import campaign_fund
from ledger.models import JournalEntry
from ledger.services import rules


def offline_gift_record(
    *, campaign: Campaign, reference: str, amount: Money, bank_account_code: str | None,
    donor_country: str, effective_date: date, actor: Any, exchange_rate: Decimal | None = None,
) -> JournalEntry:  # fmt: skip
    """A gift received by bank transfer for a campaign: Dr bank, Cr the campaign's fund.
    Idempotent on `reference` (the bank line)."""
    return rules.offline_gift(
        reference=reference, fund=campaign_fund(campaign=campaign, currency=amount.currency.code),
        amount=amount, bank_account_code=bank_account_code, donor_country=donor_country,
        effective_date=effective_date, recorded_by=actor, exchange_rate=exchange_rate,
        refs={"campaign_id": campaign.pk},
    )  # fmt: skip


def release_record(
    *, campaign: Campaign, reference: str, amount: Money, reason: str, effective_date: date,
    actor: Any, book_rate: Decimal | None = None,
) -> JournalEntry:  # fmt: skip
    """Money leaves a campaign's restricted fund for the operations fund, with the reason.
    Idempotent on `reference`."""
    return rules.release_from_restriction(
        fund=campaign_fund(campaign=campaign, currency=amount.currency.code),
        reference=reference, amount=amount, reason=reason, effective_date=effective_date,
        recorded_by=actor, book_rate=book_rate, refs={"campaign_id": campaign.pk},
    )  # fmt: skip
