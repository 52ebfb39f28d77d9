"""A quyết định with what it issues, in one draft: the attached quy chế and phụ lục are laid out
after its signature, each from a new page with its own page numbers, as NĐ 30 Phụ lục III (the
sample of a document issued with a decision, Mẫu 2.1 of a phụ lục) and 05-HD II.1, IV.5.2 show.
Read back from the DOCX (python-docx) and the PDF (pdfplumber)."""

from __future__ import annotations

import copy
import dataclasses
import io
import json
import re

import docx
import pdfplumber
import pytest
from docx.oxml.ns import qn

from dirdesk.cli import main
from dirdesk.draft import DraftError, draft_from_dict, draft_to_json, load_draft, save_draft
from dirdesk.layout import build_layout
from dirdesk.layout.attached import annex_label, issuer_in_text, roman
from dirdesk.render import render_docx_bytes, render_pdf_bytes
from dirdesk.render.pdf_flow import paginate
from dirdesk.rules import load_rules
from tests.readback import FIXTURES, RULES_DIR, rule_data, upper

STATE = FIXTURES / "state-quyet-dinh-kem-theo.json"
PARTY = FIXTURES / "party-quyet-dinh-phu-luc.json"
TEMPLATE_QC = RULES_DIR.parents[0] / "templates" / "state" / "quy-che.json"
STATE_NOTE = "(Kèm theo Quyết định số 25/QĐ-UBND ngày 16 tháng 3 năm 2026 của Ủy ban nhân dân phường Ba Đình)"
PARTY_NOTE = "(Kèm theo Quyết định số 15-QĐ/ĐU, ngày 15/7/2026 của Ban Thường vụ Đảng ủy phường Ba Đình)"


def squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


@pytest.fixture(scope="module")
def state_pdf():
    with pdfplumber.open(io.BytesIO(render_pdf_bytes(build_layout(load_draft(STATE))))) as pdf:
        yield [(page, page.extract_text() or "") for page in pdf.pages]


@pytest.fixture(scope="module")
def state_docx():
    return docx.Document(io.BytesIO(render_docx_bytes(build_layout(load_draft(STATE)))))


# -- the draft file ---------------------------------------------------------------------------

def test_round_trip_keeps_the_attachments(tmp_path):
    draft = load_draft(STATE)
    assert [a.kind for a in draft.attachments] == ["van-ban", "phu-luc", "phu-luc"]
    save_draft(draft, tmp_path / "d.json")
    again = load_draft(tmp_path / "d.json")
    assert again == draft
    assert json.loads(draft_to_json(draft)) == json.loads(STATE.read_text("utf-8"))


def test_a_draft_without_attachments_is_written_as_before():
    data = json.loads((FIXTURES / "state-quyet-dinh.json").read_text("utf-8"))
    written = draft_from_dict(data).to_dict()
    assert "attachments" not in written and "issued_by" not in written
    assert written == data


@pytest.mark.parametrize("change, field, says", [
    (lambda a: a.update(kind="bảng"), "attachments[0].kind", "không hợp lệ"),
    (lambda a: a.update(type=None), "attachments[0].type", "không được để null"),
    (lambda a: a.update(type="XX"), "attachments[0].type", "không phải loại văn bản"),
    (lambda a: a.pop("subject"), "attachments[0].subject", "thiếu trường bắt buộc"),
    (lambda a: a.update(body=""), "attachments[0].body", "không được để trống"),
    (lambda a: a.update(chữ_ký="x"), "attachments[0].chữ_ký", "không có trong định dạng"),
])
def test_a_bad_attachment_is_named(change, field, says):
    data = json.loads(STATE.read_text("utf-8"))
    change(data["attachments"][0])
    with pytest.raises(DraftError) as exc:
        draft_from_dict(data)
    assert any(f == field and says in m for f, m in exc.value.problems), exc.value.problems


def test_a_phu_luc_has_no_type_and_the_list_must_be_a_list():
    data = json.loads(STATE.read_text("utf-8"))
    bad = copy.deepcopy(data)
    bad["attachments"][1]["type"] = "QC"
    with pytest.raises(DraftError, match=r"attachments\[1\]\.type: phụ lục không có loại"):
        draft_from_dict(bad)
    data["attachments"] = {"kind": "phu-luc"}
    with pytest.raises(DraftError, match="attachments: phải là danh sách"):
        draft_from_dict(data)


