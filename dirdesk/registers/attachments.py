"""Files kept with the registers (issued DOCX/PDF, received files), and those that went missing.

They live in the folder beside the database, named by the SHA-256 of their
content, never by a name a user or a sender chose: `ab/abcdef….pdf`. Storing
the same content twice stores it once. A file is written (atomically) before
the row that refers to it is committed, so a crash can leave an unreferenced
file behind but never a row without its file. The folder and its files are
the user's alone (private.py); a kept file is read only if it is a regular
file, never through a link.

A kept file can still go missing (deleted by hand, a disk error, a folder
copied without it). Backups take everything else and list these by the
entries they belong to ("Văn bản đến số 12/2026 (215-CV/TU): cv.pdf"),
never by hash paths (`missing_attachments`). The clerk then either puts the
file back (`reattach`: any copy with the same content, checked by its
SHA-256) or records that it is lost for good (`forget_missing`, audited;
`attachments.lost_at`), after which backups stop flagging it.
"""

from __future__ import annotations

import hashlib
import os
import re
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from dirdesk import limits
from dirdesk.registers.audit import log_change
from dirdesk.registers.database import Registry, now_text
from dirdesk.registers.errors import RegisterError
from dirdesk.registers.private import (
    NotRegularFile,
    is_regular,
    open_regular,
    private_dir,
    private_temp,
    read_regular,
    replace_or_remove,
    write_private,
)
from dirdesk.text import clean

# Extensions kept as they are; anything else is stored as .bin.
KNOWN_EXTENSIONS = {".pdf", ".docx", ".doc", ".odt", ".txt", ".json", ".xlsx", ".xls", ".csv",
                    ".jpg", ".jpeg", ".png", ".tif", ".tiff", ".zip"}
MISSING = "mất"
DAMAGED = "hỏng"
CHUNK = 1 << 20
FILE_KINDS = {".pdf": "tệp PDF", ".docx": "tệp DOCX"}
SIGNED_KIND = "tệp PDF đã ký số"


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def safe_ext(name_or_ext: str) -> str:
    """The extension a stored file keeps: a known one from the name (or ".pdf" itself), else ".bin"."""
    ext = name_or_ext if re.fullmatch(r"\.\w+", name_or_ext) else Path(name_or_ext).suffix
    return ext.lower() if ext.lower() in KNOWN_EXTENSIONS else ".bin"


def relative_path(sha256: str, ext: str) -> str:
    return f"{sha256[:2]}/{sha256}{ext}"


def attachment_path(reg: Registry, sha256: str) -> Path:
    row = reg.one("SELECT ext FROM attachments WHERE sha256 = ?", [sha256])
    if row is None:
        raise RegisterError(f"Không có tệp đính kèm {sha256[:12]}… trong sổ.")
    return reg.files_dir / relative_path(sha256, row["ext"])


def store_bytes(reg: Registry, data: bytes, ext: str) -> str:
    """Keep `data` and record it; call inside `reg.transaction()`. Returns its SHA-256."""
    if not reg.conn.in_transaction:
        raise RuntimeError("store_bytes must run inside a transaction")
    digest = sha256_of(data)
    ext = safe_ext(ext)
    target = reg.files_dir / relative_path(digest, ext)
    # Only a regular file of the right size counts as kept: a link planted under the name is replaced.
    if not is_regular(target) or target.stat().st_size != len(data):
        try:
            private_dir(target.parent)
            write_private(target, data)
        except OSError as exc:
            raise RegisterError(f"Không ghi được tệp đính kèm vào {reg.files_dir}: {exc}") from exc
    reg.db.execute(
        "INSERT OR IGNORE INTO attachments (sha256, size, ext, added_at) VALUES (?, ?, ?, ?)",
        [digest, len(data), ext, now_text()],
    )
    return digest


def read_attachment(reg: Registry, sha256: str) -> bytes:
    path = attachment_path(reg, sha256)
    try:
        data = read_regular(path)
    except NotRegularFile as exc:
        raise RegisterError(f"Tệp đính kèm {path} bị hỏng: {exc}.") from exc
    except OSError as exc:
        raise RegisterError(f"Không đọc được tệp đính kèm {path}: {exc}") from exc
    if sha256_of(data) != sha256:
        raise RegisterError(f"Tệp đính kèm {path} đã bị thay đổi hoặc hỏng (mã băm không khớp).")
    return data


# --- missing and damaged files ------------------------------------------------------------------------------


@dataclass(frozen=True)
class MissingAttachment:
    sha256: str
    ext: str
    label: str  # Vietnamese, by the entries the file belongs to
    problem: str  # MISSING ("mất") or DAMAGED ("hỏng")


