"""Where the signature image, the seal and the stamp text go on the issued PDF, found from the layout.

The layout leaves a `sign_space` paragraph between the signer's title and name (dirdesk/layout/signatures.py);
pdf_flow records the box it lands in (Page.boxes). The main signer's space is the first page's rightmost one
(the right column: one signer, or the chủ trì of a biên bản and the lead body of a joint document), the top
one in it (a confirmation's signer stands below). Coordinates here are PDF points from the bottom left.

NĐ 30 Phụ lục I: II.7.d, the signature image "đặt canh giữa chức vụ của người ký và họ tên người ký"; II.8.a,
the seal "kích thước bằng kích thước thực tế của dấu … trùm lên khoảng 1/3 hình ảnh chữ ký số … về bên trái".
"""

from __future__ import annotations

from dataclasses import dataclass

from dirdesk.layout.model import LaidOutDocument
from dirdesk.rules import MM
from dirdesk.signing.errors import SigningProblem
from dirdesk.signing.rules import signing_rules


@dataclass(frozen=True)
class Rect:
    x0: float
    y0: float
    x1: float
    y1: float

    @property
    def width(self) -> float:
        return self.x1 - self.x0

    @property
    def height(self) -> float:
        return self.y1 - self.y0

    def union(self, other: Rect | None) -> Rect:
        if other is None:
            return self
        return Rect(min(self.x0, other.x0), min(self.y0, other.y0), max(self.x1, other.x1), max(self.y1, other.y1))


@dataclass(frozen=True)
class Placement:
    page: int  # from 0
    space: Rect  # the sign_space box the layout leaves
    signature: Rect  # where the signature image goes (also when there is none: the seal is placed by it)
    seal: Rect | None
    text: Rect  # the stamp text's band, under the signature image

    @property
    def field(self) -> Rect:
        """The signature field's box: everything the appearance draws."""
        return self.space.union(self.seal)


def sign_space(doc: LaidOutDocument) -> tuple[int, Rect]:
    """The page (from 0) and box of the main signer's sign_space, in PDF points."""
    from dirdesk.render.pdf_flow import paginate

    height = doc.page.height
    for index, page in enumerate(paginate(doc)):
        boxes = [b for b in page.boxes if b[0] == "sign_space"]
        if boxes:
            right = max(b[1] for b in boxes)
            _, x0, top, x1, bottom = min((b for b in boxes if abs(b[1] - right) < 0.01), key=lambda b: b[2])
            return index, Rect(x0, height - bottom, x1, height - top)
    raise SigningProblem("Văn bản không có chỗ ký (chức vụ, họ tên người ký): không đặt được chữ ký số.")


def place(doc: LaidOutDocument, signature_aspect: float | None, seal_mm: float | None) -> Placement:
    """The boxes for a signature image of width/height `signature_aspect` (None: no image; the seal is placed
    as if there were one of 3:1) and a seal `seal_mm` wide (None: no seal)."""
    rules = signing_rules()["signature_image"]
    page, space = sign_space(doc)
    aspect = signature_aspect or 3.0
    height = space.height * rules["height_of_space"]
    width = min(height * aspect, space.width * rules["max_width_of_cell"])
    height = width / aspect
    mid_x = (space.x0 + space.x1) / 2
    band_top = space.y1 - space.height * rules["height_of_space"]
    sig_mid_y = (space.y1 + band_top) / 2
    signature = Rect(mid_x - width / 2, sig_mid_y - height / 2, mid_x + width / 2, sig_mid_y + height / 2)
    seal = None
    if seal_mm is not None:
        d = seal_mm * MM
        right = signature.x0 + signature.width * signing_rules()["seal"]["overlap_of_signature"]
        seal = Rect(right - d, sig_mid_y - d / 2, right, sig_mid_y + d / 2)
    return Placement(page, space, signature, seal, Rect(space.x0, space.y0, space.x1, band_top))
