"""`dirdesk parse`: received documents (.txt, .docx, .pdf) read back into drafts."""

import json
from pathlib import Path
from types import SimpleNamespace

import pytest

from dirdesk.cli import main
from dirdesk.draft import draft_from_dict
from dirdesk.intake import IntakeError, parse_file, parse_text, wording, zones
from dirdesk.intake.parse import plain
from dirdesk.layout import build_layout
from dirdesk.render import render_docx_bytes, render_pdf_bytes
from dirdesk.rules import doc_types
from dirdesk.text import fold

from .conftest import FIXTURES
from .readback import header_date

SEEDS = Path(__file__).resolve().parent / "fixtures" / "seeds"  # copies of shared/seeds
ROOT = Path(__file__).resolve().parents[1]
TEMPLATES = sorted((ROOT / "resources" / "templates").glob("*/*.json"))

HEADER_FIELDS = ("style", "type", "number", "symbol", "place", "date", "title", "subject",
                 "recipients", "cc", "cc_note", "urgency", "secrecy")
ALL_FIELDS = HEADER_FIELDS + ("preamble", "body")


def _seed(n: int) -> Path:
    found = sorted(SEEDS.glob(f"{n:03d}_*.txt"))
    if not found:
        raise FileNotFoundError(f"seed {n:03d} missing from {SEEDS}")
    return found[0]


def _fixture(name: str) -> dict:
    return json.loads((FIXTURES / f"{name}.json").read_text(encoding="utf-8"))


def _same(got: dict, expected: dict, fields, *, issuer=("parent", "name", "code", "unit"),
          signer=("authority", "title", "name")) -> None:
    if not header_date(SimpleNamespace(style=expected["style"], type=expected["type"])):
        fields = [f for f in fields if f not in ("place", "date")]  # not printed (Phụ lục III Mẫu 1.9)
    problems = [f for f in fields if got[f] != expected[f]]
    problems += [f"issuer.{k}" for k in issuer if got["issuer"][k] != expected["issuer"][k]]
    problems += [f"signer.{k}" for k in signer if got["signer"][k] != expected["signer"][k]]
    for key in ("signer2", "signer_confirm", "co_issuer"):  # the optional fields, where either has them
        mine, theirs = got.get(key) or {}, expected.get(key) or {}
        problems += [f"{key}.{k}" for k in mine.keys() | theirs.keys() if mine.get(k) != theirs.get(k)]
    assert not problems, {p: (got.get(p) if "." not in p else None) for p in problems}


# --- the five seeds, as received text ------------------------------------------------------

@pytest.mark.parametrize("n", [0, 1, 2, 3, 4])
def test_seed_text_parses_to_the_fixture(n):
    got = parse_file(_seed(n))
    _same(got, _fixture(f"seed-{n:03d}"), ALL_FIELDS)
    draft_from_dict(got)  # a parsed document is a valid draft


def test_seed_001_issuer_is_inferred_from_symbol_place_and_keep_line_and_says_so():
    notes = []
    got = parse_file(_seed(1), notes)
    assert got["issuer"] == {"parent": "ĐẢNG BỘ TỈNH THÁI NGUYÊN", "name": "HUYỆN ỦY ĐẠI TỪ", "code": "HU",
                             "unit": None}
    assert len(notes) == 2 and "Lưu Văn phòng Huyện ủy" in notes[0] and "Tỉnh ủy Thái Nguyên" in notes[1]


def test_printed_issuer_lines_are_never_replaced_by_inference():
    notes = []
    got = parse_file(_seed(2), notes)
    assert got["issuer"]["name"] == "TỈNH ỦY BẮC KẠN" and got["issuer"]["parent"] is None
    assert notes == []


_NO_HEADER = ["Số 15-{sym}", "V/v tổ chức hội nghị", "Kính gửi: Các chi bộ trực thuộc.", "",
              "{body}", "", "Nơi nhận:", "- {cc},", "- {keep}.", "", "T/M BAN THƯỜNG VỤ", "BÍ THƯ", "",
              "Nguyễn Văn An"]


def _no_header(place="Sông Công", sym="CV/ĐU", body="Đề nghị các chi bộ thực hiện.", cc="Như trên",
               keep="Lưu Văn phòng Đảng ủy"):
    lines = [f"{place}, ngày 03 tháng 3 năm 2025"] + [
        line.format(sym=sym, body=body, cc=cc, keep=keep) for line in _NO_HEADER]
    notes = []
    return parse_text(lines, notes), notes


