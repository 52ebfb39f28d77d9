"""`dirdesk incoming stamp`: a copy of a received document with the "ĐẾN" stamp on page 1."""

from __future__ import annotations

from pathlib import Path

from dirdesk.cli.common import add_db_option, add_json_option, open_db, out, print_json, text_arg
from dirdesk.draft import atomic_write


def cmd_incoming_stamp(args) -> int:
    from dirdesk.registers.stamping import stamp_entry  # lazy: start-up, see dirdesk.cli

    with open_db(args) as reg:
        data, placement, name = stamp_entry(reg, args.ref, file_name=args.file)
    target = Path(args.out) if args.out else Path.cwd() / name
    if target.is_dir():
        target = target / name
    atomic_write(target, data)
    if args.json:
        print_json({"path": str(target), "placement": placement.to_dict()})
    else:
        out(f"đã ghi {target}")
        out(placement.describe())
    return 0


def add_stamp_parser(incoming_subparsers) -> None:
    """Add `stamp` to the subcommands of `dirdesk incoming`."""
    p = incoming_subparsers.add_parser(
        "stamp", help="ghi một bản PDF của văn bản đến có dấu ĐẾN (số đến, ngày đến) ở trang 1; "
                      "tệp đã lưu trong sổ không bị sửa")
    add_db_option(p)
    add_json_option(p)
    p.set_defaults(func=cmd_incoming_stamp)
    p.add_argument("ref", metavar="SỐ_ĐẾN", help="số đến: 12/2026, 12 (năm nay) hoặc #dòng")
    p.add_argument("--out", metavar="PATH",
                   help="tệp PDF (hoặc thư mục) để ghi; mặc định <tên tệp>-den-<số>-<năm>.pdf ở thư mục hiện tại")
    p.add_argument("--file", type=text_arg, metavar="TÊN_TỆP",
                   help="tệp đính kèm cần đóng dấu, khi văn bản có nhiều tệp (mặc định: tệp PDF đầu tiên)")
