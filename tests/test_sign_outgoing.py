"""The office's digital signature on an issued document: signed from a SoftHSM2 token and from a .p12,
validated with pyHanko, the seal and signature images measured on the rendered page, the stamp text read
back, tampering and later changes told apart, and every failure leaving the register as it was."""

from __future__ import annotations

import io
import subprocess
import unicodedata

import pdfplumber
import pytest
from PIL import Image
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext

from dirdesk.intake.stamp import StampFields, stamp_pdf
from dirdesk.registers import outgoing
from dirdesk.registers.attachments import read_attachment
from dirdesk.registers.signing import KeySource, SigningRefused, save_seal, save_signature, sign_outgoing
from dirdesk.rules import MM
from tests.conftest import fixture_draft
from tests.office_keys import (
    OFFICE_CN,
    asn1_root,
    init_token,
    seal_png,
    signature_png,
    softhsm_library,
    write_p12,
)
from tests.signing import flip_signed_byte

OFFICE = "ỦY BAN NHÂN DÂN PHƯỜNG BA ĐÌNH"
SEAL_MM = 36  # tests/office_keys.py draws it 425 px at 300 dpi


@pytest.fixture(scope="session")
def token(tmp_path_factory):
    if softhsm_library() is None:
        pytest.skip("SoftHSM2 is not installed (Debian softhsm2; .ci/run installs it)")
    return init_token(tmp_path_factory.mktemp("softhsm"))


def _issued(registry, name="state-cong-van"):
    row = outgoing.issue(registry, fixture_draft(name))
    save_seal(registry, seal_png())
    save_signature(registry, "Trần Quốc Bảo", signature_png())
    return row


def _validate(pdf: bytes):
    (sig,) = PdfFileReader(io.BytesIO(pdf)).embedded_signatures
    return validate_pdf_signature(sig, ValidationContext(trust_roots=[asn1_root()]))


def _ink_boxes(pdf: bytes, page: int, dpi: int = 144):
    """The boxes (points, from the top left) of the blue and the red ink on the rendered page."""
    png = subprocess.run(["pdftoppm", "-r", str(dpi), "-png", "-f", str(page), "-l", str(page), "-"], input=pdf,
                         capture_output=True, check=True).stdout
    image = Image.open(io.BytesIO(png)).convert("RGB")
    blue, red = [], []
    pixels = image.load()
    for y in range(0, image.height, 2):
        for x in range(0, image.width, 2):
            r, g, b = pixels[x, y]
            if b > 150 and r < 90 and g < 120:
                blue.append((x, y))
            elif r > 170 and g < 90 and b < 90:
                red.append((x, y))
    scale = 72 / dpi

    def box(points):
        xs, ys = [p[0] for p in points], [p[1] for p in points]
        return min(xs) * scale, min(ys) * scale, max(xs) * scale, max(ys) * scale

    return box(blue), box(red)


def _appearance_text(pdf: bytes) -> str:
    """The text drawn in the signature field's appearance (a viewer's copy of the stamp)."""
    import pypdf
    from pypdf.generic import NameObject

    reader = pypdf.PdfReader(io.BytesIO(pdf))
    for page in reader.pages:
        for annot in page.get("/Annots") or []:
            annot = annot.get_object()
            if annot.get("/FT") == "/Sig" or annot.get("/Parent", {}).get("/FT") == "/Sig":
                ap = annot["/AP"]["/N"].get_object()
                holder = pypdf.PageObject.create_blank_page(width=10, height=10)
                holder[NameObject("/Resources")] = ap["/Resources"]
                writer = pypdf.PdfWriter()
                writer.add_page(holder)
                stream = pypdf.generic.DecodedStreamObject()
                stream.set_data(ap.get_data())
                writer.pages[0][NameObject("/Contents")] = writer._add_object(stream)
                return writer.pages[0].extract_text()
    return ""


def _signer_lines(pdf: bytes, page: int) -> tuple[float, float]:
    """The bottom of the title "PHÓ CHỦ TỊCH" and the top of the name "Trần Quốc Bảo", on page `page`."""
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        lines = doc.pages[page - 1].extract_text_lines()
    title = next(line for line in lines if line["text"].strip() == "PHÓ CHỦ TỊCH")
    name = next(line for line in lines if line["text"].strip() == "Trần Quốc Bảo")
    return title["bottom"], name["top"]


def _check_signed(registry, row: dict) -> bytes:
    unsigned = read_attachment(registry, row["pdf_sha256"])
    signed = read_attachment(registry, row["signed_pdf_sha256"])
    assert signed.startswith(unsigned)  # an incremental update: the issued bytes stay as they were
    status = _validate(signed)
    assert status.intact and status.valid and status.trusted
    assert status.coverage.name == "ENTIRE_FILE"
    assert row["signed_by"] == OFFICE_CN and row["signed_at"].endswith("+07:00")
    return signed


