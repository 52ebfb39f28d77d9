"""Commands on the outgoing register: issue, reserve, next, cancel, list, show, set, delete, sign."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from dirdesk import limits
from dirdesk.cli.common import (
    add_period_options,
    count_arg,
    date_arg,
    err,
    leaf_command,
    open_db,
    out,
    period_from_args,
    print_json,
    text_arg,
    year_arg,
)
from dirdesk.cli.copies import copies_of, print_copies
from dirdesk.cli.signing import add_sign_command
from dirdesk.draft import atomic_write, load_draft
from dirdesk.registers.errors import AlreadyIssued, NumbersSkipped, RegisterError, failure_message

COPIES = count_arg(limits.MAX_COPIES, "số lượng bản")

_OUT_FIELDS = ("id", "symbol", "number", "status", "date", "type", "type_name", "subject", "signer", "recipients",
               "copy_holder", "copies", "sent_date", "receipt", "note", "cancel_reason", "urgency", "secret",
               "seq_key", "docx_sha256", "pdf_sha256", "signed_pdf_sha256", "signed_by", "signed_at", "deleted_at")


def _outgoing_json(row: dict) -> dict:
    return {k: row[k] for k in _OUT_FIELDS}


def _save_copies(reg, row: dict, folder: Path) -> Iterator[Path]:
    """Write the row's DOCX and PDF into `folder`, yielding each file once it is whole (atomic_write)."""
    from dirdesk.registers.attachments import read_attachment  # lazy: start-up, see dirdesk.cli

    folder.mkdir(parents=True, exist_ok=True)
    stem = row["symbol"].replace("/", "-").replace(" ", "")
    for key, ext in (("docx_sha256", ".docx"), ("pdf_sha256", ".pdf"), ("signed_pdf_sha256", ".signed.pdf")):
        if row.get(key):
            path = folder / f"{stem}{ext}"
            atomic_write(path, read_attachment(reg, row[key]))
            yield path


# Exit status of `outgoing issue` when the document was issued (its number is in the register)
# but its copy could not be written to --out; running the same command again writes the copy.
EXIT_COPY_FAILED = 4

SKIP_HINT = ("Nếu đúng là phải bỏ các số này (chẳng hạn đã cấp trên sổ giấy), chạy lại với --skip-numbers; "
             "nếu không, xóa \"number\" khỏi dự thảo để lấy số tiếp theo.")


def _issue_row(reg, args) -> tuple[dict, bool]:
    """The row `outgoing issue` issued, or the one the same draft was issued as before (True)."""
    from dirdesk.registers import outgoing  # lazy: start-up, see dirdesk.cli

    draft = load_draft(args.draft)
    try:
        return outgoing.issue(reg, draft, date=args.date, copies=args.copies, skip_numbers=args.skip_numbers,
                              once=True), False
    except AlreadyIssued as exc:
        err(f"chú ý: {exc} Nếu đây là một văn bản khác, hãy sửa dự thảo cho đúng văn bản đó.")
        return exc.row, True


def _copy_failed(row: dict, folder: str, exc: Exception) -> str:
    return (f"Văn bản đã được ban hành với số {row['symbol']} và đã vào sổ; chỉ việc ghi bản sao vào {folder} là "
            f"không thành công: {failure_message(exc) or exc} Để ghi bản sao, chạy lại đúng lệnh này (không cấp số "
            f"mới), hoặc: dirdesk outgoing show {row['symbol']} --in-year {row['date'][:4]} --out THƯ_MỤC")


def cmd_outgoing_issue(args) -> int:
    written, problem = [], None
    with open_db(args) as reg:
        try:
            row, earlier = _issue_row(reg, args)
        except NumbersSkipped as exc:
            err(f"lỗi: {exc} {SKIP_HINT}")
            return 2
        try:
            written.extend(_save_copies(reg, row, Path(args.out)) if args.out else ())
        except (OSError, RegisterError) as exc:
            problem = _copy_failed(row, args.out, exc)
    if args.json:
        print_json({**_outgoing_json(row), "files": [str(p) for p in written], "already_issued": earlier,
                    "copy_error": problem})
    else:
        out(row["symbol"])
        for path in written:
            out(f"đã ghi {path}")
    if problem:
        err(f"lỗi: {problem}")
        return EXIT_COPY_FAILED
    return 0


