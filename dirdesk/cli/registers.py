"""Commands on the registers: profile, incoming, followup, drafts, search, audit (outgoing: cli/outgoing.py)."""

from __future__ import annotations

import argparse
import dataclasses
import json
from pathlib import Path

from dirdesk import limits
from dirdesk.cli.common import (
    add_period_options,
    count_arg,
    date_arg,
    err,
    leaf_command,
    month_of,
    open_db,
    out,
    period_from_args,
    print_json,
    text_arg,
)
from dirdesk.cli.copies import add_copy_commands, copies_of, print_copies
from dirdesk.cli.ocr import add_ocr_parser, after_add
from dirdesk.cli.outgoing import add_outgoing_commands
from dirdesk.cli.stamp import add_stamp_parser
from dirdesk.cli.trust import add_recheck_parser
from dirdesk.draft import SECRECIES, URGENCIES, load_draft
from dirdesk.intake import IntakeError
from dirdesk.intake.source import received_bytes
from dirdesk.registers.errors import DuplicateEntry, RegisterError

ROW_ID = count_arg(limits.MAX_ROW_ID, "số dòng")
LISTED = count_arg(limits.MAX_LISTED, "số kết quả")

# ---------------------------------------------------------------- profile


def cmd_profile_show(args) -> int:
    from dirdesk.registers.profile import load_profile  # lazy: start-up, see dirdesk.cli

    with open_db(args) as reg:
        profile = load_profile(reg).to_dict()
    if args.json:
        print_json(profile)
    else:
        for key, value in profile.items():
            out(f"{key}: {json.dumps(value, ensure_ascii=False)}")
    return 0


def cmd_profile_set(args) -> int:
    from dirdesk.registers.profile import set_profile_value  # lazy: start-up, see dirdesk.cli

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
    from dirdesk.registers.profile import add_term  # lazy: start-up, see dirdesk.cli

    with open_db(args) as reg:
        profile = add_term(reg, args.start)
    out(f"nhiệm kỳ bắt đầu: {', '.join(profile.terms)}")
    return 0


def cmd_profile_congress(args) -> int:
    from dirdesk.registers.congress import describe  # lazy: start-up, see dirdesk.cli
    from dirdesk.registers.profile import end_congress, start_congress

    with open_db(args) as reg:
        if args.action == "start":
            name = args.name.replace("\\n", "\n") if args.name else None  # typed "\n" between the lines
            profile = start_congress(reg, args.date, name)
        else:
            profile = end_congress(reg, args.date)
    for c in profile.congresses:
        out(describe(c))
    return 0


# ---------------------------------------------------------------- incoming and follow-up

_IN_FIELDS = ("id", "year", "number", "received_date", "author", "symbol", "doc_date", "type", "type_name",
              "subject", "recipient", "sent_date", "receipt", "note", "urgency", "secrecy", "handler", "deadline",
              "status", "done_date", "reply_symbol", "deleted_at")


# Exit status of `incoming add` for a document already in the register (errors are 2, as argparse's).
EXIT_DUPLICATE = 3


def _incoming_json(reg, row: dict) -> dict:
    from dirdesk.registers import incoming  # lazy: start-up, see dirdesk.cli

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
    from dirdesk.registers import incoming  # lazy: start-up, see dirdesk.cli

    deadline = f"  hạn {row['deadline']}" if row["deadline"] else ""
    return (f"{row['number']:02d}/{row['year']}  {row['received_date']}  {row['author']}  {row['symbol']}  "
            f"{row['subject']}{deadline}  [{incoming.STATUS_LABELS[row['status']]}]"
            + (" [đã xóa]" if row["deleted_at"] else ""))


def _received_entry(args):
    """The entry `incoming add` records: read from FILE (the first file; the others are attached
    with it), then the fields given as options over what was read. Returns (entry, read from file)."""
    from dirdesk.registers import incoming  # lazy: start-up, see dirdesk.cli
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
            extra.append((path.name, received_bytes(path)))
        except OSError as exc:
            raise RegisterError(f"Không đọc được tệp {path}: {exc.strerror}") from exc
    if extra:  # signatures of every PDF attached are read again by incoming.add
        entry = dataclasses.replace(entry, files=entry.files + extra, signatures=None)
    given = {"type" if k == "type_name" else k for k in typed}  # what the clerk typed is not to check
    return dataclasses.replace(entry, **typed, to_check=[f for f in entry.to_check if f not in given],
                               handwritten=[f for f in entry.handwritten if f not in given]), not problem


