"""Files kept with the registers (issued DOCX/PDF, received files).

They live in the folder beside the database, named by the SHA-256 of their
content, never by a name a user or a sender chose: `ab/abcdef….pdf`. Storing
the same content twice stores it once. A file is written (atomically) before
the row that refers to it is committed, so a crash can leave an unreferenced
file behind but never a row without its file.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from dirdesk.draft import atomic_write
from dirdesk.registers.database import Registry, now_text
from dirdesk.registers.errors import RegisterError

# Extensions kept as they are; anything else is stored as .bin.
KNOWN_EXTENSIONS = {".pdf", ".docx", ".doc", ".odt", ".txt", ".json", ".xlsx", ".xls", ".csv",
                    ".jpg", ".jpeg", ".png", ".tif", ".tiff", ".zip"}


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
    if not target.exists() or target.stat().st_size != len(data):
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            atomic_write(target, data)
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
        data = path.read_bytes()
    except OSError as exc:
        raise RegisterError(f"Không đọc được tệp đính kèm {path}: {exc}") from exc
    if sha256_of(data) != sha256:
        raise RegisterError(f"Tệp đính kèm {path} đã bị thay đổi hoặc hỏng (mã băm không khớp).")
    return data
