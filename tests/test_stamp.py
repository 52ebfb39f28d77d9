"""The "ĐẾN" stamp (NĐ 30/2020, Phụ lục IV) on a copy of a received document:
filled from the register, vector text in the embedded font, 50 × 35 mm, on a
free spot of page 1, the received file untouched; read back with pdfplumber,
pypdf and pypdfium2 (which renders /Rotate and the CropBox as a viewer does)."""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import io
import json
import os
import re
import subprocess
import sys
import unicodedata
from pathlib import Path

import pdfplumber
import pypdf
import pypdfium2
import pytest
from pypdf.generic import NameObject, NumberObject, RectangleObject
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas

from dirdesk.fonts import KEYS, face
from dirdesk.intake.stamp import INK, MM, StampError, StampFields, stamp_pdf, stamped_rendering
from dirdesk.intake.text_of import lines_of
from dirdesk.layout import build_layout
from dirdesk.registers import incoming
from dirdesk.registers.attachments import attachment_path, read_attachment
from dirdesk.registers.errors import RegisterError
from dirdesk.registers.profile import set_profile_value
from dirdesk.registers.stamping import stamp_entry
from dirdesk.render import render_docx_bytes, render_pdf_bytes
from tests.conftest import fixture_draft

OFFICE = "Đảng ủy phường Bách Quang"
OFFICE_UPPER = "ĐẢNG ỦY PHƯỜNG BÁCH QUANG"
A4 = (210 * MM, 297 * MM)
TOL = 0.5  # mm
BASE14 = re.compile(r"^/(Helvetica|Times-(Roman|Bold|Italic|BoldItalic)|Courier|Symbol|ZapfDingbats)")


# --------------------------------------------------------------- helpers


@pytest.fixture(scope="module")
def rendered():
    """Received PDFs: fixture drafts rendered by DirDesk."""
    return {name: render_pdf_bytes(build_layout(fixture_draft(name)))
            for name in ("state-cong-van", "state-quyet-dinh", "seed-000")}


@pytest.fixture
def reg(registry):
    set_profile_value(registry, "issuer", {"parent": "ĐẢNG BỘ THÀNH PHỐ SÔNG CÔNG", "name": OFFICE, "code": "ĐU"})
    return registry


def add_entry(reg, files, *, received=dt.date(2026, 1, 5), handler="", symbol="215-CV/TU"):
    return incoming.add(reg, incoming.IncomingEntry(received_date=received, author="Thành ủy", symbol=symbol,
                                                    subject="V/v thử đóng dấu", handler=handler, files=files))


def text_pdf(items, *, pages=1, size=A4) -> bytes:
    """A PDF made elsewhere: `items` are (x mm, top mm, text) set at 13 pt on page 1;
    the other pages carry a line naming them."""
    out = io.BytesIO()
    canvas = Canvas(out, pagesize=size, initialFontName=face(False, False))
    for number in range(1, pages + 1):
        canvas.setFont(face(False, False), 13)
        for x, top, text in (items if number == 1 else [(30, 30, f"Trang {number} của văn bản nhận được")]):
            canvas.drawString(x * MM, size[1] - top * MM - 10, text)
        canvas.showPage()
    canvas.save()
    return out.getvalue()


def reshaped(data: bytes, *, rotate=0, origin=(0.0, 0.0), crop=None) -> bytes:
    """`data` with every page rotated, its media box moved to `origin` (content moved along) and cropped."""
    writer = pypdf.PdfWriter(clone_from=pypdf.PdfReader(io.BytesIO(data)))
    for page in writer.pages:
        w, h = float(page.mediabox.width), float(page.mediabox.height)
        if origin != (0.0, 0.0):
            page.add_transformation(pypdf.Transformation().translate(*origin))
            page.mediabox = RectangleObject([origin[0], origin[1], origin[0] + w, origin[1] + h])
        if crop:
            page.cropbox = RectangleObject(crop)
        if rotate:
            page[NameObject("/Rotate")] = NumberObject(rotate)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def is_ink(color) -> bool:
    return color is not None and len(color) == 3 and all(abs(a - b) < 0.01 for a, b in zip(color, INK, strict=True))


def stamp_text(page) -> str:
    """The text printed in stamp ink on a pdfplumber page, whitespace collapsed, NFC."""
    text = page.filter(lambda o: o.get("object_type") != "char" or is_ink(o.get("non_stroking_color"))).extract_text()
    return unicodedata.normalize("NFC", " ".join(text.split()))


