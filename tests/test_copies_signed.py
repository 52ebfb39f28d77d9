"""An electronic copy (bản sao định dạng điện tử) carries the copying office's digital signature at the top
right of page 1 (NĐ 30 Phụ lục I Phần II I.3, ô 14; 05-HD III.3.2): no image, the text "Sao y", the office
and the time in ISO 8601; from a .p12 and from a SoftHSM2 token; a wrong PIN takes no number."""

from __future__ import annotations

import io
import os

import pdfplumber
import pytest
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext

from dirdesk.cli import main
from dirdesk.registers import copies, open_registry, outgoing
from dirdesk.registers.attachments import read_attachment
from dirdesk.registers.signing import KeySource, SigningRefused, signing_copies
from tests.conftest import fixture_draft
from tests.office_keys import asn1_root, init_token, softhsm_library, write_p12
from tests.test_copies import ON, prepare
from tests.test_sign_outgoing import _appearance_text

MM = 72 / 25.4


def _field_box(pdf: bytes) -> tuple[int, list[float]]:
    """(page from 0, [x0, y0, x1, y1]) of the signature field's widget."""
    import pypdf

    for index, page in enumerate(pypdf.PdfReader(io.BytesIO(pdf)).pages):
        for annot in page.get("/Annots") or []:
            annot = annot.get_object()
            if annot.get("/FT") == "/Sig" or annot.get("/Parent", {}).get("/FT") == "/Sig":
                return index, [float(v) for v in annot["/Rect"]]
    raise AssertionError("no signature field")


def _check(reg, made, kind_line: str) -> None:
    kept = read_attachment(reg, made.row["pdf_sha256"])
    assert kept == made.data
    (sig,) = PdfFileReader(io.BytesIO(kept)).embedded_signatures
    status = validate_pdf_signature(sig, ValidationContext(trust_roots=[asn1_root()]))
    assert status.intact and status.valid and status.trusted and status.coverage.name == "ENTIRE_FILE"
    page, (x0, y0, x1, y1) = _field_box(kept)
    with pdfplumber.open(io.BytesIO(kept)) as doc:
        width, height = doc.pages[0].width, doc.pages[0].height
        first_text_top = min(w["top"] for w in doc.pages[0].extract_words())
    assert page == 0 and x1 <= width - 14.9 * MM and x0 > width / 2  # top right of page 1, inside the margin
    assert height - y1 < 6 * MM and height - y0 <= first_text_top + 1  # in the top margin, above the text
    text = _appearance_text(kept)
    assert kind_line in text and "Ủy ban nhân dân phường Bách Quang" in text
    assert "Thời gian ký: " in text and "+07:00" in text


def test_an_electronic_sao_y_is_signed_at_the_top_right_from_a_p12(registry, tmp_path):
    prepare(registry, "state")
    row = outgoing.issue(registry, fixture_draft("state-cong-van"))
    with signing_copies(registry, KeySource(p12=write_p12(tmp_path / "o.p12")), "mật khẩu", "sao-y") as sign:
        made = copies.make_copy(registry, "outgoing", row["symbol"], "sao-y", on=ON, sign=sign)
    assert made.row["symbol"] == "01/SY-UBND"
    _check(registry, made, "Sao y")


def test_a_token_signs_an_electronic_trich_sao(registry, tmp_path):
    if softhsm_library() is None:
        pytest.skip("SoftHSM2 is not installed (Debian softhsm2; .ci/run installs it)")
    token = init_token(tmp_path / "softhsm")
    prepare(registry, "state")
    row = outgoing.issue(registry, fixture_draft("state-cong-van"))
    source = KeySource(pkcs11=token.library, token=token.label)
    with signing_copies(registry, source, token.pin, "trich-sao") as sign:
        made = copies.make_copy(registry, "outgoing", row["symbol"], "trich-sao", pages="1", on=ON, sign=sign)
    _check(registry, made, "Trích sao")


def test_a_wrong_password_refuses_before_a_number_is_taken(tmp_path, capsys):
    db = tmp_path / "so.sqlite"
    p12 = write_p12(tmp_path / "o.p12")
    with open_registry(db) as reg:
        prepare(reg, "state")
        symbol = outgoing.issue(reg, fixture_draft("state-cong-van"))["symbol"]
        with pytest.raises(SigningRefused):
            with signing_copies(reg, KeySource(p12=p12), "sai", "sao-y") as sign:
                copies.make_copy(reg, "outgoing", symbol, "sao-y", on=ON, sign=sign)
    target = tmp_path / "ban-sao.pdf"
    os.environ["DIRDESK_PIN"] = "sai"
    try:
        code = main(["copy", "outgoing", symbol, "--kind", "sao-y", "-o", str(target), "--p12", str(p12),
                     "--db", str(db)])
    finally:
        del os.environ["DIRDESK_PIN"]
    assert code == 2 and not target.exists() and "lỗi:" in capsys.readouterr().err
    with open_registry(db) as reg:
        assert reg.query("SELECT * FROM copies") == []  # no number used
    os.environ["DIRDESK_PIN"] = "mật khẩu"
    try:
        assert main(["copy", "outgoing", symbol, "--kind", "sao-y", "-o", str(target), "--p12", str(p12),
                     "--db", str(db)]) == 0
    finally:
        del os.environ["DIRDESK_PIN"]
    said = capsys.readouterr().out
    assert "01/SY-UBND" in said and "đã ký số của cơ quan" in said
    assert PdfFileReader(io.BytesIO(target.read_bytes())).embedded_signatures
