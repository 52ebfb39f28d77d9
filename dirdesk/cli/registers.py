"""Commands on the registers: profile, outgoing, incoming, followup, drafts, search, audit."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from dirdesk.cli.common import (
    add_db_option,
    add_json_option,
    add_period_options,
    date_arg,
    err,
    open_db,
    out,
    period_from_args,
    print_json,
    text_arg,
)
from dirdesk.cli.stamp import add_stamp_parser
from dirdesk.draft import SECRECIES, URGENCIES, atomic_write, load_draft

# ---------------------------------------------------------------- profile


def cmd_profile_show(args) -> int:
    from dirdesk.registers.profile import load_profile

    with open_db(args) as reg:
        profile = load_profile(reg).to_dict()
    if args.json:
        print_json(profile)
    else:
        for key, value in profile.items():
            out(f"{key}: {json.dumps(value, ensure_ascii=False)}")
    return 0


def cmd_profile_set(args) -> int:
    from dirdesk.registers.profile import set_profile_value

    try:
        value = json.loads(args.value)
        if not isinstance(value, (list, dict)):
            value = args.value
    except json.JSONDecodeError:
        value = args.value
    with open_db(args) as reg:
        profile = set_profile_value(reg, args.key, value).to_dict()
    key, _, field_name = args.key.partition(".")
    shown = profile[key].get(field_name) if field_name else profile[key]
    out(f"{args.key}: {json.dumps(shown, ensure_ascii=False)}")
    return 0


def cmd_profile_term(args) -> int:
    from dirdesk.registers.profile import add_term

    with open_db(args) as reg:
        profile = add_term(reg, args.start)
    out(f"nhiệm kỳ bắt đầu: {', '.join(profile.terms)}")
    return 0


# ---------------------------------------------------------------- outgoing

_OUT_FIELDS = ("id", "symbol", "number", "status", "date", "type", "type_name", "subject", "signer", "recipients",
               "copy_holder", "copies", "sent_date", "receipt", "note", "cancel_reason", "urgency", "secret",
               "seq_key", "docx_sha256", "pdf_sha256", "deleted_at")


def _outgoing_json(row: dict) -> dict:
    return {k: row[k] for k in _OUT_FIELDS}


def _save_copies(reg, row: dict, folder: Path) -> list[Path]:
    from dirdesk.registers.attachments import read_attachment

    folder.mkdir(parents=True, exist_ok=True)
    stem = row["symbol"].replace("/", "-").replace(" ", "")
    written = []
    for key, ext in (("docx_sha256", ".docx"), ("pdf_sha256", ".pdf")):
        if row.get(key):
            path = folder / f"{stem}{ext}"
            atomic_write(path, read_attachment(reg, row[key]))
            written.append(path)
    return written


def cmd_outgoing_issue(args) -> int:
    from dirdesk.registers import outgoing

    draft = load_draft(args.draft)
    with open_db(args) as reg:
        row = outgoing.issue(reg, draft, date=args.date, copies=args.copies)
        written = _save_copies(reg, row, Path(args.out)) if args.out else []
    if args.json:
        print_json({**_outgoing_json(row), "files": [str(p) for p in written]})
    else:
        out(row["symbol"])
        for path in written:
            out(f"đã ghi {path}")
    return 0


def cmd_outgoing_reserve(args) -> int:
    from dirdesk.registers import outgoing

    with open_db(args) as reg:
        row = outgoing.reserve(reg, args.type, on=args.date, secret=args.secret, unit=args.unit, note=args.note or "")
    if args.json:
        print_json(_outgoing_json(row))
    else:
        out(row["symbol"])
    return 0


def cmd_outgoing_next(args) -> int:
    from dirdesk.registers import outgoing

    with open_db(args) as reg:
        preview = outgoing.preview_next(reg, args.type, on=args.date, secret=args.secret, unit=args.unit)
    if args.json:
        print_json({"number": preview.number, "symbol": preview.symbol, "sequence": preview.sequence.label,
                    "note": preview.sequence.note})
    else:
        out(f"{preview.symbol}  (dãy số: {preview.sequence.label})")
        if preview.sequence.note:
            out(preview.sequence.note)
    return 0


def cmd_outgoing_cancel(args) -> int:
    from dirdesk.registers import outgoing

    with open_db(args) as reg:
        row = outgoing.cancel(reg, args.symbol, args.reason, year=args.in_year)
    out(f"đã hủy số {outgoing.describe(row)}: {row['cancel_reason']}")
    return 0


def cmd_outgoing_list(args) -> int:
    from dirdesk.registers import outgoing
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
    from dirdesk.registers import audit, outgoing

    with open_db(args) as reg:
        row = outgoing.find(reg, args.symbol, year=args.in_year)
        written = _save_copies(reg, row, Path(args.out)) if args.out else []
        changes = audit.history(reg, "outgoing", row["id"])
    if args.json:
        print_json({**_outgoing_json(row), "history": changes, "files": [str(p) for p in written]})
        return 0
    for key in _OUT_FIELDS:
        if row[key] not in (None, ""):
            out(f"{key}: {row[key]}")
    for path in written:
        out(f"đã ghi {path}")
    return 0


def cmd_outgoing_set(args) -> int:
    from dirdesk.registers import outgoing

    changes = {k: v for k, v in (("sent_date", args.sent_date and args.sent_date.isoformat()),
                                 ("receipt", args.receipt), ("note", args.note), ("copies", args.copies),
                                 ("copy_holder", args.copy_holder)) if v is not None}
    with open_db(args) as reg:
        row = outgoing.find(reg, args.symbol, year=args.in_year)
        row = outgoing.edit(reg, row["id"], **changes)
    out(f"đã cập nhật {outgoing.describe(row)}")
    return 0


def cmd_outgoing_delete(args) -> int:
    from dirdesk.registers import audit, outgoing

    with open_db(args) as reg:
        row = outgoing.find(reg, args.symbol, year=args.in_year)
        with reg.transaction():
            if args.undo:
                audit.undelete(reg, "outgoing", row["id"])
            else:
                audit.soft_delete(reg, "outgoing", row["id"])
    out(("đã khôi phục " if args.undo else "đã xóa (có thể khôi phục bằng --undo) ") + outgoing.describe(row))
    return 0


# ---------------------------------------------------------------- incoming and follow-up

_IN_FIELDS = ("id", "year", "number", "received_date", "author", "symbol", "doc_date", "type", "type_name",
              "subject", "recipient", "sent_date", "receipt", "note", "urgency", "secrecy", "handler", "deadline",
              "status", "done_date", "reply_symbol", "deleted_at")


# Exit status of `incoming add` for a document already in the register (errors are 2, as argparse's).
EXIT_DUPLICATE = 3


def _incoming_json(reg, row: dict) -> dict:
    from dirdesk.registers import incoming

    return {**{k: row[k] for k in _IN_FIELDS}, "files": incoming.files_of(reg, row["id"]),
            "progress": incoming.progress_of(reg, row["id"]), "signatures": incoming.signatures_in(row)}


def _incoming_details(row: dict, files: list[dict], signatures: list[dict]) -> None:
    """The row's columns, its files and what its digital signatures say, one per line."""
    for key in _IN_FIELDS:
        if row[key] not in (None, ""):
            out(f"{key}: {row[key]}")
    for f in files:
        out(f"tệp: {f['name']} ({f['size']} byte)")
    for sig in signatures:
        out(f"chữ ký số: {sig['summary']}")
    if not signatures and any(f["ext"] == ".pdf" for f in files):
        out("chữ ký số: không có (tệp PDF không mang chữ ký số)")


