"""What the gift form needs to render: presets, currencies, countries, errors, values."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest

from campaigns.models import Campaign, CampaignStatus
from campaigns.regions import Country
from donors import selectors
from donors.services.start import allowed_currencies


def give_context(campaign: Campaign, request: HttpRequest | None = None, *, values=None,
                 errors=None) -> dict:  # fmt: skip
    currency = str(campaign.goal.currency)
    values = values or {}
    return {
        "campaign": campaign,
        "open": campaign.status == CampaignStatus.LIVE,
        "presets": settings.DONATION_PRESET_AMOUNTS.get(currency, []),
        "currencies": allowed_currencies(campaign),
        "currency": values.get("currency") or currency,
        "countries": Country.choices,
        "values": values,
        "errors": errors or {},
        "fee_percent": settings.DONATION_FEE_ESTIMATE_PERCENT,
        "wall": selectors.donor_wall(campaign=campaign),
        "pending": selectors.campaign_pending(campaign=campaign),
    }
