"""Money <-> Stripe minor units, for every kind of currency Stripe takes."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st
from moneyed import Money

from payments.stripe.amounts import (
    THREE_DECIMAL,
    ZERO_DECIMAL,
    Purpose,
    UnrepresentableAmount,
    allowed_decimals,
    from_minor,
    is_representable,
    to_minor,
)

TWO_DECIMAL = ["MYR", "IDR", "PHP", "THB", "SGD", "USD", "EUR", "INR", "HKD", "CNY", "LKR"]
SPECIAL = ["ISK", "UGX", "HUF", "TWD"]
ALL = sorted(set(TWO_DECIMAL) | ZERO_DECIMAL | THREE_DECIMAL | set(SPECIAL))


@pytest.mark.parametrize(
    ("amount", "currency", "minor"),
    [
        ("10.50", "MYR", 1050), ("50000", "IDR", 5000000), ("500", "JPY", 500),
        ("12000", "KRW", 12000), ("25000", "VND", 25000), ("5.12", "BHD", 5120),
        ("0.5", "KWD", 500), ("5", "ISK", 500), ("5000", "UGX", 5000), ("600", "HUF", 60000),
        ("12.34", "HUF", 1234), ("100", "TWD", 10000),
    ],
)  # fmt: skip
def test_known_amounts(amount, currency, minor):
    assert to_minor(Money(Decimal(amount), currency)) == minor
    assert from_minor(minor, currency).amount == Decimal(amount)


@pytest.mark.parametrize(
    ("amount", "currency", "purpose"),
    [
        ("500.5", "JPY", Purpose.CHARGE),  # no fraction of a yen
        ("5.125", "BHD", Purpose.CHARGE),  # three-decimal: the last digit must be 0
        ("5.5", "ISK", Purpose.CHARGE),  # ISK: two-decimal on the wire, 00 decimals
        ("12.34", "HUF", Purpose.PAYOUT),  # HUF payouts: whole forints (divisible by 100)
        ("10.5", "TWD", Purpose.PAYOUT),
        ("10.005", "MYR", Purpose.CHARGE),
        ("-1", "MYR", Purpose.CHARGE),
    ],
)  # fmt: skip
def test_amounts_stripe_cannot_take_are_refused_not_rounded(amount, currency, purpose):
    with pytest.raises(UnrepresentableAmount):
        to_minor(Money(Decimal(amount), currency), purpose)


def test_payout_amounts_for_the_special_currencies():
    assert to_minor(Money(600, "HUF"), Purpose.PAYOUT) == 60000
    assert to_minor(Money(5000, "UGX"), Purpose.PAYOUT) == 500000  # two-decimal for payouts
    assert from_minor(500000, "UGX", Purpose.PAYOUT).amount == Decimal(5000)
    assert to_minor(Money(5000, "UGX"), Purpose.CHARGE) == 5000


@st.composite
def chargeable(draw, purpose=Purpose.CHARGE):
    currency = draw(st.sampled_from(ALL))
    places = allowed_decimals(currency, purpose)
    units = draw(st.integers(min_value=0, max_value=10**12))
    return Money(Decimal(units).scaleb(-places), currency), purpose


@given(chargeable() | chargeable(Purpose.PAYOUT))
def test_round_trip_money_minor_money(case):
    money, purpose = case
    minor = to_minor(money, purpose)
    assert isinstance(minor, int) and minor >= 0
    assert from_minor(minor, str(money.currency), purpose) == money


@given(st.sampled_from(ALL), st.integers(min_value=0, max_value=10**14))
def test_round_trip_minor_money_minor(currency, minor):
    """What Stripe sends back is always readable; when chargeable, it converts back exactly."""
    money = from_minor(minor, currency)
    if is_representable(money.amount, currency):
        assert to_minor(money) == minor
    if currency in THREE_DECIMAL and minor % 10 == 0:
        assert to_minor(money) == minor


@given(st.sampled_from(sorted(ZERO_DECIMAL - {"UGX"})), st.integers(1, 10**9))
def test_zero_decimal_currencies_are_whole_units(currency, units):
    assert to_minor(Money(units, currency)) == units


@given(st.integers(1, 10**9))
def test_huf_and_twd_payouts_are_divisible_by_100(units):
    for currency in ("HUF", "TWD"):
        assert to_minor(Money(units, currency), Purpose.PAYOUT) % 100 == 0