def stamp_rect(page) -> dict:
    frames = [r for r in page.rects if is_ink(r.get("stroking_color"))]
    assert len(frames) == 1, frames
    return frames[0]


def overlaps(a, b) -> bool:
    return a["x0"] < b["x1"] and b["x0"] < a["x1"] and a["top"] < b["bottom"] and b["top"] < a["bottom"]


def check_stamped(original: bytes, stamped: bytes, placement, *, number="01", date="05/01/2026",
                  office=OFFICE_UPPER) -> None:
    """What every stamped PDF must show."""
    before, after = pypdf.PdfReader(io.BytesIO(original)), pypdf.PdfReader(io.BytesIO(stamped))
    assert len(after.pages) == len(before.pages)
    for old, new in zip(before.pages[1:], after.pages[1:], strict=True):  # the other pages are untouched
        assert new.get_contents().get_data() == old.get_contents().get_data()
    with pdfplumber.open(io.BytesIO(stamped)) as pdf, pdfplumber.open(io.BytesIO(original)) as orig:
        page = pdf.pages[0]
        text = stamp_text(page)
        for part in ("ĐẾN", "Số:", number, "Ngày:", date, "Chuyển:", "Số và ký hiệu HS:"):
            assert part in text, (part, text)
        assert office in text
        assert text == unicodedata.normalize("NFC", text)
        ink = [c for c in page.chars if is_ink(c.get("non_stroking_color"))]
        family = os.path.commonprefix([pdfmetrics.getFont(face(*k)).face.name.decode() for k in KEYS])
        assert ink and all(family in c["fontname"] and c["upright"] for c in ink)  # TimesNewRomanPS or Liberation
        stamp_fonts = {c["fontname"] for c in ink}
        frame = stamp_rect(page)
        assert abs(frame["width"] / MM - 50) <= TOL and abs(frame["height"] / MM - 35) <= TOL
        # inside the page as shown
        assert frame["x0"] >= page.bbox[0] - 0.01 and frame["x1"] <= page.bbox[2] + 0.01
        assert frame["top"] >= page.bbox[1] - 0.01 and frame["bottom"] <= page.bbox[3] + 0.01
        if not placement.overlapped:
            words = orig.pages[0].extract_words()
            assert words and not [w["text"] for w in words if overlaps(w, frame)]
    # the stamp's text is set in the bundled font, embedded (a TrueType subset), not a base-14 one
    fonts = after.pages[0]["/Resources"]["/Font"]
    used = [f.get_object() for f in fonts.values() if f.get_object()["/BaseFont"][1:] in stamp_fonts]
    assert {f["/BaseFont"][1:] for f in used} == stamp_fonts
    assert all("/FontFile2" in f["/FontDescriptor"] for f in used)
    assert not [f for f in fonts.values() if BASE14.match(f.get_object()["/BaseFont"])
                and not any(BASE14.match(g.get_object()["/BaseFont"]) for g in
                            before.pages[0].get("/Resources", {}).get("/Font", {}).values())]


def red_box_mm(data: bytes) -> tuple[tuple[float, float, float, float], tuple[float, float]]:
    """The bounding box (mm, from the top-left of page 1 as a viewer shows it) of the
    stamp-red pixels, and the page size in mm, rendered by pdfium at 4 px/mm."""
    from PIL import ImageChops

    image = pypdfium2.PdfDocument(data)[0].render(scale=4 / MM).to_pil().convert("RGB")
    r, g, b = image.split()
    red = ImageChops.multiply(ImageChops.multiply(r.point(lambda v: 255 if v > 140 else 0),
                                                  g.point(lambda v: 255 if v < 110 else 0)),
                              b.point(lambda v: 255 if v < 110 else 0))
    box = red.getbbox()
    assert box, "no stamp ink on the rendered page"
    w, h = image.size
    return tuple(v / 4 for v in box), (w / 4, h / 4)


# --------------------------------------------------------------- received PDFs