def _say_what_to_check(entry, row: dict | None = None) -> dict:
    """Tell the clerk (stderr) which fields read from the file to check against it, and which looked
    handwritten on a scan (with the command that completes them once `row` is in the register);
    returns them for the JSON output."""
    from dirdesk.registers.intake_entry import check_message, handwritten_message

    for message in (check_message(entry.to_check), handwritten_message(entry.handwritten, entry)):
        if message:
            err(f"chú ý: {message}")
    if row is not None and entry.handwritten:
        options = " ".join(option for name, option in (("symbol", "--symbol SỐ_KÝ_HIỆU"), ("doc_date", "--date NGÀY"))
                           if name in entry.handwritten)
        err(f"chú ý: gõ vào bằng: dirdesk incoming set {row['number']:02d}/{row['year']} {options}")
    return {"to_check": list(entry.to_check), "handwritten": list(entry.handwritten)}


def cmd_incoming_add(args) -> int:
    from dirdesk.registers import incoming  # lazy: start-up, see dirdesk.cli
    from dirdesk.registers.trust_store import trust_of

    entry, from_file = _received_entry(args)
    hint = "Nếu đây là bản thứ hai cần vào sổ riêng, thêm --allow-duplicate."
    with open_db(args) as reg:
        if entry.files and trust_of(reg):  # read again by incoming.add, against the trusted certificates
            entry = dataclasses.replace(entry, signatures=None)
        if args.dry_run:
            plan = incoming.preview(reg, entry)
            refused = bool(plan.duplicates) and not args.allow_duplicate
            left = _say_what_to_check(entry)
            if args.json:
                print_json({**{k: plan.row[k] for k in _IN_FIELDS}, "files": plan.files, "progress": [],
                            "signatures": plan.signatures, "dry_run": True, **left,
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
        if entry.files and not args.no_ocr:  # a scan: its pages read now, into the search and a copy
            after_add(reg, row, entry.files[0][1])
            row = incoming.find(reg, f"#{row['id']}")
        shown = {**_incoming_json(reg, row), **_say_what_to_check(entry, row)}
    if args.json:
        print_json(shown)
    else:
        out(f"{row['number']:02d}")
        if from_file:  # what was read from the file, for the clerk to check
            _incoming_details(row, shown["files"], shown["signatures"])
    return 0


def cmd_incoming_list(args) -> int:
    from dirdesk.registers import incoming  # lazy: start-up, see dirdesk.cli

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
    from dirdesk.registers import audit, incoming  # lazy: start-up, see dirdesk.cli

    with open_db(args) as reg:
        row = incoming.find(reg, args.ref)
        shown = _incoming_json(reg, row)
        shown["history"] = audit.history(reg, "incoming", row["id"])
        shown["copies"] = copies_of(reg, "incoming", row["id"])
    if args.json:
        print_json(shown)
        return 0
    _incoming_details(row, shown["files"], shown["signatures"])
    print_copies(shown["copies"])
    for p in shown["progress"]:
        out(f"tiến độ {p['date']}: {p['text']}")
    return 0


def cmd_incoming_set(args) -> int:
    from dirdesk.registers import incoming  # lazy: start-up, see dirdesk.cli

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
    from dirdesk.registers import audit, incoming  # lazy: start-up, see dirdesk.cli

    with open_db(args) as reg:
        row = incoming.find(reg, args.ref)
        with reg.transaction():
            (audit.undelete if args.undo else audit.soft_delete)(reg, "incoming", row["id"])
    out(("đã khôi phục " if args.undo else "đã xóa (có thể khôi phục bằng --undo) ")
        + f"văn bản đến số {row['number']:02d}/{row['year']}")
    return 0


def cmd_followup_list(args) -> int:
    from dirdesk.registers import incoming  # lazy: start-up, see dirdesk.cli

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
    from dirdesk.registers import incoming  # lazy: start-up, see dirdesk.cli

    with open_db(args) as reg:
        row = incoming.add_progress(reg, incoming.find(reg, args.ref)["id"], args.text, on=args.date)
    out(_incoming_line(row))
    return 0


def cmd_followup_done(args) -> int:
    from dirdesk.registers import incoming  # lazy: start-up, see dirdesk.cli

    with open_db(args) as reg:
        row = incoming.mark_done(reg, incoming.find(reg, args.ref)["id"], on=args.date, reply=args.reply)
    out(_incoming_line(row))
    return 0


# ---------------------------------------------------------------- drafts, search, audit


def cmd_drafts_save(args) -> int:
    from dirdesk.registers import drafts  # lazy: start-up, see dirdesk.cli

    draft = load_draft(args.draft)
    with open_db(args) as reg:
        row_id = drafts.save(reg, draft, args.id)
    out(f"#{row_id}")
    return 0


def cmd_drafts_list(args) -> int:
    from dirdesk.registers import drafts  # lazy: start-up, see dirdesk.cli

    with open_db(args) as reg:
        rows = drafts.list_rows(reg)
    if args.json:
        print_json(rows)
        return 0
    for r in rows:
        out(f"#{r['id']:<5} {r['updated_at']}  {r['type']:<4} {r['subject']}")
    return 0


def cmd_search(args) -> int:
    from dirdesk.registers import search  # lazy: start-up, see dirdesk.cli

    kinds = tuple(args.register) if args.register else None
    month = month_of(args.month).slug if args.month else None
    with open_db(args) as reg:
        hits = search.search(reg, args.query, kinds=kinds, month=month, doc_type=args.type,
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
    from dirdesk.registers import audit  # lazy: start-up, see dirdesk.cli

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


def _add_profile(sub) -> None:
    g = sub.add_parser("profile", help="hồ sơ cơ quan: tên, chữ viết tắt, địa danh, người ký, nhiệm kỳ…")
    gs = g.add_subparsers(dest="profile_command", metavar="VIỆC", required=True)
    leaf_command(gs, "show", cmd_profile_show, "xem hồ sơ cơ quan", json_output=True)
    p = leaf_command(gs, "set", cmd_profile_set, "đặt một mục (giá trị JSON cho danh sách)")
    p.add_argument("key", metavar="MỤC", help="style, issuer, issuer.name, issuer.code, issuer.parent, place, "
                   "units, signers, recipients, state_sequence, terms, congresses")
    p.add_argument("value", metavar="GIÁ_TRỊ", type=text_arg)
    p = leaf_command(gs, "term", cmd_profile_term, "ghi ngày bắt đầu nhiệm kỳ mới (văn bản Đảng đánh số lại từ 01)")
    p.add_argument("start", type=date_arg, metavar="NGÀY")
    p = leaf_command(gs, "congress", cmd_profile_congress,
                     "ghi ngày khai mạc (start) hoặc bế mạc (end) đại hội: trong kỳ đại hội, văn bản của đại hội "
                     "(ký hiệu ĐH) đánh số chung mọi loại từ 01 (05-HD)")
    p.add_argument("action", choices=("start", "end"), metavar="start|end")
    p.add_argument("date", type=date_arg, metavar="NGÀY")
    p.add_argument("--name", type=text_arg, metavar="TÊN",
                   help="tên đại hội in ở chỗ cơ quan ban hành, '\\n' giữa các dòng (start)")


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
    p = leaf_command(gs, "add", cmd_incoming_add, "vào sổ một văn bản đến; in số đến", json_output=True)
    p.add_argument("files", nargs="*", metavar="FILE",
                   help="tệp văn bản nhận được (.pdf/.docx/.txt): các trường được đọc từ tệp đầu tiên, "
                        "các tùy chọn dưới đây ghi đè; mọi tệp được lưu kèm")
    _incoming_fields(p, adding=True)
    p.add_argument("--dry-run", action="store_true", help="chỉ in những gì sẽ vào sổ (kèm số đến), không ghi gì")
    p.add_argument("--allow-duplicate", action="store_true",
                   help=f"vẫn vào sổ khi văn bản đã có trong sổ (bản thứ hai); nếu không, lệnh dừng với mã "
                        f"{EXIT_DUPLICATE}")
    p.add_argument("--no-ocr", action="store_true",
                   help="với bản quét: không đọc chữ các trang còn lại (đọc sau bằng: dirdesk incoming ocr)")
    p = leaf_command(gs, "list", cmd_incoming_list, "liệt kê sổ văn bản đến", json_output=True)
    add_period_options(p)
    p.add_argument("--all", action="store_true", help="kể cả dòng đã xóa")
    p = leaf_command(gs, "show", cmd_incoming_show, "xem một văn bản đến (số đến: 12/2026, 12, hoặc #dòng)",
              json_output=True)
    p.add_argument("ref", metavar="SỐ_ĐẾN")
    p = leaf_command(gs, "set", cmd_incoming_set, "sửa các cột của một văn bản đến")
    p.add_argument("ref", metavar="SỐ_ĐẾN")
    _incoming_fields(p, adding=False)
    p = leaf_command(gs, "delete", cmd_incoming_delete, "xóa một dòng (xóa mềm; --undo để khôi phục)")
    p.add_argument("ref", metavar="SỐ_ĐẾN")
    p.add_argument("--undo", action="store_true")
    add_stamp_parser(gs)
    add_recheck_parser(gs)
    add_ocr_parser(gs)

    g = sub.add_parser("followup", help="theo dõi giải quyết văn bản đến: hạn, tiến độ, văn bản trả lời")
    gs = g.add_subparsers(dest="followup_command", metavar="VIỆC", required=True)
    p = leaf_command(gs, "list", cmd_followup_list, "văn bản đang theo dõi, quá hạn hoặc đến hạn trong tuần",
              json_output=True)
    when = p.add_mutually_exclusive_group()
    when.add_argument("--overdue", action="store_true", help="đã quá hạn")
    when.add_argument("--week", action="store_true", help="đến hạn trong tuần này")
    p.add_argument("--all", action="store_true", help="kể cả văn bản đã xử lý xong")
    p.add_argument("--today", type=date_arg, help=argparse.SUPPRESS)  # tests pin the day
    p = leaf_command(gs, "progress", cmd_followup_progress, "ghi tiến độ giải quyết")
    p.add_argument("ref", metavar="SỐ_ĐẾN")
    p.add_argument("text", type=text_arg, metavar="NỘI_DUNG")
    p.add_argument("--date", type=date_arg)
    p = leaf_command(gs, "done", cmd_followup_done, "đánh dấu đã giải quyết, kèm văn bản trả lời")
    p.add_argument("ref", metavar="SỐ_ĐẾN")
    p.add_argument("--reply", type=text_arg, metavar="KÝ_HIỆU", help="số, ký hiệu văn bản trả lời")
    p.add_argument("--date", type=date_arg)


def add_commands(sub) -> None:
    _add_profile(sub)
    add_outgoing_commands(sub)
    _add_incoming(sub)
    add_copy_commands(sub)

    g = sub.add_parser("drafts", help="dự thảo lưu trong sổ")
    gs = g.add_subparsers(dest="drafts_command", metavar="VIỆC", required=True)
    p = leaf_command(gs, "save", cmd_drafts_save, "lưu một tệp dự thảo vào sổ")
    p.add_argument("draft", metavar="DRAFT.json")
    p.add_argument("--id", type=ROW_ID, help="thay dự thảo đã lưu có số này")
    leaf_command(gs, "list", cmd_drafts_list, "liệt kê dự thảo đã lưu", json_output=True)

    p = leaf_command(sub, "search", cmd_search, "tìm trong sổ đi, sổ đến và dự thảo (không cần dấu)", json_output=True)
    p.add_argument("query", type=text_arg, metavar="CÂU_TÌM")
    p.add_argument("--register", action="append", choices=("outgoing", "incoming", "draft"))
    p.add_argument("--month", metavar="YYYY-MM")
    p.add_argument("--type", type=text_arg, help="mã loại văn bản")
    p.add_argument("--status", help="issued, reserved, cancelled, new, in_progress, done")
    p.add_argument("--limit", type=LISTED, default=50)

    p = leaf_command(sub, "audit", cmd_audit, "nhật ký thay đổi", json_output=True)
    p.add_argument("--table", choices=("outgoing", "incoming", "drafts", "progress", "profile"))
    p.add_argument("--row", type=ROW_ID)
    p.add_argument("--limit", type=LISTED, default=50)
