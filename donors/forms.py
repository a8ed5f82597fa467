"""What the gift form needs to render: presets, currencies, countries, errors, values."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.http import HttpRequest
from django.utils import translation
from moneyed import Money

from campaigns.models import Campaign, CampaignStatus
from common.countries import country_choices, country_from_accept_language
from donors import selectors
from donors.services.start import allowed_currencies


def give_context(campaign: Campaign, request: HttpRequest | None = None, *, values=None,
                 errors=None) -> dict:  # fmt: skip
    currency = str(campaign.goal.currency)
    values = values or {}
    currencies = allowed_currencies(campaign)
    country = values.get("country")
    if country is None and request is not None:
        # A first visit: the region of the browser's language, if it names one. The
        # campaign's country says nothing about where the donor lives.
        country = country_from_accept_language(request.META.get("HTTP_ACCEPT_LANGUAGE", ""))
    return {
        "campaign": campaign,
        "open": campaign.status == CampaignStatus.LIVE,
        "presets": [
            {"value": str(p), "money": Money(Decimal(p), currency)}
            for p in settings.DONATION_PRESET_AMOUNTS.get(currency, [])
        ],  # fmt: skip
        "currencies": currencies,
        "currency": values.get("currency") or (currency if currency in currencies else ""),
        "countries": country_choices(translation.get_language() or settings.LANGUAGE_CODE),
        "country": (country or "").upper(),
        "values": values,
        "errors": errors or {},
        "fee_percent": settings.DONATION_FEE_ESTIMATE_PERCENT,
        "wall": selectors.donor_wall(campaign=campaign),
        "pending": selectors.campaign_pending(campaign=campaign),
    }