@pytest.mark.parametrize("name", ["state-cong-van", "state-quyet-dinh", "seed-000"])
def test_stamps_a_received_pdf_and_keeps_the_original(reg, rendered, name):
    original = rendered[name]
    row = add_entry(reg, [("cv 215.pdf", original)])
    sha = incoming.files_of(reg, row["id"])[0]["sha256"]
    stored = attachment_path(reg, sha)
    before = stored.read_bytes()

    data, placement, suggested = stamp_entry(reg, "1/2026")

    check_stamped(original, data, placement)
    assert suggested == "cv 215-den-01-2026.pdf"
    assert placement.page == 1 and placement.width == 50 and placement.height == 35
    # the received file is unchanged, byte for byte, and the register gained nothing
    assert stored.read_bytes() == before == original
    assert hashlib.sha256(read_attachment(reg, sha)).hexdigest() == sha
    assert len(incoming.files_of(reg, row["id"])) == 1
    assert reg.one("SELECT COUNT(*) AS n FROM attachments")["n"] == 1


def test_fixture_pages_get_the_spot_free_or_the_covering_fallback(reg, rendered):
    """A DirDesk công văn leaves room under its date line, where Phụ lục IV puts the stamp (its
    "Kính gửi:" stands on its own line below, Mẫu 1.5); the quyết định and the Party công văn leave
    none, so the stamp goes top right on a white ground."""
    fields = StampFields(OFFICE, 1, dt.date(2026, 1, 5))
    _, free = stamp_pdf(rendered["state-cong-van"], fields)
    assert free.where == "below-date" and not free.overlapped
    for name in ("state-quyet-dinh", "seed-000"):
        data, placement = stamp_pdf(rendered[name], fields)
        assert placement.overlapped and placement.where == "covering"
        assert (placement.x, placement.y) == (210 - 4 - 50, 4)
        assert "che một phần chữ" in placement.describe()
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            page = pdf.pages[0]
            ground = [r for r in page.rects if r["fill"] and tuple(r["non_stroking_color"] or ()) == (1, 1, 1)]
            assert len(ground) == 1 and abs(ground[0]["width"] / MM - 50) <= TOL


