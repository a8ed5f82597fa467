"""Path converters for the API's addresses.

`<id:pk>` is a row id: one to eighteen digits, so always within a 64-bit integer. Django's
`<int:pk>` takes any number of digits, and an id past the database's integer range then
fails in the query (SQLite: OverflowError, a 500) instead of naming nothing (a 404).
Registered once, in `common.apps`.
"""

from __future__ import annotations

ROW_ID_DIGITS = 18
ROW_ID_MAX = 10**ROW_ID_DIGITS - 1


class RowIdConverter:
    regex = f"[0-9]{{1,{ROW_ID_DIGITS}}}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value: int | str) -> str:
        return str(value)
