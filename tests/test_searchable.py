"""A scan read whole in the background (intake/searchable.py, registers/ocr_text.py, `dirdesk incoming ocr`):
every page read, a searchable copy beside the original (which stays byte for byte), the text found by
the search without diacritics; a cancel or a failure writes nothing."""

from __future__ import annotations

import hashlib
import io
import json
from pathlib import Path

import pdfplumber
import pytest

from dirdesk.intake import ocr
from dirdesk.intake.searchable import OcrCancelled, Searchable, make_searchable, scan_pages
from dirdesk.registers import incoming, ocr_text, open_registry, search
from dirdesk.registers.attachments import read_attachment
from dirdesk.registers.errors import RegisterError
from dirdesk.text import fold
from tests.conftest import run
from tests.scans import BODY, DPI, LEFT, TOP, UNIQUE, image_pdf, page_image, three_page_scan

CORPUS = Path(__file__).resolve().parents[1] / ".." / "shared" / "corpus" / "received"
needs_ocr = pytest.mark.skipif(ocr.unavailable() is not None, reason=f"no OCR here: {ocr.unavailable()}")


@pytest.fixture(scope="module")
def scan() -> bytes:
    return three_page_scan()


@pytest.fixture(scope="module")
def made(scan) -> tuple[Searchable, list]:
    if ocr.unavailable():
        pytest.skip(ocr.unavailable())
    steps = []
    return make_searchable(scan, progress=lambda i, n: steps.append((i, n))), steps


def _page_words(pdf: bytes) -> list[list[dict]]:
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        return [page.extract_words() for page in doc.pages]


def _has_unique(text: str) -> bool:
    return fold(UNIQUE) in fold(text)


def _files_on_disk(reg) -> list[Path]:
    return sorted(p for p in reg.files_dir.rglob("*") if p.is_file())


# --- the searchable copy -----------------------------------------------------------------------------------

def test_every_page_is_read_and_the_copy_has_its_words_where_the_picture_has_them(scan, made):
    result, steps = made
    assert steps == [(1, 3), (2, 3), (3, 3)]
    assert result.read == [0, 1, 2] and result.skipped == []
    assert [_has_unique(t) for t in result.texts] == [False, True, False]
    words = _page_words(result.pdf)
    assert [_has_unique(" ".join(w["text"] for w in page)) for page in words] == [False, True, False]
    # The invisible words lie on the pictured ones: "Chương" starts the first line of page 2.
    first = min(words[1], key=lambda w: (round(w["top"]), w["x0"]))
    assert abs(first["x0"] - LEFT * 72 / DPI) < 6 and abs(first["top"] - TOP * 72 / DPI) < 8
    with pdfplumber.open(io.BytesIO(scan)) as original:
        assert [page.extract_words() for page in original.pages] == [[], [], []]  # the original has no text


def test_the_original_bytes_are_untouched_and_the_copy_keeps_its_pages(scan, made):
    before = hashlib.sha256(scan).hexdigest()
    result, _ = made
    assert hashlib.sha256(scan).hexdigest() == before
    from pypdf import PdfReader

    original, copy = PdfReader(io.BytesIO(scan)), PdfReader(io.BytesIO(result.pdf))
    assert [tuple(p.mediabox) for p in copy.pages] == [tuple(p.mediabox) for p in original.pages]
    assert scan_pages(result.pdf) == []  # the copy is no scan any more: every page has its text
    assert scan_pages(scan) == [0, 1, 2]


def _ink_covered(original: bytes, copy: bytes) -> list[float]:
    """For each page, the share of the original's ink under the copy's words once they are made visible
    (and the page's picture left out)."""
    import numpy as np
    import pypdfium2
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import DictionaryObject, NameObject

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(copy)))
    for page in writer.pages:
        content = page.get_contents()
        content.set_data(content.get_data().replace(b"3 Tr", b"0 Tr"))  # invisible text drawn, as boxes
        page.replace_contents(content)
        page["/Resources"][NameObject("/XObject")] = DictionaryObject()  # the scanned picture not drawn
    shown = io.BytesIO()
    writer.write(shown)
    shares = []
    a, b = pypdfium2.PdfDocument(original), pypdfium2.PdfDocument(shown.getvalue())
    for i in range(len(a)):
        ink = np.asarray(a[i].render(scale=0.5).to_pil().convert("L")) < 128
        boxes = np.asarray(b[i].render(scale=0.5).to_pil().convert("L")) < 128
        grown = boxes | np.roll(boxes, 1, 0) | np.roll(boxes, -1, 0) | np.roll(boxes, 1, 1) | np.roll(boxes, -1, 1)
        shares.append(float((ink & grown).sum() / max(1, ink.sum())))
    return shares


