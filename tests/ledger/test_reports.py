"""The treasurer's reports, read off a small ledger built through the posting rules."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from ledger.selectors.journal import account_statement_export, journal_table
from ledger.selectors.reports import balance_sheet, income_expenditure
from ledger.selectors.reports import trial_balance_report as trial_balance
from ledger.selectors.schedules import outside_malaysia
from tests.factories import CampaignFactory
from tests.ledger.treasurer_ledger import D1, D2, D3, build_small_ledger
from treasury.selectors import campaign_fund_statement as fund_statement
from treasury.selectors import changes_in_funds

pytestmark = pytest.mark.django_db
MARCH = {"date_from": dt.date(2026, 3, 1), "date_to": dt.date(2026, 3, 31)}


def D(text: str) -> Decimal:  # noqa: N802 - reads like a literal
    return Decimal(text)


@pytest.fixture
def ledger(chart, treasurer):
    return build_small_ledger(CampaignFactory(), CampaignFactory(), treasurer)


def _row(rows, code):
    return next(r for r in rows if r["account_code"] == code)


def test_trial_balance_sums_to_zero_per_currency_and_in_myr(ledger):
    report = trial_balance()

    assert report.balanced
    assert all(t["difference"] == 0 for t in report.totals)
    clearing = _row(report.rows, "1100-STRIPE-MYR")
    # 96.80 + 274.31 + 153.56 net in, 145.00 refunded, 300.00 paid out.
    assert clearing["debit"] == D("79.670") and clearing["credit"] is None
    fund_a = _row(report.rows, f"3100-FUND-{ledger.campaign_a.pk}-MYR")
    assert fund_a["credit"] == D("237.500") and fund_a["credit_book"] == D("237.500")


def test_trial_balance_as_of_a_past_date_sums_the_postings_up_to_it(ledger):
    report = trial_balance(as_of=D1)

    assert report.balanced
    assert _row(report.rows, "1200-BANK-MYR")["debit"] is None  # the gift came on D2
    assert _row(report.rows, "1100-STRIPE-MYR")["debit"] == D("524.670")


def test_income_and_expenditure_has_restricted_and_unrestricted_columns(ledger):
    report = income_expenditure(**MARCH)
    lines = {(ln["section"], ln["line"]): ln for ln in report.lines}

    donations = lines[("Income", "Donation settled")]
    assert (donations["restricted"], donations["unrestricted"]) == (D("545.00"), 0)
    assert lines[("Income", "Offline gift")]["restricted"] == D("500.00")
    assert lines[("Income", "Secretariat fee income MYR")]["unrestricted"] == D("5.00")
    assert lines[("Expenditure", "Refund")]["restricted"] == D("142.50")
    assert lines[("Expenditure", "Payment-processing fees MYR")]["unrestricted"] == D("20.33")
    assert lines[("Transfers between funds", "Secretariat fee")]["restricted"] == D("-5.00")
    totals = {t["line"]: t for t in report.totals}
    assert totals["Net movement in funds"]["restricted"] == D("897.50")
    assert totals["Funds brought forward"]["total"] == 0
    assert totals["Funds carried forward"]["restricted"] == D("897.50")
    assert report.balanced


def test_balance_sheet_assets_equal_funds(ledger):
    sheet = balance_sheet()

    assert sheet.balanced
    assert sheet.totals["Total assets"] == D("879.67")  # clearing 79.67 + bank 800.00
    assert sheet.totals["Total restricted funds"] == D("897.50")
    assert sheet.totals["Total unrestricted funds"] == D("-17.83")  # 5 fee - 20.33 - 2.50 FX


def test_changes_in_funds_per_campaign_add_up(ledger):
    report = changes_in_funds(**MARCH)
    by_fund = {r["campaign_id"]: r for r in report.rows}

    assert report.balanced
    a = by_fund[ledger.campaign_a.pk]
    assert (a["opening_book"], a["income_book"], a["expenditure_book"]) == (
        0,
        D("385.00"),
        D("142.50"),
    )
    assert (a["transfers_book"], a["closing_book"], a["closing"]) == (
        D("-5.00"),
        D("237.50"),
        D("237.50"),
    )
    assert by_fund[ledger.campaign_b.pk]["closing_book"] == D("660.00")
    assert by_fund[None]["fund"] == "Unrestricted funds"


def test_fund_statement_of_one_campaign_lists_its_postings_with_a_running_balance(ledger):
    statement = fund_statement(campaign_id=ledger.campaign_a.pk)
    (fund,) = statement.funds

    assert (fund["received"], fund["spent"], fund["closing"]) == (
        D("385.00"), D("147.50"), D("237.50"),
    )  # fmt: skip
    assert [line[-1] for line in fund["lines"]] == [D("100.00"), D("385.00"), D("380.00"),
                                                     D("237.50")]  # fmt: skip
    later = fund_statement(campaign_id=ledger.campaign_a.pk, date_from=D2)
    assert later.funds[0]["opening"] == D("380.00")


def test_schedule_of_money_from_outside_malaysia_by_donor_country(ledger):
    schedule = outside_malaysia(**MARCH)
    rows = {r["country"]: r for r in schedule.rows}

    assert set(rows) == {"ID", "SG", "JP"}  # the Malaysian gift is not in it
    assert (rows["ID"]["received_book"], rows["ID"]["returned_book"], rows["ID"]["net_book"]) == (
        D("285.00"), D("142.50"), D("142.50"),
    )  # fmt: skip
    assert rows["JP"]["net_book"] == D("500.00") and rows["JP"]["country_name"] == "Japan"
    assert rows["SG"]["currencies"] == "SGD 50"
    assert schedule.totals["net_book"] == D("802.50") and schedule.totals["gifts"] == 3


def test_general_journal_has_one_row_per_posting_in_the_accountants_layout(ledger):
    table = journal_table(**MARCH)

    assert len(table.rows) == 3 * 3 + 2 + 3 + 2 + 2
    first = table.rows[0]
    assert first[0] == D1 and first[2] == "1100-STRIPE-MYR" and first[5] == D("96.80")
    assert first[10] == "txn_my-1"
    debits = sum(r[8] for r in table.rows if r[8] > 0)
    credits = -sum(r[8] for r in table.rows if r[8] < 0)
    assert debits == credits


def test_account_statement_export_runs_the_balance(ledger):
    from ledger.models import Account

    bank = Account.objects.get(code="1200-BANK-MYR")
    statement = account_statement_export(account=bank, date_from=D3)

    assert statement.opening == D("500.00")
    assert [row[-1] for row in statement.rows] == [D("800.00")]
