"""Our ledger driven through its services: `entry_post` with every invariant on."""

from __future__ import annotations

from datetime import date

from django.db import connection
from moneyed import Money

from bench.ledger_common import CAMPAIGNS, Donation
from bench.ledger_ours_load import load_postgresql, load_sqlite
from campaigns.models import Campaign, Enterprise
from ledger.models import AccountRole, EntryKind, JournalEntry, Posting
from ledger.selectors.balances import account_balance
from ledger.selectors.reports import trial_balance_report as trial_balance
from ledger.services.chart import (
    chart_ensure_default,
    clearing_account,
    fund_account,
    owner_key,
    role_account,
)
from ledger.services.posting import credit, debit, entry_post


def _campaigns() -> list[int]:
    enterprise, _ = Enterprise.objects.get_or_create(
        slug="bench", defaults={"legal_name": "Bench cooperative", "type": "cooperative",
                                "country": "ID", "city": "Yogyakarta", "description": "-",
                                "contact_email": "bench@example.org"},
    )  # fmt: skip
    ids = []
    for n in range(CAMPAIGNS):
        campaign, _ = Campaign.objects.get_or_create(
            slug=f"bench-{n}", defaults={"enterprise": enterprise, "title": f"Bench {n}",
                                         "summary": "-", "story": "-", "goal": Money(1, "IDR"),
                                         "raised": Money(0, "IDR"), "start_date": date(2025, 1, 1),
                                         "end_date": date(2026, 1, 1)},
        )  # fmt: skip
        ids.append(campaign.pk)
    return ids


class OurLedger:
    name = "ours"

    def __init__(self) -> None:
        chart_ensure_default()
        self.clearing = clearing_account(provider="stripe", label="Stripe", currency="MYR")
        self.fees = role_account(role=AccountRole.PROCESSING_FEES, currency="MYR")
        self.conv_idr = role_account(role=AccountRole.FX_CONVERSION, currency="IDR")
        self.conv_myr = role_account(role=AccountRole.FX_CONVERSION, currency="MYR")
        self.funds = [fund_account(owner=owner_key("campaign", c), currency="IDR")
                      for c in _campaigns()]  # fmt: skip
        self.postings = Posting.objects.count()
        self.entries = JournalEntry.objects.count()

    def _lines(self, d: Donation) -> list:
        """The same five legs as hordak's: the IDR gift into the fund, converted to MYR."""
        idr, myr = Money(d.gross_idr, "IDR"), Money(d.gross_myr, "MYR")
        return [
            debit(self.clearing, Money(d.net_myr, "MYR")),
            debit(self.fees, Money(d.fee_myr, "MYR")),
            credit(self.conv_myr, myr),
            debit(self.conv_idr, idr, amount_book=d.gross_myr),
            credit(self.funds[d.campaign], idr, amount_book=d.gross_myr),
        ]

    def _refs(self, d: Donation) -> dict:
        return {"balance_transaction_id": d.balance_transaction_id, "donor_country": "ID"}

    def post(self, d: Donation) -> None:
        entry_post(
            idempotency_key=f"bench:{d.number}", kind=EntryKind.DONATION_SETTLED,
            memo=f"Donation {d.number}", effective_date=d.day, lines=self._lines(d),
            source_refs=self._refs(d),
        )  # fmt: skip
        self.postings += 5
        self.entries += 1

    def balance(self) -> object:
        return account_balance(account=self.clearing)

    def bulk_load(self, first: int, count: int) -> None:
        load = load_postgresql if connection.vendor == "postgresql" else load_sqlite
        load(first, count, self._lines, self._refs)
        self.postings += count * 5
        self.entries += count

    def trial_balance(self) -> object:
        report = trial_balance()
        return [(row["account_code"], row["debit"], row["credit"]) for row in report.rows]
