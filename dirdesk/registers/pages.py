"""Register rows a page at a time, for tables that show 100,000 rows without
reading them all (the desktop app's Văn bản đi / đến / Theo dõi giải quyết).

`list_rows` of outgoing.py and incoming.py reads a whole period; here a
`View` (filters and sort order) is read in pages with keyset pagination: each
page continues after the sort key of the last row shown (`WHERE (keys, id) >
(last keys, last id)`), so the thousandth page costs what the first does and
the date sort walks the date index. Filters are SQL: the period on the date
index, type, status, deleted rows, the follow-up deadlines, and the text
through the search index (search.fts_query: diacritic-insensitive, the last
word a prefix), so they stay fast on 100,000 rows.

Each row comes back as its cells: the text of the register's Phụ lục IV
columns (columns.toml), the same texts the printed register shows.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

from dirdesk.dates import date_text
from dirdesk.registers import search
from dirdesk.registers.columns import Column, columns_of, incoming_cells, outgoing_cells
from dirdesk.registers.database import Registry
from dirdesk.registers.errors import RegisterError

PAGE_SIZE = 200
TABLES = {"outgoing": "outgoing", "incoming": "incoming", "followup": "incoming"}
# The follow-up lists: quá hạn, đến hạn trong tuần, chưa xong, every document with a deadline.
DUE_KINDS = ("overdue", "week", "open", "all")

_OUT_SELECT = ("id, symbol, number, date, type, type_name, subject, signer, recipients, copy_holder, copies, "
               "sent_date, receipt, note, status, cancel_reason, urgency, secret, deleted_at, "
               "signed_pdf_sha256, signed_by, signed_at")  # the "Ký số" column (registers/signing.py)
_IN_SELECT = ("id, year, number, received_date, author, symbol, doc_date, type, type_name, subject, recipient, "
              "sent_date, receipt, note, urgency, secrecy, handler, deadline, status, done_date, reply_symbol, "
              "deleted_at, (SELECT group_concat(name, '; ') FROM incoming_files f WHERE f.incoming_id = t.id) "
              "AS files")
_PROGRESS = ("(SELECT group_concat(date || char(31) || text, char(30)) FROM "
             "(SELECT date, text FROM progress p WHERE p.incoming_id = t.id ORDER BY date, id)) AS progress")

# What a click on a column's heading sorts by (each followed by the row id); None: not sortable.
_OUT_SORT = {
    "symbol": ("number", "date"), "date": ("date",), "type_and_subject": ("type_name", "subject"),
    "signer": ("signer",), "recipients": ("recipients",), "copy_holder": ("copy_holder",),
    "copies": ("COALESCE(copies, 0)",), "sent_date": ("COALESCE(sent_date, '')",), "receipt": ("receipt",),
    "remarks": ("note",), "status": ("status",), "signed": ("COALESCE(signed_at, '')",),
}
_IN_SORT = {
    "received_date": ("received_date",), "number": ("year", "number"), "author": ("author",),
    "symbol": ("symbol",), "doc_date": ("COALESCE(doc_date, '')",), "type_and_subject": ("type_name", "subject"),
    "recipient": ("recipient",), "sent_date": ("COALESCE(sent_date, '')",), "receipt": ("receipt",),
    "remarks": ("note",), "urgency": ("COALESCE(urgency, '')",), "secrecy": ("COALESCE(secrecy, '')",),
    "handler": ("handler",), "deadline": ("COALESCE(deadline, '')",), "status": ("status",), "files": None,
    "handler_or_recipient": ("CASE WHEN handler != '' THEN handler ELSE recipient END",),
    "progress": None, "reply_symbol": ("reply_symbol",),
}
_FOLLOWUP_SORT = {**_IN_SORT, "deadline": ("deadline",)}  # every follow-up row has a deadline: the index serves
SORTS = {"outgoing": _OUT_SORT, "incoming": _IN_SORT, "followup": _FOLLOWUP_SORT}
DEFAULT_SORT = {"outgoing": "date", "incoming": "received_date", "followup": "deadline"}
DATE_FIELD = {"outgoing": "date", "incoming": "received_date", "followup": "received_date"}


@dataclass(frozen=True)
class View:
    """Which rows of a register, in what order. Dates are inclusive; `text` is what the clerk typed."""

    register: str  # outgoing | incoming | followup
    start: dt.date | None = None
    end: dt.date | None = None
    doc_type: str | None = None
    status: str | None = None
    text: str = ""
    include_deleted: bool = False
    due: str | None = None  # followup only: one of DUE_KINDS (default "open")
    today: dt.date | None = None  # the day "overdue" is counted from (default: today)
    sort: str | None = None  # a column's field (default: DEFAULT_SORT)
    descending: bool = True

    def __post_init__(self):
        if self.register not in TABLES:
            raise RegisterError(f"Không có sổ '{self.register}'.")
        if self.due is not None and self.due not in DUE_KINDS:
            raise RegisterError(f"Không có danh sách theo dõi '{self.due}'.")
        if self.sort is not None and SORTS[self.register].get(self.sort) is None:
            raise RegisterError(f"Không sắp xếp được theo cột '{self.sort}'.")

    @property
    def table(self) -> str:
        return TABLES[self.register]

    @property
    def sort_keys(self) -> tuple[str, ...]:
        return (*SORTS[self.register][self.sort or DEFAULT_SORT[self.register]], "id")

    def sorted_by(self, field: str, descending: bool) -> View:
        return replace(self, sort=field, descending=descending)


@dataclass(slots=True)
class PageRow:
    """One row as a table shows it."""

    id: int
    cells: tuple[str, ...]  # one text per column of `columns(view.register)`
    status: str
    deleted_at: str | None
    label: str  # "66-CV/ĐU" or "số đến 12/2026": the row named in messages
    cancel_reason: str | None = None
    deadline: str | None = None  # ISO
    key: tuple = ()  # the sort key the next page continues after


def columns(register: str) -> tuple[Column, ...]:
    """The table's columns: the register's columns of NĐ 30 Phụ lục IV and DirDesk's extra ones."""
    return columns_of(register)[1]


