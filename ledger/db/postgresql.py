"""The ledger's invariants on PostgreSQL, as the migrations leave them now (plpgsql).

Every refusal raises SQLSTATE 23514 (check_violation), which Django surfaces as an
IntegrityError, the same class SQLite's RAISE(ABORT) gives; the messages start with
"ledger:" so `ledger.errors` can turn them into the application's errors.

This module holds only the current definitions: the versions earlier migrations installed
are frozen inside those migrations. `FUNCTIONS` and `TRIGGERS` are also what
`manage.py ledger_verify` compares the database with, definition by definition.
"""

from __future__ import annotations

from dataclasses import dataclass

# The flip of an entry from pending to posted: two postings or more, balanced per currency
# and in the book currency (the three checks over the postings in one pass), period open.
_ENTRY_GUARD = """
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

# Moves the cached balances, then refuses a guarded account going below zero through this
# entry, reading the moved balances from the UPDATE's own RETURNING. The service (or
# `ledger_entry_post`) has already locked the balance rows in account order, so this UPDATE
# never waits on another transaction halfway through (no deadlock).
_ENTRY_APPLY = """
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
            MESSAGE = 'ledger: a restricted fund or a clearing account would go negative';
    END IF;
    RETURN NULL;
END $$
"""

# Postings never change, and are deleted only with their pending entry (the insert checks
# are `_POSTING_INSERT_GUARD`, once per statement).
_POSTING_GUARD = """
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

# The insert checks for a whole statement's rows in one query (instead of two or three
# lookups per row); with several bad rows, the first kind of problem is the one reported.
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

# Every account has a balance row from the start, and its currency is fixed once used.
_ACCOUNT_GUARD = """
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

# The posting core in one round trip: the replay check (same key and payload hash returns
# the first entry's id; another hash is refused with a message errors.py maps to Conflict),
# the entry and all its postings (with their dimension) inserted pending, the balance rows
# locked in account-id order and the flip to posted. The triggers still fire on every one of
# those rows, so the function gains no right that raw SQL lacks: it only saves round trips.
_ENTRY_POST = """
CREATE OR REPLACE FUNCTION ledger_entry_post(
    p_key text, p_hash text, p_kind text, p_memo text, p_date date,
    p_recorded_at timestamptz, p_posted_at timestamptz, p_refs jsonb, p_allow_negative boolean,
    p_reason text, p_recorded_by bigint, p_reverses bigint,
    p_accounts bigint[], p_currencies text[], p_amounts numeric[], p_books numeric[],
    p_rates numeric[], p_dim_keys text[], p_dim_values text[],
    OUT o_id bigint, OUT o_replayed boolean
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
    INSERT INTO ledger_posting (entry_id, account_id, amount_currency, amount, amount_book, rate,
        dimension_key, dimension_value)
    SELECT o_id, u.account, u.currency, u.amount, u.book, u.rate, u.dim_key, u.dim_value
    FROM unnest(p_accounts, p_currencies, p_amounts, p_books, p_rates, p_dim_keys, p_dim_values)
        WITH ORDINALITY AS u(account, currency, amount, book, rate, dim_key, dim_value, n)
    ORDER BY u.n;
    IF p_posted_at IS NOT NULL THEN
        PERFORM 1 FROM ledger_accountbalance WHERE account_id = ANY (p_accounts)
        ORDER BY account_id FOR UPDATE;
        UPDATE ledger_journalentry SET state = 'posted', posted_at = p_posted_at
        WHERE id = o_id;
    END IF;
END $$
"""

POST_FUNCTION_ARGS = (
    "text, text, text, text, date, timestamptz, timestamptz, jsonb, boolean, text, bigint,"
    " bigint, bigint[], text[], numeric[], numeric[], numeric[], text[], text[]"
)
FUNCTIONS = {
    "ledger_entry_guard": _ENTRY_GUARD,
    "ledger_entry_apply": _ENTRY_APPLY,
    "ledger_posting_guard": _POSTING_GUARD,
    "ledger_posting_insert_guard": _POSTING_INSERT_GUARD,
    "ledger_account_guard": _ACCOUNT_GUARD,
    "ledger_entry_post": _ENTRY_POST,
}
FUNCTION_ARGS = {"ledger_entry_post": POST_FUNCTION_ARGS}


@dataclass(frozen=True)
class Trigger:
    """One trigger, in PostgreSQL's own order of words (so its definition can be compared
    with what `pg_get_triggerdef` prints)."""

    table: str
    timing: str  # BEFORE / AFTER
    events: str  # e.g. "INSERT OR DELETE OR UPDATE", "UPDATE OF state"
    function: str
    level: str = "ROW"
    when: str = ""
    referencing: str = ""

    def create(self, name: str) -> str:
        referencing = f" REFERENCING {self.referencing}" if self.referencing else ""
        when = f" WHEN ({self.when})" if self.when else ""
        return (
            f"CREATE TRIGGER {name} {self.timing} {self.events} ON {self.table}{referencing}"
            f" FOR EACH {self.level}{when} EXECUTE FUNCTION {self.function}()"
        )


TRIGGERS = {
    "ledger_entry_guard": Trigger(
        "ledger_journalentry", "BEFORE", "INSERT OR DELETE OR UPDATE", "ledger_entry_guard"
    ),
    "ledger_entry_apply": Trigger(
        "ledger_journalentry", "AFTER", "UPDATE OF state", "ledger_entry_apply",
        when="OLD.state = 'pending' AND NEW.state = 'posted'",
    ),
    "ledger_posting_guard": Trigger(
        "ledger_posting", "BEFORE", "DELETE OR UPDATE", "ledger_posting_guard"
    ),
    "ledger_posting_insert_guard": Trigger(
        "ledger_posting", "AFTER", "INSERT", "ledger_posting_insert_guard",
        level="STATEMENT", referencing="NEW TABLE AS new_postings",
    ),
    "ledger_account_currency_fixed": Trigger(
        "ledger_account", "BEFORE", "UPDATE OF currency", "ledger_account_guard"
    ),
    "ledger_account_balance_row": Trigger(
        "ledger_account", "AFTER", "INSERT", "ledger_account_guard"
    ),
}  # fmt: skip


def _drop_function(name: str) -> str:
    return f"DROP FUNCTION IF EXISTS {name}({FUNCTION_ARGS.get(name, '')})"


INSTALL = [
    *(f"DROP TRIGGER IF EXISTS {name} ON {t.table}" for name, t in TRIGGERS.items()),
    *FUNCTIONS.values(),
    *(trigger.create(name) for name, trigger in TRIGGERS.items()),
]
UNINSTALL = [
    *(f"DROP TRIGGER IF EXISTS {name} ON {t.table}" for name, t in TRIGGERS.items()),
    *(_drop_function(name) for name in FUNCTIONS),
]
