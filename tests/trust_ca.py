"""A test CA made in the tests, offline: a root, an intermediate under it and signers under that, as a
Vietnamese CA's hierarchy (Root CA → a licensed CA → the office's certificate); the certificate files in
the shapes CAs publish them (.cer DER, .crt PEM, .p7b bundle); PDFs signed with them."""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from functools import cache

from asn1crypto import keys as asn1_keys
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import pkcs7
from cryptography.x509.oid import NameOID
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import signers
from pyhanko_certvalidator.registry import SimpleCertificateStore

NOW = dt.datetime.now(dt.UTC)


@dataclass(frozen=True)
class Issued:
    cert: x509.Certificate
    key: ec.EllipticCurvePrivateKey

    @property
    def asn1(self):
        return asn1_x509.Certificate.load(self.cert.public_bytes(serialization.Encoding.DER))

    def der(self) -> bytes:
        return self.cert.public_bytes(serialization.Encoding.DER)

    def pem(self) -> bytes:
        return self.cert.public_bytes(serialization.Encoding.PEM)


def _name(common_name: str, organisation: str | None = None) -> x509.Name:
    parts = [x509.NameAttribute(NameOID.COMMON_NAME, common_name)]
    if organisation:
        parts.append(x509.NameAttribute(NameOID.ORGANIZATION_NAME, organisation))
    return x509.Name(parts)


def issue(common_name: str, issuer: Issued | None = None, *, ca: bool = False, organisation: str | None = None,
          start: dt.datetime | None = None, end: dt.datetime | None = None) -> Issued:
    """A certificate of `common_name` signed by `issuer` (self-signed without one)."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = _name(common_name, organisation)
    usage = x509.KeyUsage(digital_signature=not ca, content_commitment=not ca, key_encipherment=False,
                          data_encipherment=False, key_agreement=False, key_cert_sign=ca, crl_sign=ca,
                          encipher_only=False, decipher_only=False)
    builder = (x509.CertificateBuilder().subject_name(name)
               .issuer_name(issuer.cert.subject if issuer else name).public_key(key.public_key())
               .serial_number(x509.random_serial_number())
               .not_valid_before(start or NOW - dt.timedelta(days=30))
               .not_valid_after(end or NOW + dt.timedelta(days=3650))
               .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
               .add_extension(usage, critical=True)
               .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False))
    if issuer:
        builder = builder.add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer.key.public_key()), critical=False)
    return Issued(builder.sign(issuer.key if issuer else key, hashes.SHA256()), key)


@cache
def hierarchy() -> dict[str, Issued]:
    """root → intermediate → signer (valid now) and expired (its validity ended yesterday)."""
    root = issue("Test Root CA Việt Nam", ca=True, organisation="Ban Cơ yếu Thử nghiệm")
    inter = issue("Test CA Chuyên dùng", root, ca=True, organisation="Ban Cơ yếu Thử nghiệm")
    signer = issue("Ủy ban nhân dân phường Thử", inter, organisation="UBND phường Thử")
    expired = issue("Phường Hết Hạn", inter, start=NOW - dt.timedelta(days=400), end=NOW - dt.timedelta(days=1))
    other_root = issue("Root CA Khác", ca=True)
    return {"root": root, "intermediate": inter, "signer": signer, "expired": expired, "other_root": other_root}


def p7b(*issued: Issued, pem: bool = False) -> bytes:
    """A PKCS#7 certificate bundle, as CAs publish their chains."""
    encoding = serialization.Encoding.PEM if pem else serialization.Encoding.DER
    return pkcs7.serialize_certificates([i.cert for i in issued], encoding)


@cache
def forged() -> dict[str, Issued]:
    """A forger's copy of the hierarchy: the same names, other keys."""
    root = issue("Test Root CA Việt Nam", ca=True, organisation="Ban Cơ yếu Thử nghiệm")
    inter = issue("Test CA Chuyên dùng", root, ca=True, organisation="Ban Cơ yếu Thử nghiệm")
    return {"root": root, "intermediate": inter, "signer": issue("Ủy ban nhân dân phường Thử", inter)}


def sign_with(pdf: bytes, who: str = "signer", *, carry_chain: bool = False, field: str = "Signature1",
              ca: dict[str, Issued] | None = None) -> bytes:
    """`pdf` signed by the hierarchy's `who` (of `ca`, the test CA's by default); the signature carries
    the intermediate when `carry_chain`."""
    ca = ca or hierarchy()
    me = ca[who]
    key = asn1_keys.PrivateKeyInfo.load(me.key.private_bytes(
        serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
    carried = [me.asn1] + ([ca["intermediate"].asn1] if carry_chain else [])
    signer = signers.SimpleSigner(signing_cert=me.asn1, signing_key=key,
                                  cert_registry=SimpleCertificateStore.from_certs(carried))
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
    return signers.sign_pdf(writer, signers.PdfSignatureMetadata(field_name=field), signer=signer).getvalue()
