"""A campaign's cached totals: what donors gave (in the campaign's currency) and how many
gave. The giving services move them in the same transaction as each confirmed gift, refund
or lost dispute; nothing else writes them."""

from __future__ import annotations

from django.db import transaction
from moneyed import Money

from campaigns.models import Campaign
from common.errors import ApplicationError


def campaign_totals_move(*, campaign_id: int, raised: Money, donors: int = 0) -> Campaign:
    """Add `raised` (negative to take back) and `donors` to the campaign's totals, under the
    campaign's row lock. Callers hold their own rows' locks first (a donation, then its
    campaign: one lock order everywhere). The donor count never goes below zero."""
    with transaction.atomic():
        campaign = Campaign.objects.select_for_update().get(pk=campaign_id)
        if str(raised.currency) != str(campaign.raised.currency):
            raise ApplicationError(
                f"The campaign counts in {campaign.raised.currency}, not {raised.currency}.",
                code="currency_mismatch",
            )
        campaign.raised = Money(campaign.raised.amount + raised.amount, raised.currency)
        campaign.donor_count = max(campaign.donor_count + donors, 0)
        campaign.save(update_fields=["raised", "raised_currency", "donor_count", "updated_at"])
        return campaign
