"""The treasurer's posting operations through the API: what each books (accounts, amounts,
balances) and how each refuses bad input with a 4xx, a message, and nothing saved."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from ledger.models import JournalEntry, Posting
from ledger.services.periods import period_close
from tests.ledger.accounts import clearing, fund, refs
from tests.treasury.operations import D1, D2, balance, fund_code, postings

pytestmark = pytest.mark.django_db


@pytest.fixture
def client(api, treasurer, chart):
    api.force_authenticate(treasurer)
    return api


def gift_body(to, **changes) -> dict:
    body = {"campaign": to.pk, "reference": "bank-2026-03-001", "amount": "250.00",
            "currency": "MYR", "donor_country": "JP", "effective_date": D1}  # fmt: skip
    return {**body, **changes}


def post(client, name: str, body: dict, **kwargs):
    return client.post(reverse(name, kwargs=kwargs), body, format="json")


def assert_refused(response, status: int, *, field: str | None = None, code: str | None = None):
    assert response.status_code == status, response.content
    body = response.json()
    assert body["message"]
    if field:
        assert field in body["fields"], body
    if code:
        assert body["code"] == code, body


def nothing_booked() -> None:
    assert not JournalEntry.objects.exists() and not Posting.objects.exists()


# Offline gifts ---------------------------------------------------------------------------


def test_an_offline_gift_debits_the_bank_and_credits_the_campaigns_fund(client, campaign):
    response = post(client, "api-ledger-offline-gifts", gift_body(campaign))

    assert response.status_code == 201, response.content
    entry = response.json()
    assert (entry["kind"], entry["state"], entry["recorded_by"]) == (
        "offline_gift", "posted", "treasurer")  # fmt: skip
    assert entry["source_refs"]["donor_country"] == "JP"
    assert postings(entry["id"]) == [
        ("1200-BANK-MYR", "250.00", "250.00"),
        ("3100-FUND-C-MYR", "-250.00", "-250.00"),
    ]
    assert balance("1200-BANK-MYR") == Decimal("250.00")
    assert balance(fund_code(campaign)) == Decimal("-250.00")
    # The same bank line again is the same gift; other content under its reference is not.
    again = post(client, "api-ledger-offline-gifts", gift_body(campaign))
    assert again.status_code == 201 and again.json()["id"] == entry["id"]
    other = post(client, "api-ledger-offline-gifts", gift_body(campaign, amount="25.00"))
    assert_refused(other, 409, code="idempotency_conflict")
    assert JournalEntry.objects.count() == 1


def test_a_foreign_currency_gift_is_booked_at_its_rate(client, ph_campaign):
    body = gift_body(ph_campaign, amount="5000", currency="PHP", exchange_rate="0.0800",
                     donor_country="ph")  # fmt: skip
    entry = post(client, "api-ledger-offline-gifts", body).json()

    assert postings(entry["id"]) == [
        ("1200-BANK-PHP", "5000.00", "400.00"),
        ("3100-FUND-C-PHP", "-5000.00", "-400.00"),
    ]
    no_rate = post(client, "api-ledger-offline-gifts", gift_body(ph_campaign, reference="x",
                                                                 currency="PHP"))  # fmt: skip
    assert_refused(no_rate, 400, code="rate")


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"amount": "10.005"}, "amount"),
        ({"amount": "1.5", "currency": "JPY", "exchange_rate": "0.03"}, "amount"),
        ({"amount": "0"}, "amount"),
        ({"amount": "-5.00"}, "amount"),
        ({"currency": "XYZ"}, "currency"),
        ({"campaign": 999_999}, "campaign"),
        ({"bank_account_code": "1200-BANK-NOPE"}, "bank_account_code"),
        ({"bank_account_code": "3000-OPERATIONS-MYR"}, "bank_account_code"),
        ({"donor_country": "XX"}, "donor_country"),
        ({"donor_country": "EU"}, "donor_country"),
        ({"donor_country": "Malaysia"}, "donor_country"),
        ({"effective_date": "yesterday"}, "effective_date"),
    ],
)
def test_a_bad_offline_gift_is_refused_with_the_field_named(client, campaign, changes, field):
    response = post(client, "api-ledger-offline-gifts", gift_body(campaign, **changes))

    assert_refused(response, 400, field=field)
    nothing_booked()


def test_a_gift_dated_in_a_closed_period_is_a_conflict_not_a_500(client, campaign, treasurer):
    period_close(until=dt.date(2026, 3, 31), actor=treasurer, reason="March")

    response = post(client, "api-ledger-offline-gifts", gift_body(campaign))

    assert_refused(response, 409, code="period_closed")
    assert "closed" in response.json()["message"]
    nothing_booked()


def test_a_gift_to_a_named_bank_account_in_another_currency_is_refused(client, campaign):
    response = post(client, "api-ledger-offline-gifts",
                    gift_body(campaign, bank_account_code="1200-BANK-MYR", currency="SGD",
                              amount="10.00", exchange_rate="3.2"))  # fmt: skip

    assert_refused(response, 400, code="currency")
    nothing_booked()


# Release from restriction ----------------------------------------------------------------


def release_body(to, **changes) -> dict:
    body = {"campaign": to.pk, "reference": "rel-1", "amount": "100.00",
            "currency": "MYR", "reason": "Project completed under budget",
            "effective_date": D2}  # fmt: skip
    return {**body, **changes}


def test_a_release_moves_money_from_the_fund_to_operations(client, campaign):
    post(client, "api-ledger-offline-gifts", gift_body(campaign, amount="300.00"))

    response = post(client, "api-ledger-releases", release_body(campaign))

    assert response.status_code == 201, response.content
    entry = response.json()
    assert entry["reason"] == "Project completed under budget"
    assert postings(entry["id"]) == [
        ("3100-FUND-C-MYR", "100.00", "100.00"),
        ("3000-OPERATIONS-MYR", "-100.00", "-100.00"),
    ]
    assert balance(fund_code(campaign)) == Decimal("-200.00")
    assert balance("3000-OPERATIONS-MYR") == Decimal("-100.00")


def test_a_release_beyond_the_fund_or_without_a_reason_is_refused(client, campaign):
    post(client, "api-ledger-offline-gifts", gift_body(campaign, amount="50.00"))

    too_much = post(client, "api-ledger-releases", release_body(campaign))
    no_reason = post(client, "api-ledger-releases", release_body(campaign, reason=""))
    bad_amount = post(client, "api-ledger-releases", release_body(campaign, amount="1.001"))

    assert_refused(too_much, 409, code="insufficient_funds")
    assert_refused(no_reason, 400, field="reason")
    assert_refused(bad_amount, 400, field="amount")
    assert JournalEntry.objects.count() == 1  # the gift only
    assert balance(fund_code(campaign)) == Decimal("-50.00")


# Manual adjusting entries ----------------------------------------------------------------


def adjustment(*lines, reason="Bank interest for March", **changes) -> dict:
    body = {"reason": reason, "effective_date": D2,
            "lines": [{"account": a, "side": s, "amount": m} for a, s, m in lines]}  # fmt: skip
    return {**body, **changes}


INTEREST = (("1200-BANK-MYR", "debit", "12.40"), ("3000-OPERATIONS-MYR", "credit", "12.40"))


def test_a_manual_adjustment_posts_its_lines_and_keeps_its_reason(client):
    response = post(client, "api-ledger-manual-adjustments", adjustment(*INTEREST))

    assert response.status_code == 201, response.content
    entry = response.json()
    assert (entry["kind"], entry["reason"]) == ("manual_adjustment", "Bank interest for March")
    assert postings(entry["id"]) == [
        ("1200-BANK-MYR", "12.40", "12.40"),
        ("3000-OPERATIONS-MYR", "-12.40", "-12.40"),
    ]
    assert balance("1200-BANK-MYR") == Decimal("12.40")
    # A double submit of the same content books it once.
    again = post(client, "api-ledger-manual-adjustments", adjustment(*INTEREST))
    assert again.json()["id"] == entry["id"]


@pytest.mark.parametrize(
    ("body", "field", "code"),
    [
        (adjustment(*INTEREST, reason=""), "reason", None),
        (adjustment(*INTEREST, reason="   "), "reason", None),
        ({k: v for k, v in adjustment(*INTEREST).items() if k != "reason"}, "reason", None),
        (adjustment(INTEREST[0]), "lines", None),
        (adjustment(("1200-BANK-MYR", "debit", "1.001"), ("3000-OPERATIONS-MYR", "credit",
                                                          "1.001")), "lines", None),
        (adjustment(("9999-NOPE", "debit", "5.00"), INTEREST[1]), "lines", None),
        (adjustment(("1200-BANK-MYR", "debit", "12.41"), INTEREST[1]), None, "unbalanced"),
    ],
)  # fmt: skip
def test_a_bad_manual_adjustment_is_refused(client, body, field, code):
    response = post(client, "api-ledger-manual-adjustments", body)

    assert_refused(response, 400, field=field, code=code)
    nothing_booked()


def test_an_adjustment_taking_a_fund_negative_needs_the_allowance(client, campaign):
    lines = ((fund_code(campaign), "debit", "40.00"), ("3000-OPERATIONS-MYR", "credit", "40.00"))
    post(client, "api-ledger-offline-gifts", gift_body(campaign, amount="10.00"))

    refused = post(client, "api-ledger-manual-adjustments", adjustment(*lines))
    assert_refused(refused, 409, code="insufficient_funds")
    assert "negative" in refused.json()["message"]
    assert JournalEntry.objects.count() == 1 and balance(fund_code(campaign)) == Decimal("-10")

    allowed = post(client, "api-ledger-manual-adjustments",
                   adjustment(*lines, allow_negative=True))  # fmt: skip
    assert allowed.status_code == 201, allowed.content
    assert balance(fund_code(campaign)) == Decimal("30.00")


# Reversals -------------------------------------------------------------------------------


def test_a_reversal_mirrors_the_entry_once(client, campaign):
    gift = post(client, "api-ledger-offline-gifts", gift_body(campaign)).json()
    url_kwargs = {"pk": gift["id"]}

    response = post(client, "api-ledger-entry-reverse",
                    {"reason": "Wrong campaign", "effective_date": D2}, **url_kwargs)  # fmt: skip

    assert response.status_code == 201, response.content
    reversal = response.json()
    assert (reversal["kind"], reversal["reverses"]) == ("reversal", gift["id"])
    assert postings(reversal["id"]) == [
        ("1200-BANK-MYR", "-250.00", "-250.00"),
        ("3100-FUND-C-MYR", "250.00", "250.00"),
    ]
    assert balance("1200-BANK-MYR") == balance(fund_code(campaign)) == Decimal("0.00")

    for reason in ("Wrong campaign", "Another try"):
        twice = post(client, "api-ledger-entry-reverse", {"reason": reason}, **url_kwargs)
        assert_refused(twice, 409, code="already_reversed")
        assert f"#{reversal['id']}" in twice.json()["message"]
    assert JournalEntry.objects.count() == 2


def test_a_reversal_needs_a_reason_and_an_entry(client, campaign):
    gift = post(client, "api-ledger-offline-gifts", gift_body(campaign)).json()

    assert_refused(post(client, "api-ledger-entry-reverse", {"reason": ""}, pk=gift["id"]),
                   400, field="reason")  # fmt: skip
    assert_refused(post(client, "api-ledger-entry-reverse", {"reason": "x"}, pk=999_999), 404)
    assert JournalEntry.objects.count() == 1


def test_a_reversal_into_a_closed_period_is_refused(client, campaign, treasurer):
    gift = post(client, "api-ledger-offline-gifts", gift_body(campaign)).json()
    period_close(until=dt.date(2026, 3, 31), actor=treasurer)

    response = post(client, "api-ledger-entry-reverse",
                    {"reason": "Late", "effective_date": D2}, pk=gift["id"])  # fmt: skip

    assert_refused(response, 409, code="period_closed")
    assert JournalEntry.objects.count() == 1


# FX revaluation --------------------------------------------------------------------------


def test_a_revaluation_books_the_change_in_value_to_unrealised_fx(client, ph_campaign):
    body = gift_body(ph_campaign, amount="5000", currency="PHP", exchange_rate="0.0800")
    post(client, "api-ledger-offline-gifts", body)

    response = post(client, "api-ledger-fx-revaluations",
                    {"as_of": "2026-03-31", "closing_rates": {"php": "0.0825"}})  # fmt: skip

    assert response.status_code == 201, response.content
    entry = response.json()
    assert entry["kind"] == "fx_revaluation" and entry["effective_date"] == "2026-03-31"
    assert postings(entry["id"]) == [
        ("1200-BANK-PHP", "0.00", "12.50"),
        ("4900-FX-UNREALISED-MYR", "0.00", "-12.50"),
    ]
    assert balance("1200-BANK-PHP") == Decimal("5000.00")  # the pesos do not change
    other = post(client, "api-ledger-fx-revaluations",
                 {"as_of": "2026-03-31", "closing_rates": {"PHP": "0.0900"}})  # fmt: skip
    assert_refused(other, 409, code="idempotency_conflict")


@pytest.mark.parametrize(
    ("body", "field", "code"),
    [
        ({"as_of": "2026-03-31", "closing_rates": {"XYZ": "1"}}, "closing_rates", None),
        ({"as_of": "2026-03-31", "closing_rates": {"PHP": "-0.08"}}, "closing_rates", None),
        ({"as_of": "2026-03-31", "closing_rates": {}}, "closing_rates", None),
        ({"closing_rates": {"PHP": "0.08"}}, "as_of", None),
        ({"as_of": "2026-03-31", "closing_rates": {"SGD": "3.3"}}, None, "nothing_to_revalue"),
    ],
)
def test_a_bad_revaluation_is_refused(client, body, field, code):
    assert_refused(post(client, "api-ledger-fx-revaluations", body), 400, field=field, code=code)
    nothing_booked()


# Fee share -------------------------------------------------------------------------------


def test_the_fee_share_is_read_and_set_per_campaign(client, campaign, settings):
    settings.SECRETARIAT_FEE_SHARE = "0"
    url = reverse("api-ledger-fee-share", kwargs={"campaign_id": campaign.pk})

    default = client.get(url).json()
    assert (default["share"], default["is_default"]) == ("0.0000", True)

    response = client.put(url, {"share": "0.05", "reason": "Board decision 2026-02"},
                          format="json")  # fmt: skip
    assert response.status_code == 200, response.content
    assert response.json() | {"set_at": None} == {
        "campaign": campaign.pk, "share": "0.0500", "is_default": False,
        "reason": "Board decision 2026-02", "set_by": "treasurer", "set_at": None,
    }  # fmt: skip
    assert client.get(url).json()["share"] == "0.0500"


def test_the_fee_share_set_is_the_one_the_ledger_takes(client, campaign):
    from ledger.services import rules
    from tests.treasury.operations import myr
    from treasury.services.fees import secretariat_fee_on_donation

    url = reverse("api-ledger-fee-share", kwargs={"campaign_id": campaign.pk})
    client.put(url, {"share": "0.05"}, format="json")
    rules.donation_settled(
        fund=fund(campaign),
        clearing=clearing(),
        refs=refs(campaign, balance_transaction_id="txn_1", charge_id="ch_1"),
        donation_ref="don-1",
        presentment=myr("200.00"),
        gross=myr("200.00"),
        fee=myr("6.40"),
        net=myr("193.60"),
        exchange_rate=None,
        donor_country="MY",
        effective_date=dt.date(2026, 3, 2),
    )

    fee = secretariat_fee_on_donation(campaign=campaign, donation_ref="don-1")

    assert balance("4100-FEE-INCOME-MYR") == Decimal("-10.00")
    assert postings(fee.pk) == [
        ("3100-FUND-C-MYR", "10.00", "10.00"),
        ("4100-FEE-INCOME-MYR", "-10.00", "-10.00"),
    ]


@pytest.mark.parametrize("share", ["0.6", "-0.01", "0.12345", "a lot"])
def test_a_fee_share_out_of_range_is_refused(client, campaign, share):
    url = reverse("api-ledger-fee-share", kwargs={"campaign_id": campaign.pk})

    assert_refused(client.put(url, {"share": share}, format="json"), 400)
    assert client.get(url).json()["is_default"] is True


def test_the_fee_share_of_an_unknown_campaign_is_not_found(client):
    url = reverse("api-ledger-fee-share", kwargs={"campaign_id": 999_999})

    assert_refused(client.get(url), 404)
    assert_refused(client.put(url, {"share": "0.05"}, format="json"), 404)
