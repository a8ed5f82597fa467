"""Bulk-loading background donations into our ledger, for the benchmark's larger sizes.

PostgreSQL: COPY with triggers off for the transaction (as for hordak), entries inserted
`posted`, then the cached balances moved by one aggregate UPDATE, so they still equal the
postings. SQLite: triggers cannot be switched off, so the rows go in `pending` and one UPDATE
flips each chunk to `posted` through the invariant triggers, which move the balances.
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from decimal import Decimal

from django.db import connection
from django.db import transaction as db_transaction

from bench.ledger_common import Donation, donations

NULL = "\\N"
ENTRY_COLUMNS = (
    "id", "idempotency_key", "payload_hash", "kind", "memo", "effective_date", "recorded_at",
    "posted_at", "state", "source_refs", "allow_negative", "reason",
)  # fmt: skip
POSTING_COLUMNS = (
    "id",
    "entry_id",
    "account_id",
    "amount_currency",
    "amount",
    "amount_book",
    "rate",
)
Lines = Callable[[Donation], list]  # the adapter's five PostingLines of a donation


def _next_ids() -> tuple[int, int]:
    with connection.cursor() as cur:
        cur.execute("SELECT COALESCE(MAX(id), 0) FROM ledger_journalentry")
        entry_id = cur.fetchone()[0]
        cur.execute("SELECT COALESCE(MAX(id), 0) FROM ledger_posting")
        return entry_id, cur.fetchone()[0]


def _rows(items: Iterable[Donation], lines: Lines, refs: Callable, state: str):
    """(entry rows, posting rows) as tuples in column order."""
    entry_id, posting_id = _next_ids()
    now = datetime.now(UTC)
    entries, postings = [], []
    for d in items:
        entry_id += 1
        posted_at = now if state == "posted" else None
        entries.append((entry_id, f"bench:{d.number}", "0" * 64, "donation_settled",
                        f"Donation {d.number}", d.day, now, posted_at, state,
                        json.dumps(refs(d)), False, ""))  # fmt: skip
        for line in lines(d):
            posting_id += 1
            book = line.amount_book if line.amount_book is not None else line.amount.amount
            rate = abs(book / line.amount.amount).quantize(Decimal("1e-12"))
            postings.append((posting_id, entry_id, line.account.pk, line.amount.currency.code,
                             line.amount.amount, book, rate))  # fmt: skip
    return entries, postings


def _copy_text(rows: list[tuple]) -> str:
    out = io.StringIO()
    for row in rows:
        out.write("\t".join(NULL if v is None else str(v) for v in row) + "\n")
    return out.getvalue()


def load_postgresql(first: int, count: int, lines: Lines, refs: Callable) -> None:
    entries, postings = _rows(donations(first, count), lines, refs, "posted")
    with db_transaction.atomic(), connection.cursor() as cur:
        cur.execute("SET LOCAL session_replication_role = replica")
        raw = cur.cursor
        with raw.copy(f"COPY ledger_journalentry ({', '.join(ENTRY_COLUMNS)}) FROM STDIN") as cp:
            cp.write(_copy_text(entries))
        with raw.copy(f"COPY ledger_posting ({', '.join(POSTING_COLUMNS)}) FROM STDIN") as cp:
            cp.write(_copy_text(postings))
        cur.execute(
            """UPDATE ledger_accountbalance b SET balance = b.balance + m.moved,
                   balance_book = b.balance_book + m.moved_book,
                   posting_count = b.posting_count + m.n
               FROM (SELECT account_id, SUM(amount) moved, SUM(amount_book) moved_book,
                            COUNT(*) n FROM ledger_posting WHERE entry_id BETWEEN %s AND %s
                     GROUP BY account_id) m
               WHERE b.account_id = m.account_id""",
            [entries[0][0], entries[-1][0]],
        )
        for table in ("ledger_journalentry", "ledger_posting"):
            cur.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), MAX(id)) FROM {table}"
            )
    with connection.cursor() as cur:
        cur.execute("ANALYZE ledger_journalentry")
        cur.execute("ANALYZE ledger_posting")


def load_sqlite(first: int, count: int, lines: Lines, refs: Callable) -> None:
    entries, postings = _rows(donations(first, count), lines, refs, "pending")
    marks = ", ".join(["%s"] * len(ENTRY_COLUMNS))
    with db_transaction.atomic(), connection.cursor() as cur:
        cur.executemany(
            f"INSERT INTO ledger_journalentry ({', '.join(ENTRY_COLUMNS)}) VALUES ({marks})",
            [_sqlite_row(r) for r in entries],
        )
        cur.executemany(
            f"INSERT INTO ledger_posting ({', '.join(POSTING_COLUMNS)}) VALUES "
            f"({', '.join(['%s'] * len(POSTING_COLUMNS))})",
            [_sqlite_row(r) for r in postings],
        )
        cur.execute(
            "UPDATE ledger_journalentry SET state = 'posted', posted_at = %s "
            "WHERE id BETWEEN %s AND %s",
            [datetime.now(UTC).isoformat(), entries[0][0], entries[-1][0]],
        )
    with connection.cursor() as cur:
        cur.execute("ANALYZE")


def _sqlite_row(row: tuple) -> tuple:
    return tuple(str(v) if isinstance(v, Decimal | datetime) else v for v in row)
