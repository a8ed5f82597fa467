"""The treasurer's reads: reference rates, and the ledger's fund reports as campaigns."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import OuterRef, QuerySet, Subquery

from campaigns.services.funds import campaign_fund_owner
from common.exports import Table
from ledger.selectors import funds
from ledger.services.chart import owner_pk
from treasury.models import ReferenceRate


def reference_rate_in_force(*, currency: str, on: date) -> ReferenceRate | None:
    """The secretariat's rate for a currency on a day: the latest published on or before it."""
    return (ReferenceRate.objects.filter(currency=currency.upper(), effective_date__lte=on)
            .order_by("-effective_date").first())  # fmt: skip


def reference_rate_list(*, currency: str = "", on: date | None = None) -> QuerySet[ReferenceRate]:
    """Published rates, newest first; with `on`, only the rate in force that day per currency."""
    qs = ReferenceRate.objects.select_related("recorded_by")
    if currency:
        qs = qs.filter(currency=currency.upper())
    if on is not None:
        same = ReferenceRate.objects.filter(currency=OuterRef("currency"), effective_date__lte=on)
        latest = same.order_by("-effective_date").values("effective_date")[:1]
        qs = qs.filter(effective_date=Subquery(latest))
    return qs.order_by("currency", "-effective_date", "-pk")


# The statement of changes in funds as the treasurer's files have it: the fund's campaign in
# place of the ledger's owner key.
CHANGES_COLUMNS = {
    "fund": "fund", "campaign_id": "campaign_id",
    **{k: v for k, v in funds.ChangesInFunds.COLUMNS.items() if k not in ("fund", "owner")},
}  # fmt: skip


@dataclass
class CampaignFundChanges:
    """`ledger.selectors.funds.ChangesInFunds` with each restricted fund's campaign."""

    report: funds.ChangesInFunds

    def __getattr__(self, name: str) -> object:
        return getattr(self.report, name)

    @property
    def rows(self) -> list[dict]:
        return [{**row, "campaign_id": owner_pk(row["owner"], "campaign")}
                for row in self.report.rows]  # fmt: skip

    def tables(self) -> list[Table]:
        title = f"Changes in funds {self.report.date_from} to {self.report.date_to}"
        return [Table.of(title, CHANGES_COLUMNS, self.rows)]


def changes_in_funds(*, date_from: date, date_to: date) -> CampaignFundChanges:
    return CampaignFundChanges(funds.changes_in_funds(date_from=date_from, date_to=date_to))


def campaign_fund_statement(
    *, campaign_id: int, date_from: date | None = None, date_to: date | None = None
) -> funds.FundStatement:
    """What a campaign's restricted fund received and spent (the ledger's fund statement)."""
    return funds.fund_statement(
        owner=campaign_fund_owner(campaign_id), title=f"Campaign {campaign_id} fund",
        date_from=date_from, date_to=date_to,
    )  # fmt: skip
