"""`dirdesk register export`: a register for a period to XLSX, PDF, DOCX or CSV."""

from __future__ import annotations

from pathlib import Path

from dirdesk.cli.common import add_db_option, add_period_options, open_db, out, period_from_args

REGISTER_NAMES = {"outgoing": "sổ văn bản đi", "incoming": "sổ văn bản đến",
                  "followup": "sổ theo dõi giải quyết văn bản đến"}


def cmd_export(args) -> int:
    from dirdesk.registers.export import default_name, export_register, format_of  # lazy: start-up, see dirdesk.cli

    period = period_from_args(args, required=True)
    fmt = args.format.lower() if args.format else None
    path = Path(args.output) if args.output else Path(".")
    if path.is_dir():  # no file named: so-di-2026-11.xlsx there
        fmt = fmt or "xlsx"
        path = path / default_name(args.register, period, fmt)
    fmt = fmt or format_of(path)
    with open_db(args) as reg:
        table = export_register(reg, args.register, period, fmt, path)
    out(f"đã ghi {path} ({REGISTER_NAMES[args.register]}, {period.label.lower()}: {len(table.rows)} dòng)")
    return 0


def add_commands(sub) -> None:
    p = sub.add_parser("export", help="xuất sổ của một kỳ ra XLSX, PDF, DOCX hoặc CSV",
                       description="Xuất sổ văn bản đi, sổ văn bản đến hoặc sổ theo dõi giải quyết văn bản đến "
                                   "của một tháng, một năm hoặc một khoảng ngày. PDF và DOCX in khổ A4 ngang.")
    p.add_argument("register", choices=tuple(REGISTER_NAMES), metavar="SỔ",
                   help="outgoing (sổ đi), incoming (sổ đến), followup (sổ theo dõi giải quyết)")
    add_period_options(p)
    p.add_argument("--format", metavar="xlsx|pdf|docx|csv", help="dạng tệp (mặc định: theo đuôi tệp -o, hoặc xlsx)")
    p.add_argument("-o", "--output", metavar="FILE",
                   help="tệp hoặc thư mục ghi ra (mặc định: so-di-2026-11.xlsx… trong thư mục hiện tại)")
    add_db_option(p)
    p.set_defaults(func=cmd_export)