def test_inferred_party_committee_takes_its_level_and_parent_from_the_text():
    got, notes = _no_header(place="Bách Quang", body="Đảng ủy phường Bách Quang đề nghị các chi bộ thực hiện.",
                            cc="Ban Thường vụ Thành ủy Sông Công (báo cáo)")
    assert got["issuer"]["name"] == "ĐẢNG ỦY PHƯỜNG BÁCH QUANG"
    assert got["issuer"]["parent"] == "ĐẢNG BỘ THÀNH PHỐ SÔNG CÔNG"
    assert len(notes) == 2


def test_ambiguous_code_is_settled_by_the_keep_line_or_left_empty():
    # "/TU" is the code of a tỉnh ủy, a thành ủy and a thị ủy alike.
    got, _ = _no_header(place="Phổ Yên", sym="CV/TU", keep="Lưu Văn phòng Thị ủy")
    assert got["issuer"]["name"] == "THỊ ỦY PHỔ YÊN"
    got, notes = _no_header(place="Phổ Yên", sym="CV/TU", keep="Lưu VT")
    assert got["issuer"]["name"] is None and notes == []


def test_no_code_and_no_keep_line_infers_nothing():
    lines = ["Hà Nội, ngày 03 tháng 3 năm 2025", "Kính gửi: Các chi bộ.", "", "Nội dung.", "", "Nơi nhận:",
             "- Như trên.", "", "BÍ THƯ", "", "Nguyễn Văn An"]
    got = parse_text(lines)
    assert got["issuer"] == {"parent": None, "name": None, "code": None, "unit": None}


def test_inferred_state_body_is_printed_on_two_lines():
    lines = ["Ba Đình, ngày 14 tháng 10 năm 2025", "Số: 856/UBND-VP", "V/v phòng cháy", "",
             "Kính gửi: Công an phường Ba Đình.", "", "UBND phường Ba Đình đề nghị thực hiện.", "", "Nơi nhận:",
             "- Như trên;", "- Lưu: VT, VP.", "", "TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", "", "Trần Quốc Bảo"]
    got = parse_text(lines)
    assert got["style"] == "state"
    assert got["issuer"]["name"] == "ỦY BAN NHÂN DÂN\nPHƯỜNG BA ĐÌNH" and got["issuer"]["parent"] is None


def test_stray_space_in_symbol_and_misspelt_title():
    got = parse_file(_seed(3))
    assert (got["type"], got["number"], got["symbol"], got["issuer"]["code"]) == ("NQ", 60, None, "ĐU")
    assert got["title"] is None  # "NHỊ QUYẾT" is the type's name misspelt, not a title of its own


def test_digital_signature_stamp_is_not_the_signer():
    got = parse_file(_seed(2))
    assert got["signer"]["name"] == "Phương Thị Thanh"
    assert got["cc_note"] == "Gửi bản giấy và bản điện tử:"


def test_nothing_invented_where_the_document_is_silent():
    got = parse_file(_seed(4))
    assert got["signer"] == {"authority": None, "title": None, "name": None}
    assert got["urgency"] is None and got["secrecy"] is None and got["edition"] is None


# --- round trip: render a draft, parse the rendering -----------------------------------------

ROUND_TRIP = ["seed-000", "seed-001", "seed-002", "seed-003", "seed-004", "state-cong-van", "state-quyet-dinh",
              "state-hoa-toc", "state-long-place", "state-bien-ban", "party-bien-ban", "party-lien-tich",
              "party-long-place"]  # its parent "ĐẢNG BỘ THÀNH PHỐ / HỒ CHÍ MINH" on two lines, read back as printed


def _render(tmp_path, draft, kind) -> Path:
    layout = build_layout(draft)
    path = tmp_path / f"doc.{kind}"
    path.write_bytes(render_docx_bytes(layout) if kind == "docx" else render_pdf_bytes(layout))
    return path


@pytest.mark.parametrize("kind", ["docx", "pdf"])
@pytest.mark.parametrize("name", ROUND_TRIP)
def test_rendered_fixture_parses_back(tmp_path, name, kind):
    draft = draft_from_dict(_fixture(name))
    got = parse_file(_render(tmp_path, draft, kind))
    _same(got, draft.to_dict(), ALL_FIELDS)


