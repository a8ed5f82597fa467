"""Install the triggers that make the database itself guard the ledger's invariants.

The SQL is kept here as this migration installed it, frozen: later migrations change the
definitions (0006, 0009), and `ledger/db/` holds only the current ones.
"""

from django.db import migrations

# --- PostgreSQL ---------------------------------------------------------------------------

PG_ENTRY_GUARD = """
CREATE OR REPLACE FUNCTION ledger_entry_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        IF NEW.state <> 'pending' THEN
            RAISE EXCEPTION USING ERRCODE = 'check_violation',
                MESSAGE = 'ledger: entries are inserted pending, then posted';
        END IF;
        RETURN NEW;
    END IF;
    IF OLD.state <> 'pending' THEN
        RAISE EXCEPTION USING ERRCODE = 'check_violation',
            MESSAGE = 'ledger: posted and void entries are immutable';
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    IF NEW.state = 'posted' THEN
        IF (SELECT COUNT(*) FROM ledger_posting WHERE entry_id = NEW.id) < 2 THEN
            RAISE EXCEPTION USING ERRCODE = 'check_violation',
                MESSAGE = 'ledger: a posted entry needs at least two postings';
        END IF;
        IF EXISTS (SELECT 1 FROM ledger_posting WHERE entry_id = NEW.id
                   GROUP BY amount_currency HAVING SUM(amount) <> 0) THEN
            RAISE EXCEPTION USING ERRCODE = 'check_violation',
                MESSAGE = 'ledger: the entry does not balance in every currency';
        END IF;
        IF (SELECT SUM(amount_book) FROM ledger_posting WHERE entry_id = NEW.id) <> 0 THEN
            RAISE EXCEPTION USING ERRCODE = 'check_violation',
                MESSAGE = 'ledger: the entry does not balance in the book currency';
        END IF;
        IF EXISTS (SELECT 1 FROM ledger_closedperiod
                   WHERE state = 'closed' AND "until" >= NEW.effective_date) THEN
            RAISE EXCEPTION USING ERRCODE = 'check_violation',
                MESSAGE = 'ledger: the period is closed';
        END IF;
    END IF;
    RETURN NEW;
END $$
"""

# The service has already locked the balance rows in account order, so this UPDATE never
# waits on another transaction halfway through (no deadlock).
PG_ENTRY_APPLY = """
CREATE OR REPLACE FUNCTION ledger_entry_apply() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE ledger_accountbalance b
    SET balance = b.balance + m.moved, balance_book = b.balance_book + m.moved_book,
        posting_count = b.posting_count + m.n
    FROM (SELECT account_id, SUM(amount) AS moved, SUM(amount_book) AS moved_book,
                 COUNT(*) AS n
          FROM ledger_posting WHERE entry_id = NEW.id GROUP BY account_id) m
    WHERE b.account_id = m.account_id;
    IF NOT NEW.allow_negative AND EXISTS (
        SELECT 1 FROM ledger_accountbalance b
        JOIN ledger_account a ON a.id = b.account_id
        JOIN (SELECT account_id, SUM(amount) AS moved FROM ledger_posting
              WHERE entry_id = NEW.id GROUP BY account_id) m ON m.account_id = b.account_id
        WHERE a.non_negative AND (
            (a.type IN ('asset', 'expense') AND m.moved < 0 AND b.balance < 0)
            OR (a.type NOT IN ('asset', 'expense') AND m.moved > 0 AND b.balance > 0))
    ) THEN
        RAISE EXCEPTION USING ERRCODE = 'check_violation',
            MESSAGE = 'ledger: a restricted fund or the Stripe balance would go negative';
    END IF;
    RETURN NULL;
END $$
"""