def _incoming_line(row: dict) -> str:
    from dirdesk.registers import incoming

    deadline = f"  hạn {row['deadline']}" if row["deadline"] else ""
    return (f"{row['number']:02d}/{row['year']}  {row['received_date']}  {row['author']}  {row['symbol']}  "
            f"{row['subject']}{deadline}  [{incoming.STATUS_LABELS[row['status']]}]"
            + (" [đã xóa]" if row["deleted_at"] else ""))


def _received_entry(args):
    """The entry `incoming add` records: read from FILE (the first file; the others are attached
    with it), then the fields given as options over what was read. Returns (entry, read from file)."""
    import dataclasses

    from dirdesk.intake import IntakeError
    from dirdesk.registers import incoming
    from dirdesk.registers.errors import RegisterError
    from dirdesk.registers.intake_entry import entry_from_file

    typed = {"received_date": args.received, "author": args.author, "symbol": args.symbol, "doc_date": args.date,
             "type_name": args.type_name, "subject": args.subject, "recipient": args.recipient,
             "urgency": args.urgency, "secrecy": args.secrecy, "handler": args.handler, "deadline": args.deadline,
             "note": args.note}
    typed = {k: v for k, v in typed.items() if v is not None}
    if not args.files:
        if not (typed.get("subject") or typed.get("symbol")):
            raise RegisterError("Cần ít nhất trích yếu (--subject), số ký hiệu (--symbol) hoặc tệp văn bản nhận được.")
        return incoming.IncomingEntry(**typed), False
    entry, problem = entry_from_file(args.files[0])
    if problem:
        if not (typed.get("subject") or typed.get("symbol")):
            raise IntakeError(f"{problem}. Để vào sổ, nhập ít nhất trích yếu (--subject) hoặc số, ký hiệu "
                              "(--symbol), cùng tác giả (--from) và ngày văn bản (--date).")
        err(f"chú ý: {problem}. Vào sổ theo các trường đã nhập, tệp được lưu kèm.")
    extra = []
    for name in args.files[1:]:
        path = Path(name)
        try:
            extra.append((path.name, path.read_bytes()))
        except OSError as exc:
            raise RegisterError(f"Không đọc được tệp {path}: {exc.strerror}") from exc
    if extra:  # signatures of every PDF attached are read again by incoming.add
        entry = dataclasses.replace(entry, files=entry.files + extra, signatures=None)
    return dataclasses.replace(entry, **typed), not problem


