"""The ledger's invariants as database triggers, one module per database vendor.

`install(schema_editor)` and `uninstall(schema_editor)` are called by the migration
`ledger.0002_invariant_triggers`, `install_post`/`uninstall_post` by
`ledger.0006_post_function`; they branch on the connection's vendor. The error messages
all start with "ledger:" so services can turn the database's refusal into an
`ApplicationError` with the reason.
"""

from __future__ import annotations

from ledger.db import postgresql, sqlite

VENDORS = {"postgresql": postgresql, "sqlite": sqlite}


def _module(schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor not in VENDORS:
        raise RuntimeError(f"The ledger's invariants have no triggers for {vendor}.")
    return VENDORS[vendor]


def install(apps, schema_editor) -> None:
    for statement in _module(schema_editor).INSTALL:
        schema_editor.execute(statement)


def uninstall(apps, schema_editor) -> None:
    for statement in _module(schema_editor).UNINSTALL:
        schema_editor.execute(statement)


def install_post(apps, schema_editor) -> None:
    for statement in _module(schema_editor).POST_INSTALL:
        schema_editor.execute(statement)


def uninstall_post(apps, schema_editor) -> None:
    for statement in _module(schema_editor).POST_UNINSTALL:
        schema_editor.execute(statement)
