"""The secretariat's reference exchange rates: published by the treasurer, never changed."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from common.errors import ApplicationError, Conflict
from common.roles import is_treasurer
from treasury.models import ReferenceRate

RATE_FIELD = ReferenceRate._meta.get_field("rate")


def reference_rate_publish(
    *, actor, currency: str, rate: Decimal, effective_date: date
) -> ReferenceRate:
    """Publish how many book-currency units (MYR) one unit of `currency` is worth from
    `effective_date` on. Only the treasurer may; a day's rate is never replaced (publish the
    next day's instead), so the gifts already counted with it keep their reason."""
    if not is_treasurer(actor):
        raise ApplicationError(_("Only the treasurer may publish exchange rates."),
                               code="permission_denied", status_code=403)  # fmt: skip
    currency = (currency or "").strip().upper()
    errors: dict[str, list[str]] = {}
    if currency == settings.BOOK_CURRENCY:
        errors["currency"] = [_("%(c)s is the book currency: its rate is always 1.")
                              % {"c": currency}]  # fmt: skip
    elif currency not in settings.CURRENCIES:
        errors["currency"] = [_("%(c)s is not a currency the service uses.") % {"c": currency}]
    places = RATE_FIELD.decimal_places
    whole = RATE_FIELD.max_digits - places
    if not rate.is_finite() or rate <= 0:
        errors["rate"] = [_("The rate must be above zero.")]
    elif rate != rate.quantize(Decimal(1).scaleb(-places)) or rate >= Decimal(10) ** whole:
        errors["rate"] = [_("At most %(n)d decimals, please.") % {"n": places}]
    if errors:
        raise ApplicationError(next(iter(errors.values()))[0], fields=errors)
    try:
        with transaction.atomic(durable=True):
            return ReferenceRate.objects.create(
                currency=currency, rate=rate, effective_date=effective_date, recorded_by=actor
            )
    except IntegrityError as exc:
        raise Conflict(
            _("A rate for %(c)s from %(d)s is already published; rates are not changed, "
              "publish one for a later day.") % {"c": currency, "d": effective_date.isoformat()},
            code="rate_exists", fields={"effective_date": [_("Already published.")]},
        ) from exc  # fmt: skip