def cmd_incoming_add(args) -> int:
    from dirdesk.registers import incoming
    from dirdesk.registers.errors import DuplicateEntry

    entry, from_file = _received_entry(args)
    hint = "Nếu đây là bản thứ hai cần vào sổ riêng, thêm --allow-duplicate."
    with open_db(args) as reg:
        if args.dry_run:
            plan = incoming.preview(reg, entry)
            refused = bool(plan.duplicates) and not args.allow_duplicate
            if args.json:
                print_json({**{k: plan.row[k] for k in _IN_FIELDS}, "files": plan.files, "progress": [],
                            "signatures": plan.signatures, "dry_run": True,
                            "duplicates": [d.to_dict() for d in plan.duplicates]})
            else:
                row = plan.row
                out(f"chạy thử, chưa ghi gì vào sổ: sẽ vào sổ số đến {row['number']:02d}/{row['year']}")
                _incoming_details(row, plan.files, plan.signatures)
            for duplicate in plan.duplicates:
                err(("lỗi: " if refused else "chú ý: ") + duplicate.message + (f" {hint}" if refused else ""))
            for note in incoming.receipt_notes(reg, plan.row):
                err(f"chú ý: {note}")
            return EXIT_DUPLICATE if refused else 0
        try:
            row = incoming.add(reg, entry, allow_duplicate=args.allow_duplicate)
        except DuplicateEntry as exc:
            for duplicate in exc.duplicates:
                err(f"lỗi: {duplicate.message}")
            err(hint)
            return EXIT_DUPLICATE
        for note in incoming.receipt_notes(reg, row):
            err(f"chú ý: {note}")
        shown = _incoming_json(reg, row)
    if args.json:
        print_json(shown)
    else:
        out(f"{row['number']:02d}")
        if from_file:  # what was read from the file, for the clerk to check
            _incoming_details(row, shown["files"], shown["signatures"])
    return 0


