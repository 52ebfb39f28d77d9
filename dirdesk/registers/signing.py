"""The office's digital signature on an issued outgoing document, kept with its register row.

The signed PDF is stored beside the unsigned one (outgoing.signed_pdf_sha256), with who signed (the
certificate's subject) and when. A row signed once is not signed again: the signed file is never rewritten
(a later step, a timestamp or validation data, would append an incremental update to it). The signature and
seal images come from the profile (per signer and per office), or are given and then kept there.

The key is opened and the PDF signed outside the register's write lock (a USB token may take seconds); the
row is checked again and written in one transaction. Any failure before it leaves the register as it was.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterator
from dataclasses import dataclass

from dirdesk.draft import draft_from_dict
from dirdesk.registers.attachments import read_attachment, store_bytes
from dirdesk.registers.audit import get_row, update_row
from dirdesk.registers.database import Registry
from dirdesk.registers.errors import RegisterError
from dirdesk.registers.outgoing import describe, find
from dirdesk.registers.profile import load_profile, write_profile_values
from dirdesk.signing.errors import SigningProblem
from dirdesk.signing.images import CheckedImage, check_image, seal_diameter_mm
from dirdesk.signing.keys import KeySource, open_signer


class SigningRefused(RegisterError):
    """Signing was refused or failed (wrong PIN, no token, expired certificate, a bad image…); nothing was
    written. A RegisterError: the window and the command line say it as the core's own refusal."""


@contextlib.contextmanager
def _refusals() -> Iterator[None]:
    try:
        yield
    except SigningProblem as exc:
        raise SigningRefused(str(exc)) from None


@dataclass(frozen=True)
class Images:
    signature: CheckedImage | None
    seal: CheckedImage | None
    seal_mm: float | None


def save_seal(reg: Registry, data: bytes, diameter_mm: float | None = None) -> dict:
    """Keep the office's seal image (checked) in the profile."""
    with _refusals():
        seal_diameter_mm(check_image(data, "seal"), diameter_mm)
    with reg.transaction():
        _keep_seal(reg, data, diameter_mm)
    return load_profile(reg).seal


def save_signature(reg: Registry, signer: str, data: bytes) -> dict:
    """Keep a signer's signature image (checked) in the profile, under the signer's name."""
    with _refusals():
        check_image(data, "signature")
    if not signer.strip():
        raise RegisterError("Cần họ tên người ký để lưu ảnh chữ ký.")
    with reg.transaction():
        _keep_signature(reg, signer.strip(), data)
    return load_profile(reg).signature_images


def _keep_seal(reg: Registry, data: bytes, diameter_mm: float | None) -> None:
    write_profile_values(reg, {"seal": {"sha256": store_bytes(reg, data, ".png"), "diameter_mm": diameter_mm}})


def _keep_signature(reg: Registry, signer: str, data: bytes) -> None:
    images = dict(load_profile(reg).signature_images, **{signer: store_bytes(reg, data, ".png")})
    write_profile_values(reg, {"signature_images": images})


def _images(reg: Registry, signer: str, signature: bytes | None, seal: bytes | None) -> Images:
    profile = load_profile(reg)
    if signature is None and profile.signature_images.get(signer):
        signature = read_attachment(reg, profile.signature_images[signer])
    seal_mm = profile.seal.get("diameter_mm") if profile.seal else None
    if seal is None and profile.seal.get("sha256"):
        seal = read_attachment(reg, profile.seal["sha256"])
    return Images(check_image(signature, "signature") if signature is not None else None,
                  check_image(seal, "seal") if seal is not None else None, seal_mm)


def _signable(row: dict) -> None:
    if row["status"] != "issued" or row.get("deleted_at"):
        raise RegisterError(f"Chỉ ký số được văn bản đã ban hành: {describe(row)}.")
    if not row.get("pdf_sha256") or not row.get("draft_json"):
        raise RegisterError(f"{describe(row)} không có bản PDF do DirDesk ban hành để ký số.")
    if row.get("signed_pdf_sha256"):
        raise RegisterError(f"{describe(row)} đã được ký số ({row['signed_by']}, lúc {row['signed_at']}); "
                            "tệp đã ký không được ghi lại.")


def sign_outgoing(reg: Registry, ref: str, source: KeySource, secret: str, *, signature: bytes | None = None,
                  seal: bytes | None = None, year: int | None = None) -> dict:
    """Sign the issued PDF of outgoing `ref` with the office's key; keep it with the row. Returns the row.
    Images given are checked, used, and kept in the profile; else the profile's are used."""
    from dirdesk.layout import build_layout
    from dirdesk.signing.sign import sign_issued_pdf

    row = find(reg, ref, year=year)
    _signable(row)
    draft = draft_from_dict(json.loads(row["draft_json"]))
    pdf = read_attachment(reg, row["pdf_sha256"])
    with _refusals():
        images = _images(reg, draft.signer.name or "", signature, seal)
        with open_signer(source, secret) as signer:
            signed = sign_issued_pdf(pdf, build_layout(draft), signer, office=draft.issuer.name,
                                     place_name=draft.place, signature=images.signature, seal=images.seal,
                                     seal_mm=images.seal_mm)
    with reg.transaction():
        current = get_row(reg, "outgoing", row["id"])
        _signable(current)
        sha = store_bytes(reg, signed.pdf, ".pdf")
        if seal is not None:
            _keep_seal(reg, seal, images.seal_mm)
        if signature is not None and draft.signer.name:
            _keep_signature(reg, draft.signer.name, signature)
        return update_row(reg, "outgoing", row["id"], {"signed_pdf_sha256": sha, "signed_by": signed.signer,
                                                      "signed_at": signed.at.isoformat()}, action="sign")


@contextlib.contextmanager
def signing_copies(reg: Registry, source: KeySource, secret: str, kind: str) -> Iterator:
    """The `sign` hook of copies.make_copy for an electronic copy: the copying office's signature at the
    top right of page 1 (NĐ 30 Phụ lục I Phần II I.3, ô 14). The key is opened first, so a wrong PIN or a
    missing token refuses before a number is taken; a failure while signing rolls the copy back."""
    from dirdesk.layout.copy_block import kind_of
    from dirdesk.signing.sign import sign_copy_pdf

    profile = load_profile(reg)
    office = (profile.issuer or {}).get("name") or ""
    name = kind_of(kind)["name"]
    with _refusals(), open_signer(source, secret) as signer:
        yield lambda data: sign_copy_pdf(data, signer, kind_name=name, office=office,
                                         place_name=profile.place or "").pdf


def make_signed_copy(reg: Registry, source: KeySource, secret: str, where: str, ref: str, kind: str, **options):
    """An electronic copy: copies.make_copy with the office's signature (signing_copies)."""
    from dirdesk.registers import copies

    with signing_copies(reg, source, secret, kind) as sign:
        return copies.make_copy(reg, where, ref, kind, sign=sign, **options)


__all__ = ["KeySource", "SigningRefused", "make_signed_copy", "save_seal", "save_signature", "sign_outgoing",
           "signing_copies"]
