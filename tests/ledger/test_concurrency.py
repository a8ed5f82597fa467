"""Many threads posting to the same fund at once, on PostgreSQL: exact balances, no deadlock,
one entry per idempotency key, and no overspending however the posts interleave."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection, connections
from moneyed import Money

from campaigns.models import Campaign
from campaigns.selectors import campaign_fund_balance
from common.errors import ApplicationError
from ledger.models import JournalEntry
from ledger.selectors.balances import account_balance
from ledger.services import rules
from ledger.services.chart import chart_ensure_default
from tests.factories import CampaignFactory
from tests.ledger.accounts import clearing, fund, refs

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="SQLite has one writer at a time: concurrent row locking only exists on PostgreSQL",
    ),
]

DAY = dt.date(2026, 3, 2)
THREADS = 8
PER_THREAD = 10


def myr(amount: str) -> Money:
    return Money(Decimal(amount), "MYR")


def in_threads(work: Callable[[int], Any]) -> tuple[list[Any], list[BaseException]]:
    """Run work(0..THREADS-1) at once, each thread on its own connection."""
    results: list[Any] = []
    errors: list[BaseException] = []
    start = threading.Barrier(THREADS)

    def run(n: int) -> None:
        try:
            start.wait()
            results.append(work(n))
        except BaseException as error:  # noqa: BLE001 - reported by the test
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(n,)) for n in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results, errors


def settle(campaign: Campaign, ref: str, gross: str = "10.00") -> JournalEntry:
    gross_m, fee = myr(gross), myr("0.50")
    return rules.donation_settled(
        fund=fund(campaign),
        clearing=clearing(),
        refs=refs(campaign, balance_transaction_id=f"t-{ref}"),
        donation_ref=ref,
        presentment=gross_m,
        gross=gross_m,
        fee=fee,
        net=gross_m - fee,
        exchange_rate=None,
        donor_country="MY",
        effective_date=DAY,
    )


def test_many_threads_posting_to_one_fund_give_exact_balances():
    chart_ensure_default()
    campaign = CampaignFactory()

    def work(n: int) -> None:
        for i in range(PER_THREAD):
            settle(campaign, f"d-{n}-{i}")
            if i % 3 == 0:  # releases lock the fund and the operations fund in the same order
                rules.release_from_restriction(
                    fund=fund(campaign),
                    refs=refs(campaign),
                    reference=f"r-{n}-{i}",
                    amount=myr("1.00"),
                    reason="Met",
                    effective_date=DAY,
                )

    _, errors = in_threads(work)
    assert errors == []
    releases = THREADS * len(range(0, PER_THREAD, 3))
    held = Decimal("10.00") * THREADS * PER_THREAD - releases
    assert campaign_fund_balance(campaign=campaign) == {"MYR": myr(str(held))}
    stripe_clearing = clearing()
    assert account_balance(account=stripe_clearing) == myr(
        str(Decimal("9.50") * THREADS * PER_THREAD)
    )


def test_the_same_donation_posted_by_many_threads_is_booked_once():
    chart_ensure_default()
    campaign = CampaignFactory()
    results, errors = in_threads(lambda n: settle(campaign, "same").pk)
    assert errors == []
    assert len(set(results)) == 1
    assert JournalEntry.objects.count() == 1


def test_concurrent_spending_never_overdraws_a_fund():
    chart_ensure_default()
    campaign = CampaignFactory()
    settle(campaign, "seed", gross="100.00")

    def work(n: int) -> bool:
        try:
            rules.release_from_restriction(
                fund=fund(campaign),
                refs=refs(campaign),
                reference=f"r-{n}",
                amount=myr("30.00"),
                reason="Met",
                effective_date=DAY,
            )
        except ApplicationError as error:
            assert error.code == "insufficient_funds"
            return False
        return True

    results, errors = in_threads(work)
    assert errors == []
    assert results.count(True) == 3
    assert campaign_fund_balance(campaign=campaign) == {"MYR": myr("10.00")}