def test_text_is_nfc_in_attachments():
    data = json.loads(STATE.read_text("utf-8"))
    data["attachments"][1]["title"] = __import__("unicodedata").normalize("NFD", "Lịch làm việc")
    assert draft_from_dict(data).attachments[1].title == "Lịch làm việc"


# -- numbering and wording --------------------------------------------------------------------

def test_phu_luc_numbers_follow_each_style():
    state, party = load_rules("state", "2020"), load_rules("party", "2026")
    assert [annex_label(state, i, 3) for i in (1, 2, 3)] == ["Phụ lục I", "Phụ lục II", "Phụ lục III"]
    assert [annex_label(party, i, 2) for i in (1, 2)] == ["Phụ lục 1", "Phụ lục 2"]
    assert annex_label(state, 1, 1) == annex_label(party, 1, 1) == "Phụ lục"  # one alone is not numbered
    assert [roman(n) for n in (4, 9, 14, 40)] == ["IV", "IX", "XIV", "XL"]


@pytest.mark.parametrize("name, text", [
    ("ỦY BAN NHÂN DÂN\nPHƯỜNG BA ĐÌNH", "Ủy ban nhân dân phường Ba Đình"),
    ("ĐẢNG ỦY PHƯỜNG BÁCH QUANG", "Đảng ủy phường Bách Quang"),
    ("ỦY BAN NHÂN DÂN\nTHÀNH PHỐ HỒ CHÍ MINH", "Ủy ban nhân dân thành phố Hồ Chí Minh"),
    ("ỦY BAN NHÂN DÂN XÃ ĐÔNG ANH", "Ủy ban nhân dân xã Đông Anh"),
    ("ĐẢNG ỦY P. THƯỢNG THANH", "Đảng ủy p. Thượng Thanh"),
    ("CHỦ TỊCH ỦY BAN NHÂN DÂN PHƯỜNG BA ĐÌNH", "Chủ tịch Ủy ban nhân dân phường Ba Đình"),
    ("BAN THƯỜNG VỤ ĐẢNG ỦY PHƯỜNG", "Ban Thường vụ Đảng ủy phường"),
])
def test_the_issuer_in_running_text(name, text):
    assert issuer_in_text(name) == text


# -- the PDF ----------------------------------------------------------------------------------

def test_pdf_parts_start_on_new_pages_with_their_own_numbers(state_pdf):
    rules = rule_data(load_draft(STATE))
    top = rules["page"]["margin_top_mm"] * 72 / 25.4
    numbers = [[w["text"] for w in page.extract_words() if w["top"] < top] for page, _ in state_pdf]
    firsts = [squash(text).split(" ")[:2] for _, text in state_pdf]
    # decision | quy chế (2 pages) | Phụ lục I | Phụ lục II: page 1 of each part shows no number
    assert numbers == [[], [], ["2"], [], []]
    assert firsts[3] == ["Phụ", "lục"] and firsts[4] == ["Phụ", "lục"]
    assert "Nơi nhận" in state_pdf[0][1]
    assert all("Nơi nhận" not in text for _, text in state_pdf[1:])


def test_pdf_attached_document_has_no_number_date_or_cc(state_pdf):
    page, text = state_pdf[1]
    flat = squash(text)
    assert flat.startswith("ỦY BAN NHÂN DÂN CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM PHƯỜNG BA ĐÌNH")
    assert "Số:" not in flat and "ngày 16 tháng 3 năm 2026" in flat  # only inside the (Kèm theo …) line
    assert flat.count("ngày 16 tháng 3 năm 2026") == 1 and "Ba Đình, ngày" not in flat
    assert "QUY CHẾ Làm việc của Ủy ban nhân dân phường Ba Đình nhiệm kỳ 2026 - 2031 " + STATE_NOTE in flat
    note = page.search(re.escape("(Kèm theo Quyết định"), return_chars=True)[0]["chars"]
    size = rule_data(load_draft(STATE))["elements"]["attached_note"]["size"]
    assert all("Italic" in c["fontname"] and "Bold" not in c["fontname"] for c in note)
    assert {round(c["size"], 1) for c in note} == {size} == {14}
    centre = (page.width + (30 - 15) * 72 / 25.4) / 2  # the text area's centre (margins 30 and 15 mm)
    line = [w for w in page.extract_words() if abs(w["top"] - note[0]["top"]) < 1]
    assert abs((line[0]["x0"] + line[-1]["x1"]) / 2 - centre) < 3


