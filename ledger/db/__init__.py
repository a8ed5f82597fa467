"""The ledger's invariants as database triggers (and, on PostgreSQL, functions), one module
per database vendor, holding the current definitions only.

`install` puts the current set in place (the latest migration that changed it calls it; so
does a test that had to lift them); `uninstall` removes it. `differences` compares what the
database holds with the current set, definition by definition, for `manage.py ledger_verify`.
The error messages all start with "ledger:" so services can turn the database's refusal
into an `ApplicationError` with the reason.
"""

from __future__ import annotations

import re
from types import ModuleType

from django.db.backends.base.base import BaseDatabaseWrapper

from ledger.db import postgresql, sqlite

VENDORS = {"postgresql": postgresql, "sqlite": sqlite}


def _module(connection: BaseDatabaseWrapper) -> ModuleType:
    if connection.vendor not in VENDORS:
        raise RuntimeError(f"The ledger's invariants have no triggers for {connection.vendor}.")
    return VENDORS[connection.vendor]


def install(connection: BaseDatabaseWrapper) -> None:
    """Put the current triggers and functions in place (replacing any older version)."""
    with connection.cursor() as cursor:
        for statement in _module(connection).INSTALL:
            cursor.execute(statement)


def uninstall(connection: BaseDatabaseWrapper) -> None:
    with connection.cursor() as cursor:
        for statement in _module(connection).UNINSTALL:
            cursor.execute(statement)


def _words(sql: str) -> str:
    """A definition reduced to its words, for comparison: case, whitespace, parentheses,
    the schema and PostgreSQL's type casts (`'x'::text`) do not count."""
    sql = re.sub(r"::(character varying|[a-z_]+)(\[\])?", "", sql.lower())
    sql = sql.replace("public.", "").replace("execute procedure", "execute function")
    return re.sub(r"[\s()]+", "", sql)


def _function_body(sql: str) -> str:
    return sql.split("$$")[1]


def _pg_differences(connection: BaseDatabaseWrapper) -> list[str]:
    problems = []
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT p.proname, p.prosrc FROM pg_proc p JOIN pg_namespace n ON n.oid = "
            "p.pronamespace WHERE n.nspname = current_schema() AND p.proname LIKE 'ledger%%'"
        )
        functions = cursor.fetchall()
        cursor.execute(
            "SELECT t.tgname, pg_get_triggerdef(t.oid) FROM pg_trigger t "
            "WHERE NOT t.tgisinternal AND t.tgname LIKE 'ledger%%'"
        )
        triggers = dict(cursor.fetchall())
    found: dict[str, list[str]] = {}
    for name, source in functions:
        found.setdefault(name, []).append(source)
    for name, sql in postgresql.FUNCTIONS.items():
        sources = found.pop(name, [])
        if not sources:
            problems.append(f"function {name} is missing")
        elif len(sources) > 1:
            problems.append(f"function {name} exists {len(sources)} times (an old version?)")
        elif _words(sources[0]) != _words(_function_body(sql)):
            problems.append(f"function {name} is not the current definition")
    problems += [f"function {name} is not one of the ledger's" for name in sorted(found)]
    for name, trigger in postgresql.TRIGGERS.items():
        definition = triggers.pop(name, None)
        if definition is None:
            problems.append(f"trigger {name} is missing")
        elif _words(definition) != _words(trigger.create(name)):
            problems.append(f"trigger {name} is not the current definition")
    problems += [f"trigger {name} is not one of the ledger's" for name in sorted(triggers)]
    return problems


def _sqlite_differences(connection: BaseDatabaseWrapper) -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'ledger%'"
        )
        triggers = dict(cursor.fetchall())
    problems = []
    for name, sql in sqlite.TRIGGERS.items():
        definition = triggers.pop(name, None)
        if definition is None:
            problems.append(f"trigger {name} is missing")
        elif _words(definition) != _words(sql):
            problems.append(f"trigger {name} is not the current definition")
    problems += [f"trigger {name} is not one of the ledger's" for name in sorted(triggers)]
    return problems


def differences(connection: BaseDatabaseWrapper) -> list[str]:
    """Every trigger and function of the current set that is missing, changed, doubled, or
    not the ledger's; empty when the database holds exactly the current set."""
    if connection.vendor == "postgresql":
        return _pg_differences(connection)
    return _sqlite_differences(connection)
