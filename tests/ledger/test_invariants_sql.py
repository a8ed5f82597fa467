"""Each invariant is the database's own: try to break it with raw SQL, on whichever database
the suite runs on (SQLite by default, PostgreSQL with DATABASE_URL)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import IntegrityError, connection, transaction

from ledger.models import AccountBalance, AccountRole
from ledger.services.chart import role_account
from tests.ledger.accounts import clearing, fund

pytestmark = pytest.mark.django_db

DAY = "2026-03-02"


def sql(statement: str, params: list | None = None) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(statement, params or [])
        return cursor.fetchall() if cursor.description else []


def refused(statement: str, params: list | None = None, *, match: str | None = None) -> None:
    """The statement must fail inside its own savepoint (the test's transaction survives)."""
    with pytest.raises(IntegrityError, match=match), transaction.atomic():
        sql(statement, params)


def new_entry(key: str, *, day: str = DAY, allow_negative: bool = False) -> int:
    sql(
        "INSERT INTO ledger_journalentry (idempotency_key, payload_hash, kind, memo,"
        " effective_date, recorded_at, state, source_refs, allow_negative, reason)"
        " VALUES (%s, 'h', %s, '', %s, CURRENT_TIMESTAMP, 'pending', '{}', %s, 'raw sql')",
        [key, "manual_adjustment", day, allow_negative],
    )
    return sql("SELECT id FROM ledger_journalentry WHERE idempotency_key = %s", [key])[0][0]


POSTING_SQL = (
    "INSERT INTO ledger_posting (entry_id, account_id, amount, amount_currency, amount_book,"
    " rate) VALUES (%s, %s, %s, %s, %s, 1)"
)


def add(entry_id: int, account, amount: str, book: str | None = None) -> None:
    sql(POSTING_SQL, [entry_id, account.pk, Decimal(amount), account.currency,
                      Decimal(book if book is not None else amount)])  # fmt: skip


POST = "UPDATE ledger_journalentry SET state = 'posted' WHERE id = %s"


@pytest.fixture
def accounts(campaign):
    return {
        "bank": role_account(role=AccountRole.BANK),
        "clearing": clearing(),
        "fund": fund(campaign, "MYR"),
        "ops": role_account(role=AccountRole.OPERATIONS_FUND),
        "bank_idr": role_account(role=AccountRole.BANK, currency="IDR"),
        "conv_idr": role_account(role=AccountRole.FX_CONVERSION, currency="IDR"),
        "rounding": role_account(role=AccountRole.ROUNDING),
    }


def posted_entry(accounts, key: str = "e1", amount: str = "100.00") -> int:
    entry = new_entry(key)
    add(entry, accounts["bank"], amount)
    add(entry, accounts["fund"], f"-{amount}")
    sql(POST, [entry])
    return entry


def balance(account) -> Decimal:
    return AccountBalance.objects.get(account=account).balance.quantize(Decimal("0.01"))


def test_a_balanced_entry_posts_and_moves_the_cached_balances(accounts):
    posted_entry(accounts)
    assert balance(accounts["bank"]) == Decimal("100.00")
    assert balance(accounts["fund"]) == Decimal("-100.00")


def test_an_entry_cannot_be_inserted_already_posted(accounts):
    refused(
        "INSERT INTO ledger_journalentry (idempotency_key, payload_hash, kind, memo,"
        " effective_date, recorded_at, state, source_refs, allow_negative, reason)"
        " VALUES ('x', 'h', 'manual_adjustment', '', %s, CURRENT_TIMESTAMP, 'posted', '{}',"
        " FALSE, 'r')", [DAY], match="inserted pending",
    )  # fmt: skip


def test_a_posted_entry_needs_two_postings(accounts):
    entry = new_entry("one-leg")
    refused(POST, [entry], match="at least two postings")
    add(entry, accounts["bank"], "10.00")
    refused(POST, [entry], match="at least two postings")


def test_a_posted_entry_balances_in_every_currency(accounts):
    entry = new_entry("unbalanced")
    add(entry, accounts["bank"], "100.00")
    add(entry, accounts["fund"], "-99.99")
    refused(POST, [entry], match="does not balance in every currency")


def test_currencies_cannot_offset_each_other(accounts):
    # Balanced in book value, but MYR and IDR each left unbalanced.
    entry = new_entry("cross")
    add(entry, accounts["bank"], "100.00")
    add(entry, accounts["bank_idr"], "-350000", book="-100.00")
    refused(POST, [entry], match="does not balance in every currency")


def test_a_posted_entry_balances_in_the_book_currency(accounts):
    entry = new_entry("book")
    add(entry, accounts["bank_idr"], "350000", book="100.00")
    add(entry, accounts["conv_idr"], "-350000", book="-99.00")
    refused(POST, [entry], match="does not balance in the book currency")
    add(entry, accounts["rounding"], "0", book="-1.00")
    sql(POST, [entry])


def test_no_zero_postings(accounts):
    entry = new_entry("zero")
    refused(
        POSTING_SQL,
        [
            entry,
            accounts["bank"].pk,
            0,
            "MYR",
            0,
        ],
    )
    # A book-only posting is for rounding and revaluation, not an ordinary account.
    refused(POSTING_SQL, [entry, accounts["bank"].pk, 0, "MYR", Decimal("1.00")],
            match="may not be zero")  # fmt: skip


def test_a_posting_is_in_its_account_currency(accounts):
    entry = new_entry("ccy")
    refused(POSTING_SQL, [entry, accounts["bank"].pk, Decimal(5), "IDR", Decimal(5)],
            match="not the account currency")  # fmt: skip


def test_an_account_currency_is_fixed_once_used(accounts):
    unused = role_account(role=AccountRole.DISPUTE_FEES, currency="SGD")
    sql("UPDATE ledger_account SET currency = 'THB' WHERE id = %s", [unused.pk])
    posted_entry(accounts)
    refused("UPDATE ledger_account SET currency = 'SGD' WHERE id = %s", [accounts["bank"].pk],
            match="fixed once used")  # fmt: skip


def test_posted_entries_and_their_postings_are_immutable(accounts):
    entry = posted_entry(accounts)
    refused("UPDATE ledger_journalentry SET memo = 'edited' WHERE id = %s", [entry],
            match="immutable")  # fmt: skip
    refused("UPDATE ledger_journalentry SET state = 'void' WHERE id = %s", [entry])
    refused("DELETE FROM ledger_journalentry WHERE id = %s", [entry])
    refused("UPDATE ledger_posting SET amount = 1 WHERE entry_id = %s", [entry],
            match="immutable")  # fmt: skip
    refused("DELETE FROM ledger_posting WHERE entry_id = %s", [entry], match="cannot be deleted")
    refused(POSTING_SQL, [entry, accounts["bank"].pk, Decimal(1), "MYR", Decimal(1)],
            match="pending entry")  # fmt: skip


def test_an_entry_is_reversed_at_most_once(accounts):
    entry = posted_entry(accounts)
    first = new_entry("rev-1")
    sql("UPDATE ledger_journalentry SET reverses_id = %s WHERE id = %s", [entry, first])
    second = new_entry("rev-2")
    refused("UPDATE ledger_journalentry SET reverses_id = %s WHERE id = %s", [entry, second])


def test_the_idempotency_key_is_unique(accounts):
    new_entry("same-key")
    with pytest.raises(IntegrityError), transaction.atomic():
        new_entry("same-key")


def test_nothing_posts_into_a_closed_period(accounts):
    sql("INSERT INTO ledger_closedperiod (\"until\", state, reason, closed_at)"
        " VALUES ('2026-03-31', 'closed', 'March', CURRENT_TIMESTAMP)")  # fmt: skip
    entry = new_entry("closed")
    add(entry, accounts["bank"], "5.00")
    add(entry, accounts["fund"], "-5.00")
    refused(POST, [entry], match="period is closed")
    later = new_entry("april", day="2026-04-01")
    add(later, accounts["bank"], "5.00")
    add(later, accounts["fund"], "-5.00")
    sql(POST, [later])


def test_a_restricted_fund_may_not_go_negative_unless_the_entry_says_so(accounts):
    posted_entry(accounts, amount="50.00")
    entry = new_entry("overspend")
    add(entry, accounts["fund"], "60.00")
    add(entry, accounts["ops"], "-60.00")
    refused(POST, [entry], match="would go negative")
    assert balance(accounts["fund"]) == Decimal("-50.00")
    allowed = new_entry("overspend-allowed", allow_negative=True)
    add(allowed, accounts["fund"], "60.00")
    add(allowed, accounts["ops"], "-60.00")
    sql(POST, [allowed])
    assert balance(accounts["fund"]) == Decimal("10.00")


def test_stripe_clearing_may_not_go_negative(accounts):
    entry = new_entry("clearing")
    add(entry, accounts["clearing"], "-1.00")
    add(entry, accounts["bank"], "1.00")
    refused(POST, [entry], match="would go negative")


def test_a_pending_entry_moves_no_balance_and_can_be_voided(accounts):
    entry = new_entry("pending")
    add(entry, accounts["bank"], "7.00")
    add(entry, accounts["fund"], "-7.00")
    assert balance(accounts["bank"]) == 0
    sql("UPDATE ledger_journalentry SET state = 'void' WHERE id = %s", [entry])
    refused(POST, [entry], match="immutable")
    assert balance(accounts["bank"]) == 0


def test_every_account_gets_a_balance_row(accounts):
    missing = sql(
        "SELECT COUNT(*) FROM ledger_account a LEFT JOIN ledger_accountbalance b"
        " ON b.account_id = a.id WHERE b.account_id IS NULL"
    )
    assert missing[0][0] == 0
