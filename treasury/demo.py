"""Demo reference exchange rates, so the demo's campaigns in IDR, PHP, THB, JPY and USD take
gifts in every enabled currency (loaded by `manage.py seed_demo`)."""

from __future__ import annotations

from decimal import Decimal

from django.contrib.auth import get_user_model
from django.utils import timezone

from common.roles import Role
from treasury.models import ReferenceRate
from treasury.services.rates import reference_rate_publish

# MYR for one unit, near the market in late 2025 (USD 1 = MYR 4.20 and its usual crosses).
DEMO_RATES = {
    "USD": "4.2000", "EUR": "4.8700", "SGD": "3.2400", "HKD": "0.5400", "CNY": "0.5900",
    "JPY": "0.027600", "KRW": "0.002960", "IDR": "0.000253", "PHP": "0.072400",
    "THB": "0.129200", "VND": "0.000160", "KHR": "0.001047", "LAK": "0.000194",
    "MMK": "0.002000", "INR": "0.047700", "LKR": "0.014000", "NPR": "0.030000",
    "BDT": "0.034400", "PKR": "0.014900", "AFN": "0.063600",
}  # fmt: skip


def seed_rates() -> int:
    """Publish the demo rates, as the demo treasurer, for currencies that have none yet
    (safe to run again). Returns how many were published."""
    treasurer = (get_user_model().objects.filter(groups__name=Role.TREASURER)
                 .order_by("pk").first())  # fmt: skip
    if treasurer is None:
        raise RuntimeError("seed_rates needs the demo treasurer: run seed_demo.")
    have = set(ReferenceRate.objects.values_list("currency", flat=True))
    today = timezone.localdate()
    made = 0
    for currency, rate in DEMO_RATES.items():
        if currency not in have:
            reference_rate_publish(actor=treasurer, currency=currency, rate=Decimal(rate),
                                   effective_date=today)  # fmt: skip
            made += 1
    return made
