"""The office's keys for the signing tests: a test CA made with `cryptography`, the office's certificate
from it (valid or expired), as a .p12 file and on a SoftHSM2 token initialised here; blue signature and red
seal PNGs drawn with Pillow."""

from __future__ import annotations

import datetime as dt
import io
import os
import shutil
import subprocess
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID
from PIL import Image, ImageDraw

SOFTHSM_LIBS = ("/usr/lib/softhsm/libsofthsm2.so", "/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so",
                "/usr/lib/aarch64-linux-gnu/softhsm/libsofthsm2.so")
PIN, SO_PIN, TOKEN = "123456", "12345678", "VAN THU"
OFFICE_CN = "UBND PHƯỜNG BẾN NGHÉ"


def _name(cn: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, cn),
                      x509.NameAttribute(NameOID.COUNTRY_NAME, "VN")])


@cache
def test_ca():
    """(certificate, key) of a root CA no one trusts but the tests."""
    key = ec.generate_private_key(ec.SECP256R1())
    now = dt.datetime.now(dt.UTC)
    name = _name("DirDesk Test Root CA")
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(days=30)).not_valid_after(now + dt.timedelta(days=3650))
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .add_extension(x509.KeyUsage(digital_signature=False, content_commitment=False, key_encipherment=False,
                                         data_encipherment=False, key_agreement=False, key_cert_sign=True,
                                         crl_sign=True, encipher_only=False, decipher_only=False), critical=True)
            .sign(key, hashes.SHA256()))
    return cert, key


@cache
def office_certificate(expired: bool = False):
    """(certificate, key) of the office, issued by the test CA; `expired`: its validity ended yesterday."""
    ca_cert, ca_key = test_ca()
    key = ec.generate_private_key(ec.SECP256R1())
    now = dt.datetime.now(dt.UTC)
    start, end = (now - dt.timedelta(days=400), now - dt.timedelta(days=1)) if expired else \
        (now - dt.timedelta(days=1), now + dt.timedelta(days=365))
    cert = (x509.CertificateBuilder().subject_name(_name(OFFICE_CN)).issuer_name(ca_cert.subject)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(start).not_valid_after(end)
            .add_extension(x509.KeyUsage(digital_signature=True, content_commitment=True, key_encipherment=False,
                                         data_encipherment=False, key_agreement=False, key_cert_sign=False,
                                         crl_sign=False, encipher_only=False, decipher_only=False), critical=True)
            .sign(ca_key, hashes.SHA256()))
    return cert, key


def asn1_root():
    from asn1crypto import x509 as asn1_x509

    return asn1_x509.Certificate.load(test_ca()[0].public_bytes(serialization.Encoding.DER))


def write_p12(path: Path, password: str = "mật khẩu", expired: bool = False) -> Path:
    cert, key = office_certificate(expired)
    data = pkcs12.serialize_key_and_certificates(b"office", key, cert, [test_ca()[0]],
                                                 serialization.BestAvailableEncryption(password.encode()))
    path.write_bytes(data)
    return path


def softhsm_library() -> str | None:
    if not shutil.which("softhsm2-util"):
        return None
    return next((lib for lib in SOFTHSM_LIBS if Path(lib).is_file()), None)


@dataclass(frozen=True)
class Token:
    library: str
    label: str
    pin: str


_TOKENS: list[Token] = []


def init_token(folder: Path) -> Token:
    """A SoftHSM2 token in `folder` holding the office's key and certificate (SOFTHSM2_CONF is set for the
    process: the library reads it once, when first loaded, so the process's first token is the only one:
    a second call gives it back rather than add a second certificate with the same ID to it)."""
    if _TOKENS:
        return _TOKENS[0]
    import pkcs11
    from pkcs11 import Attribute, CertificateType, ObjectClass

    library = softhsm_library()
    (folder / "tokens").mkdir(parents=True, exist_ok=True)
    conf = folder / "softhsm2.conf"
    conf.write_text(f"directories.tokendir = {folder / 'tokens'}\nobjectstore.backend = file\nlog.level = ERROR\n")
    os.environ["SOFTHSM2_CONF"] = str(conf)
    subprocess.run(["softhsm2-util", "--init-token", "--free", "--label", TOKEN, "--pin", PIN, "--so-pin", SO_PIN],
                   check=True, capture_output=True)
    cert, key = office_certificate()
    key_file = folder / "key.pem"
    key_file.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    subprocess.run(["softhsm2-util", "--import", str(key_file), "--token", TOKEN, "--label", "office", "--id", "01",
                    "--pin", PIN], check=True, capture_output=True)
    key_file.unlink()
    with pkcs11.lib(library).get_token(token_label=TOKEN).open(rw=True, user_pin=PIN) as session:
        session.create_object({
            Attribute.CLASS: ObjectClass.CERTIFICATE, Attribute.CERTIFICATE_TYPE: CertificateType.X_509,
            Attribute.TOKEN: True, Attribute.LABEL: "office", Attribute.ID: b"\x01",
            Attribute.SUBJECT: cert.subject.public_bytes(),
            Attribute.VALUE: cert.public_bytes(serialization.Encoding.DER),
        })
    _TOKENS.append(Token(library, TOKEN, PIN))
    return _TOKENS[0]


def png(image: Image.Image, dpi: int | None = None) -> bytes:
    out = io.BytesIO()
    image.save(out, "PNG", **({"dpi": (dpi, dpi)} if dpi else {}))
    return out.getvalue()


SEAL_DPI, SEAL_PX = 300, 425  # 425 px at 300 dpi: a 36 mm seal


def seal_png(opaque: bool = False) -> bytes:
    """A red round seal, its background transparent (or white: `opaque`)."""
    image = Image.new("RGBA" if not opaque else "RGB", (SEAL_PX, SEAL_PX), (0, 0, 0, 0) if not opaque else "white")
    draw = ImageDraw.Draw(image)
    draw.ellipse((4, 4, SEAL_PX - 4, SEAL_PX - 4), outline=(220, 0, 0), width=16)
    draw.ellipse((70, 70, SEAL_PX - 70, SEAL_PX - 70), outline=(220, 0, 0), width=6)
    draw.regular_polygon((SEAL_PX / 2, SEAL_PX / 2, 40), 5, fill=(220, 0, 0))
    return png(image, SEAL_DPI)


def signature_png() -> bytes:
    """A blue stroke of a signature, 3:1, on a transparent background."""
    image = Image.new("RGBA", (600, 200), (0, 0, 0, 0))
    ImageDraw.Draw(image).line([(10, 150), (150, 30), (260, 170), (400, 40), (590, 110)], fill=(0, 40, 200),
                               width=12)
    return png(image)
