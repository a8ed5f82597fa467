"""Helpers shared by the donation services: locking, transitions, campaign totals."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from moneyed import Money

from campaigns.models import Campaign
from donors.models import COUNTED, TRANSITIONS, Donation, DonationTransition
from fundraising.errors import Conflict


def lock_donation(pk: int) -> Donation:
    return Donation.objects.select_for_update().get(pk=pk)


def lock_campaign(pk: int) -> Campaign:
    # Always after the donation row: donation -> campaign is the one lock order.
    return Campaign.objects.select_for_update().get(pk=pk)


def transition(
    donation: Donation, to: str, *, source: str = "", actor=None, note: str = ""
) -> None:
    """Check the transition map, set the state and write the audit row (no save)."""
    if to not in TRANSITIONS[donation.status]:
        raise Conflict(
            f"A {donation.get_status_display().lower()} donation cannot become {to}.",
            code="illegal_transition",
        )
    DonationTransition.objects.create(
        donation=donation, from_status=donation.status, to_status=to, source=source[:255],
        actor=actor, note=note,
    )  # fmt: skip
    donation.status = to


def quantize(amount: Decimal, places: int = 2) -> Decimal:
    return amount.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def campaign_share(donation: Donation, campaign: Campaign, gross: Money) -> Money:
    """What a settled gift adds to the campaign's raised total, in the campaign currency.

    The rule: when the donor gave in the campaign's currency, the amount they gave; otherwise
    the settled gross in the settlement currency (MYR), which is the campaign's currency in
    that case (donation_start allows no other combination). Fees are not deducted: the
    progress bar shows what donors gave.
    """
    currency = str(campaign.goal.currency)
    if str(donation.amount.currency) == currency:
        return Money(quantize(donation.amount.amount), currency)
    if str(gross.currency) == currency:
        return Money(quantize(gross.amount), currency)
    raise Conflict(
        f"A gift in {donation.amount.currency} cannot be counted in {currency}.",
        code="currency_not_convertible",
    )


def share_of(donation: Donation, part: Money) -> Money:
    """The campaign-currency share of a partial amount (refund, dispute) of the gift."""
    counted = donation.counted
    if donation.status not in COUNTED or counted.amount == 0:
        return Money(0, counted.currency)
    remaining = donation.amount.amount - donation.refunded_amount.amount
    if part.amount >= remaining:
        return counted  # the rest, exactly, so nothing is left over by rounding
    return Money(quantize(counted.amount * part.amount / remaining), counted.currency)


def settlement_currency() -> str:
    return settings.STRIPE_SETTLEMENT_CURRENCY
