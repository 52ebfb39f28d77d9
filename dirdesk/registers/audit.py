"""The audit log: every change to the registers and the profile, with what it
was before and after. Deleting is a soft delete (`deleted_at`) that can be undone.

All functions here run inside the caller's transaction, so a change and its
log entry are committed together or not at all.
"""

from __future__ import annotations

import datetime as dt
import json

from dirdesk.registers.database import Registry, now_text
from dirdesk.registers.errors import RegisterError

AUDITED_TABLES = ("outgoing", "incoming", "drafts", "progress", "profile", "copies")


def _require_transaction(reg: Registry) -> None:
    if not reg.conn.in_transaction:
        raise RuntimeError("audited writes must run inside reg.transaction()")


def dated_rows_where(column: str, start: dt.date | None, end: dt.date | None,
                     include_deleted: bool) -> tuple[list[str], list]:
    """The WHERE conditions (and their parameters) of a register's list: `column` (an ISO date)
    from `start` to `end` inclusive, the soft-deleted rows left out unless `include_deleted`."""
    where, params = [], []
    if start:
        where.append(f"{column} >= ?")
        params.append(start.isoformat())
    if end:
        where.append(f"{column} <= ?")
        params.append(end.isoformat())
    if not include_deleted:
        where.append("deleted_at IS NULL")
    return where, params


def log_change(reg: Registry, table: str, row_id: int, action: str, old: dict | None, new: dict | None) -> None:
    _require_transaction(reg)
    reg.db.execute(
        "INSERT INTO audit (at, table_name, row_id, action, old, new) VALUES (?, ?, ?, ?, ?, ?)",
        [now_text(), table, row_id, action,
         json.dumps(old, ensure_ascii=False) if old is not None else None,
         json.dumps(new, ensure_ascii=False) if new is not None else None],
    )


def insert_row(reg: Registry, table: str, values: dict) -> int:
    """Insert a row with created/updated stamps and log it; returns its id."""
    _require_transaction(reg)
    stamp = now_text()
    values = {**values, "created_at": stamp, "updated_at": stamp}
    cols = ", ".join(values)
    marks = ", ".join("?" for _ in values)
    cursor = reg.db.execute(f"INSERT INTO {table} ({cols}) VALUES ({marks})", list(values.values()))
    row_id = cursor.lastrowid
    logged = {k: v for k, v in values.items() if k not in ("created_at", "updated_at", "draft_json")}
    log_change(reg, table, row_id, "insert", None, logged)
    return row_id


def get_row(reg: Registry, table: str, row_id: int) -> dict:
    row = reg.one(f"SELECT * FROM {table} WHERE id = ?", [row_id])
    if row is None:
        raise RegisterError(f"Không có dòng {row_id} trong sổ.")
    return row


def update_row(reg: Registry, table: str, row_id: int, changes: dict, action: str = "update") -> dict:
    """Apply the changes that differ from the stored row; log old and new values. Returns the new row."""
    _require_transaction(reg)
    old = get_row(reg, table, row_id)
    diff = {k: v for k, v in changes.items() if old.get(k) != v}
    if not diff:
        return old
    diff["updated_at"] = now_text()
    sets = ", ".join(f"{k} = ?" for k in diff)
    reg.db.execute(f"UPDATE {table} SET {sets} WHERE id = ?", [*diff.values(), row_id])
    shown = [k for k in diff if k not in ("updated_at", "draft_json")]
    log_change(reg, table, row_id, action, {k: old[k] for k in shown}, {k: diff[k] for k in shown})
    return get_row(reg, table, row_id)


def soft_delete(reg: Registry, table: str, row_id: int) -> dict:
    row = get_row(reg, table, row_id)
    if row.get("deleted_at"):
        raise RegisterError("Dòng này đã bị xóa trước đó.")
    return update_row(reg, table, row_id, {"deleted_at": now_text()}, action="delete")


def undelete(reg: Registry, table: str, row_id: int) -> dict:
    row = get_row(reg, table, row_id)
    if not row.get("deleted_at"):
        raise RegisterError("Dòng này chưa bị xóa.")
    return update_row(reg, table, row_id, {"deleted_at": None}, action="undelete")


def history(reg: Registry, table: str | None = None, row_id: int | None = None, limit: int = 50) -> list[dict]:
    where, params = [], []
    if table:
        where.append("table_name = ?")
        params.append(table)
    if row_id is not None:
        where.append("row_id = ?")
        params.append(row_id)
    sql = "SELECT * FROM audit" + (" WHERE " + " AND ".join(where) if where else "") + " ORDER BY id DESC LIMIT ?"
    rows = reg.query(sql, [*params, limit])
    for row in rows:
        row["old"] = json.loads(row["old"]) if row["old"] else None
        row["new"] = json.loads(row["new"]) if row["new"] else None
    return rows