def hash_stream(read, sink=None, limit: int | None = None) -> tuple[str, int]:
    """SHA-256 and size of what `read(n)` yields, passing each chunk on to `sink`; stops past
    `limit` bytes (so that a ZIP member lying about its size cannot make us read forever)."""
    digest, size = hashlib.sha256(), 0
    while chunk := read(CHUNK):
        size += len(chunk)
        if limit is not None and size > limit:
            break
        digest.update(chunk)
        if sink is not None:
            sink(chunk)
    return digest.hexdigest(), size


def check_file(path: Path, sha256: str, size: int) -> tuple[str, str] | None:
    """(MISSING or DAMAGED, why in Vietnamese) for a kept file that is not whole; None when it is.

    A link or anything but a regular file is damaged, never followed."""
    try:
        os.lstat(path)
    except FileNotFoundError:
        return MISSING, "không có tệp"
    except OSError as exc:
        return DAMAGED, f"không đọc được ({exc.strerror or exc})"
    try:
        with open_regular(path) as fh:
            actual, length = hash_stream(fh.read)
    except NotRegularFile as exc:
        return DAMAGED, str(exc)
    except OSError as exc:
        return DAMAGED, f"không đọc được ({exc.strerror or exc})"
    if actual != sha256 or length != size:
        return DAMAGED, "nội dung không khớp mã băm (tệp bị thay đổi hoặc hỏng)"
    return None


def _has_signed_column(conn: sqlite3.Connection) -> bool:
    """Does the file keep signed PDFs (schema v5, registers/signing.py)? A backup of an older one does not."""
    return any(r[1] == "signed_pdf_sha256" for r in conn.execute("PRAGMA table_info(outgoing)"))


def has_lost_column(conn: sqlite3.Connection) -> bool:
    """Whether the file's schema records lost files (v3 on)."""
    return any(row[1] == "lost_at" for row in conn.execute("PRAGMA table_info(attachments)"))


def labels(conn: sqlite3.Connection, sha256s) -> dict[str, str]:
    """sha256 -> the entries the file belongs to, as the clerk reads them (several joined by "; ")."""
    found: dict[str, list[str]] = {}
    for sha256 in sha256s:
        entries = []
        for number, year, symbol, name, deleted in conn.execute(
                "SELECT i.number, i.year, i.symbol, f.name, i.deleted_at FROM incoming_files f "
                "JOIN incoming i ON i.id = f.incoming_id WHERE f.sha256 = ? ORDER BY i.year, i.number", [sha256]):
            which = f"Văn bản đến số {number:02d}/{year}" + (f" ({symbol})" if symbol else "")
            entries.append(f"{which}: {name}" + (" (đã xóa)" if deleted else ""))
        for symbol, pdf, deleted, is_signed in conn.execute(_outgoing_files_sql(conn), {"s": sha256}):
            kind = SIGNED_KIND if is_signed else FILE_KINDS[".pdf" if pdf else ".docx"]
            entries.append(f"Văn bản đi {symbol}: {kind}" + (" (đã xóa)" if deleted else ""))
        found[sha256] = "; ".join(entries)
    return found


def _outgoing_files_sql(conn: sqlite3.Connection) -> str:
    """The outgoing rows holding file :s, with whether it is their PDF and their signed PDF."""
    if _has_signed_column(conn):
        return ("SELECT symbol, pdf_sha256 = :s, deleted_at, signed_pdf_sha256 = :s FROM outgoing WHERE "
                "docx_sha256 = :s OR pdf_sha256 = :s OR signed_pdf_sha256 = :s ORDER BY date, id")
    return ("SELECT symbol, pdf_sha256 = :s, deleted_at, 0 FROM outgoing WHERE docx_sha256 = :s OR pdf_sha256 = :s "
            "ORDER BY date, id")


def _unlabelled(sha256: str, ext: str) -> str:
    return f"Tệp đính kèm {sha256[:12]}…{ext} (không thuộc văn bản nào)"


def find_missing(conn: sqlite3.Connection, folder: Path) -> tuple[list[tuple[str, int, str]], list[dict]]:
    """The kept files of a register: those whole as (sha256, size, ext), and those not as dicts
    (sha256, ext, problem, detail, label); files recorded as lost are in neither list."""
    lost = " WHERE lost_at IS NULL" if has_lost_column(conn) else ""
    whole, broken = [], []
    for sha256, size, ext in conn.execute(f"SELECT sha256, size, ext FROM attachments{lost} ORDER BY sha256"):
        problem = check_file(folder / relative_path(sha256, ext), sha256, size)
        if problem is None:
            whole.append((sha256, size, ext))
        else:
            broken.append({"sha256": sha256, "ext": ext, "problem": problem[0], "detail": problem[1]})
    names = labels(conn, [b["sha256"] for b in broken])
    for b in broken:
        b["label"] = names[b["sha256"]] or _unlabelled(b["sha256"], b["ext"])
    return whole, broken


