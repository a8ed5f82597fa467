"""Install the one-round-trip posting function (PostgreSQL; nothing to do on SQLite), and
the guards rewritten to read the postings once.

The SQL is kept here as this migration installed it, frozen; `ledger/db/` holds only the
current definitions.
"""

from django.db import migrations

_ENTRY_GUARD = """
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
_ENTRY_APPLY = """
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


# Migration 0006: the posting core in one round trip. `ledger_entry_post` does what
# `entry_post` did in seven statements: the replay check (same key and payload hash returns
# the first entry's id; another hash is refused with a message errors.py maps to Conflict),
# the entry and all its postings inserted pending, the balance rows locked in account-id order
# and the flip to posted. The triggers above still fire on every one of those rows, so the
# function gains no right that raw SQL lacks: it only saves the round trips.
_ENTRY_POST = """
CREATE OR REPLACE FUNCTION ledger_entry_post(
    p_key text, p_hash text, p_kind text, p_memo text, p_date date,
    p_recorded_at timestamptz, p_posted_at timestamptz, p_refs jsonb, p_allow_negative boolean,
    p_reason text, p_recorded_by bigint, p_reverses bigint,
    p_accounts bigint[], p_currencies text[], p_amounts numeric[], p_books numeric[],
    p_rates numeric[], OUT o_id bigint, OUT o_replayed boolean
) LANGUAGE plpgsql AS $$
DECLARE
    first_hash text;
BEGIN
    -- ON CONFLICT waits for a concurrent holder of the key, then sees its committed row.
    INSERT INTO ledger_journalentry (idempotency_key, payload_hash, kind, memo, effective_date,
        recorded_at, posted_at, state, source_refs, allow_negative, reason, recorded_by_id,
        reverses_id)
    VALUES (p_key, p_hash, p_kind, p_memo, p_date, p_recorded_at, NULL, 'pending', p_refs,
        p_allow_negative, p_reason, p_recorded_by, p_reverses)
    ON CONFLICT (idempotency_key) DO NOTHING
    RETURNING id INTO o_id;
    IF o_id IS NULL THEN
        SELECT id, payload_hash INTO o_id, first_hash
        FROM ledger_journalentry WHERE idempotency_key = p_key;
        IF first_hash <> p_hash THEN
            RAISE EXCEPTION USING ERRCODE = 'check_violation', MESSAGE =
                'ledger: idempotency key ' || p_key || ' was used for different content';
        END IF;
        o_replayed := true;
        RETURN;
    END IF;
    o_replayed := false;
    INSERT INTO ledger_posting (entry_id, account_id, amount_currency, amount, amount_book, rate)
    SELECT o_id, u.account, u.currency, u.amount, u.book, u.rate
    FROM unnest(p_accounts, p_currencies, p_amounts, p_books, p_rates)
        WITH ORDINALITY AS u(account, currency, amount, book, rate, n)
    ORDER BY u.n;
    IF p_posted_at IS NOT NULL THEN
        PERFORM 1 FROM ledger_accountbalance WHERE account_id = ANY (p_accounts)
        ORDER BY account_id FOR UPDATE;
        UPDATE ledger_journalentry SET state = 'posted', posted_at = p_posted_at
        WHERE id = o_id;
    END IF;
END $$
"""

# The same checks as _ENTRY_GUARD, with the three over the postings made in one pass.
_ENTRY_GUARD_SINGLE_SCAN = """
CREATE OR REPLACE FUNCTION ledger_entry_guard() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    v_count bigint;
    v_book numeric;
    v_unbalanced boolean;
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
        SELECT COALESCE(SUM(c.n), 0), SUM(c.book), COALESCE(bool_or(c.moved <> 0), false)
        INTO v_count, v_book, v_unbalanced
        FROM (SELECT COUNT(*) AS n, SUM(amount) AS moved, SUM(amount_book) AS book
              FROM ledger_posting WHERE entry_id = NEW.id GROUP BY amount_currency) c;
        IF v_count < 2 THEN
            RAISE EXCEPTION USING ERRCODE = 'check_violation',
                MESSAGE = 'ledger: a posted entry needs at least two postings';
        END IF;
        IF v_unbalanced THEN
            RAISE EXCEPTION USING ERRCODE = 'check_violation',
                MESSAGE = 'ledger: the entry does not balance in every currency';
        END IF;
        IF v_book <> 0 THEN
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

# The same as _ENTRY_APPLY, the guard on the moved balances read from the UPDATE's own
# RETURNING instead of a second aggregate over the postings.
_ENTRY_APPLY_SINGLE_SCAN = """
CREATE OR REPLACE FUNCTION ledger_entry_apply() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    v_negative boolean;
BEGIN
    WITH moved AS (
        SELECT account_id, SUM(amount) AS amount, SUM(amount_book) AS book, COUNT(*) AS n
        FROM ledger_posting WHERE entry_id = NEW.id GROUP BY account_id
    ), applied AS (
        UPDATE ledger_accountbalance b
        SET balance = b.balance + m.amount, balance_book = b.balance_book + m.book,
            posting_count = b.posting_count + m.n
        FROM moved m WHERE b.account_id = m.account_id
        RETURNING b.account_id, b.balance, m.amount AS moved
    )
    SELECT COALESCE(bool_or(
        (a.type IN ('asset', 'expense') AND p.moved < 0 AND p.balance < 0)
        OR (a.type NOT IN ('asset', 'expense') AND p.moved > 0 AND p.balance > 0)), false)
    INTO v_negative
    FROM applied p JOIN ledger_account a ON a.id = p.account_id AND a.non_negative;
    IF v_negative AND NOT NEW.allow_negative THEN
        RAISE EXCEPTION USING ERRCODE = 'check_violation',
            MESSAGE = 'ledger: a restricted fund or the Stripe balance would go negative';
    END IF;
    RETURN NULL;
