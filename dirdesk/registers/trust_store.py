"""The office's trusted certificates, kept in the register (table `trusted_certs`, schema v5).

The clerk adds the published certificates of the CAs the office trusts (Cài đặt, or `dirdesk trust
add`); a received signature is then checked against them (intake/trust.py). Adding and removing are
written to the audit log, under the table name `trusted_certs`.
"""

from __future__ import annotations

from dirdesk.intake.source import IntakeError
from dirdesk.intake.trust import Trust, describe, is_self_signed, load_certificates, name_of
from dirdesk.registers.audit import log_change
from dirdesk.registers.database import Registry, now_text
from dirdesk.registers.errors import RegisterError

TABLE = "trusted_certs"
SHOWN = ("id", "subject", "issuer", "not_before", "not_after", "is_root", "sha256", "added_at")


def add_file(reg: Registry, data: bytes, name: str = "tệp") -> list[dict]:
    """Add every certificate in a .cer/.crt/.pem/.p7b file, in one transaction; returns the rows added (a
    certificate already in the list is not added twice). IntakeError, nothing added, when the file holds
    no certificate or a signer's certificate (only a CA's is trusted: a root or an intermediate)."""
    certificates = load_certificates(data, name)
    for cert in certificates:
        if not (cert.ca or is_self_signed(cert)):
            raise IntakeError(f"{name}: «{name_of(cert.subject)}» là chứng thư của người ký, không phải của tổ chức "
                              "chứng thực; hãy thêm chứng thư gốc (và trung gian) của tổ chức đã cấp nó.")
    added = []
    with reg.transaction():
        for cert in certificates:
            info = describe(cert)
            if reg.one(f"SELECT id FROM {TABLE} WHERE sha256 = ?", [info["sha256"]]):
                continue
            values = {"sha256": info["sha256"], "der": cert.dump(), "subject": info["subject"],
                      "issuer": info["issuer"], "not_before": info["not_before"], "not_after": info["not_after"],
                      "is_root": int(info["root"]), "added_at": now_text()}
            row_id = reg.db[TABLE].insert(values).last_pk
            row = _row(reg, row_id)
            log_change(reg, TABLE, row_id, "insert", None, row)
            added.append(row)
    return added


def _row(reg: Registry, row_id: int) -> dict | None:
    return reg.one(f"SELECT {', '.join(SHOWN)} FROM {TABLE} WHERE id = ?", [row_id])


def list_all(reg: Registry) -> list[dict]:
    """The trusted certificates, roots first, then by name."""
    return reg.query(f"SELECT {', '.join(SHOWN)} FROM {TABLE} ORDER BY is_root DESC, subject, id")


def remove(reg: Registry, row_id: int) -> dict:
    """Take a certificate off the list; returns the row removed."""
    with reg.transaction():
        row = _row(reg, row_id)
        if row is None:
            raise RegisterError(f"Không có chứng thư tin cậy số {row_id} trong danh sách.")
        reg.db.execute(f"DELETE FROM {TABLE} WHERE id = ?", [row_id])
        log_change(reg, TABLE, row_id, "delete", row, None)
    return row


def trust_of(reg: Registry) -> Trust | None:
    """What a signature check uses: the listed certificates, or None when the list is empty (then a
    signature's trust is "not checked", not "untrusted")."""
    from asn1crypto import x509 as asn1_x509  # lazy: as intake/trust.py

    rows = reg.query(f"SELECT der FROM {TABLE} ORDER BY id")
    if not rows:
        return None
    return Trust.of([asn1_x509.Certificate.load(bytes(r["der"])) for r in rows])
