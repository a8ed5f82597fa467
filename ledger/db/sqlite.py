"""The ledger's invariants on SQLite, as the migrations leave them now.

SQLite keeps DECIMAL columns as REAL, so sums are compared after ROUND(x, 3): three places is
the finest currency precision the ledger stores, and the error of a double is far below it.
Every refusal is RAISE(ABORT, 'ledger: ...'), an IntegrityError for Django.

This module holds only the current definitions: the versions earlier migrations installed
are frozen inside those migrations. `TRIGGERS` is also what `manage.py ledger_verify`
compares the database with, definition by definition. The balance check and the
closed-period check run when an entry flips pending -> posted (`ledger_entry_post_check`);
`ledger_entry_apply` then moves the cached balances and refuses a guarded account going
below zero through the entry.
"""

from __future__ import annotations

TRIGGERS = {
    "ledger_entry_insert_pending": """
CREATE TRIGGER ledger_entry_insert_pending BEFORE INSERT ON ledger_journalentry
WHEN NEW.state <> 'pending'
BEGIN SELECT RAISE(ABORT, 'ledger: entries are inserted pending, then posted'); END
""",
    "ledger_entry_immutable": """
CREATE TRIGGER ledger_entry_immutable BEFORE UPDATE ON ledger_journalentry
WHEN OLD.state <> 'pending'
BEGIN SELECT RAISE(ABORT, 'ledger: posted and void entries are immutable'); END
""",
    "ledger_entry_no_delete": """
CREATE TRIGGER ledger_entry_no_delete BEFORE DELETE ON ledger_journalentry
WHEN OLD.state <> 'pending'
BEGIN SELECT RAISE(ABORT, 'ledger: posted and void entries cannot be deleted'); END
""",
    "ledger_entry_post_check": """
CREATE TRIGGER ledger_entry_post_check BEFORE UPDATE OF state ON ledger_journalentry
WHEN OLD.state = 'pending' AND NEW.state = 'posted'
BEGIN
    SELECT RAISE(ABORT, 'ledger: a posted entry needs at least two postings')
    WHERE (SELECT COUNT(*) FROM ledger_posting WHERE entry_id = NEW.id) < 2;
    SELECT RAISE(ABORT, 'ledger: the entry does not balance in every currency')
    WHERE EXISTS (
        SELECT 1 FROM ledger_posting WHERE entry_id = NEW.id
        GROUP BY amount_currency HAVING ROUND(SUM(amount), 3) <> 0
    );
    SELECT RAISE(ABORT, 'ledger: the entry does not balance in the book currency')
    WHERE (SELECT ROUND(SUM(amount_book), 3) FROM ledger_posting WHERE entry_id = NEW.id) <> 0;
    SELECT RAISE(ABORT, 'ledger: the period is closed')
    WHERE EXISTS (
        SELECT 1 FROM ledger_closedperiod WHERE state = 'closed' AND "until" >= NEW.effective_date
    );
END
""",
    "ledger_entry_apply": """
CREATE TRIGGER ledger_entry_apply AFTER UPDATE OF state ON ledger_journalentry
WHEN OLD.state = 'pending' AND NEW.state = 'posted'
BEGIN
    UPDATE ledger_accountbalance SET
        balance = balance + (SELECT SUM(p.amount) FROM ledger_posting p
            WHERE p.entry_id = NEW.id AND p.account_id = ledger_accountbalance.account_id),
        balance_book = balance_book + (SELECT SUM(p.amount_book) FROM ledger_posting p
            WHERE p.entry_id = NEW.id AND p.account_id = ledger_accountbalance.account_id),
        posting_count = posting_count + (SELECT COUNT(*) FROM ledger_posting p
            WHERE p.entry_id = NEW.id AND p.account_id = ledger_accountbalance.account_id)
    WHERE account_id IN (SELECT account_id FROM ledger_posting WHERE entry_id = NEW.id);
    SELECT RAISE(ABORT, 'ledger: a restricted fund or a clearing account would go negative')
    WHERE NOT NEW.allow_negative AND EXISTS (
        SELECT 1 FROM ledger_accountbalance b
        JOIN ledger_account a ON a.id = b.account_id
        JOIN (SELECT account_id, SUM(amount) AS moved FROM ledger_posting
              WHERE entry_id = NEW.id GROUP BY account_id) m ON m.account_id = b.account_id
        WHERE a.non_negative AND (
            (a.type IN ('asset', 'expense') AND m.moved < 0 AND ROUND(b.balance, 3) < 0)
            OR (a.type NOT IN ('asset', 'expense') AND m.moved > 0 AND ROUND(b.balance, 3) > 0)
        )
    );
END
""",
    "ledger_posting_insert": """
CREATE TRIGGER ledger_posting_insert BEFORE INSERT ON ledger_posting
BEGIN
    SELECT RAISE(ABORT, 'ledger: postings can only be added to a pending entry')
    WHERE (SELECT state FROM ledger_journalentry WHERE id = NEW.entry_id) <> 'pending';
    SELECT RAISE(ABORT, 'ledger: the posting currency is not the account currency')
    WHERE NEW.amount_currency <>
        (SELECT currency FROM ledger_account WHERE id = NEW.account_id);
    SELECT RAISE(ABORT, 'ledger: a posting may not be zero')
    WHERE ROUND(NEW.amount, 3) = 0 AND (
        ROUND(NEW.amount_book, 3) = 0 OR (
            (SELECT role FROM ledger_account WHERE id = NEW.account_id)
                NOT IN ('rounding', 'fx_unrealised')
            AND (SELECT kind FROM ledger_journalentry WHERE id = NEW.entry_id)
                NOT IN ('fx_revaluation', 'reversal')
        )
    );
END
""",
    "ledger_posting_immutable": """
CREATE TRIGGER ledger_posting_immutable BEFORE UPDATE ON ledger_posting
BEGIN SELECT RAISE(ABORT, 'ledger: postings are immutable'); END
""",
    "ledger_posting_no_delete": """
CREATE TRIGGER ledger_posting_no_delete BEFORE DELETE ON ledger_posting
WHEN (SELECT state FROM ledger_journalentry WHERE id = OLD.entry_id) <> 'pending'
BEGIN SELECT RAISE(ABORT, 'ledger: postings of posted entries cannot be deleted'); END
""",
    "ledger_account_currency_fixed": """
CREATE TRIGGER ledger_account_currency_fixed BEFORE UPDATE OF currency ON ledger_account
WHEN OLD.currency <> NEW.currency
    AND EXISTS (SELECT 1 FROM ledger_posting WHERE account_id = OLD.id)
BEGIN SELECT RAISE(ABORT, 'ledger: an account''s currency is fixed once used'); END
""",
    "ledger_account_balance_row": """
CREATE TRIGGER ledger_account_balance_row AFTER INSERT ON ledger_account
BEGIN
    INSERT INTO ledger_accountbalance (account_id, balance, balance_book, posting_count)
    VALUES (NEW.id, 0, 0, 0);
END
""",
}

FUNCTIONS: dict[str, str] = {}  # SQLite has no stored functions: the Python engine posts

INSTALL = [
    *(f"DROP TRIGGER IF EXISTS {name}" for name in TRIGGERS),
    *(sql.strip() for sql in TRIGGERS.values()),
]
UNINSTALL = [f"DROP TRIGGER IF EXISTS {name}" for name in TRIGGERS]
