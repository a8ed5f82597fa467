"""Ledger stories: each money scenario's journal, printed as a table, against a snapshot
that was read and checked as accounting (tests/ledger/snapshots/*.txt)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from moneyed import Money

from ledger.services import rules
from tests.ledger.accounts import clearing, fund, payable, refs
from tests.ledger.journal import assert_matches_snapshot, journal_table

pytestmark = pytest.mark.django_db

D1 = dt.date(2026, 3, 2)
D2 = dt.date(2026, 3, 9)
D3 = dt.date(2026, 3, 31)
NAMES = {"campaign": "C", "enterprise": "E"}


def myr(amount: str) -> Money:
    return Money(Decimal(amount), "MYR")


def _settle_idr(campaign, ref: str = "don-idr") -> None:
    # IDR 1,000,000 at Stripe's 0.000285 MYR/IDR = MYR 285.00; fee 3.4% + 1.00 = 10.69.
    rules.donation_settled(
        fund=fund(campaign),
        clearing=clearing(),
        refs=refs(campaign, balance_transaction_id=f"txn_{ref}", charge_id=f"ch_{ref}"),
        donation_ref=ref,
        presentment=Money(1_000_000, "IDR"),
        gross=myr("285.00"),
        fee=myr("10.69"),
        net=myr("274.31"),
        exchange_rate=Decimal("0.000285"),
        donor_country="ID",
        effective_date=D1,
    )


def test_same_currency_donation(campaign):
    rules.donation_settled(
        fund=fund(campaign),
        clearing=clearing(),
        refs=refs(campaign, balance_transaction_id="txn_1", charge_id="ch_1"),
        donation_ref="don-1",
        presentment=myr("100.00"),
        gross=myr("100.00"),
        fee=myr("3.20"),
        net=myr("96.80"),
        exchange_rate=None,
        donor_country="MY",
        effective_date=D1,
    )
    rules.secretariat_fee(
        fund=fund(campaign),
        refs=refs(campaign),
        donation_ref="don-1",
        amount=myr("5.00"),
        effective_date=D1,
    )
    assert_matches_snapshot("same_currency_donation", journal_table(names=NAMES))


def test_idr_donation_settled_in_myr(campaign):
    _settle_idr(campaign)
    assert_matches_snapshot("idr_donation", journal_table(names=NAMES))


def test_partial_refund_at_a_different_rate(campaign):
    _settle_idr(campaign)
    # Half refunded a week later; the rupiah has strengthened: 0.000290 -> MYR 145.00 leaves
    # the Stripe balance while the fund carried that half at 142.50.
    rules.refund_booked(
        fund=fund(campaign),
        clearing=clearing(),
        refs=refs(campaign, balance_transaction_id="txn_re_1"),
        donation_ref="don-idr",
        refund_id="re_1",
        refunded_presentment=Money(500_000, "IDR"),
        refund_settled=myr("145.00"),
        effective_date=D2,
    )
    assert_matches_snapshot("partial_refund", journal_table(names=NAMES))


def test_dispute_lost(campaign):
    _settle_idr(campaign)
    rules.dispute_opened(
        clearing=clearing(),
        refs=refs(campaign, balance_transaction_id="txn_dp_1"),
        donation_ref="don-idr",
        dispute_id="dp_1",
        amount=myr("281.00"),
        dispute_fee=myr("15.00"),
        effective_date=D2,
    )
    rules.dispute_lost(
        fund=fund(campaign),
        refs=refs(campaign),
        donation_ref="don-idr",
        dispute_id="dp_1",
        effective_date=D3,
    )
    assert_matches_snapshot("dispute_lost", journal_table(names=NAMES))


def test_payout(campaign):
    _settle_idr(campaign)
    rules.payout_paid(
        clearing=clearing(),
        label="Stripe",
        payout_id="po_1",
        amount=myr("274.31"),
        bank_account_code=None,
        effective_date=D2,
    )
    assert_matches_snapshot("payout", journal_table(names=NAMES))


def test_disbursement_in_php(ph_campaign, ph_enterprise):
    _settle_idr(ph_campaign)
    rules.payout_paid(
        clearing=clearing(),
        label="Stripe",
        payout_id="po_1",
        amount=myr("274.31"),
        bank_account_code=None,
        effective_date=D1,
    )
    # Approved: PHP 3,000 at 0.0800 MYR/PHP = MYR 240.00 from the fund (pending).
    rules.disbursement_approved(
        fund=fund(ph_campaign),
        payable=payable(ph_enterprise, "PHP"),
        refs={"campaign_id": ph_campaign.pk, "enterprise_id": ph_enterprise.pk},
        disbursement_ref="dis-1",
        amount=Money(3000, "PHP"),
        fund_amount=myr("240.00"),
        effective_date=D1,
    )
    # Paid a week later: the bank took MYR 243.60 for the PHP 3,000 (0.0812).
    rules.disbursement_paid(
        disbursement_ref="dis-1", paid=myr("243.60"), bank_account_code=None, effective_date=D2
    )
    assert_matches_snapshot("disbursement_php", journal_table(names=NAMES))


def test_period_revaluation(ph_campaign, ph_enterprise):
    rules.offline_gift(
        fund=fund(ph_campaign, "PHP"),
        refs=refs(ph_campaign),
        reference="bank-2026-03-001",
        amount=Money(5000, "PHP"),
        bank_account_code=None,
        donor_country="PH",
        effective_date=D1,
        recorded_by=None,
        exchange_rate=Decimal("0.0800"),
    )
    rules.disbursement_approved(
        fund=fund(ph_campaign, "PHP"),
        payable=payable(ph_enterprise, "PHP"),
        refs={"campaign_id": ph_campaign.pk, "enterprise_id": ph_enterprise.pk},
        disbursement_ref="dis-2",
        amount=Money(2000, "PHP"),
        fund_amount=Money(2000, "PHP"),
        effective_date=D1,
        fund_rate=Decimal("0.0800"),
    )
    rules.disbursement_paid(
        disbursement_ref="dis-2", paid=Money(2000, "PHP"), bank_account_code=None,
        effective_date=D2,
    )  # fmt: skip
    # Month end: PHP at 0.0825; the PHP bank (PHP 3,000 booked at MYR 240) is worth 247.50.
    rules.fx_revaluation(as_of=D3, closing_rates={"PHP": Decimal("0.0825")})
    assert_matches_snapshot("period_revaluation", journal_table(names=NAMES))
