"""Helpers shared by the donation services: locking, transitions, campaign totals."""

from __future__ import annotations

from datetime import date, datetime
from decimal import ROUND_HALF_EVEN, Decimal

from django.conf import settings
from django.utils import timezone
from moneyed import Money

from campaigns.models import Campaign
from common.errors import Conflict
from common.money import decimals
from donors.models import COUNTED, TRANSITIONS, Donation, DonationTransition
from payments.types import BalanceTransaction
from treasury.models import ReferenceRate
from treasury.selectors import reference_rate_in_force


def lock_donation(pk: int) -> Donation:
    return Donation.objects.select_for_update().get(pk=pk)


def transition(
    donation: Donation, to: str, *, source: str = "", actor=None, comment: str = ""
) -> None:
    """Check the transition map, set the state and write the audit row (no save)."""
    if to not in TRANSITIONS[donation.status]:
        raise Conflict(
            f"A {donation.get_status_display().lower()} donation cannot become {to}.",
            code="illegal_transition",
        )
    DonationTransition.objects.create(
        donation=donation, from_state=donation.status, to_state=to, source=source[:255],
        actor=actor, comment=comment,
    )  # fmt: skip
    donation.status = to


def in_currency(amount: Decimal, currency: str) -> Money:
    """An amount at its currency's ISO decimals, rounded half-even (the campaign's totals)."""
    step = Decimal(1).scaleb(-decimals(currency))
    return Money(amount.quantize(step, rounding=ROUND_HALF_EVEN), currency)


def rate_day(moment: datetime) -> date:
    """The secretariat's calendar day of a moment: the day whose reference rate applies."""
    return timezone.localdate(moment)


def campaign_share(
    donation: Donation, campaign: Campaign, bt: BalanceTransaction
) -> tuple[Money, ReferenceRate | None]:
    """What a settled gift adds to the campaign's raised total, and the reference rate used.

    The rule: when the donor gave in the campaign's currency, the amount they gave.
    Otherwise the settled gross (settlement currency, MYR) converted to the campaign's
    currency at the secretariat's reference rate for that currency in force on the day of
    settlement (no rate when the campaign is in MYR), rounded half-even to the campaign
    currency's decimals. Fees are not deducted: the progress bar shows what donors gave.
    """
    currency = str(campaign.goal.currency)
    if str(donation.amount.currency) == currency:
        return in_currency(donation.amount.amount, currency), None
    gross = bt.gross
    if str(gross.currency) == currency:
        return in_currency(gross.amount, currency), None
    if str(gross.currency) != settings.BOOK_CURRENCY:
        raise Conflict(
            f"A gift settled in {gross.currency} cannot be counted in {currency}: reference "
            f"rates are in {settings.BOOK_CURRENCY}.", code="currency_not_convertible",
        )  # fmt: skip
    day = rate_day(bt.created)
    rate = reference_rate_in_force(currency=currency, on=day)
    if rate is None:
        raise Conflict(
            f"No reference rate for {currency} in force on {day}: publish one, then replay "
            "the event.", code="reference_rate_missing",
        )  # fmt: skip
    return in_currency(gross.amount / rate.rate, currency), rate


def share_of(donation: Donation, part: Money) -> Money:
    """The campaign-currency share of a partial amount (refund, dispute) of the gift.

    Proportional to what the gift still counts: counted x part / (gift - refunded so far),
    rounded half-even to the campaign currency's decimals; the last part takes exactly what
    is left, so a gift refunded in full leaves nothing behind in the campaign's total.
    """
    counted = donation.counted
    code = str(counted.currency)
    if donation.status not in COUNTED or counted.amount == 0:
        return Money(0, code)
    remaining = donation.amount.amount - donation.refunded_amount.amount
    if part.amount >= remaining:
        return counted  # the rest, exactly, so nothing is left over by rounding
    return in_currency(counted.amount * part.amount / remaining, code)
