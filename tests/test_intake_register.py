"""Received files into the incoming register (`dirdesk incoming add FILE`): the
row filled from the document, the file kept by hash, its signatures read, a
dry run that writes nothing, and a document never registered twice by mistake."""

import dataclasses
import hashlib
import io
import json
import shutil
import sqlite3
from pathlib import Path

import pytest

from dirdesk.draft import load_draft
from dirdesk.layout import build_layout
from dirdesk.registers import incoming, open_registry
from dirdesk.registers.errors import DuplicateEntry
from dirdesk.registers.intake_entry import entry_from_file, entry_from_parsed
from dirdesk.render import render_docx_bytes, render_pdf_bytes
from tests.conftest import FIXTURES, ROOT, run
from tests.signing import append_page_content, rendered_pdf, sign

SEEDS = ROOT / "tests" / "fixtures" / "seeds"
RECEIVED = "2026-03-16"


def add(capsys, db, *argv):
    """`incoming add … --json`: (exit code, the row as JSON or None, stderr)."""
    code, out, err = run(capsys, "incoming", "add", *argv, "--received", RECEIVED, "--json", "--db", db)
    return code, (json.loads(out) if code == 0 and out.strip() else None), err


def rendered(tmp_path, name: str, ext: str, **changes) -> str:
    """A fixture draft (with fields changed) rendered to a DOCX or PDF in tmp_path."""
    draft = dataclasses.replace(load_draft(FIXTURES / f"{name}.json"), **changes)
    doc = build_layout(draft)
    path = tmp_path / f"{name}{ext}"
    path.write_bytes(render_pdf_bytes(doc) if ext == ".pdf" else render_docx_bytes(doc))
    return str(path)


def sha256(path) -> str:
    with open(path, "rb") as fh:
        return hashlib.sha256(fh.read()).hexdigest()


def counts(db) -> dict:
    conn = sqlite3.connect(db)
    try:
        return {t: conn.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0]
                for t in ("incoming", "incoming_files", "attachments", "audit")}
    finally:
        conn.close()


def stored_files(db) -> list[str]:
    return sorted(str(p) for p in Path(db).with_name("so-files").rglob("*") if p.is_file())


# ---------------------------------------------------------------- the row read from the file

EXPECTED = {
    # file: (author, symbol, doc_date, type, type_name, subject)
    "seed-000.txt": ("ĐẢNG ỦY PHƯỜNG BÁCH QUANG", "66-CV/ĐU", "2021-09-08", "CV", "Công văn",
                     "V/v chỉ đạo tăng cường công tác tuyên truyền, vận động phòng, chống dịch bệnh COVID-19"),
    "seed-003.txt": ("ĐẢNG ỦY P. THƯỢNG THANH", "60-NQ/ĐU", "2021-09-06", "NQ", "Nghị quyết",
                     "Tăng cường công tác phòng, chống dịch bệnh Covid-19 trên địa bàn phường theo tinh thần "
                     "Chỉ thị số 06-CT/TU ngày 01/9/2021 của Ban Thường vụ Thành ủy Hà Nội"),
    "seed-004.pdf": ("ĐẢNG ỦY KHỐI CƠ QUAN - DOANH NGHIỆP TỈNH", "159-CV/ĐUK", "2021-01-14", "CV", "Công văn",
                     "V/v tăng cường công tác phòng, chống dịch Covid-19"),
    "state-cong-van.docx": ("ỦY BAN NHÂN DÂN PHƯỜNG BA ĐÌNH", "856/UBND-VP", "2025-10-14", "CV", "Công văn",
                            "V/v tăng cường công tác phòng cháy, chữa cháy và cứu nạn, cứu hộ tại khu dân cư "
                            "mùa hanh khô năm 2025 - 2026"),
    "state-quyet-dinh.pdf": ("ỦY BAN NHÂN DÂN PHƯỜNG BA ĐÌNH", "318/QĐ-UBND", "2026-03-10", "QĐ", "Quyết định",
                             "Về việc thành lập Tổ công tác kiểm tra trật tự đô thị, trật tự xây dựng trên địa "
                             "bàn phường Ba Đình"),
}


