"""What the treasurer reads: funds named after their campaign, totals that say what they add."""

from __future__ import annotations

from decimal import Decimal

from moneyed import Money

from ledger.selectors.reports import trial_balance_report as trial_balance
from ledger.services.rules import donation_settled
from tests.ledger.accounts import clearing, fund, payable, refs
from tests.ledger.conftest import DAY


def test_fund_and_payable_accounts_name_their_campaign_and_enterprise(campaign):
    assert fund(campaign).name == f"Restricted fund: {campaign.title} (MYR)"
    owed = payable(campaign.enterprise, "PHP")
    assert owed.name == f"Disbursements payable: {campaign.enterprise.legal_name} (PHP)"


def test_trial_balance_totals_say_whether_they_add_a_currency_or_the_book(campaign):
    donation_settled(
        fund=fund(campaign),
        clearing=clearing(),
        refs=refs(campaign, balance_transaction_id="txn_1"),
        donation_ref="d-1",
        presentment=Money(Decimal("300000"), "IDR"),
        gross=Money(Decimal("85.50"), "MYR"),
        fee=Money(Decimal("3.57"), "MYR"),
        net=Money(Decimal("81.93"), "MYR"),
        exchange_rate=Decimal("0.000285"),
        donor_country="ID",
        effective_date=DAY,
    )
    totals = trial_balance().totals
    assert [(t["basis"], t["currency"]) for t in totals] == [("currency", "MYR"), ("book", "MYR")]
    assert all(t["debit"] == t["credit"] == Decimal("85.50") for t in totals)
