"""Countries: every ISO 3166-1 country, named in the page's language (Babel).

Malaysian law asks the secretariat to report money received from outside Malaysia, so a
donor's country must be a real one: the services validate against `COUNTRY_CODES`, the forms
offer them all, and the reports name them with `country_name`.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

from babel import Locale
from django.utils.translation.trans_real import parse_accept_lang_header

# Babel's territories include regions (numeric), groupings and codes ISO 3166-1 only
# reserves (Ascension, the EU, Kosovo's user-assigned XK, pseudo-locales): not countries.
NOT_COUNTRIES = frozenset(
    {"AC", "CP", "CQ", "DG", "EA", "EU", "EZ", "IC", "QO", "TA", "UN", "XA", "XB", "XK", "ZZ"}
)
COUNTRY_CODES = frozenset(
    code for code in Locale.parse("en").territories
    if len(code) == 2 and code.isalpha() and code not in NOT_COUNTRIES
)  # fmt: skip


def _sort_key(name: str) -> str:
    """Alphabetical as people read it: "Åland" among the A's, not after "Z"."""
    plain = unicodedata.normalize("NFKD", name)
    return "".join(c for c in plain if not unicodedata.combining(c)).casefold()


@lru_cache(maxsize=8)
def country_choices(language: str) -> tuple[tuple[str, str], ...]:
    """(code, name) for every country, named and sorted in the language (English fallback)."""
    try:
        names = Locale.parse(language.replace("-", "_")).territories
    except (ValueError, TypeError):
        names = {}
    english = Locale.parse("en").territories
    pairs = [(code, names.get(code) or english[code]) for code in COUNTRY_CODES]
    return tuple(sorted(pairs, key=lambda pair: _sort_key(pair[1])))


def country_from_accept_language(header: str) -> str:
    """The region of the donor's most preferred language that names one ("en-SG" -> "SG"),
    as the form's default; "" when none does (the donor then chooses)."""
    for tag, _q in parse_accept_lang_header(header or ""):
        parts = tag.replace("_", "-").split("-")
        for part in parts[1:]:
            if part.upper() in COUNTRY_CODES:
                return part.upper()
    return ""


def country_name(code: str, language: str = "en") -> str:
    """The country's name in a language ("ID" -> "Indonesia"); the code itself if unknown."""
    names = Locale.parse(language).territories
    return names.get(code, code or "Unknown")
