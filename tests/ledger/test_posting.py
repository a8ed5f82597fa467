"""The posting core and the rules as their callers see them: idempotency, conflicts,
reversals, pending entries, periods, and the errors a caller gets."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import transaction
from moneyed import Money

from campaigns.selectors import campaign_fund_balance
from common.errors import ApplicationError, Conflict
from ledger.models import AccountRole, EntryState, JournalEntry, PeriodAudit
from ledger.selectors.balances import account_balance
from ledger.services import rules
from ledger.services.chart import role_account
from ledger.services.periods import period_close, period_reopen
from ledger.services.posting import (
    credit,
    debit,
    entry_post,
    entry_reverse,
    entry_void,
)
from tests.ledger.accounts import clearing, fund, payable, refs

pytestmark = pytest.mark.django_db

D1 = dt.date(2026, 3, 2)
D2 = dt.date(2026, 3, 9)


def myr(amount: str) -> Money:
    return Money(Decimal(amount), "MYR")


def settle(campaign, ref: str = "don-1", gross: str = "100.00", **overrides):
    gross_m = myr(gross)
    fee = myr("3.20")
    kwargs = dict(
        fund=fund(campaign), clearing=clearing(), donation_ref=ref,
        refs=refs(campaign, balance_transaction_id=f"txn_{ref}"), presentment=gross_m,
        gross=gross_m, fee=fee, net=gross_m - fee, exchange_rate=None, donor_country="MY",
        effective_date=D1,
    )  # fmt: skip
    kwargs.update(overrides)
    return rules.donation_settled(**kwargs)


def test_a_replayed_donation_returns_the_first_entry(campaign):
    first = settle(campaign)
    again = settle(campaign)
    assert again.pk == first.pk
    assert JournalEntry.objects.count() == 1
    assert campaign_fund_balance(campaign=campaign) == {"MYR": myr("100.00")}


def test_the_same_donation_with_other_amounts_is_a_conflict(campaign):
    settle(campaign)
    with pytest.raises(Conflict) as error:
        settle(campaign, gross="200.00")
    assert error.value.code == "idempotency_conflict"


def test_the_donors_currency_rate_and_country_are_kept(campaign):
    entry = rules.donation_settled(
        fund=fund(campaign),
        clearing=clearing(),
        refs=refs(campaign, balance_transaction_id="txn_x", charge_id="ch_1"),
        donation_ref="d-idr",
        presentment=Money(1_000_000, "IDR"),
        gross=myr("285.00"),
        fee=myr("10.69"),
        net=myr("274.31"),
        exchange_rate=Decimal("0.000285"),
        donor_country="id",
        effective_date=D1,
    )
    entry_refs = entry.source_refs
    assert entry_refs["presentment"] == {"amount": "1000000", "currency": "IDR"}
    assert entry_refs["exchange_rate"] == "0.000285"
    assert entry_refs["donor_country"] == "ID"
    assert entry_refs["balance_transaction_id"] == "txn_x"


def test_gross_fee_and_net_must_agree(campaign):
    with pytest.raises(ApplicationError):
        settle(campaign, net=myr("90.00"))


def test_partial_refunds_adding_up_to_the_donation_empty_the_fund_exactly(campaign):
    rules.donation_settled(
        fund=fund(campaign),
        clearing=clearing(),
        refs=refs(campaign, balance_transaction_id="t"),
        donation_ref="d",
        presentment=Money(3, "USD"),
        gross=myr("13.33"),
        fee=myr("0"),
        net=myr("13.33"),
        exchange_rate=Decimal("4.4433"),
        donor_country="US",
        effective_date=D1,
    )
    for n in range(3):
        rules.refund_booked(
            fund=fund(campaign),
            clearing=clearing(),
            refs=refs(campaign, balance_transaction_id=f"t_re_{n}"),
            donation_ref="d",
            refund_id=f"re_{n}",
            refunded_presentment=Money(1, "USD"),
            refund_settled=myr("4.50"),
            effective_date=D2,
            allow_negative=True,
        )
    assert campaign_fund_balance(campaign=campaign) == {"MYR": myr("0.000")}
    with pytest.raises(ApplicationError, match="More than the donation"):
        rules.refund_booked(
            fund=fund(campaign),
            clearing=clearing(),
            refs=refs(campaign, balance_transaction_id="t"),
            donation_ref="d",
            refund_id="re_9",
            refunded_presentment=Money(1, "USD"),
            refund_settled=myr("4.50"),
            effective_date=D2,
        )


def test_a_refund_before_its_donation_is_booked_asks_to_retry(campaign):
    with pytest.raises(ApplicationError) as error:
        rules.refund_booked(
            fund=fund(campaign),
            clearing=clearing(),
            refs=refs(campaign, balance_transaction_id="t"),
            donation_ref="unknown",
            refund_id="re_1",
            refunded_presentment=myr("1.00"),
            refund_settled=myr("1.00"),
            effective_date=D2,
        )
    assert error.value.status_code == 409


def test_a_fund_cannot_be_overspent(campaign, chart):
    settle(campaign)
    with pytest.raises(Conflict) as error:
        rules.release_from_restriction(
            fund=fund(campaign),
            refs=refs(campaign),
            reference="r1",
            amount=myr("100.01"),
            reason="Project done",
            effective_date=D2,
        )
    assert error.value.code == "insufficient_funds"
    assert account_balance(account=fund(campaign)) == myr("-100.00")


def test_the_giving_code_can_post_inside_its_own_transaction(campaign):
    with transaction.atomic():
        entry = settle(campaign, durable=False)
    assert entry.state == EntryState.POSTED


def test_money_services_refuse_to_be_nested_by_accident(campaign):
    with pytest.raises(RuntimeError), transaction.atomic():
        settle(campaign)


def test_an_unbalanced_entry_is_refused_before_the_database(chart):
    bank = role_account(role=AccountRole.BANK)
    ops = role_account(role=AccountRole.OPERATIONS_FUND)
    with pytest.raises(ApplicationError, match="does not balance"):
        entry_post(
            idempotency_key="k", kind="manual_adjustment", memo="m", effective_date=D1,
            lines=[debit(bank, myr("1.00")), credit(ops, myr("0.99"))], source_refs={},
            reason="test",
        )  # fmt: skip


def test_a_foreign_rounding_difference_goes_to_the_rounding_account(chart):
    bank_idr = role_account(role=AccountRole.BANK, currency="IDR")
    conv_idr = role_account(role=AccountRole.FX_CONVERSION, currency="IDR")
    entry = entry_post(
        idempotency_key="k", kind="manual_adjustment", memo="m", effective_date=D1,
        lines=[debit(bank_idr, Money(1001, "IDR"), rate=Decimal("0.000285")),
               credit(conv_idr, Money(1001, "IDR"), amount_book=Decimal("0.28"))],
        source_refs={}, reason="test",
    )  # fmt: skip
    legs = {p.account.role: p for p in entry.postings.select_related("account")}
    assert legs[AccountRole.ROUNDING].amount_book == Decimal("-0.01")
    assert legs[AccountRole.ROUNDING].amount == Money(0, "MYR")


def test_a_posted_entry_is_corrected_by_reversing_it_once(campaign):
    entry = settle(campaign)
    reversal = entry_reverse(entry=entry, reason="Booked twice", effective_date=D2)
    assert reversal.reverses_id == entry.pk
    assert entry_reverse(entry=entry, reason="Booked twice", effective_date=D2).pk == reversal.pk
    with pytest.raises(Conflict):
        entry_reverse(entry=entry, reason="Another reason", effective_date=D2)
    assert campaign_fund_balance(campaign=campaign) == {"MYR": myr("0.000")}


def test_a_manual_adjustment_needs_a_reason(chart, treasurer):
    bank = role_account(role=AccountRole.BANK)
    ops = role_account(role=AccountRole.OPERATIONS_FUND)
    lines = [debit(bank, myr("10.00")), credit(ops, myr("10.00"))]
    with pytest.raises(ApplicationError):
        rules.manual_adjustment(lines=lines, reason="  ", effective_date=D1, recorded_by=treasurer)
    entry = rules.manual_adjustment(
        lines=lines, reason="Opening balance", effective_date=D1, recorded_by=treasurer
    )
    again = rules.manual_adjustment(
        lines=lines, reason="Opening balance", effective_date=D1, recorded_by=treasurer
    )
    assert (entry.reason, entry.recorded_by, again.pk) == ("Opening balance", treasurer, entry.pk)


def test_an_approved_disbursement_is_pending_until_paid_or_voided(ph_campaign, ph_enterprise):
    settle(ph_campaign, gross="500.00")
    pending = rules.disbursement_approved(
        fund=fund(ph_campaign),
        payable=payable(ph_enterprise, "PHP"),
        refs={"campaign_id": ph_campaign.pk, "enterprise_id": ph_enterprise.pk},
        disbursement_ref="dis-1",
        amount=Money(1000, "PHP"),
        fund_amount=myr("80.00"),
        effective_date=D1,
    )
    assert pending.state == EntryState.PENDING
    assert campaign_fund_balance(campaign=ph_campaign) == {"MYR": myr("500.00")}
    voided = rules.disbursement_cancelled(disbursement_ref="dis-1", reason="Project paused")
    assert voided.state == EntryState.VOID
    with pytest.raises(Conflict):
        rules.disbursement_paid(
            disbursement_ref="dis-1", paid=myr("80.00"), bank_account_code=None,
            effective_date=D2,
        )  # fmt: skip


def test_nothing_posts_into_a_closed_period_until_it_is_reopened(campaign, treasurer):
    period = period_close(until=dt.date(2026, 3, 31), actor=treasurer, reason="March")
    # The core's lock (a provider's settled gift is booked late instead by default: see
    # test_late_booking.py).
    with pytest.raises(Conflict) as error:
        settle(campaign, late_into_open_period=False)
    assert error.value.code == "period_closed"
    with pytest.raises(ApplicationError):
        period_reopen(period=period, actor=treasurer, reason="")
    period_reopen(period=period, actor=treasurer, reason="Late Stripe report")
    assert settle(campaign).state == EntryState.POSTED
    audit = list(PeriodAudit.objects.values_list("from_state", "to_state", "comment"))
    assert audit == [("", "closed", "March"), ("closed", "reopened", "Late Stripe report")]


def test_void_needs_a_reason_and_a_pending_entry(campaign):
    entry = settle(campaign)
    with pytest.raises(ApplicationError):
        entry_void(entry=entry, reason="")
    with pytest.raises(Conflict):
        entry_void(entry=entry, reason="oops")


def test_dispute_won_reinstates_the_funds_with_fx(campaign):
    settle(campaign)
    rules.dispute_opened(
        clearing=clearing(),
        refs=refs(campaign, balance_transaction_id="t1"),
        donation_ref="don-1",
        dispute_id="dp",
        amount=myr("96.80"),
        dispute_fee=myr("15.00"),
        effective_date=D1,
    )
    rules.dispute_won(
        clearing=clearing(),
        refs=refs(campaign, balance_transaction_id="t2"),
        donation_ref="don-1",
        dispute_id="dp",
        amount=myr("96.80"),
        dispute_fee_returned=myr("15.00"),
        effective_date=D2,
    )
    stripe_clearing = clearing()
    assert account_balance(account=stripe_clearing) == myr("96.80")
    with pytest.raises(Conflict):  # a dispute closes once
        rules.dispute_lost(
            fund=fund(campaign),
            refs=refs(campaign),
            donation_ref="don-1",
            dispute_id="dp",
            effective_date=D2,
        )


def test_payout_failed_returns_the_money_to_stripe(campaign):
    settle(campaign)
    rules.payout_paid(
        clearing=clearing(),
        label="Stripe",
        payout_id="po",
        amount=myr("96.80"),
        bank_account_code=None,
        effective_date=D1,
    )
    rules.payout_failed(
        clearing=clearing(),
        label="Stripe",
        payout_id="po",
        amount=myr("96.80"),
        bank_account_code=None,
        effective_date=D2,
    )
    stripe_clearing = clearing()
    assert account_balance(account=stripe_clearing) == myr("96.80")
    with pytest.raises(Conflict):
        rules.payout_paid(
            clearing=clearing(),
            label="Stripe",
            payout_id="po2",
            amount=myr("500.00"),
            bank_account_code=None,
            effective_date=D2,
        )


def test_the_secretariat_takes_the_campaigns_configured_share(campaign, treasurer):
    from treasury.services.fees import fee_share_set, secretariat_fee_on_donation

    settle(campaign, gross="200.00")
    # no share configured
    assert secretariat_fee_on_donation(campaign=campaign, donation_ref="don-1") is None
    fee_share_set(campaign_id=campaign.pk, share=Decimal("0.05"), actor=treasurer)
    entry = secretariat_fee_on_donation(campaign=campaign, donation_ref="don-1")
    assert secretariat_fee_on_donation(campaign=campaign, donation_ref="don-1").pk == entry.pk
    assert campaign_fund_balance(campaign=campaign) == {"MYR": myr("190.00")}
    with pytest.raises(ApplicationError):
        fee_share_set(campaign_id=campaign.pk, share=Decimal("0.9"), actor=treasurer)