def cmd_outgoing_reserve(args) -> int:
    from dirdesk.registers import outgoing  # lazy: start-up, see dirdesk.cli

    with open_db(args) as reg:
        row = outgoing.reserve(reg, args.type, on=args.date, secret=args.secret, unit=args.unit, note=args.note or "",
                               congress=args.congress)
    if args.json:
        print_json(_outgoing_json(row))
    else:
        out(row["symbol"])
    return 0


def cmd_outgoing_next(args) -> int:
    from dirdesk.registers import outgoing  # lazy: start-up, see dirdesk.cli

    with open_db(args) as reg:
        preview = outgoing.preview_next(reg, args.type, on=args.date, secret=args.secret, unit=args.unit,
                                        congress=args.congress)
    if args.json:
        print_json({"number": preview.number, "symbol": preview.symbol, "sequence": preview.sequence.label,
                    "note": preview.sequence.note})
    else:
        out(f"{preview.symbol}  (dãy số: {preview.sequence.label})")
        if preview.sequence.note:
            out(preview.sequence.note)
    return 0


def cmd_outgoing_cancel(args) -> int:
    from dirdesk.registers import outgoing  # lazy: start-up, see dirdesk.cli

    with open_db(args) as reg:
        row = outgoing.cancel(reg, args.symbol, args.reason, year=args.in_year)
    out(f"đã hủy số {outgoing.describe(row)}: {row['cancel_reason']}")
    return 0


def cmd_outgoing_list(args) -> int:
    from dirdesk.registers import outgoing  # lazy: start-up, see dirdesk.cli
    from dirdesk.registers.columns import type_and_subject
    from dirdesk.registers.numbering import register_note
    from dirdesk.registers.profile import load_profile

    period = period_from_args(args)
    with open_db(args) as reg:
        rows = outgoing.list_rows(reg, start=period and period.start, end=period and period.end,
                                  include_deleted=args.all)
        note = register_note(load_profile(reg))
    if args.json:
        print_json({"period": period and period.label, "note": note, "entries": [_outgoing_json(r) for r in rows]})
        return 0
    if note:
        out(note)
    for r in rows:
        mark = "" if r["status"] == "issued" else f" [{outgoing.STATUS_LABELS[r['status']]}]"
        deleted = " [đã xóa]" if r["deleted_at"] else ""
        out(f"{r['symbol']:<16} {r['date']}  {type_and_subject(r['type_name'], r['subject'])}{mark}{deleted}")
    out(f"{len(rows)} văn bản đi" + (f" — {period.label.lower()}" if period else ""))
    return 0


def cmd_outgoing_show(args) -> int:
    from dirdesk.registers import audit, outgoing  # lazy: start-up, see dirdesk.cli
    from dirdesk.registers.columns import signed_label

    with open_db(args) as reg:
        row = outgoing.find(reg, args.symbol, year=args.in_year)
        written = list(_save_copies(reg, row, Path(args.out))) if args.out else []
        changes = audit.history(reg, "outgoing", row["id"])
        made = copies_of(reg, "outgoing", row["id"])
    if args.json:
        print_json({**_outgoing_json(row), "history": changes, "files": [str(p) for p in written], "copies": made})
        return 0
    for key in _OUT_FIELDS:
        if row.get(key) not in (None, ""):
            out(f"{key}: {row[key]}")
    print_copies(made)
    out("ký số: " + (signed_label(row) or "chưa ký số"))
    for path in written:
        out(f"đã ghi {path}")
    return 0


def cmd_outgoing_set(args) -> int:
    from dirdesk.registers import outgoing  # lazy: start-up, see dirdesk.cli

    changes = {k: v for k, v in (("sent_date", args.sent_date and args.sent_date.isoformat()),
                                 ("receipt", args.receipt), ("note", args.note), ("copies", args.copies),
                                 ("copy_holder", args.copy_holder)) if v is not None}
    with open_db(args) as reg:
        row = outgoing.find(reg, args.symbol, year=args.in_year)
        row = outgoing.edit(reg, row["id"], **changes)
    out(f"đã cập nhật {outgoing.describe(row)}")
    return 0


def cmd_outgoing_delete(args) -> int:
    from dirdesk.registers import audit, outgoing  # lazy: start-up, see dirdesk.cli

    with open_db(args) as reg:
        row = outgoing.find(reg, args.symbol, year=args.in_year)
        with reg.transaction():
            if args.undo:
                audit.undelete(reg, "outgoing", row["id"])
            else:
                audit.soft_delete(reg, "outgoing", row["id"])
    out(("đã khôi phục " if args.undo else "đã xóa (có thể khôi phục bằng --undo) ") + outgoing.describe(row))
    return 0


