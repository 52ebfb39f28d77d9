"""`dirdesk incoming ocr`: every page of a scanned incoming document read with OCR, into the search
and a searchable copy kept beside the original (registers/ocr_text.py); `incoming add` of a scan runs
it after the entry is numbered (`--no-ocr` skips it)."""

from __future__ import annotations

from dirdesk.cli.common import err, leaf_command, open_db, out, print_json
from dirdesk.registers.errors import RegisterError


def read_text(reg, row: dict):
    """Read the entry's scan, telling the progress on stderr; the OcrResult."""
    from dirdesk.registers import ocr_text  # lazy: start-up, see dirdesk.cli

    label = ocr_text.entry_label(row)

    def progress(page: int, pages: int) -> None:
        err(f"đang đọc chữ trang {page}/{pages} của văn bản đến số {label}…")

    return ocr_text.read_entry_text(reg, row["id"], progress=progress)


def after_add(reg, row: dict, data: bytes) -> None:
    """`incoming add` of a scan: read its pages now the entry is in; a failure is told, the entry stays."""
    from dirdesk.registers import ocr_text  # lazy: start-up, see dirdesk.cli

    if not ocr_text.needs_reading(data):
        return
    label = ocr_text.entry_label(row)
    try:
        result = read_text(reg, row)
    except RegisterError as exc:
        err(f"chú ý: {exc} Văn bản vẫn đã vào sổ số đến {label}; đọc chữ lại bằng: dirdesk incoming ocr {label}")
        return
    err(f"{result.summary()}; lưu kèm “{result.name}”; tìm được bằng: dirdesk search")


def cmd_incoming_ocr(args) -> int:
    from dirdesk.registers import incoming, ocr_text  # lazy: start-up, see dirdesk.cli

    ref = f"{args.ref}/{args.year}" if args.year and "/" not in args.ref else args.ref
    with open_db(args) as reg:
        row = incoming.find(reg, ref)
        if row.get("deleted_at"):
            label = ocr_text.entry_label(row)
            raise RegisterError(f"Văn bản đến {label} đã bị xóa (khôi phục bằng: dirdesk incoming delete {label} "
                                "--undo).")
        result = read_text(reg, row)
    if args.json:
        print_json({"number": row["number"], "year": row["year"], "file": result.name, "sha256": result.sha256,
                    "pages": result.pages, "ocr_pages": [i + 1 for i in result.read],
                    "skipped_pages": [i + 1 for i in result.skipped], "seconds": round(result.seconds, 1)})
    else:
        out(f"văn bản đến số {ocr_text.entry_label(row)}: {result.summary()}")
        out(f"lưu kèm: {result.name} (bản gốc giữ nguyên)")
        out("nội dung đã vào tìm kiếm: dirdesk search \"…\" (gõ không dấu cũng được)")
    return 0


def add_ocr_parser(incoming_subparsers) -> None:
    """Add `ocr` to the subcommands of `dirdesk incoming`."""
    p = leaf_command(incoming_subparsers, "ocr", cmd_incoming_ocr,
                     "đọc chữ (OCR) mọi trang của văn bản đến là bản quét: nội dung vào tìm kiếm, một bản PDF có "
                     "lớp chữ được lưu kèm; tệp gốc giữ nguyên", json_output=True)
    p.add_argument("ref", metavar="SỐ_ĐẾN", help="số đến: 12/2026, 12 (năm nay hoặc --year) hoặc #dòng")
    p.add_argument("--year", type=int, metavar="NĂM", help="năm của số đến (mặc định: năm nay)")
