"""Stripe and bank CSV exports, and Stripe API objects, become rows in major units."""

from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import pytest

from common.errors import ApplicationError
from payments.stripe.amounts import from_minor
from payments.stripe.statements import balance_line as balance_row_from_api
from payments.stripe.statements import parse_export as parse_stripe_balance_csv
from payments.stripe.statements import payout_line as payout_row_from_api
from reconciliation.parsers import parse_bank_csv

FIXTURES = Path(__file__).parent / "fixtures"


def test_stripe_balance_history_export_reads_every_row_in_major_units():
    rows = parse_stripe_balance_csv((FIXTURES / "stripe_balance_history.csv").read_bytes())

    assert [r.provider_id for r in rows] == ["txn_1A", "txn_1B", "txn_1C", "txn_1P"]
    first = rows[0]
    assert (first.type, first.source_id, first.currency) == ("charge", "ch_1A", "MYR")
    assert (first.amount, first.fee, first.net) == (
        Decimal("100.00"), Decimal("3.90"), Decimal("96.10"),
    )  # fmt: skip
    assert first.created == datetime(2025, 3, 3, 8, 12, tzinfo=UTC)
    assert first.payout_id == "po_1X"
    assert rows[1].created == datetime(2025, 3, 3, 9, 40, 12, tzinfo=UTC)
    assert rows[2].amount == Decimal("-20.00")
    assert sum(r.net for r in rows[:3]) == -rows[3].net


def test_stripe_balance_report_columns_are_understood_too():
    (row,) = parse_stripe_balance_csv((FIXTURES / "stripe_balance_report.csv").read_text())

    assert (row.provider_id, row.type, row.source_id) == ("txn_2A", "charge", "ch_2A")
    assert (row.amount, row.fee, row.net, row.currency) == (
        Decimal(5000), Decimal(215), Decimal(4785), "JPY",
    )  # fmt: skip
    assert row.payout_id == "po_2Y"


def test_a_csv_without_the_needed_columns_is_refused_with_their_names():
    with pytest.raises(ApplicationError, match="net"):
        parse_stripe_balance_csv("id,Type,Amount,Currency,Created (UTC)\n")
    with pytest.raises(ApplicationError, match="reference"):
        parse_bank_csv("date,description,amount,currency\n")


def test_a_file_that_is_not_utf8_text_is_refused_not_crashed_on():
    legacy = "date,description,amount,currency,reference\n2025-01-01,Caf\u00e9,12,MYR,r\n"
    with pytest.raises(ApplicationError, match="not UTF-8 text"):
        parse_bank_csv(legacy.encode("cp1252"))
    with pytest.raises(ApplicationError, match="not UTF-8 text"):
        parse_stripe_balance_csv(b"P\xff\x06q,\xfe\xfdthA")


def test_a_bad_amount_names_its_line():
    text = "date,description,amount,currency,reference\n2025-01-01,x,12x,MYR,r\n"
    with pytest.raises(ApplicationError, match="Line 2"):
        parse_bank_csv(text)


def test_bank_statement_lines_parse_both_date_styles_and_accountants_negatives():
    rows = parse_bank_csv((FIXTURES / "bank_statement.csv").read_bytes(), account="1200-MYR")

    assert [r.date for r in rows] == [
        date(2025, 3, 6), date(2025, 3, 7), date(2025, 3, 7), date(2025, 3, 8),
    ]  # fmt: skip
    assert [r.amount for r in rows] == [
        Decimal("123.90"), Decimal("1000.00"), Decimal("1000.00"), Decimal("-5.00"),
    ]  # fmt: skip
    assert rows[0].reference == "STRIPE po_1X"


def test_identical_bank_lines_stay_two_and_rereading_gives_the_same_hashes():
    data = (FIXTURES / "bank_statement.csv").read_bytes()
    first = parse_bank_csv(data, account="1200-MYR")
    again = parse_bank_csv(data, account="1200-MYR")
    other_bank = parse_bank_csv(data, account="1201-MYR")

    assert len({r.line_hash for r in first}) == 4
    assert [r.line_hash for r in first] == [r.line_hash for r in again]
    assert not {r.line_hash for r in first} & {r.line_hash for r in other_bank}


@pytest.mark.parametrize(
    ("minor", "currency", "major"),
    [(1050, "myr", "10.50"), (500, "JPY", "500"), (12345, "idr", "123.45"), (70, "VND", "70")],
)
def test_stripe_minor_units_become_major_units(minor, currency, major):
    assert from_minor(minor, currency).amount == Decimal(major)


def test_api_balance_transaction_and_payout_objects():
    bt = balance_row_from_api({
        "id": "txn_9", "object": "balance_transaction", "amount": 10000, "fee": 390,
        "net": 9610, "currency": "myr", "created": 1740990720, "available_on": 1741132800,
        "exchange_rate": 0.00029, "type": "charge", "source": {"id": "ch_9"},
        "description": None,
    })  # fmt: skip
    payout = payout_row_from_api({
        "id": "po_9", "amount": 12390, "currency": "myr", "arrival_date": 1741219200,
        "created": 1741132800, "status": "paid", "balance_transaction": "txn_p9",
    })  # fmt: skip

    assert (bt.amount, bt.fee, bt.net, bt.currency) == (
        Decimal("100.00"), Decimal("3.90"), Decimal("96.10"), "MYR",
    )  # fmt: skip
    assert bt.source_id == "ch_9" and bt.exchange_rate == Decimal("0.00029")
    assert (payout.amount, payout.arrival_date) == (Decimal("123.90"), date(2025, 3, 6))
    assert payout.balance_transaction_id == "txn_p9"


def test_api_payouts_follow_stripes_payout_rules():
    # UGX is zero-decimal for charges but two-decimal (with 00) for payouts.
    payout = payout_row_from_api({
        "id": "po_ug", "amount": 500000, "currency": "ugx", "arrival_date": 1741219200,
        "created": 1741132800, "status": "paid", "balance_transaction": "txn_ug",
    })  # fmt: skip
    assert (payout.amount, payout.currency) == (Decimal("5000"), "UGX")