def test_pdf_phu_luc_heading(state_pdf):
    for index, (page, text) in ((1, state_pdf[3]), (2, state_pdf[4])):
        label = f"Phụ lục {'I' * index}"
        assert text.split("\n")[0] == label
        chars = page.search(re.escape(label), return_chars=True)[0]["chars"]
        assert all("Bold" in c["fontname"] and round(c["size"]) == 14 for c in chars if c["text"].strip())
        assert STATE_NOTE in squash(text)


def test_party_phu_luc_arabic_with_the_guide_wording():
    with pdfplumber.open(io.BytesIO(render_pdf_bytes(build_layout(load_draft(PARTY))))) as pdf:
        texts = [squash(p.extract_text()) for p in pdf.pages]
    assert len(texts) == 3
    assert texts[1].startswith("Phụ lục 1 PHÂN CÔNG NHIỆM VỤ") and texts[2].startswith("Phụ lục 2 PHÂN CÔNG")
    assert PARTY_NOTE + " -----" in texts[1] and PARTY_NOTE + " -----" in texts[2]


def test_pages_are_numbered_per_part_for_every_writer():
    """The print writer draws the pages pdf_flow makes (their `number`), as the PDF writer does."""
    pages = paginate(build_layout(load_draft(STATE)))
    assert [p.number for p in pages] == [1, 1, 2, 1, 1]


# -- the DOCX ---------------------------------------------------------------------------------

def test_docx_sections_restart_page_numbers(state_docx):
    sections = state_docx.sections
    assert len(sections) == 4  # the decision, the quy chế, two phụ lục
    for i, section in enumerate(sections):
        sect = section._sectPr
        start = sect.find(qn("w:pgNumType"))
        assert (start is not None and start.get(qn("w:start")) == "1") == (i > 0)
        assert section.different_first_page_header_footer  # page 1 of each part shows no number
        assert section.start_type == docx.enum.section.WD_SECTION.NEW_PAGE
        assert section.header.is_linked_to_previous == (i > 0)  # one PAGE header for the whole file
        assert abs(section.left_margin.mm - 30) < 0.05


def test_docx_attached_header_and_note(state_docx):
    body = state_docx.element.body
    tables = state_docx.tables
    # decision header, decision signature, quy chế header; the phụ lục have none
    assert len(tables) == 3
    head = tables[2]
    cells = [squash(c.text) for c in head.rows[0].cells]
    assert len(head.rows) == 1 and cells == ["ỦY BAN NHÂN DÂN PHƯỜNG BA ĐÌNH",
                                             "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM Độc lập - Tự do - Hạnh phúc"]
    assert "Số" not in head.rows[0].cells[0].text
    notes = [p for p in state_docx.paragraphs if p.text.startswith("(Kèm theo")]
    assert [p.text for p in notes] == [STATE_NOTE] * 3
    for p in notes:
        assert p.alignment == docx.enum.text.WD_ALIGN_PARAGRAPH.CENTER
        assert {(bool(r.italic), bool(r.bold), r.font.size.pt) for r in p.runs} == {(True, False, 14)}
        assert p._p.xpath("./following-sibling::w:p[1]/w:pPr/w:pBdr/w:bottom")  # the rule under it
    labels = [p for p in state_docx.paragraphs if p.text in ("Phụ lục I", "Phụ lục II")]
    assert [p.text for p in labels] == ["Phụ lục I", "Phụ lục II"]
    assert all({(bool(r.bold), r.font.size.pt) for r in p.runs} == {(True, 14)} for p in labels)
    # only the decision has Nơi nhận, and its signature comes before the first section's end
    order = [el.tag.split("}")[1] for el in body]
    first_break = next(i for i, el in enumerate(body) if el.find(f"{qn('w:pPr')}/{qn('w:sectPr')}") is not None)
    assert order[first_break - 1] == "tbl" and "Nơi nhận" in squash(tables[1].rows[0].cells[0].text)
    assert sum("Nơi nhận" in t.rows[0].cells[0].text for t in tables) == 1


