"""Currencies as Stripe counts them, conversion into the settlement currency, and fees.

Amounts are integers in Stripe's minor unit; rates are Decimals. Conversion goes through the
major unit so that zero- and three-decimal currencies come out right.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from sandbox.errors import invalid_request

ZERO_DECIMAL = {
    "bif", "clp", "djf", "gnf", "jpy", "kmf", "krw", "mga", "pyg", "rwf", "ugx", "vnd",
    "vuv", "xaf", "xof", "xpf",
}  # fmt: skip
THREE_DECIMAL = {"bhd", "jod", "kwd", "omr", "tnd"}

# Units of each currency for one US dollar: the defaults from which cross rates are derived.
PER_USD: dict[str, Decimal] = {
    k: Decimal(v)
    for k, v in {
        "usd": "1", "eur": "0.92", "gbp": "0.79", "aud": "1.52", "myr": "4.20",
        "idr": "15800", "php": "57.5", "thb": "35.2", "sgd": "1.34", "khr": "4080",
        "mmk": "2100", "lak": "21800", "vnd": "25400", "inr": "84.0", "lkr": "298",
        "npr": "134", "bdt": "119", "pkr": "278", "afn": "69.5", "jpy": "151",
        "krw": "1380", "cny": "7.25", "hkd": "7.80", "twd": "32.0", "nzd": "1.66",
        "chf": "0.88", "cad": "1.37", "bhd": "0.376", "kwd": "0.307", "jod": "0.709",
        "omr": "0.385", "tnd": "3.10", "huf": "360", "isk": "138", "ugx": "3700",
    }.items()
}  # fmt: skip

MINIMUM_CHARGE: dict[str, int] = {
    "myr": 200, "sgd": 50, "usd": 50, "thb": 1000, "jpy": 50, "hkd": 400, "eur": 50,
    "gbp": 30, "aud": 50, "inr": 5000, "idr": 1000000, "php": 2500,
}  # fmt: skip


def exponent(currency: str) -> int:
    """How many decimals Stripe's integer amounts carry for the currency."""
    currency = currency.lower()
    if currency in ZERO_DECIMAL:
        return 0
    if currency in THREE_DECIMAL:
        return 3
    return 2


def is_supported(currency: str) -> bool:
    return currency.lower() in PER_USD


def to_major(amount: int, currency: str) -> Decimal:
    return Decimal(amount).scaleb(-exponent(currency))


def to_minor(major: Decimal, currency: str) -> int:
    scaled = major.scaleb(exponent(currency)).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    return int(scaled)


@dataclass(frozen=True)
class FeeRule:
    """Stripe's processing fee in one settlement currency: a percentage plus a fixed part."""

    percent: Decimal
    fixed: int  # minor units of the settlement currency
    dispute_fee: int


DEFAULT_FEES: dict[str, FeeRule] = {
    "myr": FeeRule(Decimal("3.0"), 100, 6500),
    "sgd": FeeRule(Decimal("3.4"), 50, 2000),
    "usd": FeeRule(Decimal("2.9"), 30, 1500),
    "idr": FeeRule(Decimal("3.4"), 200000, 25000000),
    "thb": FeeRule(Decimal("3.65"), 1000, 50000),
    "hkd": FeeRule(Decimal("3.4"), 235, 15000),
    "jpy": FeeRule(Decimal("3.6"), 0, 2000),
    "eur": FeeRule(Decimal("2.5"), 25, 2000),
}


@dataclass
class Rates:
    """Exchange rates into the settlement currency, changeable while the sandbox runs.

    ``overrides[c]`` is how many units of the settlement currency one unit of ``c`` buys;
    currencies without an override use the cross rate of ``PER_USD``.
    """

    settlement: str
    overrides: dict[str, Decimal] = field(default_factory=dict)

    def rate(self, currency: str) -> Decimal:
        currency = currency.lower()
        if currency == self.settlement:
            return Decimal(1)
        if currency in self.overrides:
            return self.overrides[currency]
        if currency not in PER_USD or self.settlement not in PER_USD:
            raise KeyError(currency)
        return (PER_USD[self.settlement] / PER_USD[currency]).quantize(Decimal("1e-10"))

    def set(self, currency: str, rate: Decimal) -> None:
        self.overrides[currency.lower()] = rate

    def convert(self, amount: int, currency: str) -> tuple[int, Decimal | None]:
        """The amount in the settlement currency, and the rate used (None when unchanged)."""
        if currency.lower() == self.settlement:
            return amount, None
        rate = self.rate(currency)
        settled = to_minor(to_major(amount, currency) * rate, self.settlement)
        return settled, rate


def parse_fee(text: str) -> tuple[str, FeeRule]:
    """``MYR=3.0+100`` or ``MYR=3.0+100,6500``: percent, fixed part and dispute fee (minor)."""
    currency, _, rule = text.partition("=")
    charge_part, _, dispute = rule.partition(",")
    percent, _, fixed = charge_part.partition("+")
    default = DEFAULT_FEES.get(currency.lower(), DEFAULT_FEES["usd"])
    fee = FeeRule(Decimal(percent), int(fixed or 0), int(dispute or default.dispute_fee))
    return currency.lower(), fee


def processing_fee(settled: int, rule: FeeRule) -> int:
    variable = (Decimal(settled) * rule.percent / 100).quantize(Decimal(1), ROUND_HALF_UP)
    return int(variable) + rule.fixed


def fee_rule(currency: str, overrides: dict[str, FeeRule] | None = None) -> FeeRule:
    rules = {**DEFAULT_FEES, **(overrides or {})}
    return rules.get(currency.lower(), DEFAULT_FEES["usd"])


def maximum_amount(currency: str) -> int:
    """Stripe takes eight digits of minor units, twelve for currencies of small value."""
    return 999_999_999_999 if PER_USD.get(currency.lower(), Decimal(1)) >= 100 else 99_999_999


def check_amount(amount: int, currency: str, param: str) -> None:
    if amount < 1:
        raise invalid_request("Amount must be at least 1.", param=param, code="amount_too_small")
    if amount > maximum_amount(currency):
        raise invalid_request(
            f"Amount must be no more than {maximum_amount(currency)}.",
            param=param,
            code="amount_too_large",
        )


def minimum_charge(currency: str) -> int:
    """Stripe's minimum charge in the settlement currency's minor unit (50 US cents else)."""
    currency = currency.lower()
    if currency in MINIMUM_CHARGE:
        return MINIMUM_CHARGE[currency]
    return to_minor(Decimal("0.50") * PER_USD.get(currency, Decimal(1)), currency)
