"""THE conversion between `Money` and Stripe's integer amounts, for every currency Stripe takes.

Stripe's rules (https://docs.stripe.com/currencies, "Minor units in API amounts" and
"Special cases"), as encoded here:

* Most currencies are two-decimal: MYR 10.50 is sent as 1050.
* Zero-decimal currencies are sent as whole units: JPY 500 is 500. A fraction of a unit
  cannot be charged.
* Three-decimal currencies (BHD JOD KWD OMR TND) are sent in thousandths, and the last digit
  must be 0 for card payments: BHD 5.120 is 5120; BHD 5.125 cannot be charged.
* ISK became zero-decimal but Stripe keeps a two-decimal representation for backwards
  compatibility: ISK 5 is sent as 500, and the decimals must be 00.
* UGX is zero-decimal for charges (UGX 5,000 is 5000); payouts in UGX use the two-decimal
  representation with 00 decimals, like ISK.
* HUF and TWD are charged as two-decimal amounts, but payouts are whole units only: a payout
  amount must be divisible by 100 (HUF 600 is 60000).

`to_minor` refuses an amount Stripe could not take (it never rounds money away);
`from_minor` turns what Stripe reports back into `Money` with the currency's ISO decimals.
"""

from __future__ import annotations

from decimal import Decimal
from enum import Enum

from moneyed import Money

ZERO_DECIMAL = frozenset(
    [
        "BIF",
        "CLP",
        "DJF",
        "GNF",
        "JPY",
        "KMF",
        "KRW",
        "MGA",
        "PYG",
        "RWF",
        "UGX",
        "VND",
        "VUV",
        "XAF",
        "XOF",
        "XPF",
    ]
)
THREE_DECIMAL = frozenset(["BHD", "JOD", "KWD", "OMR", "TND"])
TWO_DECIMAL_WHOLE_UNITS = frozenset({"ISK"})  # two-decimal on the wire, 00 decimals
PAYOUT_WHOLE_UNITS = frozenset({"HUF", "TWD", "UGX", "ISK"})

# Stripe's minimum charge amounts, per currency (docs.stripe.com/currencies#minimum-and-
# maximum-charge-amounts). Currencies Stripe does not list are bound by the minimum of the
# settlement currency (MYR 2.00); the entries marked "~" are that minimum converted at a
# deliberately unfavourable rate and rounded up, so a gift above them always clears Stripe.
MINIMUM_CHARGE: dict[str, Decimal] = {
    "USD": Decimal("0.50"), "AED": Decimal("2.00"), "AUD": Decimal("0.50"),
    "BGN": Decimal("1.00"), "BRL": Decimal("0.50"), "CAD": Decimal("0.50"),
    "CHF": Decimal("0.50"), "CZK": Decimal("15.00"), "DKK": Decimal("2.50"),
    "EUR": Decimal("0.50"), "GBP": Decimal("0.30"), "HKD": Decimal("4.00"),
    "HUF": Decimal("175.00"), "INR": Decimal("0.50"), "JPY": Decimal("50"),
    "MXN": Decimal("10"), "MYR": Decimal("2.00"), "NOK": Decimal("3.00"),
    "NZD": Decimal("0.50"), "PLN": Decimal("2.00"), "RON": Decimal("2.00"),
    "SEK": Decimal("3.00"), "SGD": Decimal("0.50"), "THB": Decimal("10"),
    # ~ MYR 2.00 equivalents for the network's other currencies.
    "IDR": Decimal("10000"), "PHP": Decimal("30"), "KHR": Decimal("3000"),
    "MMK": Decimal("2000"), "LAK": Decimal("15000"), "VND": Decimal("15000"),
    "LKR": Decimal("200"), "NPR": Decimal("100"), "BDT": Decimal("100"),
    "PKR": Decimal("200"), "AFN": Decimal("60"), "KRW": Decimal("1000"),
    "CNY": Decimal("4.00"),
}  # fmt: skip


class Purpose(Enum):
    CHARGE = "charge"
    PAYOUT = "payout"


class UnrepresentableAmount(ValueError):
    """Stripe cannot take this amount in this currency (too many decimals, or negative)."""


def wire_exponent(currency: str, purpose: Purpose = Purpose.CHARGE) -> int:
    """How many decimals Stripe's integer amount carries for this currency."""
    code = currency.upper()
    if code in THREE_DECIMAL:
        return 3
    if code == "UGX":
        return 2 if purpose is Purpose.PAYOUT else 0
    if code in ZERO_DECIMAL:
        return 0
    return 2


def allowed_decimals(currency: str, purpose: Purpose = Purpose.CHARGE) -> int:
    """How many decimals a chargeable (or payable) amount may have."""
    code = currency.upper()
    if code in ZERO_DECIMAL or code in TWO_DECIMAL_WHOLE_UNITS:
        return 0
    if purpose is Purpose.PAYOUT and code in PAYOUT_WHOLE_UNITS:
        return 0
    if code in THREE_DECIMAL:
        return 2  # thousandths with a trailing 0
    return 2


def is_representable(amount: Decimal, currency: str, purpose: Purpose = Purpose.CHARGE) -> bool:
    if not amount.is_finite() or amount < 0:
        return False
    places = allowed_decimals(currency, purpose)
    return amount == amount.quantize(Decimal(1).scaleb(-places))


def to_minor(money: Money, purpose: Purpose = Purpose.CHARGE) -> int:
    """Money -> Stripe's integer `amount`. Raises UnrepresentableAmount, never rounds."""
    code = str(money.currency).upper()
    amount = Decimal(money.amount)
    if not is_representable(amount, code, purpose):
        raise UnrepresentableAmount(f"Stripe cannot take {amount} {code} for a {purpose.value}")
    return int(amount.scaleb(wire_exponent(code, purpose)))


def from_minor(amount: int, currency: str, purpose: Purpose = Purpose.CHARGE) -> Money:
    """Stripe's integer `amount` -> Money (exact; the currency code is upper-cased)."""
    code = currency.upper()
    value = Decimal(int(amount)).scaleb(-wire_exponent(code, purpose))
    places = max(wire_exponent(code, purpose), 0)
    return Money(value.quantize(Decimal(1).scaleb(-places)), code)


def minimum_charge(currency: str) -> Decimal | None:
    """Stripe's minimum charge in this currency, or None when we do not know it."""
    return MINIMUM_CHARGE.get(currency.upper())