@needs_ocr
def test_the_layer_follows_a_page_on_its_side_a_skewed_one_and_a_page_with_rotate():
    lines = [f"Chương trình {UNIQUE} năm 2026", *BODY]
    scan = image_pdf([page_image(lines, turn=90), page_image(lines, skew=2.0), page_image(lines)],
                     rotate={2: 90})
    result = make_searchable(scan)
    assert all(_has_unique(t) for t in result.texts)
    assert all(share > 0.95 for share in _ink_covered(scan, result.pdf)), _ink_covered(scan, result.pdf)


@needs_ocr
def test_a_page_with_its_own_text_is_taken_as_it_is(scan, monkeypatch):
    from reportlab.pdfgen.canvas import Canvas

    from dirdesk.fonts import face  # the renderer's Vietnamese font

    buffer = io.BytesIO()
    canvas = Canvas(buffer)
    canvas.setFont(face(False, False), 13)
    canvas.drawString(72, 760, "Thực hiện kế hoạch của Ủy ban nhân dân phường về phát triển nông nghiệp")
    canvas.showPage()
    canvas.save()
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    writer.add_page(PdfReader(buffer).pages[0])
    writer.add_page(PdfReader(io.BytesIO(scan)).pages[1])
    mixed = io.BytesIO()
    writer.write(mixed)
    result = make_searchable(mixed.getvalue())
    assert result.read == [1]
    assert "Ủy ban nhân dân phường" in result.texts[0] and _has_unique(result.texts[1])


@needs_ocr
def test_cancel_between_pages_returns_nothing(scan):
    steps = []
    with pytest.raises(OcrCancelled) as stopped:
        make_searchable(scan, progress=lambda i, n: steps.append(i), cancelled=lambda: len(steps) >= 1)
    assert steps == [1] and "đã dừng" in str(stopped.value)


# --- in the register ---------------------------------------------------------------------------------------

@pytest.fixture
def reg(tmp_path):
    registry = open_registry(tmp_path / "so.sqlite")
    yield registry
    registry.close()


def _entry(reg, data: bytes, name="cv-khuyen-nong.pdf") -> dict:
    return incoming.add(reg, incoming.IncomingEntry(subject="Về việc tổ chức hội nghị", author="UBND phường",
                                                    files=[(name, data)]))


def _state(reg) -> tuple:
    """Everything an OCR run may write: the files, the rows, the index, the audit, the kept files."""
    return (reg.query("SELECT * FROM incoming_files ORDER BY rowid"), reg.query("SELECT * FROM incoming"),
            reg.query("SELECT rowid, * FROM search_index"), reg.query("SELECT count(*) AS n FROM audit"),
            reg.query("SELECT * FROM attachments ORDER BY sha256"), _files_on_disk(reg))


def _fake(pdf: bytes, text: str):
    def fake(data, *, progress=None, cancelled=None):
        return Searchable(texts=[text, ""], pdf=pdf, read=[0, 1], seconds={0: 1.0, 1: 1.0})
    return fake


def test_the_copy_and_the_text_go_in_one_write_and_a_second_run_replaces_the_first(reg, scan, monkeypatch):
    row = _entry(reg, scan)
    monkeypatch.setattr(ocr_text, "make_searchable", _fake(b"%PDF-1.4 first copy", f"Chương trình {UNIQUE}"))
    first = ocr_text.read_entry_text(reg, row["id"])
    monkeypatch.setattr(ocr_text, "make_searchable", _fake(b"%PDF-1.4 second copy", f"Đề án {UNIQUE} mới"))
    second = ocr_text.read_entry_text(reg, row["id"])
    files = incoming.files_of(reg, row["id"])
    assert [(f["name"], f["role"]) for f in files] == [
        ("cv-khuyen-nong.pdf", "received"), ("cv-khuyen-nong - Bản có lớp chữ (OCR).pdf", "ocr")]
    assert read_attachment(reg, files[0]["sha256"]) == scan
    assert read_attachment(reg, files[1]["sha256"]) == b"%PDF-1.4 second copy"
    # The first copy, referred to by nothing any more, is gone with its record.
    assert reg.one("SELECT 1 FROM attachments WHERE sha256 = ?", [first.sha256]) is None
    assert len(_files_on_disk(reg)) == 2
    stored = incoming.find(reg, f"#{row['id']}")
    kept = ("number", "year", "subject", "author", "received_date", "symbol", "status")
    assert {k: stored[k] for k in kept} == {k: row[k] for k in kept}
    assert stored["body"] == "Đề án Khuyến nông mới" == second.row["body"]
    assert [h.id for h in search.search(reg, "de an khuyen nong")] == [row["id"]]
    assert search.search(reg, "chuong trinh") == []  # the first reading's words went with it
    assert [h["action"] for h in reg.query("SELECT action FROM audit WHERE table_name = 'incoming'")] == [
        "insert", "ocr", "ocr"]


def test_a_pdf_with_text_on_every_page_is_not_read(reg, monkeypatch):
    from dirdesk.draft import draft_from_dict
    from dirdesk.layout import build_layout
    from dirdesk.render import render_pdf_bytes

    draft = json.loads((Path(__file__).parent / "fixtures" / "drafts" / "seed-000.json").read_text("utf-8"))
    row = _entry(reg, render_pdf_bytes(build_layout(draft_from_dict(draft))))
    before = _state(reg)
    with pytest.raises(RegisterError, match="đã có sẵn chữ"):
        ocr_text.read_entry_text(reg, row["id"])
    assert _state(reg) == before


