"""`dirdesk outgoing sign`: the office's digital signature on an issued document."""

from __future__ import annotations

import getpass
import os
from pathlib import Path

from dirdesk.cli.common import err, leaf_command, open_db, out, print_json, text_arg, year_arg
from dirdesk.draft import atomic_write

PIN_ENV = "DIRDESK_PIN"


def secret_of(args) -> str:
    """The PIN or password: from DIRDESK_PIN (scripts), else asked on the terminal; never stored."""
    if os.environ.get(PIN_ENV) is not None:
        return os.environ[PIN_ENV]
    prompt = "Mật khẩu tệp chứng thư số: " if args.p12 else "Mã PIN của USB token: "
    return getpass.getpass(prompt)


def _image(path: str | None, label: str) -> bytes | None:
    from dirdesk.registers.signing import SigningRefused

    if path is None:
        return None
    try:
        return Path(path).read_bytes()
    except OSError as exc:
        raise SigningRefused(f"Không đọc được {label} {path}: {exc.strerror or exc}.") from None


def cmd_outgoing_sign(args) -> int:
    from dirdesk.registers.attachments import read_attachment
    from dirdesk.registers.signing import KeySource, SigningRefused, sign_outgoing
    from dirdesk.signing import SigningProblem

    try:
        source = KeySource(p12=Path(args.p12) if args.p12 else None, pkcs11=args.pkcs11, token=args.token)
        seal, signature = _image(args.seal, "ảnh con dấu"), _image(args.signature, "ảnh chữ ký")
        with open_db(args) as reg:
            row = sign_outgoing(reg, args.symbol, source, secret_of(args), signature=signature, seal=seal,
                                year=args.in_year)
            signed = read_attachment(reg, row["signed_pdf_sha256"])
    except (SigningProblem, SigningRefused) as exc:
        err(f"lỗi: {exc} Không có gì được ghi.")
        return 2
    if args.out:
        atomic_write(Path(args.out), signed)
    if args.json:
        print_json({"symbol": row["symbol"], "signed_by": row["signed_by"], "signed_at": row["signed_at"],
                    "signed_pdf_sha256": row["signed_pdf_sha256"], "file": args.out})
        return 0
    out(f"đã ký số {row['symbol']}: {row['signed_by']}, lúc {row['signed_at']} (ngoại tuyến, không có dấu thời gian)")
    if args.out:
        out(f"đã ghi {args.out}")
    return 0


def add_sign_command(gs) -> None:
    p = leaf_command(gs, "sign", cmd_outgoing_sign, "ký số của cơ quan lên bản PDF đã ban hành (tệp .p12 hoặc USB "
                     "token PKCS#11); mã PIN hỏi mỗi lần, hoặc lấy từ DIRDESK_PIN", json_output=True)
    p.add_argument("symbol", metavar="KÝ_HIỆU", type=text_arg)
    p.add_argument("--in-year", type=year_arg, metavar="YYYY")
    key = p.add_mutually_exclusive_group(required=True)
    key.add_argument("--p12", metavar="TỆP", help="tệp chứng thư số .p12/.pfx của cơ quan")
    key.add_argument("--pkcs11", metavar="THƯ_VIỆN", help="thư viện PKCS#11 (.so/.dll) của USB token")
    p.add_argument("--token", type=text_arg, metavar="NHÃN", help="nhãn của token, khi cắm nhiều token")
    p.add_argument("--seal", metavar="PNG", help="ảnh con dấu (PNG nền trong suốt); được lưu vào hồ sơ cơ quan")
    p.add_argument("--signature", metavar="PNG",
                   help="ảnh chữ ký của người ký (PNG màu xanh, nền trong suốt); được lưu cho người ký đó")
    p.add_argument("--out", metavar="TỆP", help="ghi thêm bản PDF đã ký ra tệp này")
