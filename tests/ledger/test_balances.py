"""Balances: constant-time reads from the cached rows, as of a date, account statements with
running balances across pages, and the trial balance."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from moneyed import Money

from campaigns.selectors import campaign_fund_balance
from ledger.selectors.balances import (
    account_balance,
    account_balance_as_of,
    account_statement,
)
from ledger.selectors.balances import trial_balance_figures as trial_balance
from ledger.services import rules
from tests.ledger.accounts import clearing, fund, refs

pytestmark = pytest.mark.django_db


def myr(amount: str | int) -> Money:
    return Money(Decimal(amount), "MYR")


def give(campaign, n: int, day: dt.date, amount: str = "10.00") -> None:
    gross = myr(amount)
    rules.donation_settled(
        fund=fund(campaign),
        clearing=clearing(),
        refs=refs(campaign, balance_transaction_id=f"t{n}"),
        donation_ref=f"d{n}",
        presentment=gross,
        gross=gross,
        fee=myr("0.00"),
        net=gross,
        exchange_rate=None,
        donor_country="MY",
        effective_date=day,
    )


@pytest.fixture
def march(campaign):
    for n in range(1, 8):
        give(campaign, n, dt.date(2026, 3, n))
    return fund(campaign, "MYR")


def test_balance_as_of_counts_entries_up_to_that_date(march):
    assert account_balance(account=march) == myr("-70.00")
    assert account_balance_as_of(account=march, as_of=dt.date(2026, 3, 3)) == myr("-30.00")
    assert account_balance_as_of(account=march, as_of=dt.date(2026, 2, 28)) == myr(0)


def test_the_statement_carries_the_running_balance_across_pages(march):
    first = account_statement(account=march, page=1, page_size=3)
    second = account_statement(account=march, page=2, page_size=3)
    assert first.paginator.count == 7
    assert [line.running_balance for line in first.object_list] == [
        myr("-10"),
        myr("-20"),
        myr("-30"),
    ]
    assert second.object_list[0].running_balance == myr("-40")
    assert second.object_list[0].effective_date == dt.date(2026, 3, 4)


def test_reading_a_balance_does_not_grow_with_the_ledger(march, django_assert_num_queries):
    with django_assert_num_queries(1):
        account_balance(account=march)
    with django_assert_num_queries(1):
        tb = trial_balance()
    assert tb.balanced
    stripe_clearing = clearing()
    row = next(r for r in tb.rows if r.account == stripe_clearing)
    assert row.balance == myr("70.00")


def test_a_past_trial_balance_is_summed_from_the_postings(march):
    tb = trial_balance(as_of=dt.date(2026, 3, 2))
    fund = next(r for r in tb.rows if r.account == march)
    assert fund.balance == myr("-20.00") and tb.balanced


def test_a_fund_holds_each_currency_apart(campaign):
    give(campaign, 1, dt.date(2026, 3, 1))
    rules.offline_gift(
        fund=fund(campaign, "IDR"),
        refs=refs(campaign),
        reference="b1",
        amount=Money(50000, "IDR"),
        bank_account_code=None,
        donor_country="ID",
        effective_date=dt.date(2026, 3, 2),
        recorded_by=None,
        exchange_rate=Decimal("0.000285"),
    )
    assert campaign_fund_balance(campaign=campaign) == {
        "MYR": myr("10.00"), "IDR": Money(50000, "IDR")
    }  # fmt: skip
    tb = trial_balance()
    assert set(tb.totals) == {"MYR", "IDR"} and tb.balanced
