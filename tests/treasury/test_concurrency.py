"""Treasurers approving and paying disbursements at the same moment, on PostgreSQL: the
fund is never over-committed, and a disbursement is paid once."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from moneyed import Money

from common.errors import ApplicationError
from ledger.models import JournalEntry
from ledger.services import rules
from ledger.services.chart import chart_ensure_default
from tests.factories import CampaignFactory, UserFactory
from tests.ledger.accounts import fund, refs
from tests.ledger.test_concurrency import THREADS, in_threads
from tests.treasury.operations import myr
from treasury.models import Disbursement, DisbursementAudit
from treasury.services.disbursements import disbursement_approve, disbursement_pay

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="SQLite has one writer at a time: concurrent row locking only exists on PostgreSQL",
    ),
]

DAY = dt.date(2026, 3, 2)


@pytest.fixture
def funded():
    """A campaign whose fund holds MYR 100, and the treasurer who spends it."""
    chart_ensure_default()
    campaign = CampaignFactory()
    rules.offline_gift(
        fund=fund(campaign),
        refs=refs(campaign),
        reference="seed",
        amount=myr("100.00"),
        bank_account_code=None,
        donor_country="MY",
        effective_date=DAY,
        recorded_by=None,
    )
    return campaign, UserFactory(username="treasurer")


def test_concurrent_approvals_never_commit_more_than_the_fund_holds(funded):
    campaign, treasurer = funded

    def work(n: int) -> bool:
        try:
            disbursement_approve(
                campaign=campaign, amount=Money(30, "MYR"), fund_amount=myr("30.00"),
                effective_date=DAY, created_by=treasurer, reference=f"dis-{n}",
            )  # fmt: skip
        except ApplicationError as error:
            assert error.code == "insufficient_funds"
            return False
        return True

    results, errors = in_threads(work)

    assert errors == []
    assert results.count(True) == 3  # 3 x 30 fit in 100, a fourth does not
    assert Disbursement.objects.count() == 3
    assert JournalEntry.objects.filter(kind="disbursement").count() == 3


def test_a_disbursement_paid_by_many_threads_at_once_is_paid_once(funded):
    campaign, treasurer = funded
    disbursement = disbursement_approve(
        campaign=campaign, amount=Money(40, "MYR"), fund_amount=myr("40.00"), effective_date=DAY,
        created_by=treasurer, reference="dis-1",
    )  # fmt: skip

    def work(n: int) -> str:
        try:
            disbursement_pay(disbursement=disbursement, effective_date=DAY, actor=treasurer)
        except ApplicationError as error:
            return error.code
        return "paid"

    results, errors = in_threads(work)

    assert errors == []
    assert sorted(results) == ["invalid_transition"] * (THREADS - 1) + ["paid"]
    assert JournalEntry.objects.filter(kind="disbursement_paid").count() == 1
    assert DisbursementAudit.objects.filter(to_state="paid").count() == 1
