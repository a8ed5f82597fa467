"""Disbursements to enterprises: approved (pending entry), paid (posted, with the bank
payment and its FX), cancelled (voided); each move audited, illegal moves refused with a
409 and nothing half-saved."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from moneyed import Money

from common.errors import ApplicationError
from ledger.models import EntryState, JournalEntry
from ledger.services.periods import period_close
from tests.factories import EnterpriseFactory
from tests.treasury.operations import D1, D2, balance, fund_code, myr, postings
from treasury.models import Disbursement, DisbursementAudit
from treasury.services.disbursements import disbursement_approve

pytestmark = pytest.mark.django_db


@pytest.fixture
def client(api, treasurer, chart):
    api.force_authenticate(treasurer)
    return api


@pytest.fixture
def funded(client, ph_campaign):
    """The Philippine campaign's fund holds MYR 500 from a bank transfer."""
    body = {"campaign": ph_campaign.pk, "reference": "bank-1", "amount": "500.00",
            "currency": "MYR", "donor_country": "MY", "effective_date": D1}  # fmt: skip
    assert client.post(reverse("api-ledger-offline-gifts"), body, format="json").status_code == 201
    return ph_campaign


def approve(client, to, **changes):
    body = {"campaign": to.pk, "amount": "3000", "fund_amount": "240.00",
            "effective_date": D1, "reference": "dis-1", "comment": "Tranche 1"}  # fmt: skip
    return client.post(reverse("api-ledger-disbursements"), {**body, **changes}, format="json")


def act(client, pk: int, verb: str, body: dict):
    return client.post(reverse(f"api-ledger-disbursement-{verb}", kwargs={"pk": pk}), body,
                       format="json")  # fmt: skip


def refused(response, status: int, code: str | None = None) -> dict:
    assert response.status_code == status, response.content
    body = response.json()
    assert body["message"]
    if code:
        assert body["code"] == code, body
    return body


def test_approve_then_pay_in_myr_books_the_payment_and_its_fx(client, funded):
    approved = approve(client, funded)

    assert approved.status_code == 201, approved.content
    d = approved.json()
    assert (d["state"], d["amount"], d["currency"]) == ("approved", "3000.00", "PHP")
    assert (d["fund_amount"], d["fund_currency"], d["paid"]) == ("240.00", "MYR", None)
    assert JournalEntry.objects.get(pk=d["entry"]).state == EntryState.PENDING
    assert balance(fund_code(funded)) == Decimal("-500.00")  # pending moves nothing

    paid = act(client, d["id"], "pay", {"effective_date": D2, "paid_amount": "243.60",
                                         "paid_currency": "MYR", "comment": "Wire 88"})  # fmt: skip

    assert paid.status_code == 200, paid.content
    d = paid.json()
    assert (d["state"], d["paid"], d["paid_currency"], d["paid_on"]) == (
        "paid", "243.60", "MYR", D2)  # fmt: skip
    assert postings(d["entry"]) == [
        ("3100-FUND-C-MYR", "240.00", "240.00"),
        ("2100-PAYABLE-E-PHP", "-3000.00", "-240.00"),
        ("3900-FX-CONVERSION-MYR", "-240.00", "-240.00"),
        ("3900-FX-CONVERSION-PHP", "3000.00", "240.00"),
    ]
    assert postings(d["payment_entry"]) == [
        ("2100-PAYABLE-E-PHP", "3000.00", "240.00"),
        ("3900-FX-CONVERSION-PHP", "-3000.00", "-240.00"),
        ("3900-FX-CONVERSION-MYR", "240.00", "240.00"),
        ("1200-BANK-MYR", "-243.60", "-243.60"),
        ("4800-FX-REALISED-MYR", "3.60", "3.60"),
    ]
    assert balance(fund_code(funded)) == Decimal("-260.00")
    assert balance("1200-BANK-MYR") == Decimal("256.40")
    assert [(a["from_state"], a["to_state"], a["actor"], a["comment"]) for a in d["audit"]] == [
        ("", "approved", "treasurer", "Tranche 1"),
        ("approved", "paid", "treasurer", "Wire 88"),
    ]