HEADER = [
    (42, 20, "ỦY BAN NHÂN DÂN"), (40, 26, "PHƯỜNG BA ĐÌNH"), (45, 34, "Số: 12/UBND-VP"),
    (40, 40, "V/v kiểm tra trật tự đô thị"),
    (110, 20, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"), (120, 26, "Độc lập - Tự do - Hạnh phúc"),
    (110, 34, "Ba Đình, ngày 05 tháng 01 năm 2026"),
]


def body(top_mm: float, bottom_mm: float = 270) -> list:
    lines, top = [], top_mm
    while top < bottom_mm:
        lines.append((30, top, "Nội dung văn bản nhận được, một dòng chữ chạy hết bề ngang của trang giấy A4."))
        top += 7
    return lines


@pytest.mark.parametrize("items, where", [
    (body(60), "top-right"),  # the header starts low: the top margin is free
    ([(120, 8, "Ký bởi: Văn phòng Thành ủy"), *body(60)], "top-left"),
    ([*HEADER, *body(100)], "below-symbol"),
    ([*HEADER, *[(35, 46 + 6 * i, "trích yếu nội dung dòng tiếp") for i in range(8)], *body(100)], "below-date"),
], ids=["top-right", "top-left", "below-symbol", "below-date"])
def test_placement_rules_in_order(items, where):
    original = text_pdf(items)
    data, placement = stamp_pdf(original, StampFields(OFFICE, 3, dt.date(2026, 1, 5)))
    assert placement.where == where and not placement.overlapped
    check_stamped(original, data, placement, number="03")
    if where == "below-symbol":  # under "V/v …", about centred on the left column
        assert 40 + 3 < placement.y < 40 + 12 and abs(placement.x + 25 - 62) < 15
    if where == "below-date":
        assert 34 + 3 < placement.y < 34 + 12 and placement.x > 105


def test_stamp_sits_where_the_placement_says():
    original = text_pdf([*HEADER, *body(100)], pages=2)
    data, placement = stamp_pdf(original, StampFields(OFFICE, 3, dt.date(2026, 1, 5)))
    (x0, y0, x1, y1), size = red_box_mm(data)
    assert size == pytest.approx((210, 297), abs=0.5)
    assert (x0, y0) == pytest.approx((placement.x, placement.y), abs=0.6)
    assert (x1 - x0, y1 - y0) == pytest.approx((50, 35), abs=0.8)


@pytest.mark.parametrize("shape", [
    {"rotate": 90}, {"rotate": 180}, {"rotate": 270}, {"origin": (100.0, 200.0)},
    {"origin": (100.0, 200.0), "rotate": 90, "crop": [130, 250, 650, 1000]},
    {"origin": (-50.0, 40.0), "rotate": 270, "crop": [0, 100, 500, 800]},
], ids=["rotate90", "rotate180", "rotate270", "origin", "origin-rotate90-crop", "origin-rotate270-crop"])
def test_rotated_and_shifted_pages(shape):
    """The stamp is upright as the page is shown, inside what is shown, where the placement says."""
    original = reshaped(text_pdf([*HEADER, *body(100)], pages=3), **shape)
    data, placement = stamp_pdf(original, StampFields(OFFICE, 3, dt.date(2026, 1, 5)))
    check_stamped(original, data, placement, number="03")
    (x0, y0, x1, y1), (w, h) = red_box_mm(data)
    visible = pypdf.PdfReader(io.BytesIO(original)).pages[0]
    box = visible.cropbox if shape.get("crop") else visible.mediabox
    bw, bh = float(box.width) / MM, float(box.height) / MM
    assert (w, h) == pytest.approx((bh, bw) if shape.get("rotate") in (90, 270) else (bw, bh), abs=0.5)
    assert (x0, y0) == pytest.approx((placement.x, placement.y), abs=0.6)
    assert (x1 - x0, y1 - y0) == pytest.approx((50, 35), abs=0.8)
    assert x1 <= w and y1 <= h
    assert not placement.overlapped


def test_long_office_name_and_handler_fit_the_box():
    fields = StampFields("Ủy ban nhân dân phường Bách Quang thành phố Sông Công tỉnh Thái Nguyên", 123,
                         dt.date(2026, 12, 31), handler="Đ/c Nguyễn Văn An - Phó Chủ tịch UBND phường phụ trách")
    original = text_pdf(body(60))
    data, placement = stamp_pdf(original, fields)
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        page = pdf.pages[0]
        frame = stamp_rect(page)
        ink = [c for c in page.chars if is_ink(c.get("non_stroking_color"))]
        assert all(frame["x0"] < c["x0"] and c["x1"] < frame["x1"] and frame["top"] < c["top"]
                   and c["bottom"] < frame["bottom"] for c in ink)
        text = stamp_text(page)
    assert "123" in text and "31/12/2026" in text and "Đ/c Nguyễn Văn An" in text


def test_handler_fills_chuyen(reg, rendered):
    add_entry(reg, [("cv.pdf", rendered["state-cong-van"])], handler="Văn phòng")
    data, _, _ = stamp_entry(reg, "1/2026")
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        assert "Chuyển: Văn phòng" in stamp_text(pdf.pages[0])


def test_signed_pdf_keeps_its_signature(rendered):
    """A signed PDF gets the stamp as an incremental update: the received bytes
    and their signature stay intact; the later change is visible to a verifier."""
    pytest.importorskip("pyhanko")
    from asn1crypto import keys as asn1_keys
    from asn1crypto import x509 as asn1_x509
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.x509.oid import NameOID
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign import signers
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Văn phòng Thành ủy")])
    now = dt.datetime.now(dt.UTC)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(1).not_valid_before(now - dt.timedelta(days=1)).not_valid_after(now + dt.timedelta(days=9))
            .sign(key, hashes.SHA256()))
    certificate = asn1_x509.Certificate.load(cert.public_bytes(serialization.Encoding.DER))
    signer = signers.SimpleSigner(
        signing_cert=certificate,
        signing_key=asn1_keys.PrivateKeyInfo.load(key.private_bytes(
            serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())),
        cert_registry=None)
    out = io.BytesIO()
    signers.sign_pdf(IncrementalPdfFileWriter(io.BytesIO(rendered["state-cong-van"])),
                     signers.PdfSignatureMetadata(field_name="Sig1"), signer=signer, output=out)
    signed = out.getvalue()

    data, placement = stamp_pdf(signed, StampFields(OFFICE, 1, dt.date(2026, 1, 5)))

    assert data.startswith(signed)
    check_stamped(signed, data, placement)
    context = ValidationContext(trust_roots=[certificate], allow_fetching=False)
    status = validate_pdf_signature(PdfFileReader(io.BytesIO(data)).embedded_signatures[0],
                                    signer_validation_context=context)
    assert status.intact and status.valid
    assert status.coverage.name == "ENTIRE_REVISION"  # the stamp came after the signature


