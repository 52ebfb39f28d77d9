"""The visible signature: a one-page PDF the size of the signature field, drawn with reportlab (the
signature image, the seal over its left third, the stamp text in the document's embedded font so that
Vietnamese extracts as written), which pyHanko puts in as the field's appearance (StaticStampStyle).

pyHanko's own text stamp sets text in a simple font and garbles Vietnamese; this one embeds the TrueType
face dirdesk.fonts chooses (Times New Roman, else the bundled Liberation Serif: NĐ 30 Phụ lục I II.8.b).
"""

from __future__ import annotations

import io

from dirdesk.signing.images import CheckedImage
from dirdesk.signing.placement import Placement, Rect
from dirdesk.signing.rules import signing_rules


def _draw_image(canvas, image: CheckedImage, box: Rect, origin: Rect) -> None:
    from reportlab.lib.utils import ImageReader

    canvas.drawImage(ImageReader(io.BytesIO(image.data)), box.x0 - origin.x0, box.y0 - origin.y0,
                     width=box.width, height=box.height, mask="auto")


def appearance_pdf(placement: Placement, lines: list[str], signature: CheckedImage | None,
                   seal: CheckedImage | None) -> bytes:
    """The appearance as a PDF page of the field's size; `lines` are the stamp text, centred in its band."""
    from reportlab.pdfgen.canvas import Canvas

    from dirdesk.fonts import drawing, face, register_fonts

    field = placement.field
    size = signing_rules()["stamp_text"]["size_pt"]
    out = io.BytesIO()
    with drawing():
        register_fonts()
        canvas = Canvas(out, pagesize=(field.width, field.height), pageCompression=1)
        if signature is not None:
            _draw_image(canvas, signature, placement.signature, field)
        if seal is not None and placement.seal is not None:  # the seal goes over the signature (II.8.a)
            _draw_image(canvas, seal, placement.seal, field)
        canvas.setFillColorRGB(0, 0, 0)
        canvas.setFont(face(False, False), size)
        band = placement.text
        mid = (band.x0 + band.x1) / 2 - field.x0
        y = band.y1 - field.y0 - size
        for line in lines:
            canvas.drawCentredString(mid, y, line)
            y -= size * 1.15
        canvas.showPage()
        canvas.save()
    return out.getvalue()
