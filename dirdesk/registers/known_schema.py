"""The schema a register file of a given version must have, and how a file differs from it.

A database from outside (a backup to restore) is trusted only if its tables,
indexes, triggers and views are exactly those the migrations create for its
schema version: a crafted backup once carried an extra trigger, and the next
`incoming add` deleted every outgoing row. The reference is built by running
`schema.MIGRATIONS` into an in-memory database, so a backup of any older
version is compared with what that version's migrations made. Names and SQL
(white space folded) are compared for every object but the tables a virtual
table makes for itself (FTS5's `search_index_data`, …), whose SQL SQLite
writes and may word differently from one version to the next: for those,
only that they are there and no more.
"""

from __future__ import annotations

import sqlite3
from functools import cache

from dirdesk.registers.schema import MIGRATIONS

KIND_NAMES = {"table": "bảng", "index": "chỉ mục", "trigger": "trigger", "view": "view"}


def _normal(sql: str | None) -> str:
    return " ".join((sql or "").split())


def objects(conn: sqlite3.Connection) -> dict[tuple[str, str], tuple[str, str]]:
    """(type, name) -> (table it belongs to, its SQL with white space folded), for every schema object."""
    return {(kind, name): (table, _normal(sql))
            for kind, name, table, sql in conn.execute("SELECT type, name, tbl_name, sql FROM sqlite_master")}


@cache
def reference(version: int) -> dict[tuple[str, str], tuple[str, str]]:
    """The schema objects `MIGRATIONS[:version]` create."""
    conn = sqlite3.connect(":memory:", isolation_level=None)
    try:
        for statements in MIGRATIONS[:version]:
            for statement in statements:
                conn.execute(statement)
        return objects(conn)
    finally:
        conn.close()


def differences(conn: sqlite3.Connection, version: int) -> list[str]:
    """How the database's schema differs from version `version`'s, in Vietnamese; [] when it is the same."""
    have, want = objects(conn), reference(version)
    found = []
    for key in sorted(have.keys() - want.keys()):
        found.append(f"có thêm {KIND_NAMES.get(key[0], key[0])} «{key[1]}»")
    for key in sorted(want.keys() - have.keys()):
        found.append(f"thiếu {KIND_NAMES.get(key[0], key[0])} «{key[1]}»")
    shadow = _shadow_prefixes(version)
    for key in sorted(have.keys() & want.keys()):
        if key[0] == "table" and key[1].startswith(shadow):
            continue  # a virtual table's own tables: their SQL is SQLite's, which may word it otherwise
        if have[key] != want[key]:
            found.append(f"{KIND_NAMES.get(key[0], key[0])} «{key[1]}» bị sửa định nghĩa")
    return found


@cache
def _shadow_prefixes(version: int) -> tuple[str, ...]:
    """"search_index_": the tables a virtual table (FTS5) makes for itself are named after it."""
    return tuple(f"{name}_" for (kind, name), (_, sql) in reference(version).items()
                 if kind == "table" and sql.upper().startswith("CREATE VIRTUAL TABLE"))
