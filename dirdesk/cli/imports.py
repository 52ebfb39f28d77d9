"""`dirdesk register import`: enter a register kept in Excel or CSV before DirDesk.

Exit status: 0 when every row was entered, 1 when some rows were skipped
(each is listed with its row number and the reason), 2 when the file was
refused and nothing was entered.
"""

from __future__ import annotations

from dirdesk.cli.common import add_db_option, add_json_option, open_db, out, print_json


def cmd_import(args) -> int:
    from dirdesk.registers.importing import import_register  # lazy: start-up, see dirdesk.cli

    with open_db(args) as reg:
        report = import_register(reg, args.register, args.file, dry_run=args.dry_run, encoding=args.encoding)
    if args.json:
        print_json(report.to_dict())
    else:
        for line in report.lines():
            out(line)
    return 1 if report.skipped else 0


def add_commands(sub) -> None:
    p = sub.add_parser(
        "import", help="nhập sổ cũ từ tệp Excel (.xlsx) hoặc CSV",
        description="Nhập sổ văn bản đi hoặc đến từ tệp .xlsx hoặc .csv: dòng tiêu đề cột được tự tìm; "
                    "dòng nào không nhập được thì báo số dòng và lý do. Mọi dòng được ghi trong một lần: "
                    "có lỗi giữa chừng thì không ghi gì.",
    )
    p.add_argument("register", choices=("outgoing", "incoming"), help="sổ văn bản đi (outgoing) hoặc đến (incoming)")
    p.add_argument("file", metavar="TỆP", help="tệp .xlsx, hoặc .csv (phân cách bằng dấu phẩy, chấm phẩy hoặc tab)")
    p.add_argument("--dry-run", action="store_true", help="chỉ kiểm tra và báo cáo, không ghi vào sổ")
    p.add_argument("--encoding", metavar="BẢNG_MÃ",
                   help="bảng mã của tệp CSV không phải UTF-8, ví dụ cp1258 (mặc định: UTF-8)")
    add_json_option(p)
    add_db_option(p)
    p.set_defaults(func=cmd_import)