def _text(d: dict) -> str:
    """Preamble and body as one text: a template's opening sentence may be
    either, and both are laid out alike, so a rendering cannot tell them apart."""
    return "\n".join(filter(None, [d["preamble"], d["body"]]))


def _printed(draft) -> tuple[str, ...]:
    """The header fields its rendering prints: a document issued with a decision (state quy chế,
    quy định) prints no place (NĐ 30 Phụ lục III); its number and date are the decision's."""
    issued_with = doc_types(draft.style)[draft.type].issued_with
    return tuple(f for f in HEADER_FIELDS if not (issued_with and f == "place"))


def _template_issuer(draft) -> tuple[str, ...]:
    # A state document other than a công văn does not print the issuing unit; a thư công prints no
    # symbol, so no issuer code either.
    code = ("code",) if doc_types(draft.style)[draft.type].numbered else ()
    return ("parent", "name", *code) + (("unit",) if draft.type == "CV" or draft.style == "party" else ())


def _expected(draft) -> dict:
    """What a rendered template reads back as: a type printed without trích yếu (giấy giới thiệu,
    Mẫu 1.8) is registered under its own name."""
    expected = draft.to_dict()
    doc_type = doc_types(draft.style)[draft.type]
    if not doc_type.subject:
        expected["subject"] = doc_type.label[:1].upper() + doc_type.label[1:]
    return expected


@pytest.mark.parametrize("kind", ["docx", "pdf"])
@pytest.mark.parametrize("path", TEMPLATES, ids=[f"{p.parent.name}/{p.stem}" for p in TEMPLATES])
def test_rendered_template_parses_back(tmp_path, path, kind):
    draft = draft_from_dict(json.loads(path.read_text(encoding="utf-8")))
    expected = _expected(draft)
    got = parse_file(_render(tmp_path, draft, kind))
    _same(got, expected, _printed(draft), issuer=_template_issuer(draft))
    assert _text(got) == _text(expected)  # headings, numbered items and emphasis included


# --- round trip through the PDF's extracted text -----------------------------------------
# What a clerk gets by extracting the text of a received PDF (pypdf, as a PDF
# viewer's "save as text" does): the header columns one after the other, every
# paragraph cut into lines at the page width, no emphasis.

def _extracted_text(tmp_path, draft) -> Path:
    import io

    import pypdf

    pdf = render_pdf_bytes(build_layout(draft))
    path = tmp_path / "extracted.txt"
    path.write_text("\n".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf)).pages),
                    encoding="utf-8")
    return path


def _words(text: str | None) -> list[str]:
    return " ".join(plain(line) for line in (text or "").split("\n")).split()


@pytest.mark.parametrize("path", [FIXTURES / f"{n}.json" for n in ROUND_TRIP] + TEMPLATES,
                         ids=ROUND_TRIP + [f"{p.parent.name}/{p.stem}" for p in TEMPLATES])
def test_extracted_text_of_the_rendered_pdf_parses_back(tmp_path, path):
    draft = draft_from_dict(json.loads(path.read_text(encoding="utf-8")))
    expected = _expected(draft)
    got = parse_file(_extracted_text(tmp_path, draft))
    _same(got, expected, _printed(draft), issuer=_template_issuer(draft))
    # Every word of the text comes back, in order, and nothing else. Where a
    # paragraph ends is a guess in wrapped text (a full line that ends a
    # sentence may or may not end its paragraph), so breaks are not compared.
    assert _words(_text(got)) == _words(_text(expected))


