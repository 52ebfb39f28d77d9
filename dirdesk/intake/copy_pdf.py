"""A copy (sao y, sao lục, trích sao) of a PDF: the copied pages, then the copy block.

The block (dirdesk/layout/copy_block.py) goes on the last copied page when it fits in the blank below
that page's lowest content (words, images, lines, shapes, and the ink of a scan, found as the "ĐẾN"
stamp finds it: dirdesk/intake/stamp.py), else on a new page of the same size after it (NĐ 30 Phụ lục I
Phần II II.2.a: "ngay sau phần cuối cùng của văn bản cần sao"). It is drawn by the PDF writer on a page
the size of the copied one and merged onto it with pypdf, so it never covers what is printed there.
The source file is never changed: the copy is a new PDF. A trích sao keeps only the pages chosen.
"""

from __future__ import annotations

import io
from dataclasses import asdict, dataclass

from dirdesk.intake.stamp import MM, StampError, _frame, _open_pdf, _read_page1
from dirdesk.layout.copy_block import CopyBlock, CopyFields, block_page, build_copy_block, copy_rules


class CopyError(StampError):
    """A file that cannot be copied; the message is in Vietnamese."""


@dataclass(frozen=True)
class CopyPlacement:
    """Where the block went: the copy's page (from 1), its top in mm from the page's top edge, whether
    that page was added for it, and how many pages the copy has."""

    page: int
    top_mm: float
    new_page: bool
    pages: int

    def describe(self) -> str:
        where = "trang mới sau trang cuối" if self.new_page else "dưới nội dung của trang cuối"
        return (f"khối sao: trang {self.page}/{self.pages}, cách mép trên {self.top_mm:.1f} mm ({where})"
                .replace(".", ",", 1))

    def to_dict(self) -> dict:
        return asdict(self)


def parse_pages(text: str | None, count: int) -> list[int]:
    """ "1-2,4" as 0-based page indexes within `count` pages; None or "" is every page."""
    if not text:
        return list(range(count))
    chosen: list[int] = []
    for part in text.replace(" ", "").split(","):
        first, _, last = part.partition("-")
        if not first.isdigit() or (last and not last.isdigit()):
            raise CopyError(f"trang cần sao không hợp lệ: «{part}» (ví dụ: 1-2 hoặc 1,3)")
        a, b = int(first), int(last or first)
        if not 1 <= a <= b <= count:
            raise CopyError(f"trang {part} không có trong văn bản ({count} trang)")
        chosen.extend(i for i in range(a - 1, b) if i not in chosen)
    return chosen


def _reader(data: bytes):
    return _open_pdf(data, "tệp PDF có mật khẩu, không mở được để sao; hãy xin bản không đặt mật khẩu", CopyError)


def _one_page(page) -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_page(page)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def lowest_content(page) -> tuple[tuple[float, float], float]:
    """The page's displayed size and how far from its top edge its lowest printed thing ends (pt)."""
    frame = _frame(page)
    seen = _read_page1(_one_page(page), frame)
    if seen.scanned:  # a scan whose ink could not be read: its whole page counts as printed
        return seen.size, seen.size[1]
    return seen.size, max((b[3] for b in seen.obstacles), default=0.0)


def _overlay(block: CopyBlock) -> bytes:
    """The block drawn by the PDF writer, the Party stamp's red border added."""
    from pypdf import PdfReader, PdfWriter
    from reportlab.pdfgen.canvas import Canvas

    from dirdesk.fonts import drawing
    from dirdesk.render.pdf_writer import rgb, write_pdf

    data = write_pdf(block.doc)
    if block.stamp is None:
        return data
    page = block.doc.page
    x, top, w, h = block.stamp
    with drawing():
        out = io.BytesIO()
        canvas = Canvas(out, pagesize=(page.width, page.height), invariant=1)
        canvas.setStrokeColorRGB(*rgb(block.stamp_color))
        canvas.setLineWidth(block.stamp_thickness)
        half = block.stamp_thickness / 2
        canvas.rect(x + half, page.height - top - h + half, w - 2 * half, h - 2 * half, stroke=1, fill=0)
        canvas.showPage()
        canvas.save()
    written = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
    written.pages[0].merge_page(PdfReader(io.BytesIO(out.getvalue())).pages[0])
    buf = io.BytesIO()
    written.write(buf)
    return buf.getvalue()


def place_block(fields: CopyFields, size: tuple[float, float], lowest: float) -> tuple[CopyBlock, bool]:
    """The block laid out under `lowest` on a page of `size`, or at the top of a new page when it does not
    fit there (the second value is then True); a new A4 page after a page narrower than A4 (the block's
    two columns and the Party box of 80 mm are set for the A4 text width, Phụ lục I II.2.a "khổ A4")."""
    from dirdesk.render.pdf_flow import paginate

    rules = fields.rules
    spec = copy_rules()["block"]
    top = max(lowest + spec["gap_mm"] * MM, rules.page["margin_top_mm"] * MM)
    a4 = (rules.page["width_mm"] * MM, rules.page["height_mm"] * MM)
    if size[0] < a4[0] - 1:  # narrower than the rule set's page (A5): the block is laid out for A4 only
        size = a4
    elif top < size[1]:
        block = build_copy_block(fields, block_page(size[0], size[1], top, rules))
        pages = paginate(block.doc)
        if len(pages) == 1 and pages[0].items:
            return block, False
    return build_copy_block(fields, block_page(size[0], size[1], rules.page["margin_top_mm"] * MM, rules)), True


def compose_copy(source: bytes, fields: CopyFields, pages: str | None = None) -> tuple[bytes, CopyPlacement]:
    """The copy's PDF: the chosen pages of `source` (all of them but for a trích sao), then the block."""
    from pypdf import PdfReader, PdfWriter, Transformation

    reader = _reader(source)
    chosen = parse_pages(pages, len(reader.pages))
    try:
        writer = PdfWriter()
        for index in chosen:
            writer.add_page(reader.pages[index])
        last = writer.pages[-1]
        size, lowest = lowest_content(last)
        block, new_page = place_block(fields, size, lowest)
        overlay = PdfReader(io.BytesIO(_overlay(block))).pages[0]
        if new_page:
            target = writer.add_blank_page(block.doc.page.width, block.doc.page.height)
            target.merge_page(overlay)
        else:
            last.merge_transformed_page(overlay, Transformation(_frame(last).ctm()), over=True, expand=False)
        out = io.BytesIO()
        writer.write(out)
    except CopyError:
        raise
    except Exception as exc:  # a damaged file pypdf could open but not copy
        raise CopyError(f"không tạo được bản sao của tệp PDF ({exc})") from None
    placement = CopyPlacement(page=len(writer.pages), top_mm=round(block.doc.page.top / MM, 1),
                              new_page=new_page, pages=len(writer.pages))
    return out.getvalue(), placement