def cmd_incoming_list(args) -> int:
    from dirdesk.registers import incoming

    period = period_from_args(args)
    with open_db(args) as reg:
        rows = incoming.list_rows(reg, start=period and period.start, end=period and period.end,
                                  include_deleted=args.all)
        shown = [_incoming_json(reg, r) for r in rows] if args.json else None
    if args.json:
        print_json({"period": period and period.label, "entries": shown})
        return 0
    for r in rows:
        out(_incoming_line(r))
    out(f"{len(rows)} văn bản đến" + (f" — {period.label.lower()}" if period else ""))
    return 0


def cmd_incoming_show(args) -> int:
    from dirdesk.registers import audit, incoming

    with open_db(args) as reg:
        row = incoming.find(reg, args.ref)
        shown = _incoming_json(reg, row)
        shown["history"] = audit.history(reg, "incoming", row["id"])
    if args.json:
        print_json(shown)
        return 0
    _incoming_details(row, shown["files"], shown["signatures"])
    for p in shown["progress"]:
        out(f"tiến độ {p['date']}: {p['text']}")
    return 0


def cmd_incoming_set(args) -> int:
    from dirdesk.registers import incoming

    fields = ("author", "symbol", "type_name", "subject", "recipient", "handler", "note", "receipt", "urgency",
              "secrecy")
    changes = {f: getattr(args, f) for f in fields if getattr(args, f) is not None}
    for f, v in (("received_date", args.received), ("doc_date", args.date), ("deadline", args.deadline),
                 ("sent_date", args.sent_date)):
        if v is not None:
            changes[f] = v
    with open_db(args) as reg:
        row = incoming.edit(reg, incoming.find(reg, args.ref)["id"], **changes)
    out(_incoming_line(row))
    return 0


def cmd_incoming_delete(args) -> int:
    from dirdesk.registers import audit, incoming

    with open_db(args) as reg:
        row = incoming.find(reg, args.ref)
        with reg.transaction():
            (audit.undelete if args.undo else audit.soft_delete)(reg, "incoming", row["id"])
    out(("đã khôi phục " if args.undo else "đã xóa (có thể khôi phục bằng --undo) ")
        + f"văn bản đến số {row['number']:02d}/{row['year']}")
    return 0


def cmd_followup_list(args) -> int:
    from dirdesk.registers import incoming

    with open_db(args) as reg:
        if args.overdue:
            rows = incoming.overdue(reg, args.today)
        elif args.week:
            rows = incoming.due_this_week(reg, args.today)
        else:
            rows = [r for r in incoming.list_rows(reg, followup=True) if r["status"] != "done" or args.all]
        shown = [_incoming_json(reg, r) for r in rows] if args.json else None
    if args.json:
        print_json(shown)
        return 0
    for r in rows:
        out(_incoming_line(r))
    label = "quá hạn" if args.overdue else "đến hạn trong tuần" if args.week else "đang theo dõi"
    out(f"{len(rows)} văn bản {label}")
    return 0


def cmd_followup_progress(args) -> int:
    from dirdesk.registers import incoming

    with open_db(args) as reg:
        row = incoming.add_progress(reg, incoming.find(reg, args.ref)["id"], args.text, on=args.date)
    out(_incoming_line(row))
    return 0


def cmd_followup_done(args) -> int:
    from dirdesk.registers import incoming

    with open_db(args) as reg:
        row = incoming.mark_done(reg, incoming.find(reg, args.ref)["id"], on=args.date, reply=args.reply)
    out(_incoming_line(row))
    return 0


# ---------------------------------------------------------------- drafts, search, audit


def cmd_drafts_save(args) -> int:
    from dirdesk.registers import drafts

    draft = load_draft(args.draft)
    with open_db(args) as reg:
        row_id = drafts.save(reg, draft, args.id)
    out(f"#{row_id}")
    return 0


def cmd_drafts_list(args) -> int:
    from dirdesk.registers import drafts

    with open_db(args) as reg:
        rows = drafts.list_rows(reg)
    if args.json:
        print_json(rows)
        return 0
    for r in rows:
        out(f"#{r['id']:<5} {r['updated_at']}  {r['type']:<4} {r['subject']}")
    return 0