# -- a quy chế drafted on its own, and the command line ---------------------------------------

def test_template_quy_che_prints_as_an_attached_document():
    draft = draft_from_dict(json.loads(TEMPLATE_QC.read_text("utf-8")))
    with pdfplumber.open(io.BytesIO(render_pdf_bytes(build_layout(draft, year=2026)))) as pdf:
        text = squash(pdf.pages[0].extract_text())
    assert "Số:" not in text and "Ba Đình, ngày" not in text and "Nơi nhận" not in text
    assert "(Kèm theo Quyết định số …/QĐ-UBND ngày … tháng … năm … của Ủy ban nhân dân phường Ba Đình)" in text
    numbered = dataclasses.replace(draft, number=7, date=load_draft(STATE).date)
    with pdfplumber.open(io.BytesIO(render_pdf_bytes(build_layout(numbered)))) as pdf:
        text = squash(pdf.pages[0].extract_text())
    properties = docx.Document(io.BytesIO(render_docx_bytes(build_layout(numbered)))).core_properties
    assert properties.title == "Quy chế kèm theo Quyết định 07/QĐ-UBND"
    assert "(Kèm theo Quyết định số 07/QĐ-UBND ngày 16 tháng 3 năm 2026 của Ủy ban nhân dân phường" in text


def test_dirdesk_render_writes_the_whole_document(tmp_path):
    target = tmp_path / STATE.name
    target.write_bytes(STATE.read_bytes())
    assert main(["render", str(target)]) == 0
    pdf_path, docx_path = target.with_suffix(".pdf"), target.with_suffix(".docx")
    with pdfplumber.open(pdf_path) as pdf:
        assert len(pdf.pages) == 5
    assert len(docx.Document(str(docx_path)).sections) == 4


# -- parse ------------------------------------------------------------------------------------

@pytest.mark.parametrize("kind", ["docx", "pdf"])
@pytest.mark.parametrize("path", [STATE, PARTY], ids=["state", "party"])
def test_a_rendered_decision_with_attachments_parses_back_as_the_decision(tmp_path, path, kind):
    from dirdesk.intake import parse_file

    draft = load_draft(path)
    layout = build_layout(draft)
    target = tmp_path / f"doc.{kind}"
    target.write_bytes(render_docx_bytes(layout) if kind == "docx" else render_pdf_bytes(layout))
    got = parse_file(target)
    want = draft.to_dict()
    for key in ("type", "number", "date", "subject", "cc", "signer", "issuer"):
        assert got[key] == want[key], key
    # the attached parts are not read into the text (preamble and body: a rendering cannot tell them apart)
    assert [got[k] for k in ("preamble", "body")] in ([want["preamble"], want["body"]],
                                                    [None, "\n".join([want["preamble"], want["body"]])])
    # each part read back: a phụ lục's title as printed (IN HOA), the rest as drafted
    expected = [dict(a, title=upper(a["title"]) if a["kind"] == "phu-luc" and a["title"] else a["title"])
                for a in want["attachments"]]
    assert got["attachments"] == expected
    assert draft_from_dict(got).attachments  # what parse prints is a draft again


def test_a_quy_che_received_alone_gives_its_decision_number_and_date(tmp_path):
    from dirdesk.intake import parse_file

    draft = draft_from_dict(json.loads(TEMPLATE_QC.read_text("utf-8")))
    numbered = dataclasses.replace(draft, number=25, date=load_draft(STATE).date)
    target = tmp_path / "qc.docx"
    target.write_bytes(render_docx_bytes(build_layout(numbered)))
    got = parse_file(target)
    assert (got["type"], got["number"], got["date"], got["place"]) == ("QC", 25, "2026-03-16", None)
    assert got["subject"] == draft.subject and got["issuer"]["code"] == "UBND"


# -- the register -----------------------------------------------------------------------------