def received_file(tmp_path, name: str) -> str:
    """A seed text (tests/fixtures/seeds) copied, or a fixture draft rendered, into tmp_path."""
    stem, ext = name.rsplit(".", 1)
    if stem.startswith("seed-") and ext == "txt":
        (source,) = SEEDS.glob(f"{stem[5:]}_*.txt")
        target = tmp_path / name
        shutil.copyfile(source, target)
        return str(target)
    return rendered(tmp_path, stem, "." + ext)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_the_row_is_filled_from_the_received_file(capsys, db, tmp_path, name):
    path = received_file(tmp_path, name)
    code, row, err = add(capsys, db, path)
    assert code == 0, err
    assert (row["author"], row["symbol"], row["doc_date"], row["type"], row["type_name"],
            row["subject"]) == EXPECTED[name]
    assert (row["number"], row["year"], row["received_date"]) == (1, 2026, RECEIVED)
    assert (row["urgency"], row["secrecy"], row["signatures"]) == (None, None, [])
    (kept,) = row["files"]
    assert (kept["name"], kept["sha256"]) == (name, sha256(path))
    with open_registry(db) as reg:
        body = reg.one("SELECT body FROM incoming")["body"]
    assert len(body) > 500 and "*" not in body  # the text, without markup, for search


def test_urgency_secrecy_and_the_text_are_read_and_searchable(capsys, db, tmp_path):
    path = rendered(tmp_path, "state-cong-van", ".pdf", number=856, urgency="HỎA TỐC", secrecy="MẬT")
    code, row, _ = add(capsys, db, path)
    assert code == 0 and (row["urgency"], row["secrecy"]) == ("HỎA TỐC", "MẬT")
    code, out, _ = run(capsys, "search", "mua hanh kho", "--register", "incoming", "--json", "--db", db)
    assert [hit["symbol"] for hit in json.loads(out)] == ["856/UBND-VP"]


def test_options_override_what_was_read_and_text_output_shows_the_row(capsys, db, tmp_path):
    path = rendered(tmp_path, "seed-002", ".pdf")
    code, out, err = run(capsys, "incoming", "add", path, "--from", "Tỉnh ủy Bắc Kạn", "--subject",
                         "V/v phòng, chống dịch", "--deadline", "2026-03-30", "--received", RECEIVED, "--db", db)
    assert code == 0, err
    lines = out.splitlines()
    assert lines[0] == "01"  # the số đến first, for scripts
    assert "author: Tỉnh ủy Bắc Kạn" in lines and "symbol: 309-CV/TU" in lines
    assert "subject: V/v phòng, chống dịch" in lines and "deadline: 2026-03-30" in lines
    assert "chữ ký số: không có (tệp PDF không mang chữ ký số)" in lines


# ---------------------------------------------------------------- dry run


def test_a_dry_run_prints_the_row_and_writes_nothing(capsys, db, tmp_path):
    assert add(capsys, db, received_file(tmp_path, "seed-000.txt"))[0] == 0
    before, files_before = counts(db), stored_files(db)
    db_bytes = open(db, "rb").read()
    path = rendered(tmp_path, "seed-002", ".pdf")
    code, row, err = add(capsys, db, path, "--dry-run")
    assert code == 0, err
    assert row["dry_run"] is True and row["id"] is None
    assert (row["number"], row["symbol"], row["author"]) == (2, "309-CV/TU", "TỈNH ỦY BẮC KẠN")
    assert row["files"][0]["sha256"] == sha256(path) and row["duplicates"] == []
    assert counts(db) == before and stored_files(db) == files_before
    assert open(db, "rb").read() == db_bytes
    code, out, _ = run(capsys, "incoming", "add", path, "--dry-run", "--received", RECEIVED, "--db", db)
    lines = out.splitlines()
    assert lines[0] == "chạy thử, chưa ghi gì vào sổ: sẽ vào sổ số đến 02/2026"
    assert "symbol: 309-CV/TU" in lines and f"tệp: seed-002.pdf ({Path(path).stat().st_size} byte)" in lines
    assert counts(db) == before and open(db, "rb").read() == db_bytes
    assert add(capsys, db, path)[1]["number"] == 2  # the number the dry run showed


