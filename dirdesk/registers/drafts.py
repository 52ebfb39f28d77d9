"""Drafts kept in the register file (the app's "Lưu"), found by the same search."""

from __future__ import annotations

import json

from dirdesk.draft import Draft, draft_from_dict
from dirdesk.registers import search
from dirdesk.registers.audit import get_row, insert_row, update_row
from dirdesk.registers.database import Registry


def _index(reg: Registry, row_id: int, draft: Draft) -> None:
    saved = get_row(reg, "drafts", row_id)["updated_at"][:10]
    search.index_entry(reg, "draft", row_id, date=saved, doc_type=draft.type, status="draft",
                       symbol="", subject=draft.subject, issuer=draft.issuer.name,
                       body="\n".join(filter(None, [draft.preamble, draft.body])),
                       notes=" ".join([*draft.recipients, *draft.cc]))


def save(reg: Registry, draft: Draft, row_id: int | None = None) -> int:
    """Store a new draft, or replace draft `row_id`; returns its id."""
    values = {"style": draft.style, "type": draft.type, "subject": draft.subject,
              "draft_json": json.dumps(draft.to_dict(), ensure_ascii=False)}
    with reg.transaction():
        if row_id is None:
            row_id = insert_row(reg, "drafts", values)
        else:
            update_row(reg, "drafts", row_id, values)
        _index(reg, row_id, draft)
    return row_id


def load(reg: Registry, row_id: int) -> Draft:
    return draft_from_dict(json.loads(get_row(reg, "drafts", row_id)["draft_json"]), source=f"dự thảo #{row_id}")


def list_rows(reg: Registry, include_deleted: bool = False) -> list[dict]:
    where = "" if include_deleted else " WHERE deleted_at IS NULL"
    return reg.query(f"SELECT id, style, type, subject, updated_at, deleted_at FROM drafts{where} "
                     "ORDER BY updated_at DESC, id DESC")