def test_a_decision_with_attachments_takes_one_number_and_keeps_them(registry):
    from dirdesk.registers import outgoing
    from dirdesk.registers.attachments import attachment_path

    draft = dataclasses.replace(load_draft(STATE), number=None)
    row = outgoing.issue(registry, draft)
    rows = registry.query("SELECT * FROM outgoing")
    assert len(rows) == 1 and rows[0]["type"] == "QĐ" and row["symbol"] == "01/QĐ-UBND"
    stored = draft_from_dict(json.loads(rows[0]["draft_json"]))
    assert stored.attachments == draft.attachments
    with pdfplumber.open(attachment_path(registry, row["pdf_sha256"])) as pdf:
        text = squash(" ".join(p.extract_text() for p in pdf.pages))
        assert len(pdf.pages) == 5
    assert text.count("(Kèm theo Quyết định số 01/QĐ-UBND ngày 16 tháng 3 năm 2026") == 3
    from dirdesk.registers.search import search

    hits = search(registry, "họp chuyên đề")  # only Phụ lục II says it: the decision is found by it
    assert [(h.kind, h.id) for h in hits] == [("outgoing", row["id"])]


def test_a_quy_che_alone_takes_no_number_of_its_own(registry):
    from dirdesk.registers import outgoing
    from dirdesk.registers.errors import RegisterError

    draft = draft_from_dict(json.loads(TEMPLATE_QC.read_text("utf-8")))
    with pytest.raises(RegisterError, match="Quy chế được ban hành kèm theo quyết định và không lấy số riêng"):
        outgoing.issue(registry, draft, render=False)
    assert registry.query("SELECT count(*) AS n FROM outgoing")[0]["n"] == 0


def test_a_cong_van_with_one_phu_luc():
    from dirdesk.draft_attachments import Attachment

    draft = load_draft(FIXTURES / "state-cong-van.json")
    draft = dataclasses.replace(draft, attachments=[Attachment(kind="phu-luc", title="Danh sách cơ sở kiểm tra",
                                                               body="1. Chợ Ngọc Hà.\n2. Chợ Hàng Da./.")])
    with pdfplumber.open(io.BytesIO(render_pdf_bytes(build_layout(draft)))) as pdf:
        last = squash(pdf.pages[-1].extract_text())
        count = len(pdf.pages)
    assert count == len(paginate(build_layout(dataclasses.replace(draft, attachments=[])))) + 1
    # a single phụ lục is not numbered (NĐ 30 Phụ lục I IV.1.a); the note names the công văn
    assert last.startswith("Phụ lục DANH SÁCH CƠ SỞ KIỂM TRA (Kèm theo Công văn số 856/UBND-VP ngày 14 tháng 10 "
                           "năm 2025 của Ủy ban nhân dân phường Ba Đình)")


def test_the_note_names_who_issued_the_decision_from_its_authority_line():
    """NĐ 30 Phụ lục III Mẫu 1.3: the thẩm quyền ban hành line above the căn cứ; 05-HD: the body
    "# BAN THƯỜNG VỤ ĐẢNG ỦY PHƯỜNG" above "QUYẾT ĐỊNH". Without either, the issuer's name."""
    from dirdesk.draft_attachments import Attachment

    annex = [Attachment(kind="phu-luc", title="Danh sách", body="1. Một./.")]
    chu_tich = dataclasses.replace(load_draft(FIXTURES / "state-quyet-dinh.json"), attachments=annex)
    party = draft_from_dict(json.loads((RULES_DIR.parents[0] / "templates" / "party" / "quyet-dinh.json")
                                       .read_text("utf-8")))
    party = dataclasses.replace(party, attachments=annex, number=3, date=load_draft(PARTY).date)
    cong_van = dataclasses.replace(load_draft(FIXTURES / "state-cong-van.json"), attachments=annex)
    for draft, said in ((chu_tich, "của Chủ tịch Ủy ban nhân dân phường Ba Đình)"),
                        (party, "(Kèm theo Quyết định số 03-QĐ/ĐU, ngày 15/7/2026 của Ban Thường vụ Đảng ủy phường)"),
                        (cong_van, "của Ủy ban nhân dân phường Ba Đình)")):
        notes = [p.text for p in build_layout(draft).paragraphs() if p.role == "attached_note"]
        assert len(notes) == 1 and notes[0].endswith(said), notes