def test_token_signature_validates_and_its_images_sit_where_the_rules_put_them(registry, token):
    row = sign_outgoing(registry, _issued(registry)["symbol"], KeySource(pkcs11=token.library, token=token.label),
                        token.pin)
    signed = _check_signed(registry, row)
    page = 2  # state-cong-van signs on its second page
    (bx0, by0, bx1, by1), (rx0, ry0, rx1, ry1) = _ink_boxes(signed, page)
    title_bottom, name_top = _signer_lines(signed, page)
    # II.7.d: the signature image between the title and the name, centred under them
    assert title_bottom - 1 < by0 < by1 < name_top + 1
    with pdfplumber.open(io.BytesIO(signed)) as doc:
        name = next(w for w in doc.pages[page - 1].extract_words() if w["text"] == "Bảo")
        cell_mid = (name["x0"] + name["x1"]) / 2
    assert abs((bx0 + bx1) / 2 - cell_mid) < 40
    # II.8.a: the seal at its real size, over about the left third of the signature
    assert abs((rx1 - rx0) - SEAL_MM * MM) < 3
    overlap = (rx1 - bx0) / (bx1 - bx0)
    assert 0.25 < overlap < 0.42, overlap
    assert title_bottom - 40 < (ry0 + ry1) / 2 < name_top  # centred on the signature, between the lines
    text = unicodedata.normalize("NFC", _appearance_text(signed))
    assert OFFICE in text and "Thời gian ký: " + row["signed_at"] in text


def test_p12_signature_tampering_is_broken_and_a_later_den_stamp_is_a_later_change(registry, tmp_path):
    p12 = write_p12(tmp_path / "office.p12")
    row = sign_outgoing(registry, _issued(registry)["symbol"], KeySource(p12=p12), "mật khẩu")
    signed = _check_signed(registry, row)
    assert not _validate(flip_signed_byte(signed)).intact  # one changed byte: broken
    stamped, _ = stamp_pdf(signed, StampFields(office="UBND PHƯỜNG KIM MÃ", number=7, received=row_date(row)))
    status = _validate(stamped)
    assert status.intact and status.valid  # the signed revision still checks
    assert status.coverage.name != "ENTIRE_FILE"  # the stamp came after the signature


def row_date(row):
    import datetime as dt

    return dt.date.fromisoformat(row["date"])


def _unchanged(registry, row_id: int):
    files = registry.query("SELECT count(*) AS n FROM attachments")[0]["n"]
    before = registry.query("SELECT * FROM outgoing WHERE id = ?", [row_id])[0]
    return lambda: (registry.query("SELECT count(*) AS n FROM attachments")[0]["n"] == files
                    and registry.query("SELECT * FROM outgoing WHERE id = ?", [row_id])[0] == before)


@pytest.mark.parametrize("case", ["wrong pin", "no token", "no library"])
def test_token_failures_say_why_and_write_nothing(registry, token, case):
    row = _issued(registry)
    same = _unchanged(registry, row["id"])
    source, pin, said = {
        "wrong pin": (KeySource(pkcs11=token.library, token=token.label), "000000", "Mã PIN"),
        "no token": (KeySource(pkcs11=token.library, token="KHÔNG CÓ"), token.pin, "Không thấy USB token"),
        "no library": (KeySource(pkcs11="/không/có/libtoken.so"), token.pin, "thư viện PKCS#11"),
    }[case]
    with pytest.raises(SigningRefused, match=said):
        sign_outgoing(registry, row["symbol"], source, pin)
    assert same()


def test_p12_failures_say_why_and_write_nothing(registry, tmp_path):
    row = _issued(registry)
    same = _unchanged(registry, row["id"])
    with pytest.raises(SigningRefused, match="hết hạn"):
        sign_outgoing(registry, row["symbol"], KeySource(p12=write_p12(tmp_path / "old.p12", expired=True)),
                      "mật khẩu")
    with pytest.raises(SigningRefused, match="Mật khẩu"):
        sign_outgoing(registry, row["symbol"], KeySource(p12=write_p12(tmp_path / "k.p12")), "sai")
    with pytest.raises(SigningRefused, match="nền trong suốt"):
        sign_outgoing(registry, row["symbol"], KeySource(p12=tmp_path / "k.p12"), "mật khẩu",
                      seal=seal_png(opaque=True))
    with pytest.raises(SigningRefused, match="PNG"):
        sign_outgoing(registry, row["symbol"], KeySource(p12=tmp_path / "k.p12"), "mật khẩu", signature=b"GIF89a")
    assert same()