def test_paid_in_the_enterprises_currency_by_default(client, funded):
    d = approve(client, funded).json()

    d = act(client, d["id"], "pay", {"effective_date": D2}).json()

    assert (d["state"], d["paid"], d["paid_currency"]) == ("paid", "3000.00", "PHP")
    assert balance("1200-BANK-PHP") == Decimal("-3000.00")
    assert balance(f"2100-PAYABLE-{funded.enterprise_id}-PHP") == Decimal("0.00")


def test_a_cancelled_disbursement_voids_its_entry_and_cannot_be_paid(client, funded):
    d = approve(client, funded).json()

    cancelled = act(client, d["id"], "cancel", {"reason": "Project paused"})
    assert cancelled.status_code == 200 and cancelled.json()["state"] == "cancelled"
    entry = JournalEntry.objects.get(pk=d["entry"])
    assert (entry.state, entry.reason) == (EntryState.VOID, "Project paused")

    body = refused(act(client, d["id"], "pay", {"effective_date": D2}), 409,
                   "invalid_transition")  # fmt: skip
    assert "cancelled" in body["message"]
    refused(act(client, d["id"], "cancel", {"reason": "again"}), 409, "invalid_transition")
    row = Disbursement.objects.get(pk=d["id"])
    assert (row.state, row.payment_entry, row.paid) == ("cancelled", None, None)
    assert DisbursementAudit.objects.filter(disbursement=row).count() == 2
    assert balance(fund_code(funded)) == Decimal("-500.00")


def test_a_paid_disbursement_is_neither_paid_again_nor_cancelled(client, funded):
    d = approve(client, funded).json()
    act(client, d["id"], "pay", {"effective_date": D2})
    entries = JournalEntry.objects.count()

    refused(act(client, d["id"], "pay", {"effective_date": D2}), 409, "invalid_transition")
    refused(act(client, d["id"], "cancel", {"reason": "Too late"}), 409, "invalid_transition")
    assert JournalEntry.objects.count() == entries
    assert DisbursementAudit.objects.count() == 2


def test_approving_more_than_the_fund_has_left_is_refused(client, funded):
    assert approve(client, funded, fund_amount="300.00").status_code == 201

    body = refused(approve(client, funded, reference="dis-2", fund_amount="200.01"), 409,
                   "insufficient_funds")  # fmt: skip

    assert "MYR 300.00 is approved" in body["message"] and "MYR 200.00 left" in body["message"]
    assert "fund_amount" in body["fields"]
    assert Disbursement.objects.count() == 1
    assert JournalEntry.objects.filter(kind="disbursement").count() == 1
    assert approve(client, funded, reference="dis-3", fund_amount="200.00").status_code == 201


def test_paying_more_than_the_fund_holds_is_refused_and_nothing_is_saved(client, funded):
    d = approve(client, funded).json()
    # Meanwhile the restriction on MYR 300 of the fund is released: MYR 200 is left.
    release = {"campaign": funded.pk, "reference": "rel-1", "amount": "300.00",
               "currency": "MYR", "reason": "Donors agreed", "effective_date": D1}  # fmt: skip
    assert client.post(reverse("api-ledger-releases"), release, format="json").status_code == 201

    body = refused(act(client, d["id"], "pay", {"effective_date": D2}), 409,
                   "insufficient_funds")  # fmt: skip

    assert "negative" in body["message"]
    row = Disbursement.objects.get(pk=d["id"])
    assert (row.state, row.payment_entry, row.paid, row.paid_on) == ("approved", None, None, None)
    assert row.entry.state == EntryState.PENDING
    assert DisbursementAudit.objects.filter(disbursement=row).count() == 1
    assert not JournalEntry.objects.filter(kind="disbursement_paid").exists()
    assert balance(fund_code(funded)) == Decimal("-200.00")
    assert balance("1200-BANK-PHP") == Decimal("0.00")


