"""The accounts the apps open for the ledger, opened the same way in the ledger's suites: a
campaign's restricted fund (through `campaigns`) and Stripe's clearing."""

from __future__ import annotations

from campaigns.models import Campaign, Enterprise
from campaigns.services.funds import campaign_fund, enterprise_payable
from ledger.models import Account
from ledger.services.chart import clearing_account


def fund(campaign: Campaign, currency: str = "MYR") -> Account:
    return campaign_fund(campaign=campaign, currency=currency)


def payable(enterprise: Enterprise, currency: str = "MYR") -> Account:
    return enterprise_payable(enterprise=enterprise, currency=currency)


def clearing(currency: str = "MYR") -> Account:
    return clearing_account(provider="stripe", label="Stripe", currency=currency)


def refs(campaign: Campaign, **ids: object) -> dict[str, object]:
    """The references the donors app gives a gift's entries."""
    return {"campaign_id": campaign.pk, **ids}