def cmd_search(args) -> int:
    from dirdesk.registers import search

    kinds = tuple(args.register) if args.register else None
    with open_db(args) as reg:
        hits = search.search(reg, args.query, kinds=kinds, month=args.month, doc_type=args.type,
                             status=args.status, limit=args.limit)
    if args.json:
        print_json([h.to_dict() for h in hits])
        return 0
    labels = {"outgoing": "đi", "incoming": "đến", "draft": "dự thảo"}
    for h in hits:
        out(f"[{labels[h.kind]}] {h.symbol or '#' + str(h.id):<16} {h.date or '':<10}  {h.subject}")
    out(f"{len(hits)} kết quả")
    return 0


def cmd_audit(args) -> int:
    from dirdesk.registers import audit

    with open_db(args) as reg:
        rows = audit.history(reg, args.table, args.row, limit=args.limit)
    if args.json:
        print_json(rows)
        return 0
    for r in rows:
        out(f"{r['at']}  {r['table_name']}#{r['row_id']}  {r['action']}  "
            f"{json.dumps(r['old'], ensure_ascii=False)} -> {json.dumps(r['new'], ensure_ascii=False)}")
    return 0


# ---------------------------------------------------------------- parser


def _leaf(group, name: str, func, help_text: str, *, json_output: bool = False):
    p = group.add_parser(name, help=help_text)
    add_db_option(p)
    if json_output:
        add_json_option(p)
    p.set_defaults(func=func)
    return p


def _add_profile(sub) -> None:
    g = sub.add_parser("profile", help="hồ sơ cơ quan: tên, chữ viết tắt, địa danh, người ký, nhiệm kỳ…")
    gs = g.add_subparsers(dest="profile_command", metavar="VIỆC", required=True)
    _leaf(gs, "show", cmd_profile_show, "xem hồ sơ cơ quan", json_output=True)
    p = _leaf(gs, "set", cmd_profile_set, "đặt một mục (giá trị JSON cho danh sách)")
    p.add_argument("key", metavar="MỤC", help="style, issuer, issuer.name, issuer.code, issuer.parent, place, "
                   "units, signers, recipients, state_sequence, terms")
    p.add_argument("value", metavar="GIÁ_TRỊ", type=text_arg)
    p = _leaf(gs, "term", cmd_profile_term, "ghi ngày bắt đầu nhiệm kỳ mới (văn bản Đảng đánh số lại từ 01)")
    p.add_argument("start", type=date_arg, metavar="NGÀY")


