"""The "ĐẾN" stamp on an incoming entry's file: the entry, its file and the
office's name come from the register, the stamping itself is
`dirdesk.intake.stamp` (which knows nothing of registers)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path, PurePath

from dirdesk.intake.stamp import STAMPABLE, StampError, StampFields, StampPlacement, stamp_pdf, stamped_rendering
from dirdesk.intake.text_of import IntakeError, lines_of
from dirdesk.registers import incoming
from dirdesk.registers.attachments import read_attachment
from dirdesk.registers.database import Registry
from dirdesk.registers.errors import RegisterError
from dirdesk.registers.profile import load_profile
from dirdesk.text import one_line, safe_file_name

STEM_MAX = 80  # of the stamped copy's name, before "-den-NN-YYYY.pdf"


def _stem(name: str) -> str:
    """The received file's name without its extension, fit for a file name ("van-ban" when nothing is left)."""
    stem = PurePath(name.replace("\\", "/")).stem if name else ""
    return safe_file_name(stem, "van-ban")[:STEM_MAX].rstrip(" .-") or "van-ban"


def _kind(name: str, ext: str | None) -> str:
    suffix = PurePath(name).suffix.lower()
    if suffix in STAMPABLE:
        return suffix
    if suffix == ".md" or (not suffix and ext == ".txt"):
        return ".txt"
    return ext or suffix


def stamp_entry(reg: Registry, ref: str, *, file_name: str | None = None) -> tuple[bytes, StampPlacement, str]:
    """Stamp the received file of incoming entry `ref` ("12/2026", "12", "#7"):
    (the stamped PDF, where the stamp went, a file name for it).

    The file is the one named `file_name`, else the first PDF attached, else the
    first DOCX, else the first text file. The register is not changed."""
    row = incoming.find(reg, ref)
    label = f"{row['number']:02d}/{row['year']}"
    if row.get("deleted_at"):
        raise RegisterError(f"Văn bản đến {label} đã bị xóa (khôi phục bằng: dirdesk incoming delete {label} --undo).")
    files = incoming.files_of(reg, row["id"])
    if not files:
        raise RegisterError(f"Văn bản đến {label} chưa có tệp đính kèm.")
    if file_name:
        wanted = one_line(file_name)
        chosen = next((f for f in files if f["name"] == wanted), None)
        if chosen is None:
            names = ", ".join(f["name"] for f in files)
            raise RegisterError(f"Văn bản đến {label} không có tệp '{wanted}' (các tệp: {names}).")
        if _kind(chosen["name"], chosen["ext"]) not in STAMPABLE:
            raise StampError(f"{chosen['name']}: chỉ đóng dấu ĐẾN được trên tệp .pdf, .docx hoặc .txt")
    else:
        chosen = None
        for kind in STAMPABLE:
            chosen = next((f for f in files if _kind(f["name"], f["ext"]) == kind), None)
            if chosen:
                break
        if chosen is None:
            names = ", ".join(f["name"] for f in files)
            raise StampError(f"Văn bản đến {label}: chỉ đóng dấu ĐẾN được trên tệp .pdf, .docx hoặc .txt "
                             f"(tệp đính kèm: {names})")
    office = (load_profile(reg).issuer or {}).get("name") or ""
    if not office.strip():
        raise RegisterError("Hồ sơ cơ quan chưa có tên cơ quan để in trên dấu ĐẾN: "
                            "dirdesk profile set issuer '{\"name\": …, \"code\": …}'.")
    fields = StampFields(office=office, number=row["number"], received=dt.date.fromisoformat(row["received_date"]),
                         handler=row.get("handler") or "")
    data = read_attachment(reg, chosen["sha256"])
    kind = _kind(chosen["name"], chosen["ext"])
    if kind == ".pdf":
        stamped, placement = stamp_pdf(data, fields)
    else:
        path = Path(f"received{kind}")
        try:
            lines = lines_of(path, data)
        except IntakeError as exc:
            raise StampError(str(exc).replace(str(path), chosen["name"])) from None
        stamped, placement = stamped_rendering(lines, fields, source_name=chosen["name"])
    name = f"{_stem(chosen['name'])}-den-{row['number']:02d}-{row['year']}.pdf"
    return stamped, placement, name
