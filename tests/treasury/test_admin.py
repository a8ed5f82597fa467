"""The treasurer's operations in the admin call the same services as the API: reversing an
entry (with a reason), recording an offline gift, setting a fee share, approving, paying and
cancelling disbursements; refusals show on the page and save nothing."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from moneyed import Money

from ledger.models import JournalEntry
from ledger.services import rules
from ledger.services.periods import period_close
from tests.ledger.accounts import fund, refs
from tests.treasury.operations import balance, fund_code, myr, postings
from treasury.models import Disbursement, FeeShare

pytestmark = pytest.mark.django_db
D1 = dt.date(2026, 3, 2)
ENTRIES = "admin:ledger_journalentry_changelist"
DISBURSEMENTS = "admin:treasury_disbursement_changelist"


@pytest.fixture
def staff(client, treasurer, chart):
    client.force_login(treasurer)
    return client


def gift(campaign, ref: str = "bank-1", amount: str = "500.00") -> JournalEntry:
    return rules.offline_gift(
        fund=fund(campaign),
        refs=refs(campaign),
        reference=ref,
        amount=myr(amount),
        bank_account_code=None,
        donor_country="MY",
        effective_date=D1,
        recorded_by=None,
    )


def messages_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def run_action(client, changelist: str, action: str, pks: list[int], **form):
    data = {"action": action, "_selected_action": pks, **form}
    return client.post(reverse(changelist), data, follow=bool(form))


def test_reverse_action_asks_for_a_reason_then_reverses_once(staff, campaign):
    entry = gift(campaign)

    page = run_action(staff, ENTRIES, "reverse_entries", [entry.pk])
    assert page.status_code == 200 and b'name="reason"' in page.content

    reason = "Booked to the wrong campaign"
    done = run_action(staff, ENTRIES, "reverse_entries", [entry.pk], apply="1", reason=reason,
                      effective_date="2026-03-09")  # fmt: skip
    reversal = JournalEntry.objects.get(reverses=entry)
    assert reversal.reason == "Booked to the wrong campaign"
    assert reversal.recorded_by.username == "treasurer"
    assert postings(reversal.pk) == [("1200-BANK-MYR", "-500.00", "-500.00"),
                                     ("3100-FUND-C-MYR", "500.00", "500.00")]  # fmt: skip
    assert any("reversal" in m for m in messages_of(done))

    again = run_action(staff, ENTRIES, "reverse_entries", [entry.pk], apply="1",
                       reason="Again", effective_date="2026-03-09")  # fmt: skip
    assert any("already reversed" in m for m in messages_of(again))
    assert JournalEntry.objects.count() == 2


def test_reverse_action_without_a_reason_shows_the_form_again(staff, campaign):
    entry = gift(campaign)

    page = run_action(staff, ENTRIES, "reverse_entries", [entry.pk], apply="1", reason="",
                      effective_date="2026-03-09")  # fmt: skip

    assert page.status_code == 200 and b"This field is required" in page.content
    assert JournalEntry.objects.count() == 1


def test_offline_gift_page_records_the_gift(staff, campaign):
    url = reverse("admin:ledger_journalentry_offline_gift")
    assert staff.get(url).status_code == 200
    assert url.encode() in staff.get(reverse(ENTRIES)).content

    response = staff.post(url, {"campaign": campaign.pk, "reference": "bank-9",
                                "amount": "75.50", "currency": "MYR", "donor_country": "sg",
                                "effective_date": "2026-03-02"})  # fmt: skip

    assert response.status_code == 302, response.content
    entry = JournalEntry.objects.get(kind="offline_gift")
    assert entry.source_refs["donor_country"] == "SG" and entry.recorded_by.username == "treasurer"
    assert balance(fund_code(campaign)) == Decimal("-75.50")


@pytest.mark.parametrize(
    ("changes", "shown"),
    [
        ({"amount": "75.505"}, b"at most 2 decimals"),
        ({"donor_country": "XX"}, b"not an ISO 3166 country"),
        ({"currency": "PHP"}, b"need a rate"),
        ({"effective_date": "2026-03-15"}, b"period is closed"),
    ],
)
def test_offline_gift_page_shows_refusals_and_saves_nothing(staff, campaign, treasurer,
                                                              changes, shown):  # fmt: skip
    period_close(until=dt.date(2026, 3, 20), actor=treasurer, reason="March")
    body = {"campaign": campaign.pk, "reference": "bank-9", "amount": "75.50",
            "currency": "MYR", "donor_country": "SG", "effective_date": "2026-03-25"}  # fmt: skip

    response = staff.post(reverse("admin:ledger_journalentry_offline_gift"), {**body, **changes})

    assert response.status_code == 200
    assert shown in response.content
    assert not JournalEntry.objects.exists()


def test_release_and_revaluation_pages(staff, ph_campaign):
    rules.offline_gift(
        fund=fund(ph_campaign, "PHP"),
        refs=refs(ph_campaign),
        reference="bank-php",
        amount=Money(5000, "PHP"),
        bank_account_code=None,
        donor_country="PH",
        effective_date=D1,
        recorded_by=None,
        exchange_rate=Decimal("0.08"),
    )

    release = staff.post(reverse("admin:ledger_journalentry_release"), {
        "campaign": ph_campaign.pk, "reference": "rel-1", "amount": "1000", "currency": "PHP",
        "book_rate": "0.08", "reason": "Donors agreed", "effective_date": "2026-03-05",
    })  # fmt: skip
    revalue = staff.post(reverse("admin:ledger_journalentry_fx_revaluation"),
                         {"as_of": "2026-03-31", "closing_rates": "PHP 0.0825\n"})  # fmt: skip
    bad = staff.post(reverse("admin:ledger_journalentry_fx_revaluation"),
                     {"as_of": "2026-04-30", "closing_rates": "PHP"})  # fmt: skip

    assert release.status_code == revalue.status_code == 302
    assert balance(fund_code(ph_campaign, "PHP")) == Decimal("-4000.00")
    assert postings(JournalEntry.objects.get(kind="fx_revaluation").pk) == [
        ("1200-BANK-PHP", "0.00", "12.50"),
        ("4900-FX-UNREALISED-MYR", "0.00", "-12.50"),
    ]
    assert bad.status_code == 200 and b"CCY rate" in bad.content


def test_fee_share_is_set_from_the_admin(staff, campaign):
    url = reverse("admin:treasury_feeshare_add")

    response = staff.post(url, {"campaign": campaign.pk, "share": "0.0750",
                                "reason": "Agreed with the enterprise"})  # fmt: skip
    too_high = staff.post(url, {"campaign": campaign.pk, "share": "0.9"})

    assert response.status_code == 302, response.content
    row = FeeShare.objects.get(campaign=campaign)
    assert (row.share, row.set_by.username) == (Decimal("0.0750"), "treasurer")
    assert too_high.status_code == 200
    assert FeeShare.objects.get(campaign=campaign).share == Decimal("0.0750")


def test_disbursements_are_approved_paid_and_cancelled_from_the_admin(staff, ph_campaign):
    gift(ph_campaign)
    add = reverse("admin:treasury_disbursement_add")
    body = {"campaign": ph_campaign.pk, "amount": "3000", "fund_amount": "240.00",
            "effective_date": "2026-03-02", "reference": "dis-1"}  # fmt: skip

    assert staff.post(add, body).status_code == 302
    assert staff.post(add, {**body, "reference": "dis-2"}).status_code == 302
    first, second = Disbursement.objects.order_by("pk")
    assert (str(first.amount.currency), first.state) == ("PHP", "approved")

    run_action(staff, DISBURSEMENTS, "pay_disbursements", [first.pk], apply="1",
               effective_date="2026-03-09", paid_amount="243.60", paid_currency="MYR")  # fmt: skip
    run_action(staff, DISBURSEMENTS, "cancel_disbursements", [second.pk], apply="1",
               reason="Duplicate")  # fmt: skip
    first.refresh_from_db(), second.refresh_from_db()
    assert (first.state, first.paid) == ("paid", myr("243.60"))
    assert second.state == "cancelled" and second.entry.state == "void"
    assert balance(fund_code(ph_campaign)) == Decimal("-260.00")

    refused = run_action(staff, DISBURSEMENTS, "cancel_disbursements", [first.pk], apply="1",
                         reason="Too late")  # fmt: skip
    assert any("cannot become cancelled" in m for m in messages_of(refused))
    first.refresh_from_db()
    assert first.state == "paid" and first.audit.count() == 2


def test_disbursement_approval_page_shows_a_refusal(staff, ph_campaign):
    body = {"campaign": ph_campaign.pk, "amount": "3000.001", "fund_amount": "240.00",
            "effective_date": "2026-03-02"}  # fmt: skip

    response = staff.post(reverse("admin:treasury_disbursement_add"), body)

    assert response.status_code == 200 and b"at most 2 decimals" in response.content
    assert not Disbursement.objects.exists()


def test_a_reviewer_cannot_use_the_treasurers_pages(client, reviewer, campaign):
    client.force_login(reviewer)

    response = client.get(reverse("admin:ledger_journalentry_offline_gift"))

    assert response.status_code == 403


def test_a_treasurer_group_older_than_disbursements_still_sees_them(client, treasurer, chart):
    from django.contrib.auth.models import Permission

    group = treasurer.groups.get()
    group.permissions.remove(*Permission.objects.filter(codename__endswith="_disbursement"))
    client.force_login(treasurer)

    assert client.get(reverse(DISBURSEMENTS)).status_code == 200
    assert client.get(reverse("admin:treasury_disbursement_add")).status_code == 200


def test_manual_adjustment_page_posts_the_lines_with_the_reason(staff, campaign):
    url = reverse("admin:ledger_journalentry_manual_adjustment")
    body = {"reason": "Bank interest for March", "effective_date": "2026-03-31",
            "lines": "1200-BANK-MYR debit 12.40\n3000-OPERATIONS-MYR credit 12.40\n"}  # fmt: skip

    for lines, shown in [("1200-BANK-MYR debit 12.40", b"at least two lines"),
                         ("1200-BANK-MYR debit 1.001\n3000-OPERATIONS-MYR credit 1.001",
                          b"at most 2 decimals"),
                         ("9999-NOPE debit 1\n3000-OPERATIONS-MYR credit 1", b"No account"),
                         ("1200-BANK-MYR debit 2\n3000-OPERATIONS-MYR credit 1",
                          b"does not balance")]:  # fmt: skip
        refused = staff.post(url, {**body, "lines": lines})
        assert refused.status_code == 200 and shown in refused.content, lines
    assert staff.post(url, {**body, "reason": ""}).status_code == 200
    assert not JournalEntry.objects.exists()

    assert staff.post(url, body).status_code == 302
    entry = JournalEntry.objects.get(kind="manual_adjustment")
    assert (entry.reason, entry.recorded_by.username) == ("Bank interest for March", "treasurer")
    assert postings(entry.pk) == [("1200-BANK-MYR", "12.40", "12.40"),
                                  ("3000-OPERATIONS-MYR", "-12.40", "-12.40")]  # fmt: skip
