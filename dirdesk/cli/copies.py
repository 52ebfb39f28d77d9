"""`dirdesk copy`: sao y, sao lục, trích sao of an issued or a received document; list and cancel copies."""

from __future__ import annotations

import contextlib
from pathlib import Path

from dirdesk.cli.common import count_arg, date_arg, leaf_command, open_db, out, print_json, text_arg, year_arg
from dirdesk.draft import atomic_write
from dirdesk.registers.errors import RegisterError


def cmd_copy_make(args) -> int:
    from dirdesk.registers import copies  # lazy: start-up, see dirdesk.cli

    target = Path(args.out)
    if target.is_dir() or not target.parent.is_dir():
        raise RegisterError(f"Không ghi được bản sao vào {target}: cần đường dẫn tệp PDF trong một thư mục có sẵn.")
    with open_db(args) as reg, _office_signature(args, reg) as sign:
        made = copies.make_copy(reg, args.source, args.ref, args.kind, pages=args.pages, on=args.date,
                                signer=args.signer, recipients=args.to, sign=sign,
                                write=lambda data: atomic_write(target, data))
        row = {**made.row, "source": copies.source_label(reg, made.row)}
    if args.json:
        print_json({"copy": row, "path": str(target), "placement": made.placement.to_dict()})
        return 0
    out(f"bản sao số {row['symbol']}: {copies.describe(row)}")
    if sign is not None:
        out("đã ký số của cơ quan ở góc trên, bên phải trang đầu (bản sao điện tử; ngoại tuyến, "
            "không có dấu thời gian)")
    out(made.placement.describe())
    out(f"đã ghi {target}")
    return 0


@contextlib.contextmanager
def _office_signature(args, reg):
    """The office's signature for an electronic copy (--p12 / --pkcs11), or None: a paper copy."""
    if not (args.p12 or args.pkcs11):
        yield None
        return
    from dirdesk.cli.signing import secret_of
    from dirdesk.registers.signing import KeySource, signing_copies

    source = KeySource(p12=Path(args.p12) if args.p12 else None, pkcs11=args.pkcs11, token=args.token)
    with signing_copies(reg, source, secret_of(args), args.kind) as sign:
        yield sign


def cmd_copy_list(args) -> int:
    from dirdesk.registers import copies  # lazy: start-up, see dirdesk.cli

    with open_db(args) as reg:
        rows = copies.list_copies(reg)
    if args.json:
        print_json(rows)
        return 0
    if not rows:
        out("chưa có bản sao nào")
    for row in rows:
        out(copies.describe(row))
    return 0


def cmd_copy_cancel(args) -> int:
    from dirdesk.registers import copies  # lazy: start-up, see dirdesk.cli

    with open_db(args) as reg:
        row = copies.cancel(reg, args.number, args.reason, year=args.year)
    out(f"đã hủy số bản sao {row['symbol']}: {row['cancel_reason']}")
    return 0


def add_copy_commands(sub) -> None:
    g = sub.add_parser("copy", help="sao y, sao lục, trích sao văn bản đi hoặc văn bản đến (cấp số bản sao)")
    gs = g.add_subparsers(dest="copy_command", metavar="VIỆC", required=True)
    for source, ref_name, ref_help in (
            ("outgoing", "KÝ_HIỆU", "ký hiệu văn bản đi đã ban hành (66-CV/ĐU) hoặc #dòng"),
            ("incoming", "SỐ_ĐẾN", "số đến: 12/2026, 12 (năm nay) hoặc #dòng")):
        what = "văn bản đi" if source == "outgoing" else "văn bản đến (tệp PDF nhận được)"
        p = leaf_command(gs, source, cmd_copy_make, f"sao {what}: ghi bản sao PDF, vào sổ, in số bản sao",
                         json_output=True)
        p.set_defaults(source=source)
        p.add_argument("ref", type=text_arg, metavar=ref_name, help=ref_help)
        p.add_argument("--kind", required=True, choices=("sao-y", "sao-luc", "trich-sao"), help="hình thức sao")
        p.add_argument("--pages", type=text_arg, metavar="1-2", help="trang được trích (chỉ với trich-sao)")
        p.add_argument("-o", "--out", required=True, metavar="FILE.pdf", help="tệp PDF của bản sao")
        p.add_argument("--signer", type=count_arg(99, "người ký"), metavar="N",
                       help="người ký bản sao: thứ tự trong hồ sơ cơ quan (mặc định 1)")
        p.add_argument("--date", type=date_arg, help="ngày sao (mặc định hôm nay)")
        p.add_argument("--to", action="append", type=text_arg, metavar="NƠI_NHẬN",
                       help="nơi nhận bản sao (lặp lại được; mặc định: Lưu: VT, hoặc Lưu Văn phòng Đảng ủy)")
        key = p.add_mutually_exclusive_group()
        key.add_argument("--p12", metavar="TỆP", help="bản sao điện tử: ký số của cơ quan bằng tệp .p12/.pfx")
        key.add_argument("--pkcs11", metavar="THƯ_VIỆN", help="bản sao điện tử: ký số bằng USB token (PKCS#11)")
        p.add_argument("--token", type=text_arg, metavar="NHÃN", help="nhãn của token, khi cắm nhiều token")
    p = leaf_command(gs, "list", cmd_copy_list, "liệt kê bản sao cùng văn bản được sao", json_output=True)
    p = leaf_command(gs, "cancel", cmd_copy_cancel, "hủy số một bản sao (số không được cấp lại)")
    p.add_argument("number", type=text_arg, metavar="SỐ", help="số, ký hiệu bản sao (05/SY-UBND) hoặc #dòng")
    p.add_argument("--reason", required=True, type=text_arg, help="lý do hủy")
    p.add_argument("--year", type=year_arg, help="năm của bản sao, khi ký hiệu lặp lại qua các năm")


def copies_of(reg, source: str, row_id: int) -> list[dict]:
    """The copies made of one outgoing or incoming row (for `outgoing show`, `incoming show`)."""
    from dirdesk.registers import copies  # lazy: start-up, see dirdesk.cli

    return copies.list_copies(reg, source=source, source_id=row_id)


def print_copies(rows: list[dict]) -> None:
    from dirdesk.registers import copies  # lazy: start-up, see dirdesk.cli

    for row in rows:
        out(f"bản sao: {copies.describe({**row, 'source': ''})}")
