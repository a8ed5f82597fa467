"""Facts about the currencies the network uses, and how amounts are shown to people.

Conversion to a payment provider's minor units is *not* here: it happens at the provider
boundary (`payments/<provider>/`). This module knows ISO 4217 decimals (via py-moneyed),
reads positive amounts typed by people, and formats money for a page's locale with Babel.
"""

from __future__ import annotations

from decimal import ROUND_HALF_EVEN, Decimal, InvalidOperation
from typing import Any

import moneyed
from babel.numbers import format_decimal
from django.conf import settings
from django.utils import translation
from moneyed import Money

from common.errors import ApplicationError

# Symbols people in the region recognise; where a sign is shared by several currencies
# (the dollars, the rupees) the unambiguous form or the ISO code is used.
SYMBOLS = {
    "MYR": "RM", "IDR": "Rp", "PHP": "₱", "THB": "฿", "SGD": "S$", "KHR": "៛", "MMK": "K",
    "LAK": "₭", "VND": "₫", "INR": "₹", "LKR": "LKR", "NPR": "NPR", "BDT": "৳", "PKR": "PKR",
    "AFN": "؋", "JPY": "¥", "KRW": "₩", "CNY": "CN¥", "HKD": "HK$", "USD": "US$", "EUR": "€",
}  # fmt: skip
# Currencies whose cents exist on paper but not in people's hands: shown without decimals
# when the amount is whole.
WHOLE_IN_PRACTICE = {"IDR", "LAK", "MMK", "KHR"}
BABEL_LOCALES = {"en": "en", "id": "id_ID", "ms": "ms_MY"}
MAX_AMOUNT = Decimal("999999999999")  # a sane ceiling: below 10^12 units of any currency


def decimals(currency: str) -> int:
    """ISO 4217 minor-unit exponent: 2 for MYR, 0 for JPY/KRW/VND, 3 for BHD."""
    sub_unit = moneyed.get_currency(currency.upper()).sub_unit
    return len(str(sub_unit)) - 1


def has_valid_precision(amount: Decimal, currency: str) -> bool:
    """True when the amount has no more decimals than the currency allows."""
    exponent = amount.normalize().as_tuple().exponent
    return not isinstance(exponent, int) or -exponent <= decimals(currency)


def quantize(amount: Decimal, currency: str) -> Decimal:
    """Round to the currency's ISO minor unit (banker's rounding)."""
    return Decimal(amount).quantize(Decimal(1).scaleb(-decimals(currency)), ROUND_HALF_EVEN)


def to_decimal(value: Any) -> Decimal | None:
    """A finite Decimal from what a person typed or a form gave, or None."""
    try:
        amount = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        return None
    return amount if amount.is_finite() else None


def positive_money(value: Decimal | None, currency: str, *, field: str = "amount") -> Money:
    """The one way a typed amount becomes Money: above zero, below `MAX_AMOUNT`, and with no
    more decimals than the currency has (JPY 1.5 and MYR 1.005 are refused). A refusal is an
    ApplicationError whose message is also filed under `field`."""
    code = currency.upper()
    problem = ""
    if value is None or not Decimal(value).is_finite():
        problem = "Enter a number."
    elif value <= 0:
        problem = "Must be more than zero."
    elif value > MAX_AMOUNT:
        problem = "The amount is too large."
    elif not has_valid_precision(Decimal(value), code):
        problem = f"{code} amounts have at most {decimals(code)} decimals."
    if problem:
        raise ApplicationError(problem, code="invalid_amount", fields={field: [problem]})
    return Money(Decimal(value), code)


def symbol(currency: str) -> str:
    return SYMBOLS.get(currency, currency)


def format_money(money: Money, language: str | None = None) -> str:
    """ "RM 1,250.00", "Rp 500.000", "¥12,000": symbol, then digits in the page's locale."""
    language = language or translation.get_language() or settings.LANGUAGE_CODE
    locale = BABEL_LOCALES.get(language.split("-")[0], "en")
    code = str(money.currency)
    places = decimals(code)
    amount = Decimal(money.amount)
    if code in WHOLE_IN_PRACTICE and amount == amount.to_integral_value():
        places = 0
    pattern = "#,##0" + ("." + "0" * places if places else "")
    digits = format_decimal(amount, format=pattern, locale=locale, decimal_quantization=True)
    sign = symbol(code)
    separator = " " if sign[-1].isalpha() else ""
    return f"{sign}{separator}{digits}"