def _add_outgoing(sub) -> None:
    g = sub.add_parser("outgoing", help="sổ văn bản đi: cấp số, lấy số trước, hủy số, xem sổ")
    gs = g.add_subparsers(dest="outgoing_command", metavar="VIỆC", required=True)
    p = _leaf(gs, "issue", cmd_outgoing_issue, "ban hành dự thảo: cấp số, lưu DOCX và PDF, vào sổ; in ký hiệu",
              json_output=True)
    p.add_argument("draft", metavar="DRAFT.json")
    p.add_argument("--date", type=date_arg, help="ngày ban hành (mặc định: ngày của dự thảo, hoặc hôm nay)")
    p.add_argument("--copies", type=int, help="số lượng bản")
    p.add_argument("--out", metavar="THƯ_MỤC", help="ghi thêm bản DOCX và PDF đã cấp số vào thư mục này")
    for name, func, text in (("reserve", cmd_outgoing_reserve, "lấy số trước cho văn bản đang trình ký"),
                             ("next", cmd_outgoing_next, "xem trước số tiếp theo (không giữ số)")):
        p = _leaf(gs, name, func, text, json_output=True)
        p.add_argument("type", metavar="LOẠI", help="mã loại văn bản: CV, NQ, QĐ…")
        p.add_argument("--date", type=date_arg, help="ngày (mặc định: hôm nay)")
        p.add_argument("--secret", action="store_true", help="văn bản mật")
        p.add_argument("--unit", type=text_arg, help="đơn vị soạn thảo (công văn hành chính: UBND-VP)")
        if name == "reserve":
            p.add_argument("--note", type=text_arg, help="ghi chú")
    p = _leaf(gs, "cancel", cmd_outgoing_cancel, "hủy một số đã cấp (số không bao giờ được dùng lại)")
    p.add_argument("symbol", metavar="KÝ_HIỆU", type=text_arg)
    p.add_argument("--reason", required=True, type=text_arg, help="lý do hủy")
    p.add_argument("--in-year", type=int, metavar="YYYY", help="năm, khi ký hiệu trùng giữa các năm")
    p = _leaf(gs, "list", cmd_outgoing_list, "liệt kê sổ văn bản đi", json_output=True)
    add_period_options(p)
    p.add_argument("--all", action="store_true", help="kể cả dòng đã xóa")
    p = _leaf(gs, "show", cmd_outgoing_show, "xem một văn bản đi và lịch sử sửa đổi", json_output=True)
    p.add_argument("symbol", metavar="KÝ_HIỆU", type=text_arg)
    p.add_argument("--in-year", type=int, metavar="YYYY")
    p.add_argument("--out", metavar="THƯ_MỤC", help="ghi bản DOCX và PDF đã lưu ra thư mục này")
    p = _leaf(gs, "set", cmd_outgoing_set, "ghi ngày chuyển, ký nhận, số bản, ghi chú")
    p.add_argument("symbol", metavar="KÝ_HIỆU", type=text_arg)
    p.add_argument("--in-year", type=int, metavar="YYYY")
    p.add_argument("--sent-date", type=date_arg)
    p.add_argument("--receipt", type=text_arg)
    p.add_argument("--note", type=text_arg)
    p.add_argument("--copies", type=int)
    p.add_argument("--copy-holder", type=text_arg)
    p = _leaf(gs, "delete", cmd_outgoing_delete, "xóa một dòng (xóa mềm; --undo để khôi phục)")
    p.add_argument("symbol", metavar="KÝ_HIỆU", type=text_arg)
    p.add_argument("--in-year", type=int, metavar="YYYY")
    p.add_argument("--undo", action="store_true")


def _incoming_fields(p, *, adding: bool) -> None:
    p.add_argument("--from", dest="author", type=text_arg, help="tác giả (cơ quan ban hành)")
    p.add_argument("--symbol", type=text_arg, help="số, ký hiệu của văn bản đến")
    p.add_argument("--date", type=date_arg, help="ngày tháng của văn bản")
    p.add_argument("--subject", type=text_arg, help="trích yếu")
    p.add_argument("--type-name", type=text_arg, help="tên loại (Công văn, Kế hoạch…)")
    p.add_argument("--received", type=date_arg, help="ngày đến (mặc định: hôm nay)")
    p.add_argument("--deadline", type=date_arg, help="hạn xử lý")
    p.add_argument("--recipient", type=text_arg, help="đơn vị hoặc người nhận")
    p.add_argument("--handler", type=text_arg, help="người xử lý")
    p.add_argument("--urgency", choices=URGENCIES, type=text_arg)
    p.add_argument("--secrecy", choices=SECRECIES, type=text_arg)
    p.add_argument("--note", type=text_arg)
    if not adding:
        p.add_argument("--sent-date", type=date_arg, help="ngày chuyển")
        p.add_argument("--receipt", type=text_arg, help="ký nhận")