def sortable(register: str, field: str) -> bool:
    return SORTS[register].get(field) is not None


def _deleted(status: str, row: dict) -> str:
    return status + (", đã xóa" if row["deleted_at"] else "")


def _outgoing_cells(row: dict) -> dict:
    """The printed register's texts; a table shows a cancelled number's reason first and deleted rows as such."""
    cells = outgoing_cells(row)
    if row["status"] == "cancelled":
        remarks = [row["note"], row["urgency"] or "", row["secret"] or ""]
        cells["remarks"] = "; ".join(r for r in [f"Đã hủy: {row['cancel_reason']}", *remarks] if r)
    cells["status"] = _deleted(cells["status"], row)
    return cells


def _progress_text(value: str | None) -> str:
    if not value:
        return ""
    items = (item.split("\x1f", 1) for item in value.split("\x1e"))
    return "; ".join(f"{date_text(date)}: {text}" for date, text in items)


def _incoming_cells(row: dict) -> dict:
    cells = incoming_cells(row, row["files"] or "", _progress_text(row.get("progress")))
    cells["status"] = _deleted(cells["status"], row)
    return cells


def row_label(register: str, row: dict) -> str:
    """How messages name a row: its symbol ("66-CV/ĐU") or its số đến ("số đến 12/2026")."""
    if register == "outgoing":
        return row["symbol"]
    return f"số đến {row['number']:02d}/{row['year']}"


def _page_row(view: View, row: dict, n_keys: int) -> PageRow:
    key = tuple(row[f"_k{i}"] for i in range(n_keys))
    fields = [c.field for c in columns(view.register)]
    if view.register == "outgoing":
        cells = _outgoing_cells(row)
        return PageRow(row["id"], tuple(cells[f] or "" for f in fields), row["status"], row["deleted_at"],
                       row_label("outgoing", row), row["cancel_reason"], None, key)
    cells = _incoming_cells(row)
    return PageRow(row["id"], tuple(cells[f] or "" for f in fields), row["status"], row["deleted_at"],
                   row_label("incoming", row), None, row["deadline"], key)


