"""Signed PDFs made inside the tests, offline: a fixture draft rendered to PDF,
a self-signed certificate (like a CA's, but trusted by no one), pyHanko's signer."""

from __future__ import annotations

import datetime as dt
import io
from functools import cache

from asn1crypto import keys as asn1_keys
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import signers
from pyhanko_certvalidator.registry import SimpleCertificateStore

from dirdesk.layout import build_layout
from dirdesk.render import render_pdf_bytes
from tests.conftest import FIXTURES


@cache
def rendered_pdf(name: str = "seed-002") -> bytes:
    """A fixture draft (tests/fixtures/drafts/NAME.json) as the PDF DirDesk prints."""
    from dirdesk.draft import load_draft

    return render_pdf_bytes(build_layout(load_draft(FIXTURES / f"{name}.json")))


@cache
def certificate(common_name: str, organisation: str | None = None):
    """A self-signed signing certificate and its key, as asn1crypto objects."""
    key = ec.generate_private_key(ec.SECP256R1())
    attributes = [x509.NameAttribute(NameOID.COMMON_NAME, common_name)]
    if organisation:
        attributes.append(x509.NameAttribute(NameOID.ORGANIZATION_NAME, organisation))
    name = x509.Name(attributes)
    now = dt.datetime.now(dt.UTC)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(days=1)).not_valid_after(now + dt.timedelta(days=365))
            .add_extension(x509.KeyUsage(digital_signature=True, content_commitment=True, key_encipherment=False,
                                         data_encipherment=False, key_agreement=False, key_cert_sign=False,
                                         crl_sign=False, encipher_only=False, decipher_only=False), critical=True)
            .sign(key, hashes.SHA256()))
    der_key = key.private_bytes(serialization.Encoding.DER, serialization.PrivateFormat.PKCS8,
                                serialization.NoEncryption())
    return (asn1_x509.Certificate.load(cert.public_bytes(serialization.Encoding.DER)),
            asn1_keys.PrivateKeyInfo.load(der_key))


def sign(pdf: bytes, common_name: str = "NGUYEN VAN A", organisation: str | None = "Co quan Tinh uy",
         field: str = "Signature1") -> bytes:
    """`pdf` signed (an incremental update) with a certificate of `common_name`."""
    cert, key = certificate(common_name, organisation)
    signer = signers.SimpleSigner(signing_cert=cert, signing_key=key,
                                  cert_registry=SimpleCertificateStore.from_certs([cert]))
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
    return signers.sign_pdf(writer, signers.PdfSignatureMetadata(field_name=field), signer=signer).getvalue()


def append_page_content(pdf: bytes) -> bytes:
    """An incremental update that draws new text on page 1 (what a forger appends after signing)."""
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
    stream = writer.add_object(generic.StreamObject(stream_data=b"BT /F1 24 Tf 100 100 Td (DA SUA) Tj ET"))
    writer.add_stream_to_page(0, stream)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def flip_signed_byte(pdf: bytes) -> bytes:
    """`pdf` with one byte changed inside the range the (first) signature covers."""
    (signature,) = PdfFileReader(io.BytesIO(pdf)).embedded_signatures[:1]
    at = pdf.index(b"stream", signature.byte_range[0]) + 40  # inside the first stream's data
    assert at < signature.byte_range[1]
    data = bytearray(pdf)
    data[at] ^= 0x01
    return bytes(data)


def break_signature_contents(pdf: bytes) -> bytes:
    """`pdf` with the signature's CMS blob (/Contents) overwritten: no longer a signature at all."""
    (signature,) = PdfFileReader(io.BytesIO(pdf)).embedded_signatures[:1]
    offset = signature.byte_range[1] + 1  # just after the '<' of the hex string
    data = bytearray(pdf)
    data[offset:offset + 16] = b"0" * 16
    return bytes(data)