def _add_incoming(sub) -> None:
    g = sub.add_parser("incoming", help="sổ văn bản đến: vào sổ, xem, sửa")
    gs = g.add_subparsers(dest="incoming_command", metavar="VIỆC", required=True)
    p = _leaf(gs, "add", cmd_incoming_add, "vào sổ một văn bản đến; in số đến", json_output=True)
    p.add_argument("files", nargs="*", metavar="FILE",
                   help="tệp văn bản nhận được (.pdf/.docx/.txt): các trường được đọc từ tệp đầu tiên, "
                        "các tùy chọn dưới đây ghi đè; mọi tệp được lưu kèm")
    _incoming_fields(p, adding=True)
    p.add_argument("--dry-run", action="store_true", help="chỉ in những gì sẽ vào sổ (kèm số đến), không ghi gì")
    p.add_argument("--allow-duplicate", action="store_true",
                   help=f"vẫn vào sổ khi văn bản đã có trong sổ (bản thứ hai); nếu không, lệnh dừng với mã "
                        f"{EXIT_DUPLICATE}")
    p = _leaf(gs, "list", cmd_incoming_list, "liệt kê sổ văn bản đến", json_output=True)
    add_period_options(p)
    p.add_argument("--all", action="store_true", help="kể cả dòng đã xóa")
    p = _leaf(gs, "show", cmd_incoming_show, "xem một văn bản đến (số đến: 12/2026, 12, hoặc #dòng)",
              json_output=True)
    p.add_argument("ref", metavar="SỐ_ĐẾN")
    p = _leaf(gs, "set", cmd_incoming_set, "sửa các cột của một văn bản đến")
    p.add_argument("ref", metavar="SỐ_ĐẾN")
    _incoming_fields(p, adding=False)
    p = _leaf(gs, "delete", cmd_incoming_delete, "xóa một dòng (xóa mềm; --undo để khôi phục)")
    p.add_argument("ref", metavar="SỐ_ĐẾN")
    p.add_argument("--undo", action="store_true")
    add_stamp_parser(gs)

    g = sub.add_parser("followup", help="theo dõi giải quyết văn bản đến: hạn, tiến độ, văn bản trả lời")
    gs = g.add_subparsers(dest="followup_command", metavar="VIỆC", required=True)
    p = _leaf(gs, "list", cmd_followup_list, "văn bản đang theo dõi, quá hạn hoặc đến hạn trong tuần",
              json_output=True)
    when = p.add_mutually_exclusive_group()
    when.add_argument("--overdue", action="store_true", help="đã quá hạn")
    when.add_argument("--week", action="store_true", help="đến hạn trong tuần này")
    p.add_argument("--all", action="store_true", help="kể cả văn bản đã xử lý xong")
    p.add_argument("--today", type=date_arg, help=argparse.SUPPRESS)  # tests pin the day
    p = _leaf(gs, "progress", cmd_followup_progress, "ghi tiến độ giải quyết")
    p.add_argument("ref", metavar="SỐ_ĐẾN")
    p.add_argument("text", type=text_arg, metavar="NỘI_DUNG")
    p.add_argument("--date", type=date_arg)
    p = _leaf(gs, "done", cmd_followup_done, "đánh dấu đã giải quyết, kèm văn bản trả lời")
    p.add_argument("ref", metavar="SỐ_ĐẾN")
    p.add_argument("--reply", type=text_arg, metavar="KÝ_HIỆU", help="số, ký hiệu văn bản trả lời")
    p.add_argument("--date", type=date_arg)


def add_commands(sub) -> None:
    _add_profile(sub)
    _add_outgoing(sub)
    _add_incoming(sub)

    g = sub.add_parser("drafts", help="dự thảo lưu trong sổ")
    gs = g.add_subparsers(dest="drafts_command", metavar="VIỆC", required=True)
    p = _leaf(gs, "save", cmd_drafts_save, "lưu một tệp dự thảo vào sổ")
    p.add_argument("draft", metavar="DRAFT.json")
    p.add_argument("--id", type=int, help="thay dự thảo đã lưu có số này")
    _leaf(gs, "list", cmd_drafts_list, "liệt kê dự thảo đã lưu", json_output=True)

    p = _leaf(sub, "search", cmd_search, "tìm trong sổ đi, sổ đến và dự thảo (không cần dấu)", json_output=True)
    p.add_argument("query", type=text_arg, metavar="CÂU_TÌM")
    p.add_argument("--register", action="append", choices=("outgoing", "incoming", "draft"))
    p.add_argument("--month", metavar="YYYY-MM")
    p.add_argument("--type", type=text_arg, help="mã loại văn bản")
    p.add_argument("--status", help="issued, reserved, cancelled, new, in_progress, done")
    p.add_argument("--limit", type=int, default=50)

    p = _leaf(sub, "audit", cmd_audit, "nhật ký thay đổi", json_output=True)
    p.add_argument("--table", choices=("outgoing", "incoming", "drafts", "progress", "profile"))
    p.add_argument("--row", type=int)
    p.add_argument("--limit", type=int, default=50)
