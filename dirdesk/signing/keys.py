"""The office's signing key: from a .p12/.pfx file (with its password) or a PKCS#11 token (a USB token's
driver library, the token's label if there are several, its PIN). The PIN or password is used for this one
signing and never stored. Every failure is a SigningProblem with a Vietnamese message."""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from dirdesk.signing.errors import SigningProblem


@dataclass(frozen=True)
class KeySource:
    """Where the key is: `p12` (a file) or `pkcs11` (the driver library's path) with an optional token label."""

    p12: Path | None = None
    pkcs11: str | None = None
    token: str | None = None

    def __post_init__(self):
        if (self.p12 is None) == (self.pkcs11 is None):
            raise SigningProblem("Chọn một nguồn khóa ký: tệp .p12/.pfx hoặc thư viện PKCS#11 của USB token.")


def _p12_signer(path: Path, password: str):
    from asn1crypto import keys as asn1_keys
    from asn1crypto import x509 as asn1_x509
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.serialization import pkcs12
    from pyhanko.sign import signers
    from pyhanko_certvalidator.registry import SimpleCertificateStore

    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise SigningProblem(f"Không đọc được tệp chứng thư số {path}: {exc.strerror or exc}.") from None
    try:
        key, cert, extra = pkcs12.load_key_and_certificates(data, password.encode("utf-8"))
    except ValueError:
        raise SigningProblem(f"Mật khẩu của tệp {Path(path).name} không đúng, hoặc tệp không phải .p12/.pfx.") from None
    if key is None or cert is None:
        raise SigningProblem(f"Tệp {Path(path).name} không có khóa ký và chứng thư số.")
    der = key.private_bytes(serialization.Encoding.DER, serialization.PrivateFormat.PKCS8,
                            serialization.NoEncryption())
    certs = [asn1_x509.Certificate.load(c.public_bytes(serialization.Encoding.DER)) for c in [cert, *extra]]
    return signers.SimpleSigner(signing_cert=certs[0], signing_key=asn1_keys.PrivateKeyInfo.load(der),
                                cert_registry=SimpleCertificateStore.from_certs(certs))


@contextlib.contextmanager
def _pkcs11_signer(library: str, token: str | None, pin: str) -> Iterator:
    import pkcs11
    from pkcs11 import Attribute, ObjectClass
    from pyhanko.sign.pkcs11 import PKCS11Signer, TokenCriteria, open_pkcs11_session

    if not Path(library).is_file():
        raise SigningProblem(f"Không có thư viện PKCS#11 {library}: hãy cài trình điều khiển của USB token và "
                             "chọn lại tệp thư viện trong Cài đặt.")
    try:
        session = open_pkcs11_session(library, token_criteria=TokenCriteria(label=token) if token else None,
                                      user_pin=pin)
    except pkcs11.exceptions.PinIncorrect:
        raise SigningProblem("Mã PIN của USB token không đúng (token có thể bị khóa nếu nhập sai nhiều lần).") \
            from None
    except pkcs11.exceptions.PinLocked:
        raise SigningProblem("USB token đã bị khóa vì nhập sai mã PIN nhiều lần.") from None
    except (pkcs11.PKCS11Error, RuntimeError, OSError):
        which = f" có nhãn «{token}»" if token else ""
        raise SigningProblem(f"Không thấy USB token{which}: hãy cắm token (và xem lại nhãn token) rồi thử lại.") \
            from None
    try:
        keys = list(session.get_objects({Attribute.CLASS: ObjectClass.PRIVATE_KEY}))
        if not keys:
            raise SigningProblem("USB token không có khóa ký.")
        key_id = keys[0][Attribute.ID]
        # An EC key signs the digest pyHanko computes (CKM_ECDSA): tokens (SoftHSM2 among them) often lack
        # the combined CKM_ECDSA_SHA256.
        raw = keys[0][Attribute.KEY_TYPE] == pkcs11.KeyType.EC
        yield PKCS11Signer(session, key_id=key_id, cert_id=key_id, use_raw_mechanism=raw)
    finally:
        session.close()


def check_validity(cert, now: dt.datetime | None = None) -> None:
    """An expired certificate, or one not valid yet, cannot sign."""
    now = now or dt.datetime.now(dt.UTC)
    valid = cert["tbs_certificate"]["validity"]
    start, end = valid["not_before"].native, valid["not_after"].native
    if now > end:
        raise SigningProblem(f"Chứng thư số của {subject_of(cert)} đã hết hạn ngày {end:%d/%m/%Y}: "
                             "không ký được; hãy gia hạn chứng thư với nhà cung cấp.")
    if now < start:
        raise SigningProblem(f"Chứng thư số của {subject_of(cert)} chỉ có hiệu lực từ ngày {start:%d/%m/%Y}.")


def subject_of(cert) -> str:
    """The certificate's subject as the register shows it: its common name, else the whole name."""
    subject = cert.subject.native
    return subject.get("common_name") or cert.subject.human_friendly


@contextlib.contextmanager
def open_signer(source: KeySource, secret: str) -> Iterator:
    """pyHanko's signer for `source`, unlocked with `secret` (PIN or password), its certificate checked."""
    if source.p12 is not None:
        signer = _p12_signer(source.p12, secret)
        check_validity(signer.signing_cert)
        yield signer
        return
    with _pkcs11_signer(source.pkcs11, source.token, secret) as signer:
        try:
            cert = signer.signing_cert
        except Exception as exc:  # pyHanko raises its own or python-pkcs11's errors here
            raise SigningProblem(f"USB token không có chứng thư số đi kèm khóa ký ({exc}).") from None
        check_validity(cert)
        yield signer
