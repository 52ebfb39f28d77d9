"""Scans made in the tests: PDFs whose pages are only pictures of text, as a scanner makes them."""

from __future__ import annotations

import io
from pathlib import Path

FONT = Path(__file__).resolve().parents[1] / "resources" / "fonts" / "LiberationSerif-Regular.ttf"
DPI = 200  # the scanner's resolution
A4 = (1654, 2339)  # pixels at DPI
LEFT, TOP, LINE = 180, 220, 72  # where the lines are drawn (pixels)


def page_image(lines: list[str], *, turn: int = 0, skew: float = 0.0):
    """A grayscale A4 page with `lines` of text from (LEFT, TOP), then turned `turn` degrees
    counter-clockwise (a sheet fed on its side) or skewed by `skew` degrees."""
    from PIL import Image, ImageDraw, ImageFont

    image = Image.new("L", A4, 255)
    draw, font = ImageDraw.Draw(image), ImageFont.truetype(str(FONT), 44)
    for i, line in enumerate(lines):
        draw.text((LEFT, TOP + i * LINE), line, font=font, fill=0)
    if skew:
        image = image.rotate(skew, fillcolor=255, resample=Image.Resampling.BICUBIC)
    return image.rotate(turn, expand=True) if turn else image


def image_pdf(images, rotate: dict[int, int] | None = None) -> bytes:
    """The PDF of page images; `rotate` gives pages a /Rotate (0-based page: degrees)."""
    buffer = io.BytesIO()
    images[0].save(buffer, "PDF", resolution=DPI, save_all=True, append_images=images[1:])
    if not rotate:
        return buffer.getvalue()
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(buffer.getvalue())))
    for index, degrees in rotate.items():
        writer.pages[index].rotate(degrees)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


BODY = ["Thực hiện kế hoạch của Ủy ban nhân dân phường về phát triển",
        "kinh tế nông nghiệp, các tổ dân phố tổ chức họp dân, phổ biến",
        "nội dung và đăng ký danh sách hộ tham gia trước ngày 15."]
UNIQUE = "Khuyến nông"


def three_page_scan() -> bytes:
    """Three pages of pictures; the words "Khuyến nông" are on page 2 only."""
    return image_pdf([
        page_image(["ỦY BAN NHÂN DÂN PHƯỜNG BÁCH QUANG", "Về việc tổ chức hội nghị tập huấn", *BODY]),
        page_image([f"Chương trình {UNIQUE} năm 2026 gồm tập huấn kỹ thuật", *BODY]),
        page_image(["Nơi nhận: như trên; Lưu văn thư.", *BODY]),
    ])


def scan_of_pages(count: int) -> bytes:
    """A scan of `count` pages of text (the benchmark's)."""
    return image_pdf([page_image([f"Trang {i + 1}", *BODY * 8]) for i in range(count)])