def test_pdf_opened_with_the_empty_password_is_stamped_and_a_locked_one_refused(rendered):
    fields = StampFields(OFFICE, 1, dt.date(2026, 1, 5))
    for user, works in (("", True), ("bí mật", False)):
        writer = pypdf.PdfWriter(clone_from=pypdf.PdfReader(io.BytesIO(rendered["state-cong-van"])))
        writer.encrypt(user_password=user, owner_password="chủ", algorithm="AES-128")
        out = io.BytesIO()
        writer.write(out)
        if works:
            data, placement = stamp_pdf(out.getvalue(), fields)
            with pdfplumber.open(io.BytesIO(data)) as pdf:
                assert "ĐẾN" in stamp_text(pdf.pages[0])
        else:
            with pytest.raises(StampError, match="mật khẩu"):
                stamp_pdf(out.getvalue(), fields)


def test_damaged_pdf_is_refused():
    with pytest.raises(StampError, match="không đọc được tệp PDF"):
        stamp_pdf(b"%PDF-1.4\nnot really a pdf", StampFields(OFFICE, 1, dt.date(2026, 1, 5)))


def _scan_pdf(draw=None) -> bytes:
    """A one-page PDF that is a picture (a scan): white, with what `draw(ImageDraw)` puts on it."""
    from PIL import Image, ImageDraw
    from reportlab.lib.utils import ImageReader

    picture = Image.new("RGB", (420, 594), "white")  # ~50 dpi of A4
    if draw is not None:
        draw(ImageDraw.Draw(picture))
    scan = io.BytesIO()
    picture.save(scan, format="PNG")
    out = io.BytesIO()
    canvas = Canvas(out, pagesize=A4, initialFontName=face(False, False))
    canvas.drawImage(ImageReader(io.BytesIO(scan.getvalue())), 0, 0, *A4)
    canvas.showPage()
    canvas.save()
    return out.getvalue()


def test_a_scan_gets_the_stamp_in_its_blank_space_not_over_its_header():
    """The header and body of a scan are found from its pixels: the stamp goes into blank paper, never on
    a white box over the quốc hiệu while the lower part of the page is blank."""
    def header_and_body(d):  # a header across the top third, body lines down to the middle
        d.rectangle((30, 20, 390, 200), fill="black")
        for y in range(220, 300, 12):
            d.rectangle((40, y, 380, y + 5), fill="black")

    data, placement = stamp_pdf(_scan_pdf(header_and_body), StampFields(OFFICE, 1, dt.date(2026, 1, 5)))
    assert placement.where == "blank" and not placement.overlapped
    mm_per_px = 210 / 420
    assert placement.y > 300 * mm_per_px  # below everything inked on the scan


def test_a_scan_that_cannot_be_rendered_goes_top_right_on_white(monkeypatch):
    from dirdesk.intake import stamp

    monkeypatch.setattr(stamp, "_ink_boxes", lambda *a: None)
    data, placement = stamp_pdf(_scan_pdf(), StampFields(OFFICE, 1, dt.date(2026, 1, 5)))
    assert placement.where == "scanned" and placement.overlapped
    assert "ảnh quét" in placement.describe()


CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "received"


@pytest.mark.skipif(not CORPUS.is_dir(), reason="the corpus of received files (../shared/corpus/received) is absent")
@pytest.mark.parametrize("name", ["11_ubnd-quangngai_cv-299.pdf", "12_ubnd-quangngai_cv-574.pdf",
                                  "13_ubnd-quangngai_tb-46.pdf", "02_ubnd-quangngai_cv-507.pdf"])
def test_real_received_files_get_the_stamp_on_blank_paper(name):
    from dirdesk.intake.stamp import MM, _frame, _ink_boxes, _open_pdf

    original = (CORPUS / name).read_bytes()
    data, placement = stamp_pdf(original, StampFields(OFFICE, 7, dt.date(2026, 12, 7)))
    assert not placement.overlapped, placement
    size = _frame(_open_pdf(original).pages[0]).size
    ink = _ink_boxes(original, size)
    x0, y0 = placement.x * MM, placement.y * MM
    x1, y1 = x0 + 50 * MM, y0 + 35 * MM
    assert not [b for b in ink if b[0] < x1 and b[2] > x0 and b[1] < y1 and b[3] > y0], "stamp over printed ink"


# --------------------------------------------------------------- DOCX and text files