def add_outgoing_commands(sub) -> None:
    g = sub.add_parser("outgoing", help="sổ văn bản đi: cấp số, lấy số trước, hủy số, xem sổ")
    gs = g.add_subparsers(dest="outgoing_command", metavar="VIỆC", required=True)
    p = leaf_command(gs, "issue", cmd_outgoing_issue, "ban hành dự thảo: cấp số, lưu DOCX và PDF, vào sổ; in ký hiệu",
              json_output=True)
    p.add_argument("draft", metavar="DRAFT.json")
    p.add_argument("--date", type=date_arg, help="ngày ban hành (mặc định: ngày của dự thảo, hoặc hôm nay)")
    p.add_argument("--copies", type=COPIES, help="số lượng bản")
    p.add_argument("--out", metavar="THƯ_MỤC",
                   help="ghi thêm bản DOCX và PDF đã cấp số vào thư mục này; nếu không ghi được, văn bản vẫn đã "
                        f"ban hành và lệnh dừng với mã {EXIT_COPY_FAILED}: chạy lại đúng lệnh để ghi bản sao")
    p.add_argument("--skip-numbers", action="store_true",
                   help="cho phép số ghi trong dự thảo vượt quá số tiếp theo (các số ở giữa bỏ trống vĩnh viễn)")
    for name, func, text in (("reserve", cmd_outgoing_reserve, "lấy số trước cho văn bản đang trình ký"),
                             ("next", cmd_outgoing_next, "xem trước số tiếp theo (không giữ số)")):
        p = leaf_command(gs, name, func, text, json_output=True)
        p.add_argument("type", metavar="LOẠI", help="mã loại văn bản: CV, NQ, QĐ…")
        p.add_argument("--date", type=date_arg, help="ngày (mặc định: hôm nay)")
        p.add_argument("--secret", action="store_true", help="văn bản mật")
        p.add_argument("--unit", type=text_arg, help="đơn vị soạn thảo (công văn hành chính: UBND-VP)")
        p.add_argument("--congress", action="store_true",
                       help="văn bản của đại hội: dãy số chung mọi loại trong kỳ đại hội, ký hiệu …/ĐH (05-HD)")
        if name == "reserve":
            p.add_argument("--note", type=text_arg, help="ghi chú")
    p = leaf_command(gs, "cancel", cmd_outgoing_cancel, "hủy một số đã cấp (số không bao giờ được dùng lại)")
    p.add_argument("symbol", metavar="KÝ_HIỆU", type=text_arg)
    p.add_argument("--reason", required=True, type=text_arg, help="lý do hủy")
    p.add_argument("--in-year", type=year_arg, metavar="YYYY", help="năm, khi ký hiệu trùng giữa các năm")
    p = leaf_command(gs, "list", cmd_outgoing_list, "liệt kê sổ văn bản đi", json_output=True)
    add_period_options(p)
    p.add_argument("--all", action="store_true", help="kể cả dòng đã xóa")
    p = leaf_command(gs, "show", cmd_outgoing_show, "xem một văn bản đi và lịch sử sửa đổi", json_output=True)
    p.add_argument("symbol", metavar="KÝ_HIỆU", type=text_arg)
    p.add_argument("--in-year", type=year_arg, metavar="YYYY")
    p.add_argument("--out", metavar="THƯ_MỤC", help="ghi bản DOCX và PDF đã lưu ra thư mục này")
    p = leaf_command(gs, "set", cmd_outgoing_set, "ghi ngày chuyển, ký nhận, số bản, ghi chú")
    p.add_argument("symbol", metavar="KÝ_HIỆU", type=text_arg)
    p.add_argument("--in-year", type=year_arg, metavar="YYYY")
    p.add_argument("--sent-date", type=date_arg)
    p.add_argument("--receipt", type=text_arg)
    p.add_argument("--note", type=text_arg)
    p.add_argument("--copies", type=COPIES)
    p.add_argument("--copy-holder", type=text_arg)
    p = leaf_command(gs, "delete", cmd_outgoing_delete, "xóa một dòng (xóa mềm; --undo để khôi phục)")
    p.add_argument("symbol", metavar="KÝ_HIỆU", type=text_arg)
    p.add_argument("--in-year", type=year_arg, metavar="YYYY")
    p.add_argument("--undo", action="store_true")
    add_sign_command(gs)