def test_wrapped_text_is_rejoined_into_paragraphs():
    from dirdesk.intake.text_of import unwrap_lines

    body = ("Hiện nay, tình hình dịch bệnh COVID-19 đang tiếp tục diễn biến phức tạp tại nhiều quốc gia "
            "trên thế giới, dịch bệnh đã và đang bùng phát với tốc độ nhanh tại các tỉnh phía nam và rải rác "
            "ở một số tỉnh, thành phố như Hà Nội, Bắc Giang, Bắc Ninh là những địa phương giáp ranh với "
            "tỉnh Thái Nguyên, thời gian qua trên địa bàn thành phố cũng đã xuất hiện ca dương tính với vi "
            "rút SARS-CoV-2 trong cộng đồng dân cư và tại các khu công nghiệp, cụm công nghiệp trên địa bàn "
            "tỉnh. Để thực hiện có hiệu quả các văn bản chỉ đạo của Trung ương, của tỉnh và thành phố về "
            "tiếp tục tăng cường công tác phòng, chống dịch bệnh COVID-19 trong tình hình mới.")
    import textwrap

    wrapped = textwrap.wrap(body, 78)
    wrapped[3] = wrapped[3] + " COVID-"  # a word cut at its own hyphen
    wrapped[4] = "19 " + wrapped[4]
    lines = wrapped + ["2", "1. Tiếp tục phối hợp với các cấp, các ngành chỉ đạo đẩy mạnh công tác tuyên",
                       "truyền, vận động người dân thực hiện nghiêm các biện pháp phòng, chống dịch."]
    got = unwrap_lines(lines)
    assert len(got) == 2, got  # the page number "2" is gone, the item starts its own paragraph
    assert "COVID-19 " in got[0] and got[0].endswith("trong tình hình mới.")
    assert got[1].startswith("1. Tiếp tục") and got[1].endswith("phòng, chống dịch.")


def test_text_with_a_paragraph_on_each_line_is_left_alone():
    from dirdesk.intake.text_of import unwrap_lines

    lines = _seed(1).read_text(encoding="utf-8").split("\n")
    assert unwrap_lines(lines) == lines


def test_symbol_and_date_on_one_extracted_line_are_two_fields():
    got = parse_text(["ỦY BAN NHÂN DÂN", "PHƯỜNG BA ĐÌNH", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
                      "Số: 37/2007/QĐ-UBND Ba Đình, ngày 14 tháng 10 năm 2007", "QUYẾT ĐỊNH",
                      "Về việc ban hành quy chế", "Nội dung."])
    assert (got["place"], got["date"], got["number"], got["type"]) == ("Ba Đình", "2007-10-14", 37, "QĐ")
    assert got["symbol"] == "37/2007/QĐ-UBND"


# --- text details ------------------------------------------------------------------------------

def test_folding_and_markup_helpers():
    # the parser compares lines with the one folding (dirdesk.text), not a copy of its own
    assert wording.fold is zones.fold is fold and fold("UỶ BAN") == fold("ỦY BAN") == "uy ban"
    assert plain("**Số 66-CV/ĐU**") == "Số 66-CV/ĐU"
    assert plain("\\*") == "*"


def test_state_header_in_interleaved_order():
    lines = [
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", "",
        "ỦY BAN NHÂN DÂN", "PHƯỜNG BA ĐÌNH", "", "Ba Đình, ngày 14 tháng 10 năm 2025", "",
        "Số: 856/UBND-VP", "V/v phòng cháy", "chữa cháy", "",
        "Kính gửi: Công an phường Ba Đình.", "", "Nội dung.", "", "Nơi nhận:", "- Như trên;", "- Lưu: VT, VP.",
        "", "TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "", "Trần Quốc Bảo",
    ]
    got = parse_text(lines)
    assert got["style"] == "state" and got["type"] == "CV"
    assert got["issuer"] == {"parent": None, "name": "ỦY BAN NHÂN DÂN\nPHƯỜNG BA ĐÌNH", "code": "UBND", "unit": "VP"}
    assert (got["number"], got["date"], got["place"]) == (856, "2025-10-14", "Ba Đình")
    assert got["subject"] == "V/v phòng cháy chữa cháy"
    assert got["recipients"] == ["Công an phường Ba Đình"]
    assert got["body"] == "Nội dung."
    assert got["cc"] == ["Như trên", "Lưu: VT, VP"]
    assert got["signer"] == {"authority": "TM. ỦY BAN NHÂN DÂN\nKT. CHỦ TỊCH", "title": "PHÓ CHỦ TỊCH",
                             "name": "Trần Quốc Bảo"}


def test_old_tone_marks_in_type_name():
    lines = ["ĐẢNG ỦY PHƯỜNG BA ĐÌNH", "*", "Số 05-TB/ĐU", "", "ĐẢNG CỘNG SẢN VIỆT NAM",
             "Ba Đình, ngày 3 tháng 4 năm 2024", "", "THÔNG BAÓ", "", "về lịch họp", "", "Nội dung."]
    got = parse_text(lines)
    assert (got["type"], got["number"], got["date"], got["title"]) == ("TB", 5, "2024-04-03", None)
    assert got["subject"] == "về lịch họp"