def words_of_body(data: bytes) -> str:
    """The 13 pt text of every page (no footer, no stamp), whitespace collapsed."""
    parts = []
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        for page in pdf.pages:
            body_page = page.filter(lambda o: o.get("object_type") != "char"
                                    or (abs(o["size"] - 13) < 0.1 and not is_ink(o.get("non_stroking_color"))))
            parts.append(body_page.extract_text())
    return unicodedata.normalize("NFC", " ".join(" ".join(parts).split()))


def test_docx_gets_a_stamped_reading_copy(reg, tmp_path):
    from dirdesk.intake.parse import plain

    docx = render_docx_bytes(build_layout(fixture_draft("state-cong-van")))
    add_entry(reg, [("ke hoach.docx", docx)])
    data, placement, suggested = stamp_entry(reg, "1/2026")
    assert suggested == "ke hoach-den-01-2026.pdf"
    assert placement.where == "reserved" and not placement.overlapped
    source = tmp_path / "kh.docx"
    source.write_bytes(docx)
    text = words_of_body(data)
    for line in lines_of(source):
        line = " ".join(plain(line).split())
        assert line in text, line
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        page = pdf.pages[0]
        assert (page.width, page.height) == pytest.approx(A4, abs=0.1)
        frame = stamp_rect(page)
        assert abs(frame["width"] / MM - 50) <= TOL and abs(frame["height"] / MM - 35) <= TOL
        body_words = [w for w in page.extract_words(extra_attrs=["size"]) if abs(w["size"] - 13) < 0.1]
        assert body_words and not [w for w in body_words if overlaps(w, frame)]
        assert min(w["x0"] for w in body_words) == pytest.approx(30 * MM, abs=0.5)
        assert "Bản đọc dựng lại từ tệp ke hoach.docx" in page.extract_text()
        assert OFFICE_UPPER in stamp_text(page)


def test_long_text_file_is_paginated_and_nothing_is_lost(reg):
    paragraphs = [f"Đoạn {i}: " + " ".join(f"chữ{i}-{k}" for k in range(60)) for i in range(40)]
    text = "Thư gửi Đảng ủy phường\r\n\r\n" + "\n\n".join(paragraphs) + "\n"
    add_entry(reg, [("thu.txt", text.encode("utf-8"))])
    data, placement, suggested = stamp_entry(reg, "1/2026")
    assert suggested == "thu-den-01-2026.pdf"
    assert len(pypdf.PdfReader(io.BytesIO(data)).pages) > 3
    body_text = words_of_body(data)
    assert body_text.startswith("Thư gửi Đảng ủy phường")
    for paragraph in paragraphs:
        assert paragraph in body_text
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        for page in pdf.pages:
            words = [w for w in page.extract_words(extra_attrs=["size"]) if abs(w["size"] - 13) < 0.1]
            assert min(w["top"] for w in words) >= 20 * MM - 1
            assert max(w["bottom"] for w in words) <= page.height - 20 * MM + 1
            assert max(w["x1"] for w in words) <= page.width - 15 * MM + 0.5
        assert "trang 1/" in pdf.pages[0].extract_text()


def test_rendering_wraps_a_word_too_long_for_a_line():
    long_word = "x" * 400
    data, _ = stamped_rendering([long_word, "", "sau"], StampFields(OFFICE, 2, dt.date(2026, 3, 4)))
    assert words_of_body(data).replace(" ", "") == long_word + "sau"


# --------------------------------------------------------------- refusals


def test_refusals(reg):
    with pytest.raises(RegisterError, match="Không có văn bản đến số 12/2026"):
        stamp_entry(reg, "12/2026")
    add_entry(reg, [], symbol="1-CV/TU")
    with pytest.raises(RegisterError, match=r"^Văn bản đến 01/2026 chưa có tệp đính kèm"):
        stamp_entry(reg, "1/2026")
    add_entry(reg, [("anh.jpg", b"\xff\xd8\xff\xe0 not a real jpeg")], symbol="2-CV/TU")
    with pytest.raises(StampError, match="chỉ đóng dấu ĐẾN được trên tệp .pdf, .docx hoặc .txt"):
        stamp_entry(reg, "2/2026")
    add_entry(reg, [("bao-cao.docx", b"PK\x03\x04 broken")], symbol="3-CV/TU")
    with pytest.raises(StampError, match="bao-cao.docx"):
        stamp_entry(reg, "3/2026")


