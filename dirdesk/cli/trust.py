"""`dirdesk verify FILE.pdf` (the digital signatures of a received PDF, checked offline) and
`dirdesk trust add|list|remove` (the office's trusted certificates, kept in the register)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from dirdesk.cli.common import add_db_option, add_json_option, leaf_command, open_db, out, print_json
from dirdesk.registers.errors import RegisterError

# Exit status of `verify` when a signature is broken or the signed content was changed after signing.
EXIT_NOT_INTACT = 1
CHANGES = {"none": "không", "signatures": "chỉ thêm chữ ký khác hoặc thông tin biểu mẫu",
           "other": "CÓ — nội dung đang xem có thể khác bản đã ký", "unknown": "không xác định được"}
JSON_KEYS = ("signer", "organisation", "issuer", "signed_at", "intact", "covers_whole_file",
             "changes_after_signing", "modified_after_signing", "trusted", "trust_reason", "damaged", "summary")


def _yes_no(value: bool | None) -> str:
    return "chưa rõ" if value is None else ("có" if value else "không")


def verify_line(number: int, sig: dict) -> str:
    """One line: who, when, intact, changes after signing, trusted yes / no / unknown, why."""
    from dirdesk.intake.trust import NO_REVOCATION  # lazy: start-up, see dirdesk.cli

    who = sig.get("signer") or "người ký không rõ"
    if sig.get("organisation") and sig["organisation"] != sig.get("signer"):
        who += f" ({sig['organisation']})"
    when = (f"{dt.datetime.fromisoformat(sig['signed_at']):%d/%m/%Y %H:%M}" if sig.get("signed_at")
            else "không rõ")
    if sig.get("damaged"):
        intact = "không — chữ ký bị hỏng, không kiểm tra được"
    else:
        intact = "có" if sig.get("intact") else "KHÔNG — tệp đã bị sửa hoặc hỏng trong phần đã ký"
    why = sig.get("trust_reason")
    if sig.get("trusted") is None:
        issued = f"chứng thư do «{sig['issuer']}» cấp" if sig.get("issuer") else None
        why = "; ".join(p for p in (why, issued, "chưa có chứng thư tin cậy để đối chiếu (thêm bằng dirdesk "
                                                 "trust add hoặc ở Cài đặt)") if p)
    why = f"{why}; {NO_REVOCATION}" if why else NO_REVOCATION
    return (f"{number}. {who} — ký lúc {when} — nguyên vẹn: {intact} — thay đổi sau khi ký: "
            f"{CHANGES.get(sig.get('changes_after_signing'), CHANGES['unknown'])} — tin cậy: "
            f"{_yes_no(sig.get('trusted'))} — {why}")


def _trust_for(args):
    """The certificates to check against: --trust files, else the register's list when there is a
    register (never created for this), else None (trust unknown)."""
    from dirdesk.intake.source import received_bytes  # lazy: start-up, see dirdesk.cli
    from dirdesk.intake.trust import Trust, load_certificates
    from dirdesk.registers import default_db_path, open_registry
    from dirdesk.registers.trust_store import trust_of

    if args.trust:
        certificates = []
        for name in args.trust:
            certificates += load_certificates(received_bytes(name), Path(name).name)
        return Trust.of(certificates)
    path = Path(args.db) if args.db else default_db_path()
    if not path.is_file():
        return None
    with open_registry(path, create=False) as reg:
        return trust_of(reg)


def cmd_verify(args) -> int:
    from dirdesk.intake.signatures import read_signatures  # lazy: start-up, see dirdesk.cli
    from dirdesk.intake.source import IntakeError, received_bytes

    data = received_bytes(args.file)
    if not data.lstrip()[:5] == b"%PDF-":
        raise IntakeError(f"{args.file}: không phải tệp PDF.")
    signatures = read_signatures(data, trust=_trust_for(args))
    if args.json:
        print_json([{k: sig.get(k) for k in JSON_KEYS} for sig in signatures])
    elif not signatures:
        out("Tệp không có chữ ký số.")
    for number, sig in enumerate(signatures if not args.json else [], start=1):
        out(verify_line(number, sig))
    broken = any(not s["intact"] or s["changes_after_signing"] in ("other", "unknown") for s in signatures)
    return EXIT_NOT_INTACT if broken else 0


def _trust_line(row: dict) -> str:
    from dirdesk.intake.trust import describe_line  # lazy: start-up, see dirdesk.cli

    return f"#{row['id']}  " + describe_line({**row, "root": bool(row["is_root"])})


def _show(args, rows: list[dict], empty: str, prefix: str = "") -> int:
    """Certificate rows as JSON, or one line each (`empty` when there is none)."""
    if args.json:
        print_json(rows)
        return 0
    if not rows:
        out(empty)
    for row in rows:
        out(prefix + _trust_line(row))
    return 0


def cmd_trust_add(args) -> int:
    from dirdesk.intake.source import received_bytes  # lazy: start-up, see dirdesk.cli
    from dirdesk.registers import trust_store

    with open_db(args) as reg:
        added = [row for name in args.files
                 for row in trust_store.add_file(reg, received_bytes(name), Path(name).name)]
    return _show(args, added, "Các chứng thư này đã có trong danh sách tin cậy; không thêm gì.", "đã thêm ")


def cmd_trust_list(args) -> int:
    from dirdesk.registers.trust_store import list_all  # lazy: start-up, see dirdesk.cli

    with open_db(args) as reg:
        return _show(args, list_all(reg), "Chưa có chứng thư tin cậy nào: chữ ký số nhận được sẽ là "
                                          "\"chưa rõ\" có tin cậy hay không.")


def cmd_trust_remove(args) -> int:
    from dirdesk.registers import trust_store  # lazy: start-up, see dirdesk.cli

    text = args.id.lstrip("#")
    if not (text.isascii() and text.isdigit()):
        raise RegisterError(f"'{args.id}' không phải số của một chứng thư (xem dirdesk trust list).")
    with open_db(args) as reg:
        row = trust_store.remove(reg, int(text))
    out("đã xóa " + _trust_line(row))
    return 0


def cmd_incoming_recheck(args) -> int:
    from dirdesk.registers import incoming  # lazy: start-up, see dirdesk.cli
    from dirdesk.registers.signature_check import recheck

    with open_db(args) as reg:
        row = recheck(reg, incoming.find(reg, args.ref)["id"])
    signatures = incoming.signatures_in(row)
    if args.json:
        print_json([{k: sig.get(k) for k in (*JSON_KEYS, "file")} for sig in signatures])
        return 0
    if not signatures:
        out("Các tệp PDF của văn bản này không có chữ ký số.")
    for number, sig in enumerate(signatures, start=1):
        out(verify_line(number, sig))
    return 0


def add_recheck_parser(incoming_subparsers) -> None:
    """Add `recheck` to the subcommands of `dirdesk incoming`."""
    p = leaf_command(incoming_subparsers, "recheck", cmd_incoming_recheck,
                     "kiểm tra lại chữ ký số của văn bản đến theo danh sách chứng thư tin cậy hiện nay và lưu kết quả",
                     json_output=True)
    p.add_argument("ref", metavar="SỐ_ĐẾN", help="số đến: 12/2026, 12 (năm nay) hoặc #dòng")


def add_commands(sub) -> None:
    p = sub.add_parser("verify", help="kiểm tra chữ ký số của một tệp PDF nhận được (không cần mạng)")
    p.add_argument("file", metavar="FILE.pdf")
    p.add_argument("--trust", metavar="CERT", nargs="+", action="extend", default=[],
                   help="chứng thư tin cậy (.cer, .crt, .pem, .p7b) để đối chiếu thay cho danh sách trong sổ")
    add_db_option(p)
    add_json_option(p)
    p.set_defaults(func=cmd_verify)
    trust = sub.add_parser("trust", help="danh sách chứng thư số tin cậy của cơ quan (chứng thư gốc, trung gian)")
    group = trust.add_subparsers(dest="trust_command", metavar="VIỆC", required=True)
    add = leaf_command(group, "add", cmd_trust_add, "thêm chứng thư từ tệp .cer, .crt, .pem hoặc .p7b",
                       json_output=True)
    add.add_argument("files", metavar="FILE", nargs="+")
    leaf_command(group, "list", cmd_trust_list, "liệt kê chứng thư tin cậy", json_output=True)
    remove = leaf_command(group, "remove", cmd_trust_remove, "xóa một chứng thư khỏi danh sách tin cậy")
    remove.add_argument("id", metavar="ID", help="số của chứng thư (cột # của dirdesk trust list)")