@needs_ocr
def test_a_cancel_writes_nothing(reg, scan):
    row = _entry(reg, scan)
    before = _state(reg)
    with pytest.raises(OcrCancelled):
        ocr_text.read_entry_text(reg, row["id"], cancelled=lambda: True)
    assert _state(reg) == before


def test_without_tesseract_nothing_is_written_and_the_reason_is_vietnamese(reg, scan, monkeypatch, capsys):
    row = _entry(reg, scan)
    before = _state(reg)
    monkeypatch.setattr(ocr, "unavailable", lambda: ocr.MISSING_TESSERACT)
    with pytest.raises(RegisterError) as refused:
        ocr_text.read_entry_text(reg, row["id"])
    assert str(refused.value).startswith(f"Chưa đọc được chữ của văn bản đến số {row['number']:02d}/{row['year']}")
    assert "máy chưa cài chương trình đọc chữ Tesseract" in str(refused.value)
    assert _state(reg) == before
    code, _, err = run(capsys, "incoming", "ocr", str(row["number"]), "--year", str(row["year"]),
                       "--db", str(reg.path))
    assert code == 2 and "lỗi: Chưa đọc được chữ" in err and "Traceback" not in err
    assert _state(reg) == before


# --- the commands ------------------------------------------------------------------------------------------

@needs_ocr
def test_incoming_add_of_a_scan_reads_it_whole_and_search_finds_a_word_of_page_2(capsys, tmp_path, scan, db):
    path = tmp_path / "cv-khuyen-nong.pdf"
    path.write_bytes(scan)
    code, out, err = run(capsys, "incoming", "add", str(path), "--subject", "Về việc tập huấn", "--db", db,
                         "--received", "2026-03-02")
    assert code == 0 and out.splitlines()[0] == "01"
    assert "đang đọc chữ trang 2/3 của văn bản đến số 01/2026…" in err
    code, out, _ = run(capsys, "search", "khuyen nong", "--db", db, "--json")
    assert [(h["kind"], h["subject"]) for h in json.loads(out)] == [("incoming", "Về việc tập huấn")]
    code, out, _ = run(capsys, "incoming", "show", "1/2026", "--db", db, "--json")
    names = [f["name"] for f in json.loads(out)["files"]]
    assert names == ["cv-khuyen-nong.pdf", "cv-khuyen-nong - Bản có lớp chữ (OCR).pdf"]


@needs_ocr
def test_no_ocr_skips_it_and_incoming_ocr_reads_it_later(capsys, tmp_path, scan, db):
    path = tmp_path / "quet.pdf"
    path.write_bytes(scan)
    code, _, err = run(capsys, "incoming", "add", str(path), "--subject", "Về việc tập huấn", "--no-ocr", "--db", db,
                       "--received", "2026-03-02")
    assert code == 0 and "đang đọc chữ trang 2/3" not in err
    assert json.loads(run(capsys, "search", "khuyen nong", "--db", db, "--json")[1]) == []
    code, out, err = run(capsys, "incoming", "ocr", "1", "--year", "2026", "--db", db)
    assert code == 0 and "đang đọc chữ trang 3/3 của văn bản đến số 01/2026…" in err
    assert "đã đọc chữ 3 trang (3 trang bằng OCR" in out and "bản gốc giữ nguyên" in out
    assert len(json.loads(run(capsys, "search", "khuyen nong", "--db", db, "--json")[1])) == 1
    with open_registry(Path(db)) as reg:
        [original, _] = incoming.files_of(reg, 1)
        assert read_attachment(reg, original["sha256"]) == scan


@needs_ocr
@pytest.mark.slow
def test_a_signed_corpus_scan_keeps_its_signature_after_its_copy_is_made(reg):
    from dirdesk.intake.signatures import read_signatures

    [path] = sorted(CORPUS.glob("13_*.pdf"))
    data = path.read_bytes()
    signed = read_signatures(data)
    assert signed and all(s["intact"] and not s["modified_after_signing"] for s in signed)
    row = _entry(reg, data, path.name)
    result = ocr_text.read_entry_text(reg, row["id"])
    assert result.read  # its pages are pictures: read with OCR
    [original, copy] = incoming.files_of(reg, row["id"])
    kept = read_attachment(reg, original["sha256"])
    assert hashlib.sha256(kept).digest() == hashlib.sha256(data).digest()
    assert read_signatures(kept) == signed  # the original still verifies, as before
    assert "Quảng Ngãi" in incoming.find(reg, f"#{row['id']}")["body"]
    assert [h.id for h in search.search(reg, "quang ngai")] == [row["id"]]
    assert read_attachment(reg, copy["sha256"]) != data
