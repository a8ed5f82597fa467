"""A campaign's money in the ledger: its restricted fund, opened through the ledger's chart
(the ledger keeps it for the owner key `campaign:<id>` and names it after the campaign), and
what the secretariat owes an enterprise for approved disbursements."""

from __future__ import annotations

from campaigns.models import Campaign, Enterprise
from ledger.models import Account
from ledger.services.chart import fund_account, owner_key, payable_account


def campaign_fund_owner(campaign_id: int) -> str:
    """The owner key of a campaign's restricted fund in the ledger."""
    return owner_key("campaign", campaign_id)


def campaign_fund(*, campaign: Campaign, currency: str) -> Account:
    """The campaign's restricted fund in one currency (opened when first needed)."""
    return fund_account(
        owner=campaign_fund_owner(campaign.pk), currency=currency, label=campaign.title
    )


def enterprise_payable(*, enterprise: Enterprise, currency: str) -> Account:
    """What the secretariat owes an enterprise for approved disbursements, in one currency."""
    return payable_account(
        owner=owner_key("enterprise", enterprise.pk), currency=currency,
        label=enterprise.legal_name,
    )  # fmt: skip