def test_a_signed_document_is_not_signed_again_nor_a_reserved_number(registry, tmp_path):
    from dirdesk.registers.errors import RegisterError

    p12 = write_p12(tmp_path / "k.p12")
    row = sign_outgoing(registry, _issued(registry)["symbol"], KeySource(p12=p12), "mật khẩu")
    with pytest.raises(RegisterError, match="đã được ký số"):
        sign_outgoing(registry, row["symbol"], KeySource(p12=p12), "mật khẩu")
    reserved = outgoing.reserve(registry, "CV")
    with pytest.raises(RegisterError, match="đã ban hành"):
        sign_outgoing(registry, reserved["symbol"], KeySource(p12=p12), "mật khẩu")


def test_command_signs_keeps_and_copies_and_show_and_export_say_signed(db, tmp_path, capsys, monkeypatch):
    import csv

    from dirdesk.registers import open_registry
    from tests.conftest import run

    reg = open_registry(db)
    try:
        symbol = outgoing.issue(reg, fixture_draft("state-cong-van"))["symbol"]
    finally:
        reg.close()
    (tmp_path / "seal.png").write_bytes(seal_png())
    (tmp_path / "sig.png").write_bytes(signature_png())
    p12 = write_p12(tmp_path / "office.p12")
    monkeypatch.setenv("DIRDESK_PIN", "sai")
    code, out, err = run(capsys, "outgoing", "sign", symbol, "--db", db, "--p12", str(p12), "--out",
                         str(tmp_path / "ky.pdf"))
    assert code == 2 and "Mật khẩu" in err and "Không có gì được ghi" in err and not (tmp_path / "ky.pdf").exists()
    monkeypatch.setenv("DIRDESK_PIN", "mật khẩu")
    code, out, err = run(capsys, "outgoing", "sign", symbol, "--db", db, "--p12", str(p12), "--seal",
                         str(tmp_path / "seal.png"), "--signature", str(tmp_path / "sig.png"), "--out",
                         str(tmp_path / "ky.pdf"))
    assert code == 0, err
    assert f"đã ký số {symbol}: {OFFICE_CN}" in out
    assert _validate((tmp_path / "ky.pdf").read_bytes()).intact
    code, out, _ = run(capsys, "outgoing", "show", symbol, "--db", db, "--out", str(tmp_path / "ban"))
    assert f"ký số: Đã ký số: {OFFICE_CN}, lúc " in out
    kept = sorted(p.name for p in (tmp_path / "ban").iterdir())  # the stored copies: unsigned and signed
    assert len(kept) == 3 and any(name.endswith(".signed.pdf") for name in kept)
    assert next((tmp_path / "ban").glob("*.signed.pdf")).read_bytes() == (tmp_path / "ky.pdf").read_bytes()
    code, _, _ = run(capsys, "register", "export", "outgoing", "--year", symbol_year(db, symbol), "--format", "csv",
                     "-o", str(tmp_path / "so.csv"), "--db", db)
    rows = list(csv.reader((tmp_path / "so.csv").open(encoding="utf-8-sig")))
    heading = next(r for r in rows if "Ký số" in r)
    signed = next(r for r in rows if symbol in r)
    assert signed[heading.index("Ký số")].startswith(f"Đã ký số: {OFFICE_CN}")
    code, _, err = run(capsys, "outgoing", "sign", symbol, "--db", db, "--p12", str(p12))
    assert code == 2 and "đã được ký số" in err  # a signed file is not signed over
    from dirdesk.registers.profile import load_profile

    reg = open_registry(db)
    try:  # the images given are kept in the profile, for the office and for the signer
        profile = load_profile(reg)
        assert read_attachment(reg, profile.seal["sha256"]) == seal_png()
        assert read_attachment(reg, profile.signature_images["Trần Quốc Bảo"]) == signature_png()
    finally:
        reg.close()


def symbol_year(db, symbol) -> str:
    from dirdesk.registers import open_registry

    reg = open_registry(db)
    try:
        return outgoing.find(reg, symbol)["date"][:4]
    finally:
        reg.close()


def test_the_window_table_says_a_row_is_signed(registry, tmp_path):
    """The Văn bản đi table (registers/pages.py, the columns of columns.toml) fills its "Ký số" column."""
    from dirdesk.registers import pages

    signed_row = sign_outgoing(registry, _issued(registry)["symbol"], KeySource(p12=write_p12(tmp_path / "o.p12")),
                               "mật khẩu")
    outgoing.issue(registry, fixture_draft("state-quyet-dinh"))
    view = pages.View(register="outgoing")
    at = [c.field for c in pages.columns("outgoing")].index("signed")
    cells = {row.id: row.cells[at] for row in pages.fetch_page(registry, view)}
    assert cells[signed_row["id"]].startswith("Đã ký số: ") and OFFICE_CN in cells[signed_row["id"]]
    assert [v for k, v in cells.items() if k != signed_row["id"]] == [""]
    assert pages.sortable("outgoing", "signed")
