"""The CSV and XLSX writers keep money exact and the accountant's layout."""

import csv
import io
from datetime import date
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from common.exports import Table, filename, to_csv, to_xlsx
from ledger.selectors.journal import JOURNAL_COLUMNS

ROWS = [
    [date(2025, 3, 3), 1, "1100-MYR", "Stripe clearing MYR", "Gift", Decimal("96.10"), None,
     "MYR", Decimal("96.10"), Decimal("1"), "txn_1A"],
    [date(2025, 3, 3), 1, "3001-IDR", "Campaign 1 fund", "Gift", None, Decimal("345000.00"),
     "IDR", Decimal("-100.00"), Decimal("0.000289855072"), "txn_1A"],
]  # fmt: skip


def test_csv_has_the_journal_header_and_plain_decimal_digits():
    body = to_csv(Table("General journal", JOURNAL_COLUMNS, ROWS)).decode("utf-8")
    rows = list(csv.reader(io.StringIO(body)))

    assert rows[0] == list(JOURNAL_COLUMNS)
    assert rows[1] == ["2025-03-03", "1", "1100-MYR", "Stripe clearing MYR", "Gift", "96.10", "",
                       "MYR", "96.10", "1", "txn_1A"]  # fmt: skip
    assert rows[2][6] == "345000.00" and rows[2][9] == "0.000289855072"


def test_xlsx_has_one_sheet_per_table_and_reads_back_the_same_values():
    tables = [
        Table("General journal", JOURNAL_COLUMNS, ROWS),
        Table("Trial balance: MYR?", ["account_code", "debit"], [["1100-MYR", Decimal("96.10")]]),
    ]
    book = load_workbook(io.BytesIO(to_xlsx(tables)))

    assert book.sheetnames == ["General journal", "Trial balance  MYR"]
    sheet = book["General journal"]
    values = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert values[0] == list(JOURNAL_COLUMNS)
    assert values[1][0].date() == date(2025, 3, 3)
    assert Decimal(str(values[1][5])) == Decimal("96.10")
    assert values[2][5] is None and Decimal(str(values[2][6])) == Decimal("345000")
    assert sheet["F2"].number_format == "#,##0.00;-#,##0.00"
    assert sheet.freeze_panes == "A2"


def test_file_names_are_slugs_with_the_date():
    assert filename("Trial balance (MYR)", "csv", date(2025, 3, 31)) == (
        "trial-balance-myr-2025-03-31.csv"
    )


# Text a spreadsheet would run as a formula (OWASP "CSV injection"): staff type reasons and
# references, bank lines and campaign titles are copied in, and any of them may start so.
FORMULAS = ['=HYPERLINK("http://x","y")', "@SUM(1+1)", "+1+2", "- refund", "\t=1+2", "\r=1+2"]


@pytest.mark.parametrize("text", FORMULAS)
def test_csv_never_hands_a_spreadsheet_text_it_would_run_as_a_formula(text):
    table = Table("Journal", ["description", "myr_amount"], [[text, Decimal("-12.50")]])
    rows = list(csv.reader(io.StringIO(to_csv(table).decode("utf-8"), newline="")))

    assert rows[1] == ["'" + text, "-12.50"]


@pytest.mark.parametrize("text", FORMULAS)
def test_xlsx_writes_formula_like_text_as_text_and_negative_amounts_as_numbers(text):
    table = Table("Journal", ["description", "myr_amount"], [[text, Decimal("-12.50")]])
    sheet = load_workbook(io.BytesIO(to_xlsx([table]))).active

    description, amount = sheet["A2"], sheet["B2"]
    # (XML reads a carriage return back as a line feed.)
    assert description.data_type == "s" and description.value == text.replace("\r", "\n")
    assert description.quotePrefix  # editing the cell in Excel keeps it text
    assert amount.data_type == "n" and Decimal(str(amount.value)) == Decimal("-12.50")


def test_ordinary_text_and_numbers_are_written_unchanged():
    table = Table("Journal", ["a", "b", "c", "d"], [["Gift", "-12.50", 7, Decimal("-1")]])

    assert to_csv(table).decode("utf-8").splitlines()[1] == "Gift,-12.50,7,-1"
    sheet = load_workbook(io.BytesIO(to_xlsx([table]))).active
    assert [c.value for c in sheet[2]] == ["Gift", "-12.50", 7, -1]
    assert not sheet["A2"].quotePrefix
