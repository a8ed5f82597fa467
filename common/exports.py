"""CSV and XLSX files of the treasurer's reports, laid out for an accountant's import.

A report is a `Table`: a title, column names and rows of plain cells (str, Decimal, date,
int). CSV carries one table; XLSX carries one sheet per table. Money stays `Decimal` up to
the file: CSV writes it as plain digits with a point (no thousands separators), XLSX as a
number with a two-decimal format.

Text is never handed to a spreadsheet as a formula (OWASP "CSV injection"): reasons,
references, bank line descriptions and campaign titles are typed or copied by people, and a
cell starting with `=`, `+`, `-`, `@`, a tab or a carriage return would run. CSV prefixes such
text with a single quote; XLSX writes it as a text cell marked "quote prefix", as Excel does
when someone types `'=...`. Numbers (Decimal, int) are never touched: -12.50 stays a number.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

Cell = str | Decimal | date | datetime | int | None


CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MONEY_FORMAT = "#,##0.00;-#,##0.00"
RATE_FORMAT = "0.000000######"


@dataclass
class Table:
    title: str
    columns: Sequence[str]
    rows: list[Sequence[Cell]] = field(default_factory=list)
    # Columns holding rates rather than money (formatted with more places in XLSX).
    rate_columns: frozenset[str] = frozenset({"rate"})

    @classmethod
    def of(cls, title: str, columns: Mapping[str, str], rows: Iterable[Mapping]) -> Table:
        """A table of dict rows: `columns` maps each column's name in the file to the row's
        key (the file keeps its column names when the code renames a key). A list value is
        written comma-separated."""

        def cell(value: object) -> object:
            return ",".join(map(str, value)) if isinstance(value, list) else value

        body = [[cell(row[key]) for key in columns.values()] for row in rows]
        return cls(title, tuple(columns), body)


# What makes a spreadsheet read a cell as a formula (OWASP's list).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# A plain signed number is a constant in every spreadsheet, not an expression.
_PLAIN_NUMBER = re.compile(r"[+-]?[0-9]+(\.[0-9]+)?")


def runs_as_formula(text: str) -> bool:
    return text.startswith(FORMULA_START) and not _PLAIN_NUMBER.fullmatch(text)


def _csv_cell(value: Cell) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, datetime):
        return value.isoformat(timespec="seconds")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, int | float):
        return str(value)
    text = str(value)
    return "'" + text if runs_as_formula(text) else text


def to_csv(table: Table) -> bytes:
    """UTF-8 CSV with a header row; one row per table row."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(table.columns)
    for row in table.rows:
        writer.writerow([_csv_cell(value) for value in row])
    return out.getvalue().encode("utf-8")


def _sheet_title(title: str, used: set[str]) -> str:
    base = re.sub(r"[\[\]\*\?/\\:]", " ", title)[:31].strip() or "Sheet"
    name, n = base, 1
    while name in used:
        n += 1
        name = f"{base[: 31 - len(str(n)) - 1]} {n}"
    used.add(name)
    return name


def _xlsx_cell(value: Cell) -> object:
    if isinstance(value, datetime) and value.tzinfo is not None:
        return value.replace(tzinfo=None)  # Excel has no time zones; times are UTC
    return value


def _write_sheet(sheet, table: Table) -> None:  # noqa: ANN001 - an openpyxl Worksheet
    sheet.append(list(table.columns))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    rate_idx = {i for i, name in enumerate(table.columns) if name in table.rate_columns}
    for row in table.rows:
        sheet.append([_xlsx_cell(value) for value in row])
        for i, value in enumerate(row):
            target = sheet.cell(row=sheet.max_row, column=i + 1)
            if isinstance(value, str):
                # openpyxl makes any str starting with "=" a formula: text stays text.
                target.data_type = "s"
                target.quotePrefix = runs_as_formula(value)
            elif isinstance(value, Decimal):
                target.number_format = RATE_FORMAT if i in rate_idx else MONEY_FORMAT
            elif isinstance(value, date) and not isinstance(value, datetime):
                target.number_format = "yyyy-mm-dd"
    for i, name in enumerate(table.columns, start=1):
        sheet.column_dimensions[get_column_letter(i)].width = max(10, min(40, len(name) + 4))
    sheet.freeze_panes = "A2"


def to_xlsx(tables: Sequence[Table]) -> bytes:
    """An XLSX workbook with one sheet per table, header row bold and frozen."""
    book = Workbook()
    book.remove(book.active)
    used: set[str] = set()
    for table in tables:
        _write_sheet(book.create_sheet(_sheet_title(table.title, used)), table)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def filename(title: str, extension: str, as_of: date | None = None) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-") or "report"
    return f"{slug}{'-' + as_of.isoformat() if as_of else ''}.{extension}"
