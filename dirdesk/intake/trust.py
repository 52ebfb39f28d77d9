"""Trusted certificates and the offline trust verdict on a received signature.

The clerk adds the certificates of the CAs the office trusts, as they are published: the root CA
of the Ban Cơ yếu Chính phủ (chữ ký số chuyên dùng Chính phủ), the Bộ TT&TT's national root and the
public CAs under it, each as a .cer/.crt (DER or PEM) or a .p7b bundle (PKCS#7, DER or PEM) that may
hold a root and its intermediates together. A self-signed certificate added is a trust anchor; any
other is an intermediate that only helps to build the chain: a signature is trusted when its chain
reaches an anchor.

Offline, DirDesk checks the chain and the validity dates; it cannot ask the CA whether a certificate
was revoked (CRL/OCSP need the network), and every verdict says so.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field

from dirdesk.intake.source import IntakeError
from dirdesk.text import one_line

NO_REVOCATION = "chưa kiểm tra được chứng thư có bị thu hồi hay không vì máy không nối mạng"
_VN = dt.timezone(dt.timedelta(hours=7))  # as signatures.VIETNAM, which imports this module
MAX_CERT_FILE = 4 * 1024 * 1024  # a .p7b of a whole CA hierarchy is a few tens of kB


@dataclass
class Trust:
    """The certificates a check may use: `anchors` (trusted roots), `intermediates` (chain builders)."""

    anchors: list = field(default_factory=list)
    intermediates: list = field(default_factory=list)

    @classmethod
    def of(cls, certificates: list) -> Trust:
        trust = cls()
        for cert in certificates:
            (trust.anchors if is_self_signed(cert) else trust.intermediates).append(cert)
        return trust


def load_certificates(data: bytes, name: str = "tệp") -> list:
    """The certificates in a .cer/.crt/.pem (DER or PEM, one or more) or .p7b (PKCS#7, DER or PEM) file,
    as asn1crypto certificates. Raises IntakeError (Vietnamese) when the file holds none."""
    from asn1crypto import x509 as asn1_x509  # lazy: see signatures.read_signatures
    from cryptography import x509
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.serialization import pkcs7

    if len(data) > MAX_CERT_FILE:
        raise IntakeError(f"{name}: tệp quá lớn để là chứng thư số.")
    loaders = (x509.load_pem_x509_certificates, pkcs7.load_pem_pkcs7_certificates,
               lambda d: [x509.load_der_x509_certificate(d)], pkcs7.load_der_pkcs7_certificates)
    for loader in loaders:
        try:
            found = loader(data)
        except Exception:  # not this encoding: try the next
            continue
        if found:
            return [asn1_x509.Certificate.load(c.public_bytes(serialization.Encoding.DER)) for c in found]
    raise IntakeError(f"{name}: không đọc được chứng thư số (cần tệp .cer, .crt, .pem hoặc .p7b).")


def fingerprint(cert) -> str:
    return hashlib.sha256(cert.dump()).hexdigest()


def is_self_signed(cert) -> bool:
    return cert.subject == cert.issuer


def name_of(name) -> str:
    """A certificate name as the clerk reads it: its common name, else the whole name (NFC)."""
    native = name.native
    value = native.get("common_name") or name.human_friendly
    if isinstance(value, (list, tuple)):
        value = ", ".join(str(v) for v in value)
    return one_line(str(value))


def _utc(when: dt.datetime) -> dt.datetime:
    return when if when.tzinfo else when.replace(tzinfo=dt.UTC)


def validity(cert) -> tuple[dt.datetime, dt.datetime]:
    v = cert["tbs_certificate"]["validity"]
    return _utc(v["not_before"].native), _utc(v["not_after"].native)


def describe(cert) -> dict:
    """What the Cài đặt list and `dirdesk trust list` show of a certificate."""
    start, end = validity(cert)
    organisation = cert.subject.native.get("organization_name")
    return {"subject": name_of(cert.subject), "organisation": one_line(str(organisation)) if organisation else None,
            "issuer": name_of(cert.issuer), "not_before": start.date().isoformat(),
            "not_after": end.date().isoformat(), "root": is_self_signed(cert), "sha256": fingerprint(cert)}


def describe_line(info: dict) -> str:
    """One Vietnamese line: "Tên — cấp bởi X — hiệu lực 01/01/2025 đến 01/01/2030 (gốc)"."""
    def day(iso: str) -> str:
        return dt.date.fromisoformat(iso).strftime("%d/%m/%Y")

    kind = "chứng thư gốc" if info["root"] else f"cấp bởi {info['issuer']}"
    return f"{info['subject']} — {kind} — hiệu lực từ {day(info['not_before'])} đến {day(info['not_after'])}"


def expiry_problem(cert, when: dt.datetime | None) -> str | None:
    """Why the signer's certificate was not valid at the signing time (`when`, else now), or None."""
    if cert is None:
        return None
    start, end = validity(cert)
    at = _utc(when) if when else dt.datetime.now(dt.UTC)
    if at > end:
        return f"chứng thư số của người ký đã hết hạn khi ký, hết hạn ngày {end.astimezone(_VN):%d/%m/%Y}"
    if at < start:
        return f"chứng thư số của người ký chưa có hiệu lực khi ký, có hiệu lực từ {start.astimezone(_VN):%d/%m/%Y}"
    return None


def chain_problem(cert, carried: list, trust: Trust) -> str | None:
    """Why the chain of `cert` (with the certificates the signature carries) does not reach a trusted
    root, naming the missing issuer; None when it reaches one."""
    anchors = {fingerprint(c) for c in trust.anchors}
    pool = list(trust.anchors) + list(trust.intermediates) + list(carried)
    seen: set[str] = set()
    current = cert
    while fingerprint(current) not in seen:
        if fingerprint(current) in anchors:
            return None
        seen.add(fingerprint(current))
        if is_self_signed(current):
            return f"chứng thư gốc «{name_of(current.subject)}» chưa có trong danh sách chứng thư tin cậy"
        issuer = next((c for c in pool if c.subject == current.issuer and fingerprint(c) not in seen), None)
        if issuer is None:
            return f"thiếu chứng thư của tổ chức cấp «{name_of(current.issuer)}» trong danh sách chứng thư tin cậy"
        current = issuer
    return "chuỗi chứng thư số bị vòng lặp"


def verdict(cert, carried: list, when: dt.datetime | None, trust: Trust | None,
            chain_ok: bool) -> tuple[bool | None, str | None]:
    """(`trusted`, why not) of a signer's certificate: None with no trusted certificate; `chain_ok` is
    pyHanko's path validation at the signing time. The expiry is told even without a trust list."""
    expired = expiry_problem(cert, when)
    if trust is None or not (trust.anchors or trust.intermediates):
        return None, expired
    if chain_ok and not expired:
        return True, None
    why = expired or (chain_problem(cert, carried, trust) if cert is not None else None)
    return False, why or "chuỗi chứng thư số không hợp lệ (sai mục đích sử dụng hoặc chữ ký của tổ chức cấp không khớp)"