def missing_attachments(reg: Registry) -> list[MissingAttachment]:
    """The register's attached files that are missing or damaged (not those recorded as lost), by label."""
    _, broken = find_missing(reg.conn, reg.files_dir)
    return sorted((MissingAttachment(b["sha256"], b["ext"], b["label"], b["problem"]) for b in broken),
                  key=lambda m: m.label)


def _row(reg: Registry, sha256: str) -> dict:
    row = reg.one("SELECT rowid AS rowid, * FROM attachments WHERE sha256 = ?", [sha256])
    if row is None:
        raise RegisterError(f"Sổ không có tệp đính kèm mang mã {sha256[:12]}….")
    return row


def _label(reg: Registry, row: dict) -> str:
    return labels(reg.conn, [row["sha256"]])[row["sha256"]] or _unlabelled(row["sha256"], row["ext"])


def reattach(reg: Registry, sha256: str, source_path) -> None:
    """Put back a kept file from `source_path`, which must have exactly the content recorded (its SHA-256).

    The copy is checked while it is written; any other content is refused
    (RegisterError) and nothing changes. A file recorded as lost is no longer."""
    row = _row(reg, sha256)
    source = Path(source_path)
    target = reg.files_dir / relative_path(sha256, row["ext"])
    try:
        private_dir(target.parent)
        with open_regular(source) as src, private_temp(target.parent, target.name) as (out, tmp):
            actual, size = hash_stream(src.read, out.write)
            out.flush()
            os.fsync(out.fileno())
            if actual != sha256 or size != row["size"]:
                raise RegisterError(f"Tệp {source.name} không phải tệp đã mất của {_label(reg, row)}: nội dung "
                                    "khác (mã băm không khớp). Hãy chọn đúng bản đã lưu trước đây.")
        replace_or_remove(tmp, target)
    except NotRegularFile as exc:
        raise RegisterError(f"Không lấy được {source.name}: {exc}; hãy chọn chính tệp đó.") from None
    except OSError as exc:
        raise RegisterError(f"Không chép được {source} vào thư mục tệp của sổ: {exc.strerror or exc}") from exc
    if row.get("lost_at"):
        with reg.transaction():
            reg.db.execute("UPDATE attachments SET lost_at = NULL, lost_reason = NULL WHERE sha256 = ?", [sha256])
            log_change(reg, "attachments", row["rowid"], "reattach",
                       {"lost_at": row["lost_at"], "lost_reason": row["lost_reason"]}, {"lost_at": None})


def forget_missing(reg: Registry, sha256: str, reason: str) -> int:
    """Record (audited) that a missing or damaged kept file is lost for good, with the clerk's reason;
    backups stop flagging it. Returns how many entries it belonged to."""
    reason = " ".join(clean(reason or "", keep_newlines=False).split())
    if not reason:
        raise RegisterError("Hãy ghi lý do tệp bị mất (ví dụ: ổ đĩa hỏng, không còn bản nào).")
    if problem := limits.too_long(reason, limits.NOTE):
        raise RegisterError(f"Lý do {problem}.")
    row = _row(reg, sha256)
    if check_file(reg.files_dir / relative_path(sha256, row["ext"]), sha256, row["size"]) is None:
        raise RegisterError(f"Tệp của {_label(reg, row)} vẫn còn nguyên; không ghi là đã mất.")
    entries = reg.conn.execute(
        "SELECT (SELECT count(DISTINCT incoming_id) FROM incoming_files WHERE sha256 = :s)"
        " + (SELECT count(*) FROM outgoing WHERE docx_sha256 = :s OR pdf_sha256 = :s OR signed_pdf_sha256 = :s)",
        {"s": sha256}).fetchone()[0]
    stamp = now_text()
    with reg.transaction():
        reg.db.execute("UPDATE attachments SET lost_at = ?, lost_reason = ? WHERE sha256 = ?", [stamp, reason, sha256])
        log_change(reg, "attachments", row["rowid"], "lost", {"lost_at": row.get("lost_at")},
                   {"lost_at": stamp, "lost_reason": reason, "entries": entries})
    return entries


def file_names(reg: Registry, sha256: str) -> list[str]:
    """The names a kept file was received under (an issued DOCX/PDF of an outgoing entry has none)."""
    return [r["name"] for r in reg.query("SELECT DISTINCT name FROM incoming_files WHERE sha256 = ? ORDER BY name",
                                         [sha256])]


def lost_attachments(reg: Registry) -> list[dict]:
    """The kept files recorded as lost (forget_missing): sha256, ext, lost_at, lost_reason, oldest first."""
    if not has_lost_column(reg.conn):
        return []
    return reg.query("SELECT sha256, ext, lost_at, lost_reason FROM attachments WHERE lost_at IS NOT NULL "
                     "ORDER BY lost_at, sha256")
