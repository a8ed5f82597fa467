"""The network's 14 countries, their sub-regions and usual currencies (DOMAIN.md)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class SubRegion(models.TextChoices):
    SOUTH_ASIA = "south_asia", _("South Asia")
    SOUTHEAST_ASIA = "southeast_asia", _("Southeast Asia")
    EAST_ASIA = "east_asia", _("East Asia")


class Country(models.TextChoices):
    IN = "IN", _("India")
    LK = "LK", _("Sri Lanka")
    NP = "NP", _("Nepal")
    BD = "BD", _("Bangladesh")
    PK = "PK", _("Pakistan")
    AF = "AF", _("Afghanistan")
    MY = "MY", _("Malaysia")
    ID = "ID", _("Indonesia")
    PH = "PH", _("Philippines")
    TH = "TH", _("Thailand")
    SG = "SG", _("Singapore")
    KH = "KH", _("Cambodia")
    MM = "MM", _("Myanmar")
    LA = "LA", _("Laos")
    VN = "VN", _("Vietnam")
    JP = "JP", _("Japan")
    KR = "KR", _("South Korea")
    CN = "CN", _("China")
    HK = "HK", _("Hong Kong")


SUB_REGION = {
    **dict.fromkeys(["IN", "LK", "NP", "BD", "PK", "AF"], SubRegion.SOUTH_ASIA),
    **dict.fromkeys(["MY", "ID", "PH", "TH", "SG", "KH", "MM", "LA", "VN"],
                    SubRegion.SOUTHEAST_ASIA),
    **dict.fromkeys(["JP", "KR", "CN", "HK"], SubRegion.EAST_ASIA),
}  # fmt: skip

CURRENCY = {
    "IN": "INR", "LK": "LKR", "NP": "NPR", "BD": "BDT", "PK": "PKR", "AF": "AFN",
    "MY": "MYR", "ID": "IDR", "PH": "PHP", "TH": "THB", "SG": "SGD", "KH": "KHR",
    "MM": "MMK", "LA": "LAK", "VN": "VND", "JP": "JPY", "KR": "KRW", "CN": "CNY", "HK": "HKD",
}  # fmt: skip

# The language a country's focal points read their notifications in.
LANGUAGE = {"ID": "id", "MY": "ms"}

# Campaign currencies: every member country's currency, plus USD and EUR.
CAMPAIGN_CURRENCIES = sorted(set(CURRENCY.values())) + ["USD", "EUR"]


def countries_in(sub_region: str) -> list[str]:
    return [code for code, region in SUB_REGION.items() if region == sub_region]
