"""Closing a period only once it has ended, and booking money the provider already moved
into the first open day when its own day is closed (the treasurer's list shows it)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from unittest import mock

import pytest
from django.urls import reverse
from django.utils import timezone
from moneyed import Money

from common.errors import ApplicationError, Conflict
from ledger.models import ClosedPeriod, EntryKind, JournalEntry
from ledger.selectors.journal import late_entries
from ledger.services import rules
from ledger.services.periods import period_close, period_reopen, secretariat_today
from tests.ledger.accounts import clearing, fund, refs

pytestmark = pytest.mark.django_db

MARCH_END = dt.date(2026, 3, 31)
IN_MARCH = dt.date(2026, 3, 15)


def myr(amount: str) -> Money:
    return Money(Decimal(amount), "MYR")


def settle(campaign, ref: str = "don-1", day: dt.date = IN_MARCH, **extra) -> JournalEntry:
    gross, fee = myr("100.00"), myr("3.20")
    return rules.donation_settled(
        fund=fund(campaign), clearing=clearing(), donation_ref=ref,
        refs=refs(campaign, balance_transaction_id=f"txn_{ref}"), presentment=gross,
        gross=gross, fee=fee, net=gross - fee, exchange_rate=None, donor_country="MY",
        effective_date=day, **extra,
    )  # fmt: skip


def refund(campaign, refund_id: str = "re_1", day: dt.date = IN_MARCH) -> JournalEntry:
    return rules.refund_booked(
        donation_ref="don-1", refund_id=refund_id, fund=fund(campaign), clearing=clearing(),
        refunded_presentment=myr("40.00"), refund_settled=myr("40.00"), effective_date=day,
        refs=refs(campaign), allow_negative=True,
    )  # fmt: skip


# --- closing ------------------------------------------------------------------------------


def test_the_secretariats_today_is_in_its_time_zone(settings):
    settings.TIME_ZONE = "Asia/Kuala_Lumpur"
    late_evening_utc = dt.datetime(2026, 6, 30, 17, 0, tzinfo=dt.UTC)  # 01:00 on 1 July in KL
    with mock.patch("django.utils.timezone.now", return_value=late_evening_utc):
        assert secretariat_today() == dt.date(2026, 7, 1)


@pytest.mark.parametrize("days_ahead", [0, 1, 2_700_000])
def test_a_period_that_has_not_ended_cannot_be_closed(api, treasurer, days_ahead):
    api.force_authenticate(treasurer)
    today = secretariat_today()
    until = today + dt.timedelta(days=min(days_ahead, (dt.date.max - today).days))
    response = api.post(reverse("api-ledger-period-close"),
                        {"until": until.isoformat(), "reason": "fuzz"}, format="json")  # fmt: skip
    assert response.status_code == 400, response.content
    assert "until" in response.json()["fields"] and "ended" in response.json()["message"]
    assert not ClosedPeriod.objects.exists()


def test_the_far_future_date_of_the_fuzzer_cannot_be_closed(api, treasurer):
    api.force_authenticate(treasurer)
    response = api.post(reverse("api-ledger-period-close"), {"until": "9440-08-28"},
                        format="json")  # fmt: skip
    assert response.status_code == 400 and not ClosedPeriod.objects.exists()


def test_yesterday_can_be_closed(api, treasurer):
    api.force_authenticate(treasurer)
    yesterday = secretariat_today() - dt.timedelta(days=1)
    response = api.post(reverse("api-ledger-period-close"), {"until": yesterday.isoformat()},
                        format="json")  # fmt: skip
    assert response.status_code == 201 and response.json()["until"] == yesterday.isoformat()


def test_the_service_refuses_a_future_close(treasurer):
    with pytest.raises(ApplicationError) as error:
        period_close(until=secretariat_today(), actor=treasurer)
    assert error.value.status_code == 400 and error.value.code == "period_not_ended"


# --- booking late -------------------------------------------------------------------------


def test_money_the_provider_moved_is_booked_into_the_first_open_day(campaign, treasurer):
    settle(campaign)
    period_close(until=MARCH_END, actor=treasurer, reason="March")
    entry = refund(campaign)
    assert entry.effective_date == dt.date(2026, 4, 1)
    assert entry.source_refs["original_date"] == IN_MARCH.isoformat()
    assert refund(campaign).pk == entry.pk  # a replay answers the same entry
    assert list(late_entries()) == [entry]


def test_an_entry_booked_before_the_close_is_not_booked_again_after_it(campaign, treasurer):
    first = settle(campaign)
    period_close(until=MARCH_END, actor=treasurer, reason="March")
    assert settle(campaign).pk == first.pk and first.effective_date == IN_MARCH
    assert not late_entries().exists()


def test_late_booking_goes_after_the_latest_closed_period(campaign, treasurer):
    period_close(until=dt.date(2026, 2, 28), actor=treasurer)
    period_close(until=MARCH_END, actor=treasurer)
    assert settle(campaign, day=dt.date(2026, 1, 10)).effective_date == dt.date(2026, 4, 1)


def test_a_reopened_period_takes_its_own_dates_again(campaign, treasurer):
    period = period_close(until=MARCH_END, actor=treasurer)
    period_reopen(period=period, actor=treasurer, reason="auditor")
    entry = settle(campaign)
    assert entry.effective_date == IN_MARCH and "original_date" not in entry.source_refs


def test_what_the_treasurer_types_is_still_refused_in_a_closed_period(campaign, treasurer):
    period_close(until=MARCH_END, actor=treasurer)
    with pytest.raises(Conflict) as error:
        rules.offline_gift(
            reference="bank-1", fund=fund(campaign), amount=myr("50.00"),
            bank_account_code=None, donor_country="MY", effective_date=IN_MARCH,
            recorded_by=treasurer,
        )  # fmt: skip
    assert error.value.code == "period_closed"
    with pytest.raises(Conflict):
        settle(campaign, late_into_open_period=False)  # the core's lock holds without it
    assert not JournalEntry.objects.exists()


def test_the_late_list_is_the_treasurers(api, donor, treasurer, campaign):
    settle(campaign)
    period_close(until=MARCH_END, actor=treasurer)
    entry = refund(campaign)
    url = reverse("api-ledger-late-entries")
    api.force_authenticate(donor)
    assert api.get(url).status_code == 403
    api.force_authenticate(treasurer)
    body = api.get(url).json()
    assert body["count"] == 1
    row = body["results"][0]
    assert row["entry_id"] == entry.pk and row["kind"] == EntryKind.REFUND
    assert row["original_date"] == "2026-03-15" and row["effective_date"] == "2026-04-01"


def test_the_admin_lists_entries_booked_late(client, admin_user, campaign, treasurer):
    settle(campaign, ref="on-time", day=dt.date(2026, 4, 2))
    settle(campaign)
    period_close(until=MARCH_END, actor=treasurer)
    late = refund(campaign)
    client.force_login(admin_user)
    page = client.get("/admin/ledger/journalentry/?booked_late=yes")
    assert page.status_code == 200
    assert list(page.context["cl"].result_list) == [late]
    assert b"2026-03-15" in page.content or b"March 15, 2026" in page.content


def test_dates_are_today_or_earlier_for_late_booking(campaign, treasurer):
    """The first open day never lies in the future once closing needs an ended period."""
    settle(campaign, day=secretariat_today() - dt.timedelta(days=3))
    period_close(until=secretariat_today() - dt.timedelta(days=1), actor=treasurer)
    entry = refund(campaign, day=secretariat_today() - dt.timedelta(days=2))
    assert entry.effective_date == secretariat_today() <= timezone.localdate()


def test_the_secretariats_fee_on_a_late_gift_is_booked_late_beside_it(
    campaign, treasurer, settings
):
    from treasury.services.fees import secretariat_fee_on_donation

    settings.SECRETARIAT_FEE_SHARE = "0.05"
    period_close(until=MARCH_END, actor=treasurer)
    gift = settle(campaign)
    fee = secretariat_fee_on_donation(campaign=campaign, donation_ref="don-1")
    assert gift.effective_date == fee.effective_date == dt.date(2026, 4, 1)
    assert set(late_entries()) == {gift, fee}
    assert fee.source_refs["original_date"] == IN_MARCH.isoformat()
