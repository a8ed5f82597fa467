"""Every report downloads as CSV and XLSX; what the accountant opens is what the ledger says."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from common.exports import XLSX_CONTENT_TYPE
from ledger.models import Account
from ledger.selectors.journal import JOURNAL_COLUMNS
from reconciliation.models import ProviderTransaction
from tests.factories import CampaignFactory
from tests.ledger.treasurer_ledger import build_small_ledger

pytestmark = pytest.mark.django_db
MARCH = {"date_from": "2026-03-01", "date_to": "2026-03-31"}


@pytest.fixture
def ledger(chart, treasurer, api):
    api.force_authenticate(treasurer)
    return build_small_ledger(CampaignFactory(), CampaignFactory(), treasurer)


def _csv(response) -> list[list[str]]:
    assert response.status_code == 200, response.content
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment;" in response["Content-Disposition"]
    return list(csv.reader(io.StringIO(response.content.decode("utf-8"))))


def _xlsx(response):
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == XLSX_CONTENT_TYPE
    return load_workbook(io.BytesIO(response.content))


def test_trial_balance_json_csv_and_xlsx_agree(api, ledger):
    url = reverse("api-ledger-trial-balance")
    body = api.get(url).json()
    rows = _csv(api.get(url, {"format": "csv"}))
    book = _xlsx(api.get(url, {"format": "xlsx"}))

    assert body["balanced"] is True
    clearing = next(r for r in body["rows"] if r["account_code"] == "1100-STRIPE-MYR")
    assert Decimal(clearing["debit"]) == Decimal("79.67")
    assert rows[0][:6] == ["account_code", "account_name", "type", "currency", "debit", "credit"]
    csv_clearing = next(r for r in rows if r[0] == "1100-STRIPE-MYR")
    assert Decimal(csv_clearing[4]) == Decimal("79.67")
    sheet, totals = book.worksheets
    assert sheet.title.startswith("Trial balance") and totals.title == "Totals"
    header = [cell.value for cell in totals[1]]
    difference = header.index("difference")
    assert header[0] == "basis"
    assert all(row[difference] == 0 for row in totals.iter_rows(min_row=2, values_only=True))


def test_general_journal_csv_has_one_row_per_posting_with_the_import_columns(api, ledger):
    rows = _csv(api.get(reverse("api-ledger-journal"), {**MARCH, "format": "csv"}))

    assert rows[0] == list(JOURNAL_COLUMNS)
    body = rows[1:]
    assert len(body) == 18
    assert sum(Decimal(r[8]) for r in body) == 0  # the MYR column balances
    gift = [r for r in body if r[10] == "GIFT-77"]
    assert {r[2] for r in gift} >= {"1200-BANK-MYR"}
    assert any(r[6] == "500.00" for r in gift)


def test_general_journal_json_is_paginated(api, ledger):
    page = api.get(reverse("api-ledger-journal"), {"page_size": 5}).json()

    assert page["count"] == 18 and len(page["results"]) == 5 and page["next"]
    assert set(page["results"][0]) == set(JOURNAL_COLUMNS)


@pytest.mark.parametrize(
    ("name", "kwargs", "params", "first_header"),
    [
        ("api-ledger-balance-sheet", {}, {}, "section"),
        ("api-ledger-income-expenditure", {}, MARCH, "section"),
        ("api-ledger-changes-in-funds", {}, MARCH, "fund"),
        ("api-ledger-foreign-contributions", {}, MARCH, "country"),
        ("api-ledger-accounts", {}, {}, "code"),
        ("api-ledger-reconciliation-report", {}, {}, "stripe_id"),
    ],
)
def test_every_report_downloads_in_both_formats(api, ledger, name, kwargs, params, first_header):
    url = reverse(name, kwargs=kwargs)
    rows = _csv(api.get(url, {**params, "format": "csv"}))
    book = _xlsx(api.get(url, {**params, "format": "xlsx"}))

    assert rows[0][0] == first_header
    assert book.worksheets[0].cell(1, 1).value == first_header


def test_foreign_contributions_xlsx_reads_back_by_country(api, ledger):
    book = _xlsx(api.get(reverse("api-ledger-foreign-contributions"), {**MARCH, "format": "xlsx"}))
    rows = list(book.worksheets[0].iter_rows(min_row=2, values_only=True))
    by_country = {r[0]: r for r in rows if r[0]}

    assert set(by_country) == {"ID", "SG", "JP"}
    assert Decimal(str(by_country["ID"][5])) == Decimal("142.50")
    assert rows[-1][1] == "Total" and Decimal(str(rows[-1][5])) == Decimal("802.50")


def test_fund_statement_and_account_statement_downloads(api, ledger):
    fund = _xlsx(api.get(
        reverse("api-ledger-fund-statement", kwargs={"campaign_id": ledger.campaign_a.pk}),
        {"format": "xlsx"},
    ))  # fmt: skip
    summary, postings = fund.worksheets
    assert Decimal(str(summary.cell(2, 6).value)) == Decimal("237.50")
    assert postings.max_row == 5  # header + four postings
    url = reverse("api-ledger-account-statement", kwargs={"code": "1200-BANK-MYR"})
    rows = _csv(api.get(url, {"format": "csv"}))
    assert rows[0][-1] == "running_balance" and rows[-1][-1] == "800.00"
    page = api.get(url).json()
    assert page["count"] == 2 and page["results"][-1]["running_balance"] == "800.000"


def test_a_bad_period_is_a_400_with_the_field(api, ledger):
    response = api.get(
        reverse("api-ledger-income-expenditure"),
        {"date_from": "2026-04-01", "date_to": "2026-03-01"},
    )

    assert response.status_code == 400
    assert "date_from" in response.json()["fields"]


# Formula injection: what staff type or copy from a bank line reaches the files as text.
HYPERLINK = '=HYPERLINK("http://x","y")'


def _adjust(api, reason: str, reference: str = "") -> None:
    lines = [{"account": "1200-BANK-MYR", "side": "debit", "amount": "12.50"},
             {"account": "3000-OPERATIONS-MYR", "side": "credit", "amount": "12.50"}]  # fmt: skip
    body = {"reason": reason, "effective_date": "2026-03-20", "lines": lines}
    if reference:
        body["reference"] = reference
    response = api.post(reverse("api-ledger-manual-adjustments"), body, format="json")
    assert response.status_code == 201, response.content


def test_a_formula_typed_as_a_reason_or_reference_reaches_the_journal_files_as_text(api, ledger):
    _adjust(api, HYPERLINK, reference="@SUM(1+1)")
    _adjust(api, "- refund of a bank charge")
    url = reverse("api-ledger-journal")

    rows = _csv(api.get(url, {**MARCH, "format": "csv"}))
    typed = [r for r in rows if r[4] in (f"'{HYPERLINK}", "'- refund of a bank charge")]
    assert len(typed) == 4  # two postings each
    assert {r[10] for r in typed if r[4] == f"'{HYPERLINK}"} == {"'@SUM(1+1)"}
    assert {r[8] for r in typed} == {"12.50", "-12.50"}  # amounts stay plain numbers

    sheet = _xlsx(api.get(url, {**MARCH, "format": "xlsx"})).worksheets[0]
    cells = [row for row in sheet.iter_rows(min_row=2) if row[4].value == HYPERLINK]
    assert len(cells) == 2
    for row in cells:
        assert row[4].data_type == "s" and row[10].data_type == "s"
        assert row[10].value == "@SUM(1+1)"
        assert row[8].data_type == "n"
    assert sorted(row[8].value for row in cells) == [-12.5, 12.5]
    assert not any(c.data_type == "f" for row in sheet.iter_rows() for c in row)


def test_a_formula_in_an_account_name_or_a_provider_line_reaches_the_reports_as_text(api, ledger):
    Account.objects.filter(code="3000-OPERATIONS-MYR").update(name="+cmd|' /C calc'!A0")
    _adjust(api, "Bank interest")
    ProviderTransaction.objects.create(
        provider="stripe", provider_id="@SUM(1+1)", type="-adjustment", amount=Decimal("-3"),
        fee=Decimal(0), net=Decimal("-3"), currency="MYR", created=timezone.now(),
    )  # fmt: skip

    trial = reverse("api-ledger-trial-balance")
    tb_rows = _csv(api.get(trial, {"format": "csv"}))
    assert ["3000-OPERATIONS-MYR", "'+cmd|' /C calc'!A0"] in [r[:2] for r in tb_rows]
    tb_book = _xlsx(api.get(trial, {"format": "xlsx"}))
    assert not any(c.data_type == "f" for s in tb_book for row in s.iter_rows() for c in row)

    report = reverse("api-ledger-reconciliation-report")
    line = next(r for r in _csv(api.get(report, {"format": "csv"})) if "SUM" in r[0])
    assert line[:2] == ["'@SUM(1+1)", "'-adjustment"] and Decimal(line[2]) == Decimal(-3)
    sheet = _xlsx(api.get(report, {"format": "xlsx"})).worksheets[0]
    cells = next(row for row in sheet.iter_rows(min_row=2) if row[0].value == "@SUM(1+1)")
    assert [c.data_type for c in cells[:3]] == ["s", "s", "n"] and cells[0].quotePrefix
