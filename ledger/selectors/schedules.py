"""Schedule of money received from persons outside Malaysia, by the donor's country.

Malaysian law asks a society to report contributions from abroad. Every gift entry keeps the
donor's country in its source references (`donor_country`); refunds and lost disputes are
traced back to their gift through `donation_ref`, so the schedule shows what was received,
what went back, and the net, in MYR at the rates booked.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Q, Sum

from common.countries import country_name
from common.exports import Table
from ledger.models import AccountRole, EntryKind, EntryState, JournalEntry, Posting

HOME_COUNTRY = "MY"
GIFT_KINDS = (EntryKind.DONATION_SETTLED, EntryKind.OFFLINE_GIFT)
TAKE_BACK_KINDS = (EntryKind.REFUND, EntryKind.DISPUTE_LOST)
GIFT_ROLES = (AccountRole.RESTRICTED_FUND, AccountRole.DONATION_INCOME)
ZERO = Decimal(0)


@dataclass
class ForeignSchedule:
    date_from: date | None
    date_to: date | None
    rows: list[dict]
    totals: dict

    # The file's columns and the row keys (figures are in the book currency).
    COLUMNS = {
        "country": "country", "country_name": "country_name", "gifts": "gifts",
        "received_myr": "received_book", "returned_myr": "returned_book", "net_myr": "net_book",
        "currencies": "currencies",
    }  # fmt: skip

    def tables(self) -> list[Table]:
        total = {"country": "", "country_name": "Total", "currencies": "", **self.totals}
        return [Table.of("Money received from outside Malaysia", self.COLUMNS,
                         [*self.rows, total])]  # fmt: skip


def _entries(kinds: tuple, date_from: date | None, date_to: date | None):  # noqa: ANN202
    entries = JournalEntry.objects.filter(state=EntryState.POSTED, kind__in=kinds)
    if date_from:
        entries = entries.filter(effective_date__gte=date_from)
    if date_to:
        entries = entries.filter(effective_date__lte=date_to)
    return entries


def _fund_book(entry_ids: list[int]) -> dict[int, Decimal]:
    """{entry id: book amount credited to the gift's fund} (negative for money going back)."""
    rows = (
        Posting.objects.filter(entry_id__in=entry_ids, account__role__in=GIFT_ROLES)
        .values("entry_id")
        .annotate(book=Sum("amount_book"))
        .order_by()
    )
    return {r["entry_id"]: -Decimal(r["book"] or 0).quantize(Decimal("0.01")) for r in rows}


def outside_malaysia(
    *, date_from: date | None = None, date_to: date | None = None
) -> ForeignSchedule:
    """Gifts from donors outside Malaysia in the period, per country, in MYR."""
    gifts = list(
        _entries(GIFT_KINDS, date_from, date_to)
        .exclude(Q(source_refs__donor_country=HOME_COUNTRY) | Q(source_refs__donor_country=""))
        .values("id", "source_refs")
    )
    received = _fund_book([g["id"] for g in gifts])
    rows: dict[str, dict] = {}
    country_of_donation: dict[str, str] = {}
    for gift in gifts:
        refs = gift["source_refs"]
        country = str(refs.get("donor_country") or "")
        row = rows.setdefault(country, _blank(country))
        row["gifts"] += 1
        row["received_book"] += received.get(gift["id"], ZERO)
        presentment = refs.get("presentment") or {}
        if presentment:
            row["_currencies"][presentment["currency"]] += Decimal(presentment["amount"])
        if refs.get("donation_ref"):
            country_of_donation[refs["donation_ref"]] = country
    _take_backs(rows, country_of_donation, date_from, date_to)
    ordered = sorted(rows.values(), key=lambda r: (-r["net_book"], r["country"]))
    for row in ordered:
        row["currencies"] = "; ".join(
            f"{c} {a:f}" for c, a in sorted(row.pop("_currencies").items())
        )
    totals = {
        c: sum((r[c] for r in ordered), ZERO)
        for c in ("received_book", "returned_book", "net_book")
    }
    totals["gifts"] = sum(r["gifts"] for r in ordered)
    return ForeignSchedule(date_from, date_to, ordered, totals)


def _blank(country: str) -> dict:
    return {"country": country, "country_name": country_name(country), "gifts": 0,
            "received_book": ZERO, "returned_book": ZERO, "net_book": ZERO,
            "_currencies": defaultdict(Decimal)}  # fmt: skip


def _take_backs(rows: dict, country_of: dict[str, str], date_from, date_to) -> None:  # noqa: ANN001
    """Refunds and lost disputes of those gifts, in the same period, reduce the net."""
    back = list(
        _entries(TAKE_BACK_KINDS, date_from, date_to)
        .filter(source_refs__donation_ref__in=list(country_of))
        .values("id", "source_refs")
    )
    returned = _fund_book([b["id"] for b in back])
    for entry in back:
        country = country_of[entry["source_refs"]["donation_ref"]]
        rows[country]["returned_book"] -= returned.get(entry["id"], ZERO)
    for row in rows.values():
        row["net_book"] = row["received_book"] - row["returned_book"]