PG_POSTING_GUARD = """
CREATE OR REPLACE FUNCTION ledger_posting_guard() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    entry_state text;
    entry_kind text;
BEGIN
    IF TG_OP = 'UPDATE' THEN
        RAISE EXCEPTION USING ERRCODE = 'check_violation',
            MESSAGE = 'ledger: postings are immutable';
    END IF;
    IF TG_OP = 'DELETE' THEN
        IF (SELECT state FROM ledger_journalentry WHERE id = OLD.entry_id) <> 'pending' THEN
            RAISE EXCEPTION USING ERRCODE = 'check_violation',
                MESSAGE = 'ledger: postings of posted entries cannot be deleted';
        END IF;
        RETURN OLD;
    END IF;
    SELECT state, kind INTO entry_state, entry_kind
    FROM ledger_journalentry WHERE id = NEW.entry_id;
    IF entry_state <> 'pending' THEN
        RAISE EXCEPTION USING ERRCODE = 'check_violation',
            MESSAGE = 'ledger: postings can only be added to a pending entry';
    END IF;
    IF NEW.amount_currency <> (SELECT currency FROM ledger_account WHERE id = NEW.account_id) THEN
        RAISE EXCEPTION USING ERRCODE = 'check_violation',
            MESSAGE = 'ledger: the posting currency is not the account currency';
    END IF;
    IF NEW.amount = 0 AND (NEW.amount_book = 0 OR (
        (SELECT role FROM ledger_account WHERE id = NEW.account_id)
            NOT IN ('rounding', 'fx_unrealised')
        AND entry_kind NOT IN ('fx_revaluation', 'reversal'))) THEN
        RAISE EXCEPTION USING ERRCODE = 'check_violation',
            MESSAGE = 'ledger: a posting may not be zero';
    END IF;
    RETURN NEW;
END $$
"""

PG_ACCOUNT_GUARD = """
CREATE OR REPLACE FUNCTION ledger_account_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO ledger_accountbalance (account_id, balance, balance_book, posting_count)
        VALUES (NEW.id, 0, 0, 0);
        RETURN NULL;
    END IF;
    IF OLD.currency <> NEW.currency
       AND EXISTS (SELECT 1 FROM ledger_posting WHERE account_id = OLD.id) THEN
        RAISE EXCEPTION USING ERRCODE = 'check_violation',
            MESSAGE = 'ledger: an account''s currency is fixed once used';
    END IF;
    RETURN NEW;
END $$
"""

PG_INSTALL = [
    PG_ENTRY_GUARD,
    PG_ENTRY_APPLY,
    PG_POSTING_GUARD,
    PG_ACCOUNT_GUARD,
    """CREATE TRIGGER ledger_entry_guard BEFORE INSERT OR UPDATE OR DELETE
       ON ledger_journalentry FOR EACH ROW EXECUTE FUNCTION ledger_entry_guard()""",
    """CREATE TRIGGER ledger_entry_apply AFTER UPDATE OF state ON ledger_journalentry
       FOR EACH ROW WHEN (OLD.state = 'pending' AND NEW.state = 'posted')
       EXECUTE FUNCTION ledger_entry_apply()""",
    """CREATE TRIGGER ledger_posting_guard BEFORE INSERT OR UPDATE OR DELETE
       ON ledger_posting FOR EACH ROW EXECUTE FUNCTION ledger_posting_guard()""",
    """CREATE TRIGGER ledger_account_currency_fixed BEFORE UPDATE OF currency
       ON ledger_account FOR EACH ROW EXECUTE FUNCTION ledger_account_guard()""",
    """CREATE TRIGGER ledger_account_balance_row AFTER INSERT
       ON ledger_account FOR EACH ROW EXECUTE FUNCTION ledger_account_guard()""",
]

# In reverse; 0006's insert guard too, when a reversal of 0006 left it behind.
PG_UNINSTALL = [
    "DROP TRIGGER IF EXISTS ledger_posting_insert_guard ON ledger_posting",
    "DROP TRIGGER IF EXISTS ledger_entry_guard ON ledger_journalentry",
    "DROP TRIGGER IF EXISTS ledger_entry_apply ON ledger_journalentry",
    "DROP TRIGGER IF EXISTS ledger_posting_guard ON ledger_posting",
    "DROP TRIGGER IF EXISTS ledger_account_currency_fixed ON ledger_account",
    "DROP TRIGGER IF EXISTS ledger_account_balance_row ON ledger_account",
    "DROP FUNCTION IF EXISTS ledger_entry_guard()",
    "DROP FUNCTION IF EXISTS ledger_entry_apply()",
    "DROP FUNCTION IF EXISTS ledger_posting_guard()",
    "DROP FUNCTION IF EXISTS ledger_account_guard()",
]


