"""One search over the outgoing and incoming registers and the saved drafts.

Text is indexed folded: lower case, without diacritics, and with đ/Đ as d
(Unicode does not decompose đ, so "dang uy" would not find "Đảng ủy" with
the tokenizer's own diacritic removal). The query is folded the same way, so
"phong chong dich" finds "phòng, chống dịch". Each whitespace-separated part
of the query is a phrase of its tokens, so a symbol such as "66-CV/ĐU" finds
the tokens 66, cv, du in that order and not "166-CV/ĐU"; the last part also
matches as a prefix, for search as you type. Results are ranked by BM25 with
the symbol and subject weighted above the body.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from dirdesk.registers.database import Registry
from dirdesk.text import clean

KINDS = {"outgoing": 1, "incoming": 2, "draft": 3}
KIND_NAMES = {v: k for k, v in KINDS.items()}
COLUMNS = ("symbol", "subject", "issuer", "body", "notes")
WEIGHTS = (10.0, 5.0, 2.0, 1.0, 1.0)
_TOKEN = re.compile(r"\w+")
_MARKUP = re.compile(r"[*_\\#]")


def fold(text: str | None) -> str:
    """Lower case, no diacritics, đ -> d: the form both index and query are kept in."""
    if not text:
        return ""
    text = unicodedata.normalize("NFD", text.lower()).replace("đ", "d")
    return "".join(ch for ch in text if not unicodedata.combining(ch))


def index_entry(reg: Registry, kind: str, row_id: int, *, symbol="", subject="", issuer="", body="", notes="") -> None:
    """(Re)index one entry; call inside the transaction that wrote it."""
    rowid = row_id * 4 + KINDS[kind]
    reg.db.execute("DELETE FROM search_index WHERE rowid = ?", [rowid])
    values = [fold(v) for v in (symbol, subject, issuer, _MARKUP.sub(" ", body or ""), notes)]
    reg.db.execute(f"INSERT INTO search_index (rowid, {', '.join(COLUMNS)}) VALUES (?, ?, ?, ?, ?, ?)",
                   [rowid, *values])


def remove_entry(reg: Registry, kind: str, row_id: int) -> None:
    reg.db.execute("DELETE FROM search_index WHERE rowid = ?", [row_id * 4 + KINDS[kind]])


def fts_query(query: str) -> str | None:
    """The FTS5 MATCH expression for what the clerk typed; None when it has no words."""
    parts = []
    chunks = [c for c in clean(query, keep_newlines=False).split() if _TOKEN.search(fold(c))]
    for i, chunk in enumerate(chunks):
        tokens = _TOKEN.findall(fold(chunk))
        phrase = '"' + " ".join(tokens) + '"'
        if i == len(chunks) - 1 and len(tokens[-1]) >= 2:
            phrase += " *"
        parts.append(phrase)
    return " AND ".join(parts) if parts else None


@dataclass
class Hit:
    kind: str  # outgoing | incoming | draft
    id: int
    symbol: str
    date: str | None
    subject: str
    status: str
    score: float

    def to_dict(self) -> dict:
        return {"kind": self.kind, "id": self.id, "symbol": self.symbol, "date": self.date,
                "subject": self.subject, "status": self.status, "score": round(self.score, 4)}


# Per kind: the SELECT giving symbol, date, subject, status, type for rows matched by id.
_SOURCES = {
    "outgoing": ("SELECT id, symbol, date, type_name || ' ' || subject AS subject, status, type, "
                 "deleted_at FROM outgoing"),
    "incoming": ("SELECT id, symbol, received_date AS date, trim(type_name || ' ' || subject) AS subject, "
                 "status, type, deleted_at FROM incoming"),
    "draft": "SELECT id, '' AS symbol, substr(updated_at, 1, 10) AS date, subject, 'draft' AS status, type, "
             "deleted_at FROM drafts",
}


_DATE_COLUMN = {"outgoing": "date", "incoming": "received_date", "draft": "updated_at"}


def search(reg: Registry, query: str, *, kinds: tuple[str, ...] | None = None, month: str | None = None,
           doc_type: str | None = None, status: str | None = None, limit: int = 50,
           include_deleted: bool = False) -> list[Hit]:
    """Ranked hits for `query`, best first, filtered by register kind, month (YYYY-MM), type and status."""
    match = fts_query(query)
    if match is None:
        return []
    kinds = tuple(kinds or KINDS)
    weights = ", ".join(str(w) for w in WEIGHTS)
    kind_codes = ", ".join(str(KINDS[k]) for k in kinds)
    filtered = bool(month or doc_type or status or not include_deleted)
    # Without filters the ranked LIMIT is applied in FTS5; with filters, over-fetch and filter in SQL.
    sql = (f"SELECT rowid, bm25(search_index, {weights}) AS score FROM search_index "
           f"WHERE search_index MATCH ? AND rowid % 4 IN ({kind_codes}) ORDER BY score")
    params: list = [match]
    hits: list[Hit] = []
    ranked = reg.conn.execute(sql, params)
    batch_size = max(limit * 4, 200) if filtered else limit
    while len(hits) < limit:
        batch = ranked.fetchmany(batch_size)
        if not batch:
            break
        by_kind: dict[str, dict[int, float]] = {}
        for rowid, score in batch:
            by_kind.setdefault(KIND_NAMES[rowid % 4], {})[rowid // 4] = score
        rows = {}
        for kind, ids in by_kind.items():
            where = [f"id IN ({', '.join('?' for _ in ids)})"]
            args: list = list(ids)
            if not include_deleted:
                where.append("deleted_at IS NULL")
            if month:
                where.append(f"substr({_DATE_COLUMN[kind]}, 1, 7) = ?")
                args.append(month)
            if doc_type:
                where.append("type = ?")
                args.append(doc_type)
            if status:
                where.append("status = ?" if kind != "draft" else "'draft' = ?")
                args.append(status)
            for row in reg.conn.execute(f"{_SOURCES[kind]} WHERE {' AND '.join(where)}", args):
                rows[(kind, row[0])] = row
        for rowid, score in batch:
            row = rows.get((KIND_NAMES[rowid % 4], rowid // 4))
            if row is None:
                continue
            hits.append(Hit(KIND_NAMES[rowid % 4], row[0], row[1], row[2], row[3], row[4], -score))
            if len(hits) == limit:
                break
    return hits