# --- the command ---------------------------------------------------------------------------

def test_cli_parse_prints_the_draft(capsys):
    assert main(["parse", str(_seed(0))]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["number"] == 66 and data["signer"]["name"] == "Nguyễn Đức Giang"
    draft_from_dict(data)


def test_scanned_pdf_is_refused_with_a_clear_message(tmp_path, capsys):
    from reportlab.pdfgen import canvas

    path = tmp_path / "scan.pdf"
    c = canvas.Canvas(str(path))
    c.rect(50, 50, 200, 300, fill=1)  # an image-like page: no text layer
    c.showPage()
    c.save()
    with pytest.raises(IntakeError, match="không có lớp chữ"):
        parse_file(path)
    assert main(["parse", str(path)]) == 2
    assert "PDF không có lớp chữ (bản quét)" in capsys.readouterr().err


def test_unreadable_file_exits_2(tmp_path, capsys):
    bad = tmp_path / "bad.docx"
    bad.write_bytes(b"not a zip")
    assert main(["parse", str(bad)]) == 2
    assert capsys.readouterr().err.startswith("lỗi:")
    assert main(["parse", str(tmp_path / "missing.txt")]) == 2


def test_single_recipient_on_the_line_after_kinh_gui():
    lines = ["ĐẢNG ỦY PHƯỜNG BA ĐÌNH", "*", "Số 12-CV/ĐU", "V/v họp", "", "ĐẢNG CỘNG SẢN VIỆT NAM",
             "Ba Đình, ngày 3 tháng 4 năm 2024", "", "Kính gửi:", "Các chi bộ trực thuộc.", "",
             "Đề nghị các chi bộ dự họp.", "", "Nơi nhận:", "- Như trên,", "- Lưu VP.", "",
             "T/M BAN THƯỜNG VỤ", "BÍ THƯ", "", "Nguyễn Văn A"]
    got = parse_text(lines)
    assert got["recipients"] == ["Các chi bộ trực thuộc"]
    assert got["body"] == "Đề nghị các chi bộ dự họp."
    assert got["signer"]["name"] == "Nguyễn Văn A"


def _text_box_paragraph(lines: list[str]):
    """A paragraph anchoring a text box (Word's VML form) that holds `lines`, one paragraph each."""
    from xml.sax.saxutils import escape

    from docx.oxml import parse_xml

    paragraphs = "".join(f'<w:p><w:r><w:t xml:space="preserve">{escape(line)}</w:t></w:r></w:p>' for line in lines)
    return parse_xml(
        '<w:p xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
        'xmlns:v="urn:schemas-microsoft-com:vml"><w:r><w:pict><v:shape style="width:220pt;height:80pt">'
        f'<v:textbox><w:txbxContent>{paragraphs}</w:txbxContent></v:textbox></v:shape></w:pict></w:r></w:p>')


def test_a_docx_whose_header_sits_in_text_boxes_is_read(tmp_path):
    """Offices often set the two header columns in text boxes: their lines are read in order."""
    import docx

    document = docx.Document()
    body = document.element.body
    for lines in (["ỦY BAN NHÂN DÂN", "PHƯỜNG BA ĐÌNH", "Số: 12/TB-UBND"],
                  ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
                   "Ba Đình, ngày 05 tháng 01 năm 2026"]):
        body.insert(len(body) - 1, _text_box_paragraph(lines))
    for text in ("THÔNG BÁO", "Về việc lịch tiếp công dân tháng 01 năm 2026",
                 "Ủy ban nhân dân phường thông báo lịch tiếp công dân như sau.", "TM. ỦY BAN NHÂN DÂN",
                 "CHỦ TỊCH", "Nguyễn Văn An"):
        document.add_paragraph(text)
    path = tmp_path / "thong-bao.docx"
    document.save(path)
    got = parse_file(path)
    assert got["issuer"]["name"] == "ỦY BAN NHÂN DÂN\nPHƯỜNG BA ĐÌNH"
    assert got["number"] == 12 and got["date"] == "2026-01-05"
    assert got["subject"] == "Về việc lịch tiếp công dân tháng 01 năm 2026"
