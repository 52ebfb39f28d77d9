"""One search over the outgoing and incoming registers and the saved drafts.

Text is indexed folded: lower case, without diacritics, and with đ/Đ as d
(Unicode does not decompose đ, so "dang uy" would not find "Đảng ủy" with
the tokenizer's own diacritic removal). The query is folded the same way, so
"phong chong dich" finds "phòng, chống dịch". Each whitespace-separated part
of the query is a phrase of its tokens, so a symbol such as "66-CV/ĐU" finds
the tokens 66, cv, du in that order and not "166-CV/ĐU"; the last part also
matches as a prefix, for search as you type. Results are ranked with the
symbol and subject weighted above the issuer, notes and body (see `rank`). Filters (register, month,
type, status) are tokens of a `tags` column, so the index applies them.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

from dirdesk import limits
from dirdesk.registers.database import Registry
from dirdesk.registers.errors import RegisterError
from dirdesk.registers.profile import load_profile
from dirdesk.text import clean, fold

KINDS = {"outgoing": 1, "incoming": 2, "draft": 3}
KIND_NAMES = {v: k for k, v in KINDS.items()}
COLUMNS = ("symbol", "subject", "issuer", "notes", "body")  # in the index's order; body last (long)
RANKED = {"symbol": 10.0, "subject": 5.0, "issuer": 2.0, "notes": 1.0}  # what ranking reads, and its weights
BODY_ONLY = 0.05  # the score of an entry whose words are in its body alone
WINDOW = 1000  # broad queries rank their newest WINDOW matches
_TOKEN = re.compile(r"\w+")
_MARKUP = re.compile(r"[*_\\#]")


def _tag_token(text: str) -> str:
    return "".join(_TOKEN.findall(fold(text))).replace("_", "")


def tags(kind: str, date: str | None, doc_type: str | None, status: str) -> str:
    """The filter tokens of an entry: k1 (kind), m202611 (month), tcv (type), sissued (status)."""
    parts = [f"k{KINDS[kind]}", f"s{_tag_token(status)}"]
    if date:
        parts.append(f"m{date[:4]}{date[5:7]}")
    if doc_type:
        parts.append(f"t{_tag_token(doc_type)}")
    return " ".join(parts)


def index_entry(reg: Registry, kind: str, row_id: int, *, date: str | None, doc_type: str | None, status: str,
                symbol="", subject="", issuer="", body="", notes="") -> None:
    """(Re)index one entry; call inside the transaction that wrote it. `date` (ISO) gives its month."""
    rowid = row_id * 4 + KINDS[kind]
    reg.db.execute("DELETE FROM search_index WHERE rowid = ?", [rowid])
    values = [fold(v) for v in (symbol, subject, issuer, notes, _MARKUP.sub(" ", body or ""))]
    reg.db.execute(f"INSERT INTO search_index (rowid, {', '.join(COLUMNS)}, tags) VALUES (?, ?, ?, ?, ?, ?, ?)",
                   [rowid, *values, tags(kind, date, doc_type, status)])


def fts_query(query: str) -> str | None:
    """The FTS5 MATCH expression for what the clerk typed; None when it has no words."""
    parts = []
    chunks = [c for c in clean(query, keep_newlines=False).split() if _TOKEN.search(fold(c))]
    for i, chunk in enumerate(chunks):
        tokens = _TOKEN.findall(fold(chunk))
        phrase = '"' + " ".join(tokens) + '"'
        # search as you type: a last plain word of 2+ letters also matches as a prefix (not a symbol)
        if i == len(chunks) - 1 and len(tokens) == 1 and len(tokens[0]) >= 2 and fold(chunk).isalnum():
            phrase += " *"
        parts.append("{" + " ".join(COLUMNS) + "} : " + phrase)
    return " AND ".join(parts) if parts else None


def rank(conn, rowids: list[int], query: str, *, last_is_prefix: bool) -> list[tuple[int, float]]:
    """(rowid, score) best first. FTS5's bm25() counts every row holding each term
    to weigh it, which costs tens of ms for words in most documents ("đảng"),
    so the matched entries are scored here instead: query words found in the
    symbol, subject, issuer and notes, by column weight, over the column's
    length; a whole-phrase match counts double; newer first among equals."""
    if not rowids:
        return []
    words = _TOKEN.findall(fold(query))
    phrase = " ".join(words)
    prefix = words[-1] if words and last_is_prefix else None
    scores = []
    for start in range(0, len(rowids), 500):
        chunk = rowids[start:start + 500]
        cols = ", ".join(RANKED)
        marks = ", ".join("?" for _ in chunk)
        for row in conn.execute(f"SELECT rowid, {cols} FROM search_index WHERE rowid IN ({marks})", chunk):
            score = 0.0
            for weight, text in zip(RANKED.values(), row[1:], strict=True):
                tokens = _TOKEN.findall(text or "")
                if not tokens:
                    continue
                found = sum(1 for t in tokens if t in words or (prefix and t.startswith(prefix)))
                if found:
                    bonus = 2.0 if phrase and phrase in " ".join(tokens) else 1.0
                    score += weight * bonus * found / (len(tokens) + 2)
            scores.append((row[0], score or BODY_ONLY))
    scores.sort(key=lambda item: (-item[1], -item[0]))
    return scores


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


def search(reg: Registry, query: str, *, kinds: tuple[str, ...] | None = None, month: str | None = None,
           doc_type: str | None = None, status: str | None = None, limit: int = 50,
           include_deleted: bool = False) -> list[Hit]:
    """Ranked hits for `query`, best first, filtered by register kind, month (YYYY-MM), type and status.

    Filters are index terms, so they narrow the match in the index itself. When
    more than WINDOW entries match, the WINDOW newest of them are ranked: a
    query as broad as "đảng ủy" lists recent documents first and stays fast.
    """
    if problem := limits.too_long(clean(query or "", keep_newlines=False), limits.QUERY):
        raise RegisterError(f"Từ khóa tìm kiếm {problem}; hãy tìm bằng vài từ của trích yếu hoặc số, ký hiệu.")
    match = words_match = fts_query(query)
    if match is None:
        return []
    filters = []
    if kinds and set(kinds) != set(KINDS):
        filters.append("(" + " OR ".join(f"k{KINDS[k]}" for k in kinds) + ")")
    if month:
        if not re.fullmatch(r"\d{4}-\d{2}", month):
            raise RegisterError(f"Tháng '{month}' không hợp lệ; cần dạng YYYY-MM.")
        filters.append(f"m{month.replace('-', '')}")
    if doc_type:
        filters.append(f"t{_tag_token(doc_type)}")
    if status:
        filters.append(f"s{_tag_token(status)}")
    if filters:
        match = f"({match}) AND tags : ({' AND '.join(filters)})"
    conn = reg.conn
    newest = [r[0] for r in conn.execute(
        "SELECT rowid FROM search_index WHERE search_index MATCH ? ORDER BY rowid DESC LIMIT ?", [match, WINDOW])]
    ranked = iter(rank(conn, newest, query, last_is_prefix=words_match.endswith("*")))
    hits: list[Hit] = []
    while len(hits) < limit:
        batch = list(itertools.islice(ranked, limit * 2))
        if not batch:
            break
        by_kind: dict[str, list[int]] = {}
        for rowid, _ in batch:
            by_kind.setdefault(KIND_NAMES[rowid % 4], []).append(rowid // 4)
        rows = {}
        for kind, ids in by_kind.items():
            where = f"id IN ({', '.join('?' for _ in ids)})" + ("" if include_deleted else " AND deleted_at IS NULL")
            for row in conn.execute(f"{_SOURCES[kind]} WHERE {where}", ids):
                rows[(kind, row[0])] = row
        for rowid, score in batch:
            row = rows.get((KIND_NAMES[rowid % 4], rowid // 4))
            if row is not None:
                hits.append(Hit(KIND_NAMES[rowid % 4], row[0], row[1], row[2], row[3], row[4], score))
            if len(hits) == limit:
                break
    return hits


def issuers_of(reg: Registry, hits) -> dict[tuple[str, int], str]:
    """Tác giả of incoming hits; the issuing body of outgoing ones (from the issued draft, else the profile)."""
    found: dict[tuple[str, int], str] = {}
    incoming_ids = [h.id for h in hits if h.kind == "incoming"]
    outgoing_ids = [h.id for h in hits if h.kind == "outgoing"]
    if incoming_ids:
        marks = ", ".join("?" for _ in incoming_ids)
        for row in reg.query(f"SELECT id, author FROM incoming WHERE id IN ({marks})", incoming_ids):
            found[("incoming", row["id"])] = row["author"] or ""
    if outgoing_ids:
        office = (load_profile(reg).issuer or {}).get("name") or ""
        marks = ", ".join("?" for _ in outgoing_ids)
        for row in reg.query("SELECT id, json_extract(draft_json, '$.issuer.name') AS issuer FROM outgoing "
                             f"WHERE id IN ({marks})", outgoing_ids):
            found[("outgoing", row["id"])] = clean(row["issuer"] or office, keep_newlines=False)
    return found


def entry_months(reg: Registry) -> list[str]:
    """The months (YYYY-MM) that have entries in either register, newest first."""
    rows = reg.query("SELECT substr(date, 1, 7) AS m FROM outgoing WHERE deleted_at IS NULL "
                     "UNION SELECT substr(received_date, 1, 7) FROM incoming WHERE deleted_at IS NULL "
                     "ORDER BY m DESC")
    return [r["m"] for r in rows if r["m"]]