def _where(view: View) -> tuple[list[str], list]:
    where, params = [], []
    date = DATE_FIELD[view.register]
    if view.start:
        where.append(f"{date} >= ?")
        params.append(view.start.isoformat())
    if view.end:
        where.append(f"{date} <= ?")
        params.append(view.end.isoformat())
    if view.doc_type:
        where.append("type = ?")
        params.append(view.doc_type)
    if view.status:
        where.append("status = ?")
        params.append(view.status)
    if not view.include_deleted:
        where.append("deleted_at IS NULL")
    if view.register == "followup":
        today = view.today or dt.date.today()
        due = view.due or "open"
        where.append("deadline IS NOT NULL")
        if due != "all":
            where.append("status != 'done'")
        if due == "overdue":
            where.append("deadline < ?")
            params.append(today.isoformat())
        elif due == "week":
            sunday = today + dt.timedelta(days=6 - today.weekday())
            where.append("deadline >= ? AND deadline <= ?")
            params += [today.isoformat(), sunday.isoformat()]
    match = search.fts_query(view.text) if view.text else None
    if view.text and match is None:
        where.append("0")  # only punctuation typed: nothing matches
    elif match:
        kind = search.KINDS[view.table]
        where.append("id IN (SELECT rowid / 4 FROM search_index WHERE search_index MATCH ?)")
        params.append(f"({match}) AND tags : k{kind}")
    return where, params


def _select(view: View) -> str:
    if view.register == "outgoing":
        return _OUT_SELECT
    return _IN_SELECT + (", " + _PROGRESS if view.register == "followup" else "")


def _after(view: View, key: tuple | None, *, before: bool = False) -> tuple[str, list]:
    """The condition for rows after the key in the view's order (`before`: ahead of it)."""
    if not key:
        return "", []
    keys = view.sort_keys
    op = "<" if view.descending != before else ">"
    return f"({', '.join(keys)}) {op} ({', '.join('?' for _ in keys)})", list(key)


def count(reg: Registry, view: View) -> int:
    """How many rows the view holds."""
    where, params = _where(view)
    sql = f"SELECT COUNT(*) FROM {view.table}" + (" WHERE " + " AND ".join(where) if where else "")
    return reg.conn.execute(sql, params).fetchone()[0]


def fetch_page(reg: Registry, view: View, after: tuple | None = None, limit: int = PAGE_SIZE) -> list[PageRow]:
    """The next `limit` rows of the view, after the row whose `key` is `after` (None: from the first)."""
    where, params = _where(view)
    cond, more = _after(view, after)
    if cond:
        where.append(cond)
        params += more
    keys = view.sort_keys
    direction = " DESC" if view.descending else ""
    sql = (f"SELECT {_select(view)}, " + ", ".join(f"{k} AS _k{i}" for i, k in enumerate(keys))
           + f" FROM {view.table} AS t" + (" WHERE " + " AND ".join(where) if where else "")
           + " ORDER BY " + ", ".join(k + direction for k in keys) + " LIMIT ?")
    return [_page_row(view, row, len(keys)) for row in reg.query(sql, [*params, limit])]


def get(reg: Registry, view: View, row_id: int) -> PageRow | None:
    """One row as the view shows it, or None when the view's filters leave it out."""
    where, params = _where(view)
    keys = view.sort_keys
    sql = (f"SELECT {_select(view)}, " + ", ".join(f"{k} AS _k{i}" for i, k in enumerate(keys))
           + f" FROM {view.table} AS t WHERE " + " AND ".join([*where, "id = ?"]))
    rows = reg.query(sql, [*params, row_id])
    return _page_row(view, rows[0], len(keys)) if rows else None


def position(reg: Registry, view: View, row_id: int) -> int | None:
    """Where a row stands in the view (0 = first), or None when the view leaves it out."""
    row = get(reg, view, row_id)
    if row is None:
        return None
    where, params = _where(view)
    cond, more = _after(view, row.key, before=True)
    sql = f"SELECT COUNT(*) FROM {view.table} WHERE " + " AND ".join([*where, cond])
    return reg.conn.execute(sql, [*params, *more]).fetchone()[0]


def year_range(reg: Registry, register: str) -> list[int]:
    """The years the register's rows fall in, newest first (from the date index: no scan)."""
    table, date = TABLES[register], DATE_FIELD[register]
    low, high = reg.conn.execute(f"SELECT min({date}), max({date}) FROM {table}").fetchone()
    if not low:
        return []
    return list(range(int(high[:4]), int(low[:4]) - 1, -1))
