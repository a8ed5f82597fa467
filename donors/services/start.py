"""The donor's first step: a validated pending donation and its checkout session at the
payment provider."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from decimal import ROUND_UP, Decimal

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from moneyed import Money

from campaigns.models import Campaign, CampaignStatus
from common.countries import COUNTRY_CODES
from common.errors import ApplicationError
from common.money import decimals, format_money
from donors.models import Donation, DonationStatus, DonationTransition, Frequency
from donors.services.common import rate_day
from payments.registry import get_provider
from payments.types import CheckoutRequest, ProviderError
from treasury.selectors import reference_rate_in_force


@dataclass(frozen=True)
class DonationInput:
    amount: Decimal
    currency: str
    email: str
    country: str
    name: str = ""
    language: str = "en"
    anonymous: bool = False
    message: str = ""
    dedication: str = ""
    cover_fee: bool = False
    monthly: bool = False


def allowed_currencies(campaign: Campaign) -> list[str]:
    """The currencies a donor may give in to this campaign, the campaign's own first.

    Enabled by the secretariat (DONATION_CURRENCIES) and countable in the campaign's raised
    total: the campaign's own currency always is; any other is counted from the settled
    amount (MYR), so it needs the campaign to be in MYR or a reference rate for the
    campaign's currency in force today.
    """
    own = str(campaign.goal.currency)
    enabled = [c.upper() for c in settings.DONATION_CURRENCIES]
    convertible = own == settings.BOOK_CURRENCY or (
        reference_rate_in_force(currency=own, on=rate_day(timezone.now())) is not None
    )
    others = [c for c in enabled if c != own] if convertible else []
    return ([own] if own in enabled else []) + others


def fee_estimate(amount: Decimal, currency: str) -> Decimal:
    """The processing fee a donor may choose to cover (a percentage, rounded up)."""
    rate = Decimal(str(settings.DONATION_FEE_ESTIMATE_PERCENT)) / 100
    step = Decimal(1).scaleb(-get_provider().allowed_decimals(currency))
    return (amount * rate).quantize(step, rounding=ROUND_UP)


@contextmanager
def _checkout_slot(client_key: str) -> Iterator[None]:
    """Count the checkout a client starts against its share (DONATION_RATE_LIMIT per window).

    Only checkouts really created count: the slot is taken before the provider is called
    (so parallel requests cannot all slip under the limit) and given back when the checkout
    is not created. A donor who mistypes the amount ten times is not locked out.
    """
    if not client_key:
        yield
        return
    limit, window = settings.DONATION_RATE_LIMIT
    key = f"donations:rate:{client_key}"
    cache.add(key, 0, timeout=window)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window)
        count = 1
    if count > limit:
        _release_slot(key)
        raise ApplicationError(
            _("Too many donation attempts. Please wait a few minutes and try again."),
            code="rate_limited", status_code=429,
        )  # fmt: skip
    try:
        yield
    except BaseException:
        _release_slot(key)
        raise


def _release_slot(key: str) -> None:
    with suppress(ValueError):  # the window ended meanwhile
        cache.decr(key)


def _validate(campaign: Campaign, data: DonationInput) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    currency = data.currency.upper()
    allowed = allowed_currencies(campaign)
    if currency not in allowed:
        message = _("Gifts to this campaign are not taken in %(c)s.") % {"c": currency}
        if allowed:
            message += " " + _("Choose one of: %(list)s.") % {"list": ", ".join(allowed)}
        errors["currency"] = [message]
        return errors
    amount = data.amount
    places = min(decimals(currency), get_provider().allowed_decimals(currency))
    if not amount.is_finite() or amount <= 0:
        errors["amount"] = [_("Enter an amount above zero.")]
    elif amount != amount.quantize(Decimal(1).scaleb(-places)):
        errors["amount"] = [
            _("%(c)s amounts have at most %(n)d decimals.") % {"c": currency, "n": places}
        ]
    else:
        minimum = get_provider().minimum_charge(currency) or Decimal(0)
        maximum = Decimal(str(settings.DONATION_MAXIMUM.get(currency, 0))) or None
        if amount < minimum:
            errors["amount"] = [
                _("The smallest gift in %(c)s is %(m)s.")
                % {"c": currency, "m": format_money(Money(minimum, currency))}
            ]
        elif maximum and amount > maximum:
            errors["amount"] = [
                _("The largest gift online is %(m)s; please contact us for larger gifts.")
                % {"m": format_money(Money(maximum, currency))}
            ]
    try:
        validate_email(data.email)
    except ValidationError:
        errors["email"] = [_("Enter a valid email address.")]
    country = data.country.strip().upper()
    if not country:
        errors["country"] = [_("Choose your country.")]
    elif country not in COUNTRY_CODES:
        errors["country"] = [
            _("“%(code)s” is not a country we know: choose your country from the list "
              "(an ISO 3166 code such as MY).") % {"code": data.country.strip()[:8]}
        ]  # fmt: skip
    return errors  # fmt: skip


def donation_start(*, campaign: Campaign, data: DonationInput, client_key: str = "") -> Donation:
    """Create a pending donation and its Checkout Session, or nothing at all.

    The session is created inside the transaction with an idempotency key derived from the
    donation: if the provider refuses, the donation is rolled back and nothing half-made
    remains.
    """
    if campaign.status != CampaignStatus.LIVE:
        raise ApplicationError(_("This campaign is not taking gifts."), code="campaign_not_live")
    errors = _validate(campaign, data)
    if errors:
        first = next(iter(errors.values()))[0]
        raise ApplicationError(first, code="invalid", fields=errors)
    currency = data.currency.upper()
    fee = fee_estimate(data.amount, currency) if data.cover_fee else Decimal(0)
    with _checkout_slot(client_key), transaction.atomic(durable=True):
        donation = Donation.objects.create(
            campaign=campaign, provider=get_provider().name,
            amount=Money(data.amount + fee, currency),
            fee_cover=Money(fee, currency), email=data.email.strip(), name=data.name.strip(),
            country=data.country.strip().upper(), language=data.language, anonymous=data.anonymous,
            message=data.message.strip(), dedication=data.dedication.strip(),
            frequency=Frequency.MONTHLY if data.monthly else Frequency.ONCE,
        )  # fmt: skip
        DonationTransition.objects.create(donation=donation, to_state=DonationStatus.PENDING,
                                          source="donor")  # fmt: skip
        checkout = _create_checkout(campaign, donation)
        donation.checkout_session_id = checkout.session_id
        donation.checkout_url = checkout.url
        donation.save(update_fields=["checkout_session_id", "checkout_url", "updated_at"])
    return donation


def _create_checkout(campaign: Campaign, donation: Donation):
    ref = str(donation.reference)
    site = settings.SITE_URL.rstrip("/")
    thanks = site + reverse("donors:thank-you", kwargs={"reference": ref})
    cancel = site + reverse("donors:cancelled", kwargs={"reference": ref})
    request = CheckoutRequest(
        reference=ref,
        amount=donation.amount,
        description=_("Gift to %(title)s") % {"title": campaign.title},
        email=donation.email,
        success_url=thanks,
        cancel_url=cancel,
        monthly=donation.frequency == Frequency.MONTHLY,
        locale=donation.language if donation.language in ("en", "id", "ms") else "auto",
        metadata={"campaign": campaign.slug},
        idempotency_key=f"gotong-donation-{ref}-checkout",  # never reused (the pk is)
    )
    try:
        return get_provider(donation.provider).create_checkout(request)
    except ProviderError as exc:
        raise ApplicationError(
            _("The payment service is not available right now. Please try again shortly."),
            code="provider_unavailable", status_code=503,
        ) from exc  # fmt: skip
