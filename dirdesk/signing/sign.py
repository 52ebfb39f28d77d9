"""Sign an issued PDF with the office's key: PAdES B-B, offline, as an incremental update.

No timestamp server is asked (the office's machine works offline), and the signature's details say so. The
`timestamper` and `validation_context` parameters are where PAdES B-T (a timestamp) and B-LT (validation
data embedded) come in when a network is available; they are None now.
"""

from __future__ import annotations

import datetime as dt
import io
import tempfile
from dataclasses import dataclass
from pathlib import Path

from dirdesk.layout.model import LaidOutDocument
from dirdesk.rules import MM
from dirdesk.signing.appearance import appearance_pdf
from dirdesk.signing.errors import SigningProblem
from dirdesk.signing.images import CheckedImage, seal_diameter_mm
from dirdesk.signing.keys import subject_of
from dirdesk.signing.placement import Placement, Rect, place
from dirdesk.signing.rules import signing_rules

FIELD_NAME = "ChuKySoCoQuan"
OFFLINE_NOTE = "Ký số ngoại tuyến, không có dấu thời gian của máy chủ (PAdES B-B)"


@dataclass(frozen=True)
class Signed:
    pdf: bytes
    signer: str  # the certificate's subject
    at: dt.datetime  # the time written in the stamp, Vietnam time


def vietnam_now() -> dt.datetime:
    hours = signing_rules()["stamp_text"]["timezone_hours"]
    return dt.datetime.now(dt.timezone(dt.timedelta(hours=hours))).replace(microsecond=0)


def stamp_lines(office: str, at: dt.datetime) -> list[str]:
    """The stamp text (NĐ 30 Phụ lục I II.8.b): the office, the time of signing in ISO 8601."""
    return [office, f"Thời gian ký: {at.isoformat()}"]


def sign_issued_pdf(pdf: bytes, doc: LaidOutDocument, signer, *, office: str, place_name: str,
                    signature: CheckedImage | None = None, seal: CheckedImage | None = None,
                    seal_mm: float | None = None, timestamper=None, validation_context=None) -> Signed:
    """`pdf` (the issued PDF of `doc`) signed by `signer`, its appearance in the sign space."""
    office = " ".join(office.split())  # "ỦY BAN NHÂN DÂN\nPHƯỜNG …" on one line
    placement = place(doc, signature.aspect if signature else None,
                      seal_diameter_mm(seal, seal_mm) if seal else None)
    at = vietnam_now()
    look = appearance_pdf(placement, stamp_lines(office, at), signature, seal)
    return _sign(pdf, signer, placement.page, placement.field, look, at,
                 reason=f"Ký số của cơ quan: {office}. {OFFLINE_NOTE}.", place_name=place_name,
                 timestamper=timestamper, validation_context=validation_context)


def sign_copy_pdf(pdf: bytes, signer, *, kind_name: str, office: str, place_name: str,
                  timestamper=None, validation_context=None) -> Signed:
    """An electronic copy (bản sao định dạng điện tử) signed by the copying office: NĐ 30 Phụ lục I Phần II
    mục I.3 (05-HD Phần II III.3.2, ô 14): top right of page 1, no image, the text "hình thức sao, tên cơ
    quan, tổ chức sao văn bản, thời gian ký (ISO 8601)" in Times New Roman 10, upright, black."""
    from pypdf import PdfReader

    office = " ".join(office.split())
    box = signing_rules()["copy_stamp"]
    page = PdfReader(io.BytesIO(pdf)).pages[0]
    width, height = float(page.mediabox.width), float(page.mediabox.height)
    x1 = width - box["right_mm"] * MM
    y1 = height - box["top_mm"] * MM
    field = Rect(x1 - box["width_mm"] * MM, y1 - box["height_mm"] * MM, x1, y1)
    at = vietnam_now()
    lines = [kind_name[:1].upper() + kind_name[1:], office, f"Thời gian ký: {at.isoformat()}"]
    look = appearance_pdf(Placement(0, field, field, None, field), lines, None, None)
    return _sign(pdf, signer, 0, field, look, at,
                 reason=f"Ký số bản sao của cơ quan: {office}. {OFFLINE_NOTE}.", place_name=place_name,
                 timestamper=timestamper, validation_context=validation_context)


def _sign(pdf: bytes, signer, page: int, field, look: bytes, at: dt.datetime, *, reason: str, place_name: str,
          timestamper, validation_context) -> Signed:
    """`pdf` signed by `signer` in a new visible field `field` on `page`, `look` its appearance (one PDF page)."""
    import pkcs11
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers
    from pyhanko.sign.general import SigningError
    from pyhanko.stamp import StaticStampStyle

    meta = signers.PdfSignatureMetadata(
        field_name=FIELD_NAME, subfilter=fields.SigSeedSubFilter.PADES, md_algorithm="sha256",
        reason=reason, location=place_name,
        embed_validation_info=validation_context is not None, validation_context=validation_context)
    spec = fields.SigFieldSpec(FIELD_NAME, on_page=page, box=(field.x0, field.y0, field.x1, field.y1))
    with tempfile.TemporaryDirectory(prefix="dirdesk-sign-") as folder:
        look_path = Path(folder) / "appearance.pdf"
        look_path.write_bytes(look)
        style = StaticStampStyle.from_pdf_file(str(look_path), border_width=0, background_opacity=1.0)
        style = _no_margins(style)
        try:
            writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
            pdf_signer = signers.PdfSigner(meta, signer, timestamper=timestamper, stamp_style=style,
                                           new_field_spec=spec)
            out = pdf_signer.sign_pdf(writer)
        except (SigningError, ValueError, OSError, pkcs11.PKCS11Error) as exc:
            raise SigningProblem(f"Không ký được văn bản ({type(exc).__name__}: {exc}).") from None
    return Signed(out.getvalue(), subject_of(signer.signing_cert), at)


def _no_margins(style):
    """The appearance fills the field exactly (pyHanko's default leaves 5 pt round a background)."""
    import dataclasses

    from pyhanko.pdf_utils import layout

    rule = layout.SimpleBoxLayoutRule(x_align=layout.AxisAlignment.ALIGN_MID,
                                      y_align=layout.AxisAlignment.ALIGN_MID, margins=layout.Margins.uniform(0))
    return dataclasses.replace(style, background_layout=rule)