def test_paying_into_a_closed_period_is_refused(client, funded, treasurer):
    d = approve(client, funded).json()
    period_close(until=dt.date(2026, 3, 31), actor=treasurer)

    refused(act(client, d["id"], "pay", {"effective_date": D2}), 409, "period_closed")

    assert Disbursement.objects.get(pk=d["id"]).state == "approved"
    assert not JournalEntry.objects.filter(kind="disbursement_paid").exists()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"amount": "10.001"}, "amount"),
        ({"fund_amount": "1.234"}, "fund_amount"),
        ({"amount": "0"}, "amount"),
        ({"currency": "JPY", "amount": "10.5"}, "amount"),
        ({"currency": "NOPE"}, "currency"),
        ({"campaign": 999_999}, "campaign"),
    ],
)
def test_a_bad_approval_is_refused(client, funded, changes, field):
    body = refused(approve(client, funded, **changes), 400)

    assert field in body["fields"]
    assert not Disbursement.objects.exists()
    assert not JournalEntry.objects.filter(kind="disbursement").exists()


def test_approval_rules_from_the_ledger_come_back_as_4xx(client, funded):
    assert approve(client, funded).status_code == 201

    refused(approve(client, funded), 409, "duplicate")
    refused(approve(client, funded, reference="dis-2", fund_currency="SGD"), 409,
            "insufficient_funds")  # the fund holds no SGD  # fmt: skip
    assert Disbursement.objects.count() == 1


def test_pay_and_cancel_check_their_input(client, funded):
    d = approve(client, funded).json()

    assert "reason" in refused(act(client, d["id"], "cancel", {"reason": ""}), 400)["fields"]
    for body in ({"effective_date": D2, "paid_amount": "243.601", "paid_currency": "MYR"},
                 {"effective_date": D2, "bank_account_code": "1200-BANK-NOPE"},
                 {"paid_amount": "3000"}):  # fmt: skip
        refused(act(client, d["id"], "pay", body), 400)
    refused(act(client, d["id"], "pay", {"effective_date": D2, "paid_amount": "2999"}), 400,
            "amount_mismatch")  # fmt: skip
    refused(act(client, d["id"], "pay", {"effective_date": D2, "paid_amount": "10",
                                         "paid_currency": "SGD"}), 400, "currency")  # fmt: skip
    refused(act(client, 999_999, "pay", {"effective_date": D2}), 404)
    assert Disbursement.objects.get(pk=d["id"]).state == "approved"
    assert DisbursementAudit.objects.count() == 1


def test_list_filter_and_detail(client, funded):
    first = approve(client, funded).json()
    second = approve(client, funded, reference="dis-2", amount="100", fund_amount="8.00").json()
    act(client, second["id"], "cancel", {"reason": "Duplicate request"})

    url = reverse("api-ledger-disbursements")
    listed = client.get(url).json()
    cancelled = client.get(url, {"state": "cancelled"}).json()
    first_page = client.get(url, {"page_size": 1}).json()
    second_page = client.get(first_page["next"]).json()
    detail = client.get(reverse("api-ledger-disbursement", kwargs={"pk": first["id"]})).json()

    assert listed["count"] == 2
    assert [d["reference"] for d in listed["results"]] == ["dis-2", "dis-1"]
    assert [d["reference"] for d in cancelled["results"]] == ["dis-2"]
    assert [d["reference"] for d in first_page["results"]] == ["dis-2"]
    assert [d["reference"] for d in second_page["results"]] == ["dis-1"]
    assert second_page["next"] is None
    unknown = client.get(url, {"state": "sent"})
    assert unknown.status_code == 400 and "state" in unknown.json()["fields"]
    assert (detail["reference"], detail["enterprise"]) == ("dis-1", funded.enterprise_id)
    assert client.get(reverse("api-ledger-disbursement", kwargs={"pk": 999_999})).status_code == 404


def test_only_the_campaigns_own_enterprise_receives_its_money(funded, treasurer):
    stranger = EnterpriseFactory(country="ID", city="Bandung")

    with pytest.raises(ApplicationError) as error:
        disbursement_approve(
            campaign=funded, enterprise=stranger, amount=Money(100, "IDR"),
            fund_amount=myr("1.00"), effective_date=dt.date(2026, 3, 2), created_by=treasurer,
        )  # fmt: skip

    assert error.value.code == "wrong_enterprise"
    assert not Disbursement.objects.exists()
