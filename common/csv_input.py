"""Reading the CSV files people upload (bank statements, providers' exports): decoding,
finding columns under the names exporters use, numbers and dates. Pure functions; a problem
is an ApplicationError that names the line."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping
from datetime import UTC, date, datetime
from decimal import Decimal, InvalidOperation

from common.errors import ApplicationError

DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d %b %Y")
DATETIME_FORMATS = ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%SZ", "%Y-%m-%d")


def decode(data: bytes | str) -> str:
    if not isinstance(data, bytes):
        return data.lstrip("\ufeff")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ApplicationError(
            f"The file is not UTF-8 text (byte {error.start + 1}): export it as CSV in UTF-8.",
            code="csv_encoding",
        ) from error


def reader(data: bytes | str) -> tuple[csv.DictReader, dict[str, str]]:
    """The rows, and {lower-cased header: header as written}."""
    rows = csv.DictReader(io.StringIO(decode(data)))
    headers = {(name or "").strip().lower(): name for name in rows.fieldnames or []}
    return rows, headers


def columns(headers: dict[str, str], aliases: Mapping[str, tuple[str, ...]]) -> dict[str, str]:
    """{our name: the file's header} for the first alias of each that the file has."""
    found = {}
    for key, names in aliases.items():
        for name in names:
            if name in headers:
                found[key] = headers[name]
                break
    return found


def require(found: Iterable[str], required: Iterable[str], source: str) -> None:
    missing = [name for name in required if name not in found]
    if missing:
        raise ApplicationError(
            f"The {source} CSV has no column for: {', '.join(missing)}.", code="csv_columns"
        )


def parse_decimal(text: str, *, line: int, column: str) -> Decimal:
    cleaned = (text or "").strip().replace(",", "").replace(" ", "")
    if cleaned.startswith("(") and cleaned.endswith(")"):  # accountants' negative
        cleaned = "-" + cleaned[1:-1]
    try:
        return Decimal(cleaned)
    except InvalidOperation:
        raise ApplicationError(
            f"Line {line}: {column} {text!r} is not a number.", code="csv_value"
        ) from None


def parse_date(text: str, *, line: int, formats: tuple[str, ...] = DATE_FORMATS) -> date:
    return parse_datetime(text, line=line, formats=formats).date()


def parse_datetime(
    text: str, *, line: int, formats: tuple[str, ...] = DATETIME_FORMATS
) -> datetime:
    value = (text or "").strip()
    for fmt in formats:
        try:
            return datetime.strptime(value, fmt).replace(tzinfo=UTC)
        except ValueError:
            continue
    raise ApplicationError(f"Line {line}: {text!r} is not a date.", code="csv_value")