# ---------------------------------------------------------------- duplicates


def test_the_same_file_twice_is_refused_naming_the_entry(capsys, db, tmp_path):
    path = rendered(tmp_path, "seed-002", ".pdf")
    assert add(capsys, db, path)[0] == 0
    before = counts(db)
    code, _, err = add(capsys, db, path)
    assert code == 3
    assert ("Văn bản này đã vào sổ: số đến 01/2026 ngày 16/03/2026 — TỈNH ỦY BẮC KẠN, 309-CV/TU "
            "(cùng nội dung với tệp seed-002.pdf).") in err
    assert "--allow-duplicate" in err
    assert counts(db) == before  # no row, no số đến used
    code, row, _ = add(capsys, db, path, "--dry-run")
    assert code == 3  # the dry run says the same
    code, row, _ = add(capsys, db, "--subject", "Giấy mời họp")
    assert row["number"] == 2


def test_the_docx_of_a_registered_pdf_is_a_duplicate_by_issuer_and_symbol(capsys, db, tmp_path):
    assert add(capsys, db, rendered(tmp_path, "seed-002", ".pdf"))[0] == 0
    code, _, err = add(capsys, db, rendered(tmp_path, "seed-002", ".docx"))
    assert code == 3 and "(cùng tác giả và số, ký hiệu)" in err and "số đến 01/2026" in err
    # typed by hand, in other case and spacing: still the same document
    code, _, err = add(capsys, db, "--from", "tỉnh ủy  bắc kạn", "--symbol", "309-cv/tu", "--subject", "x")
    assert code == 3
    # the same symbol on another date is another document (numbers restart each year or term)
    code, row, _ = add(capsys, db, "--from", "Tỉnh ủy Bắc Kạn", "--symbol", "309-CV/TU", "--date", "2022-07-20",
                       "--subject", "Về một việc khác")
    assert code == 0 and row["number"] == 2


def test_allow_duplicate_registers_a_second_copy(capsys, db, tmp_path):
    path = rendered(tmp_path, "seed-002", ".pdf")
    add(capsys, db, path)
    code, row, _ = add(capsys, db, path, "--allow-duplicate", "--note", "Bản thứ hai, gửi Chi bộ 3")
    assert code == 0 and row["number"] == 2
    assert row["files"][0]["sha256"] == sha256(path)
    assert counts(db)["attachments"] == 1  # the content is kept once


def test_a_deleted_entry_is_not_a_duplicate(capsys, db, tmp_path):
    path = rendered(tmp_path, "seed-002", ".pdf")
    add(capsys, db, path)
    assert run(capsys, "incoming", "delete", "1/2026", "--db", db)[0] == 0
    assert add(capsys, db, path)[1]["number"] == 2


def test_the_duplicate_check_runs_again_inside_the_add_transaction(tmp_path):
    """Two windows: both preview the same file as new; the second to add is refused."""
    path = rendered(tmp_path, "seed-002", ".pdf")
    first, second = open_registry(tmp_path / "so.sqlite"), open_registry(tmp_path / "so.sqlite")
    try:
        entry, _ = entry_from_file(path)
        assert incoming.preview(first, entry).duplicates == []
        assert incoming.preview(second, entry).duplicates == []
        incoming.add(first, entry)
        with pytest.raises(DuplicateEntry, match="đã vào sổ: số đến 01/") as caught:
            incoming.add(second, entry)
        assert [d.reason for d in caught.value.duplicates] == ["file"]
        assert second.one("SELECT COUNT(*) AS n FROM incoming")["n"] == 1
    finally:
        first.close()
        second.close()


# ---------------------------------------------------------------- files that cannot be read