def test_choosing_the_file_and_preferring_the_pdf(reg, rendered):
    docx = render_docx_bytes(build_layout(fixture_draft("state-cong-van")))
    add_entry(reg, [("cv.docx", docx), ("cv.pdf", rendered["state-cong-van"])])
    assert stamp_entry(reg, "1/2026")[1].where == "below-date"  # the PDF, not the reading copy of the DOCX
    assert stamp_entry(reg, "1/2026", file_name="cv.docx")[1].where == "reserved"
    with pytest.raises(RegisterError, match="không có tệp 'khac.pdf'"):
        stamp_entry(reg, "1/2026", file_name="khac.pdf")


def test_deleted_entry_and_missing_office_name_are_refused(registry, rendered):
    from dirdesk.registers import audit

    add_entry(registry, [("cv.pdf", rendered["state-cong-van"])])
    with pytest.raises(RegisterError, match="chưa có tên cơ quan"):
        stamp_entry(registry, "1/2026")
    set_profile_value(registry, "issuer", {"name": OFFICE, "code": "ĐU"})
    with registry.transaction():
        audit.soft_delete(registry, "incoming", incoming.find(registry, "1/2026")["id"])
    with pytest.raises(RegisterError, match="đã bị xóa"):
        stamp_entry(registry, "1/2026")


# --------------------------------------------------------------- the command


def run(argv: list[str]) -> int:
    """`dirdesk …` with `incoming stamp` added to the parser if it is not wired in yet."""
    from dirdesk import cli
    from dirdesk.cli.stamp import add_stamp_parser

    build = cli.build_parser

    def wired():
        parser = build()
        sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
        group = next(a for a in sub.choices["incoming"]._actions if isinstance(a, argparse._SubParsersAction))
        if "stamp" not in group.choices:
            add_stamp_parser(group)
        return parser

    cli.build_parser = wired
    try:
        return cli.main(argv)
    finally:
        cli.build_parser = build


def test_command_writes_the_copy(reg, rendered, tmp_path, monkeypatch, capsys):
    add_entry(reg, [("cv 215.pdf", rendered["state-cong-van"])])
    db = str(reg.path) if hasattr(reg, "path") else str(tmp_path / "so.sqlite")
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)

    assert run(["incoming", "stamp", "1/2026", "--db", db]) == 0
    printed = capsys.readouterr().out
    written = work / "cv 215-den-01-2026.pdf"
    assert f"đã ghi {written}" in printed and "dấu ĐẾN: trang 1, cách mép trái" in printed
    with pdfplumber.open(written) as pdf:
        assert "ĐẾN" in stamp_text(pdf.pages[0])

    assert run(["incoming", "stamp", "1/2026", "--db", db, "--out", str(tmp_path / "ra.pdf"), "--json"]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert shown["path"] == str(tmp_path / "ra.pdf") and (tmp_path / "ra.pdf").exists()
    assert shown["placement"]["page"] == 1 and shown["placement"]["overlapped"] is False
    folder = tmp_path / "thu-muc"
    folder.mkdir()
    assert run(["incoming", "stamp", "1/2026", "--db", db, "--out", str(folder)]) == 0
    assert (folder / "cv 215-den-01-2026.pdf").exists()
    assert not list(work.glob(".*.tmp")) and not list(folder.glob(".*.tmp"))


def test_command_errors_exit_2(reg, tmp_path, capsys):
    add_entry(reg, [])
    db = str(reg.path) if hasattr(reg, "path") else str(tmp_path / "so.sqlite")
    assert run(["incoming", "stamp", "1/2026", "--db", db]) == 2
    assert "lỗi: Văn bản đến 01/2026 chưa có tệp đính kèm" in capsys.readouterr().err
    assert run(["incoming", "stamp", "7/2026", "--db", db]) == 2
    assert "Không có văn bản đến số 07/2026" in capsys.readouterr().err


def test_stamp_module_is_importable_without_the_registers():
    """The stamping itself needs no register, no CLI and no Qt; stamping an entry lives with the registers."""
    code = ("import sys, dirdesk.intake.stamp as s; "
            "print(callable(s.stamp_pdf) and callable(s.stamped_rendering), hasattr(s, 'stamp_entry'), "
            "sorted(m for m in sys.modules if m.startswith(('dirdesk.registers', 'dirdesk.cli', 'PySide6'))))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         cwd=Path(__file__).resolve().parent.parent)
    assert out.stdout.split() == ["True", "False", "[]"]