# --- SQLite: sums compared after ROUND(x, 3), as SQLite keeps DECIMAL columns as REAL ------

# The balance check and the closed-period check run when an entry flips pending -> posted.
SQLITE_ENTRY_POST_CHECK = """
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
"""

# Moves the cached balances, then refuses a guarded account going below zero through this
# entry (an entry that moves such an account the right way is never refused).
SQLITE_ENTRY_APPLY = """
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
    SELECT RAISE(ABORT, 'ledger: a restricted fund or the Stripe balance would go negative')
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
"""

SQLITE_INSTALL = [
    """
    CREATE TRIGGER ledger_entry_insert_pending BEFORE INSERT ON ledger_journalentry
    WHEN NEW.state <> 'pending'
    BEGIN SELECT RAISE(ABORT, 'ledger: entries are inserted pending, then posted'); END
    """,
    """
    CREATE TRIGGER ledger_entry_immutable BEFORE UPDATE ON ledger_journalentry
    WHEN OLD.state <> 'pending'
    BEGIN SELECT RAISE(ABORT, 'ledger: posted and void entries are immutable'); END
    """,
    """
    CREATE TRIGGER ledger_entry_no_delete BEFORE DELETE ON ledger_journalentry
    WHEN OLD.state <> 'pending'
    BEGIN SELECT RAISE(ABORT, 'ledger: posted and void entries cannot be deleted'); END
    """,
    SQLITE_ENTRY_POST_CHECK,
    SQLITE_ENTRY_APPLY,
    """
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
    """
    CREATE TRIGGER ledger_posting_immutable BEFORE UPDATE ON ledger_posting
    BEGIN SELECT RAISE(ABORT, 'ledger: postings are immutable'); END
    """,
    """
    CREATE TRIGGER ledger_posting_no_delete BEFORE DELETE ON ledger_posting
    WHEN (SELECT state FROM ledger_journalentry WHERE id = OLD.entry_id) <> 'pending'
    BEGIN SELECT RAISE(ABORT, 'ledger: postings of posted entries cannot be deleted'); END
    """,
    """
    CREATE TRIGGER ledger_account_currency_fixed BEFORE UPDATE OF currency ON ledger_account
    WHEN OLD.currency <> NEW.currency
        AND EXISTS (SELECT 1 FROM ledger_posting WHERE account_id = OLD.id)
    BEGIN SELECT RAISE(ABORT, 'ledger: an account''s currency is fixed once used'); END
    """,
    """
    CREATE TRIGGER ledger_account_balance_row AFTER INSERT ON ledger_account
    BEGIN
        INSERT INTO ledger_accountbalance (account_id, balance, balance_book, posting_count)
        VALUES (NEW.id, 0, 0, 0);
    END
    """,
]

SQLITE_UNINSTALL = [
    f"DROP TRIGGER IF EXISTS {name}"
    for name in (
        "ledger_entry_insert_pending", "ledger_entry_immutable", "ledger_entry_no_delete",
        "ledger_entry_post_check", "ledger_entry_apply", "ledger_posting_insert",
        "ledger_posting_immutable", "ledger_posting_no_delete", "ledger_account_currency_fixed",
        "ledger_account_balance_row",
    )
]  # fmt: skip


STATEMENTS = {
    "postgresql": (PG_INSTALL, PG_UNINSTALL),
    "sqlite": (SQLITE_INSTALL, SQLITE_UNINSTALL),
}


def install(apps, schema_editor):
    for statement in STATEMENTS[schema_editor.connection.vendor][0]:
        schema_editor.execute(statement)


def uninstall(apps, schema_editor):
    for statement in STATEMENTS[schema_editor.connection.vendor][1]:
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("ledger", "0001_initial")]
    operations = [migrations.RunPython(install, uninstall)]