END $$
"""

# The insert checks of _POSTING_GUARD for a whole statement's rows in one query (instead of
# two or three lookups per row); with several bad rows, the first kind of problem in
# _POSTING_GUARD's order is the one reported.
_POSTING_INSERT_GUARD = """
CREATE OR REPLACE FUNCTION ledger_posting_insert_guard() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    v_problem int;
BEGIN
    SELECT MIN(CASE
        WHEN e.state <> 'pending' THEN 1
        WHEN p.amount_currency <> a.currency THEN 2
        WHEN p.amount = 0 AND (p.amount_book = 0 OR (
            a.role NOT IN ('rounding', 'fx_unrealised')
            AND e.kind NOT IN ('fx_revaluation', 'reversal'))) THEN 3
    END) INTO v_problem
    FROM new_postings p
    JOIN ledger_journalentry e ON e.id = p.entry_id
    JOIN ledger_account a ON a.id = p.account_id;
    IF v_problem = 1 THEN
        RAISE EXCEPTION USING ERRCODE = 'check_violation',
            MESSAGE = 'ledger: postings can only be added to a pending entry';
    ELSIF v_problem = 2 THEN
        RAISE EXCEPTION USING ERRCODE = 'check_violation',
            MESSAGE = 'ledger: the posting currency is not the account currency';
    ELSIF v_problem = 3 THEN
        RAISE EXCEPTION USING ERRCODE = 'check_violation',
            MESSAGE = 'ledger: a posting may not be zero';
    END IF;
    RETURN NULL;
END $$
"""

_POSTING_GUARD_TRIGGER = """CREATE TRIGGER ledger_posting_guard BEFORE {events}
       ON ledger_posting FOR EACH ROW EXECUTE FUNCTION ledger_posting_guard()"""

POST_INSTALL = [
    _ENTRY_POST,
    _ENTRY_GUARD_SINGLE_SCAN,
    _ENTRY_APPLY_SINGLE_SCAN,
    _POSTING_INSERT_GUARD,
    "DROP TRIGGER ledger_posting_guard ON ledger_posting",
    _POSTING_GUARD_TRIGGER.format(events="UPDATE OR DELETE"),
    """CREATE TRIGGER ledger_posting_insert_guard AFTER INSERT ON ledger_posting
       REFERENCING NEW TABLE AS new_postings
       FOR EACH STATEMENT EXECUTE FUNCTION ledger_posting_insert_guard()""",
]

POST_UNINSTALL = [
    "DROP FUNCTION IF EXISTS ledger_entry_post(text, text, text, text, date, timestamptz,"
    " timestamptz, jsonb, boolean, text, bigint, bigint, bigint[], text[], numeric[],"
    " numeric[], numeric[])",
    "DROP TRIGGER IF EXISTS ledger_posting_insert_guard ON ledger_posting",
    "DROP FUNCTION IF EXISTS ledger_posting_insert_guard()",
    "DROP TRIGGER ledger_posting_guard ON ledger_posting",
    _POSTING_GUARD_TRIGGER.format(events="INSERT OR UPDATE OR DELETE"),
    _ENTRY_GUARD,
    _ENTRY_APPLY,
]


def install_post(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in POST_INSTALL:
            schema_editor.execute(statement)


def uninstall_post(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in POST_UNINSTALL:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("ledger", "0005_disbursement")]
    operations = [migrations.RunPython(install_post, uninstall_post)]
