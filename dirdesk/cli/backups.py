"""Commands on backups: `backup` (make one, or list them with --list) and `restore`."""

from __future__ import annotations

import argparse
from pathlib import Path

from dirdesk import registers
from dirdesk.cli.common import add_db_option, add_json_option, err, out, print_json
from dirdesk.registers import RegisterError, default_db_path
from dirdesk.registers.database import backups_dir
from dirdesk.text import human_size

COUNT_LABELS = {"outgoing": "văn bản đi", "incoming": "văn bản đến", "drafts": "dự thảo"}


def _db_path(args) -> Path:
    return Path(args.db).expanduser() if args.db else default_db_path()


def _summary(manifest) -> list[str]:
    lines = []
    if manifest.office:
        lines.append(f"  Cơ quan: {manifest.office}")
    counts = [f"{COUNT_LABELS[k]}: {manifest.counts[k]}" for k in COUNT_LABELS if k in manifest.counts]
    if counts:
        lines.append("  Số dòng: " + ", ".join(counts))
    lines.append(f"  Tệp đính kèm: {len(manifest.file_members)} tệp")
    lines.append(f"  Tạo lúc {manifest.created.replace('T', ' ')}, DirDesk {manifest.app_version}, "
                 f"lược đồ {manifest.schema_version}")
    if manifest.damaged:
        lines.append(f"  THIẾU {len(manifest.damaged)} tệp đính kèm (bị mất hoặc hỏng, không có trong bản sao lưu):")
    for item in manifest.damaged:
        lines.append(f"    {_damaged_label(item)}")
    return lines


def _damaged_label(item: dict) -> str:
    """"Văn bản đến số 12/2026 (215-CV/TU): cv.pdf (mất)"; a backup of an older DirDesk has no label."""
    label = item.get("label") or f"tệp {str(item.get('sha256', ''))[:12]}…{item.get('ext', '')}"
    return f"{label} ({item.get('problem')})"


def _manifest_json(manifest) -> dict:
    return {"office": manifest.office, "created": manifest.created, "app_version": manifest.app_version,
            "schema_version": manifest.schema_version, "counts": manifest.counts,
            "files": len(manifest.file_members), "damaged": manifest.damaged}


def cmd_backup(args) -> int:
    from dirdesk.registers.backup import list_backups, write_backup  # lazy: start-up, see dirdesk.cli

    if args.list:
        if args.file:
            raise RegisterError("--list chỉ liệt kê các bản sao lưu, không đi cùng tên tệp sao lưu.")
        return _list(args, list_backups(_db_path(args)))
    with registers.open_registry(_db_path(args), create=False) as reg:
        path, manifest = write_backup(reg, args.file, allow_damaged=not args.strict)
    size = path.stat().st_size
    if args.json:
        print_json({"path": str(path), "size": size, **_manifest_json(manifest)})
        return 0
    out(f"Đã sao lưu sổ vào: {path}")
    for line in _summary(manifest):
        out(line)
    out(f"  Dung lượng: {human_size(size)}")
    if manifest.damaged:
        err(f"cảnh báo: bản sao lưu thiếu {len(manifest.damaged)} tệp đính kèm bị mất hoặc hỏng (liệt kê ở trên). "
            "Hãy đặt lại các tệp này hoặc ghi là đã mất, trong cửa sổ DirDesk (phần sao lưu).")
    return 0


def _list(args, backups) -> int:
    from dirdesk.registers.backup import KIND_LABELS  # lazy: start-up, see dirdesk.cli

    if args.json:
        print_json([{"path": str(b.path), "kind": b.kind, "size": b.size,
                     "modified": b.modified.replace(microsecond=0).isoformat()} for b in backups])
        return 0
    folder = backups_dir(_db_path(args))
    if not backups:
        out(f"Chưa có bản sao lưu nào trong {folder}.")
        return 0
    out(f"Các bản sao lưu trong {folder} (mới nhất trước):")
    for b in backups:
        out(f"  {b.modified:%d/%m/%Y %H:%M}  {human_size(b.size):>10}  {KIND_LABELS[b.kind]:<15}  {b.path.name}")
    return 0


def cmd_restore(args) -> int:
    from dirdesk.registers.backup import restore_backup  # lazy: start-up, see dirdesk.cli

    db_path = _db_path(args)
    if db_path.exists() and db_path.stat().st_size > 0 and not args.yes:
        raise RegisterError(
            f"Đã có sổ tại {db_path}. Khôi phục sẽ thay sổ này bằng sổ trong bản sao lưu "
            "(sổ hiện tại được chép vào thư mục sao lưu trước). Thêm --yes để đồng ý khôi phục."
        )
    result = restore_backup(args.file, db_path)
    if args.json:
        print_json({"db": str(result.db_path), "safety_copy": str(result.safety_copy) if result.safety_copy else None,
                    "files_added": result.files_added, "files_kept": result.files_kept,
                    "files_repaired": result.files_repaired, **_manifest_json(result.manifest)})
        return 0
    out(f"Đã khôi phục sổ từ {args.file} vào: {result.db_path}")
    for line in _summary(result.manifest):
        out(line)
    out(f"  Tệp đính kèm chép vào thư mục: {result.files_added} tệp mới, {result.files_kept} tệp đã có"
        + (f", {result.files_repaired} tệp hỏng được thay" if result.files_repaired else ""))
    if result.safety_copy:
        out(f"Sổ trước khi khôi phục được giữ tại: {result.safety_copy}")
    return 0


def auto_backup_on_open(reg) -> None:
    """For the commands that open the register: today's automatic backup, a warning on stderr if it failed."""
    from dirdesk.registers.backup import daily_backup  # lazy: start-up, see dirdesk.cli

    warning = daily_backup(reg)
    if warning:
        err(f"cảnh báo: {warning}")


def add_commands(sub) -> None:
    p = sub.add_parser("backup", help="sao lưu sổ và tệp đính kèm vào một tệp ZIP; --list: liệt kê các bản sao lưu")
    p.add_argument("file", metavar="FILE.zip", nargs="?",
                   help="tệp sao lưu (mặc định: dirdesk-NGÀY-GIỜ.zip trong thư mục sao lưu cạnh sổ)")
    p.add_argument("--list", action="store_true", help="liệt kê các bản sao lưu trong thư mục sao lưu")
    p.add_argument("--strict", action="store_true",
                   help="không sao lưu khi có tệp đính kèm bị mất hoặc hỏng (mặc định: sao lưu phần còn lại "
                        "và liệt kê các tệp thiếu)")
    p.add_argument("--allow-damaged", action="store_true", help=argparse.SUPPRESS)  # the default now
    add_db_option(p)
    add_json_option(p)
    p.set_defaults(func=cmd_backup)

    p = sub.add_parser("restore", help="khôi phục sổ từ một bản sao lưu ZIP (phải đóng sổ ở mọi cửa sổ trước)")
    p.add_argument("file", metavar="FILE.zip")
    p.add_argument("--yes", action="store_true", help="đồng ý thay sổ đang có (sổ cũ được chép vào thư mục sao lưu)")
    add_db_option(p)
    add_json_option(p)
    p.set_defaults(func=cmd_restore)