def scanned_pdf(tmp_path) -> str:
    """A PDF with no text layer: what a scanner makes (here a drawn rectangle)."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    page = canvas.Canvas(buffer, pagesize=A4)
    page.rect(100, 100, 300, 400, fill=1)
    page.showPage()
    page.save()
    path = tmp_path / "ban-quet.pdf"
    path.write_bytes(buffer.getvalue())
    return str(path)


def test_a_scanned_pdf_needs_the_fields_typed(capsys, db, tmp_path):
    path = scanned_pdf(tmp_path)
    code, _, err = add(capsys, db, path)
    assert code == 2
    assert "PDF không có lớp chữ (bản quét)" in err and "--subject" in err
    assert not Path(db).exists()  # refused before the register was even opened
    code, row, err = add(capsys, db, path, "--from", "Tỉnh ủy Bắc Kạn", "--symbol", "309-CV/TU",
                         "--date", "2021-07-20", "--subject", "Về công tác phòng, chống dịch Covid-19")
    assert code == 0 and "PDF không có lớp chữ" in err
    assert (row["author"], row["symbol"], row["doc_date"]) == ("Tỉnh ủy Bắc Kạn", "309-CV/TU", "2021-07-20")
    assert row["files"][0]["sha256"] == sha256(path) and row["signatures"] == []


def test_a_refused_entry_stores_no_file_and_uses_no_number(capsys, db, tmp_path):
    path = rendered(tmp_path, "seed-002", ".pdf")
    code, _, err = add(capsys, db, path, "--date", "2026-03-17")
    assert code == 2 and "Ngày của văn bản không thể sau ngày đến" in err
    assert stored_files(db) == [] and counts(db)["incoming"] == 0
    assert add(capsys, db, path)[1]["number"] == 1


def test_a_document_that_came_after_its_deadline_is_entered_with_a_warning(capsys, db, tmp_path):
    path = rendered(tmp_path, "seed-002", ".pdf")
    code, row, err = add(capsys, db, path, "--deadline", "2026-03-01")
    assert code == 0 and row["number"] == 1 and row["deadline"] == "2026-03-01"
    assert "chú ý: Văn bản đến sau hạn giải quyết (hạn 01/03/2026, ngày đến 16/03/2026)" in err


def test_entry_from_parsed_without_a_parse_holds_only_the_file():
    entry = entry_from_parsed(None, b"%PDF-1.4 scan", "Công văn đến.pdf")
    assert entry.files == [("Công văn đến.pdf", b"%PDF-1.4 scan")]
    assert (entry.author, entry.symbol, entry.subject, entry.signatures) == ("", "", "", [])


# ---------------------------------------------------------------- signatures


def test_the_signatures_of_a_received_pdf_are_kept_and_shown(capsys, db, tmp_path):
    path = tmp_path / "cv-ky-so.pdf"
    path.write_bytes(sign(rendered_pdf("seed-002")))
    code, row, err = add(capsys, db, str(path))
    assert code == 0, err
    (sig,) = row["signatures"]
    assert (sig["signer"], sig["intact"], sig["modified_after_signing"], sig["trusted"], sig["file"]) == (
        "NGUYEN VAN A", True, False, None, "cv-ky-so.pdf")
    assert row["symbol"] == "309-CV/TU"  # the signed PDF is read like any other
    code, out, _ = run(capsys, "incoming", "show", "1/2026", "--db", db)
    (line,) = [ln for ln in out.splitlines() if ln.startswith("chữ ký số:")]
    assert line.startswith("chữ ký số: Ký bởi NGUYEN VAN A (Co quan Tinh uy) lúc ")
    assert "nội dung không bị thay đổi sau khi ký" in line and "chưa kiểm tra được chứng thư số" in line
    shown = json.loads(run(capsys, "incoming", "show", "1/2026", "--json", "--db", db)[1])
    assert shown["signatures"] == row["signatures"]


def test_a_pdf_changed_after_signing_is_shown_with_a_warning(capsys, db, tmp_path):
    path = tmp_path / "cv-da-sua.pdf"
    path.write_bytes(append_page_content(sign(rendered_pdf("seed-002"))))
    code, out, err = run(capsys, "incoming", "add", str(path), "--received", RECEIVED, "--db", db)
    assert code == 0, err
    assert any("CẢNH BÁO: tệp đã bị sửa sau khi ký" in ln for ln in out.splitlines())
