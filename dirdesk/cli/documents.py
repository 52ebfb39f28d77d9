"""Commands on documents: render, new, types, check, parse."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from dirdesk.cli.common import err as _err
from dirdesk.cli.common import out as _out
from dirdesk.draft import atomic_write, draft_to_json, load_draft
from dirdesk.intake import parse_file
from dirdesk.rules import STYLES, doc_types, edition_in_force
from dirdesk.templates import find_type, load_template


def cmd_render(args) -> int:
    from dirdesk.fonts import embedded
    from dirdesk.glyphs import code_points, substitute, unshown
    from dirdesk.render import render_draft  # lazy: start-up, see dirdesk.cli

    draft_path = Path(args.draft)
    draft = load_draft(draft_path)
    docx = Path(args.docx) if args.docx else None
    pdf = Path(args.pdf) if args.pdf else None
    if docx is None and pdf is None:
        docx, pdf = draft_path.with_suffix(".docx"), draft_path.with_suffix(".pdf")
    render_draft(draft, docx=docx, pdf=pdf)
    for path in (docx, pdf):
        if path:
            _out(f"đã ghi {path}" + (f" (phông {embedded().family})" if path == pdf else ""))
    for field, chars in unshown(draft):  # never silent: the files print □ for these
        _err(f"chú ý: {field}: phông {embedded().family} không có chữ {code_points(chars)}, "
             f"tệp in '{substitute()}' vào chỗ đó (xem: dirdesk check)")
    return 0


def cmd_new(args) -> int:
    code = find_type(args.style, args.type)
    if code is None:
        _err(f"lỗi: '{args.type}' không phải loại văn bản của kiểu '{args.style}' "
             f"(xem: dirdesk types --style {args.style})")
        return 2
    text = draft_to_json(load_template(args.style, code))
    if args.output:
        path = Path(args.output)
        if path.exists() and not args.force:
            _err(f"lỗi: {path} đã có; dùng --force để ghi đè")
            return 2
        atomic_write(path, text.encode("utf-8"))
        _out(f"đã ghi {path}")
    else:
        sys.stdout.write(text)
    return 0


def cmd_types(args) -> int:
    for style in [args.style] if args.style else STYLES:
        _out(f"{'Văn bản của Đảng' if style == 'party' else 'Văn bản hành chính nhà nước'} ({style}):")
        edition = edition_in_force(style, None)
        for code, t in doc_types(style).items():
            sign = "" if t.abbr(edition) == code else f" (ký hiệu {t.abbr(edition)})"
            _out(f"  {code:<5} {t.label:<17} {t.purpose}{sign}")
            if t.authority_note:
                _out(f"        Lưu ý: {t.authority_note}")
    return 0


def cmd_check(args) -> int:
    from dirdesk.checks import check_draft, format_findings  # lazy: start-up, see dirdesk.cli
    from dirdesk.fonts import embedded

    findings = check_draft(load_draft(args.draft))
    _out(embedded().describe())  # the clerk learns which font the PDF embeds (Times New Roman, or why not)
    if not findings:
        _out("không thấy lỗi thể thức nào.")
        return 0
    _out(format_findings(findings))
    return 1


def cmd_parse(args) -> int:
    notes: list[str] = []
    parsed = parse_file(args.file, notes)
    sys.stdout.write(json.dumps(parsed, ensure_ascii=False, indent=2) + "\n")
    for note in notes:  # on stderr, so the JSON on stdout stays one draft
        sys.stderr.write(f"ghi chú: {note}\n")
    return 0


def add_commands(sub) -> None:
    p = sub.add_parser("render", help="in dự thảo ra DOCX và PDF đúng thể thức")
    p.add_argument("draft", metavar="DRAFT.json")
    p.add_argument("--docx", metavar="OUT.docx", help="tệp DOCX (mặc định: cạnh tệp dự thảo)")
    p.add_argument("--pdf", metavar="OUT.pdf", help="tệp PDF (mặc định: cạnh tệp dự thảo)")
    p.set_defaults(func=cmd_render)

    p = sub.add_parser("new", help="tạo dự thảo mới từ mẫu của một loại văn bản")
    p.add_argument("type", metavar="TYPE", help="mã loại (CV, NQ, KH…), tên rút gọn (ke-hoach) hoặc tên")
    p.add_argument("--style", choices=STYLES, required=True, help="party: văn bản Đảng; state: văn bản hành chính")
    p.add_argument("-o", "--output", metavar="FILE", help="ghi ra tệp (mặc định: in ra màn hình)")
    p.add_argument("--force", action="store_true", help="ghi đè tệp đã có")
    p.set_defaults(func=cmd_new)

    p = sub.add_parser("types", help="liệt kê các loại văn bản")
    p.add_argument("--style", choices=STYLES)
    p.set_defaults(func=cmd_types)

    p = sub.add_parser("check", help="kiểm tra thể thức dự thảo; mã thoát 1 nếu có lỗi")
    p.add_argument("draft", metavar="DRAFT.json")
    p.set_defaults(func=cmd_check)

    p = sub.add_parser("parse", help="đọc văn bản đến (.txt, .docx, .pdf) thành dự thảo JSON")
    p.add_argument("file", metavar="FILE")
    p.set_defaults(func=cmd_parse)
