"""Attack: bad received files (issue 10, "Hangs"). Each input once hung DirDesk, used up a
số đến for nothing, stored a file it must not, or ended in a traceback. Every command runs in
a subprocess under a time limit, so a hang fails the test instead of stopping the run."""

import io
import json
import os
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
HEADER = ("ĐẢNG BỘ TỈNH THÁI NGUYÊN\nHUYỆN ỦY ĐẠI TỪ\n*\nSố 12-CV/HU\nV/v triển khai công tác\n"
          "ĐẢNG CỘNG SẢN VIỆT NAM\nĐại Từ, ngày 03 tháng 01 năm 2026\n\nKính gửi: Các chi bộ trực thuộc\n\n")
FOOTER = "\nNơi nhận:\n- Như trên,\n- Lưu Văn phòng.\n\nT/M HUYỆN ỦY\nBÍ THƯ\n\nNguyễn Văn A\n"
LINE = "Thực hiện chỉ đạo của cấp trên, đề nghị các đơn vị triển khai nội dung số {} đúng thời hạn.\n"


def dirdesk(*args, timeout=60):
    """`dirdesk ARGS` from this tree, in a subprocess: a hang is a failure, not a stuck run."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    started = time.monotonic()
    try:
        done = subprocess.run([sys.executable, "-m", "dirdesk", *map(str, args)], capture_output=True, text=True,
                              cwd=ROOT, env=env, timeout=timeout)
    except subprocess.TimeoutExpired:
        pytest.fail(f"dirdesk {' '.join(map(str, args))} did not end within {timeout} s")
    done.elapsed = time.monotonic() - started
    assert "Traceback" not in done.stderr, done.stderr
    return done


def long_text(path: Path, lines: int) -> Path:
    with path.open("w", encoding="utf-8") as fh:
        fh.write(HEADER)
        fh.writelines(LINE.format(i) for i in range(lines))
        fh.write(FOOTER)
    return path


def entries(db) -> list:
    done = dirdesk("incoming", "list", "--json", "--db", db)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)["entries"]


def test_20000_lines_parse_in_seconds_with_every_field(tmp_path):
    done = dirdesk("parse", long_text(tmp_path / "dai.txt", 20_000), timeout=30)
    assert done.returncode == 0, done.stderr
    parsed = json.loads(done.stdout)
    assert parsed["issuer"]["name"] == "HUYỆN ỦY ĐẠI TỪ" and parsed["signer"]["name"] == "Nguyễn Văn A"
    assert "số 19999 đúng thời hạn" in parsed["body"] and "lược bớt" not in parsed["body"]
    assert done.elapsed < 30


def test_500000_lines_are_read_head_and_tail_and_added_to_the_register(tmp_path):
    path = long_text(tmp_path / "rat-dai.txt", 500_000)
    done = dirdesk("parse", path, timeout=30)
    assert done.returncode == 0, done.stderr
    parsed = json.loads(done.stdout)
    assert parsed["date"] == "2026-01-03" and parsed["cc"] == ["Như trên", "Lưu Văn phòng"]
    assert parsed["signer"] == {"authority": "T/M HUYỆN ỦY", "title": "BÍ THƯ", "name": "Nguyễn Văn A"}
    assert "số 0 đúng" in parsed["body"] and "số 499999 đúng" in parsed["body"]
    assert "lược bớt" in parsed["body"] and "Văn bản dài" in done.stderr  # what is left out is said
    assert len(parsed["body"]) < 3_000_000
    db = tmp_path / "so.sqlite"
    done = dirdesk("incoming", "add", path, "--received", "2026-01-05", "--db", db, timeout=30)
    assert done.returncode == 0, done.stderr
    [row] = entries(db)
    assert row["author"] == "HUYỆN ỦY ĐẠI TỪ" and row["symbol"] == "12-CV/HU"


@pytest.mark.parametrize("text", ["chữ " * 5_000_000, "x" * 20_000_000], ids=["words", "one-word"])
def test_reading_copy_of_a_20_mb_line_is_bounded(tmp_path, text):
    path = tmp_path / "mot-dong.txt"
    path.write_text(text, encoding="utf-8")
    code = ("import datetime as dt, io, sys, pypdf\n"
            "from dirdesk.intake.text_of import lines_of\n"
            "from dirdesk.intake.stamp import StampFields, stamped_rendering\n"
            "data, _ = stamped_rendering(lines_of(sys.argv[1]), StampFields('UBND PHƯỜNG A', 3, dt.date(2026, 1, 5)))\n"
            "reader = pypdf.PdfReader(io.BytesIO(data))\n"
            "print(len(reader.pages)); print(reader.pages[-1].extract_text())\n")
    try:
        done = subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True, text=True, cwd=ROOT,
                              env={**os.environ, "PYTHONPATH": str(ROOT)}, timeout=40)
    except subprocess.TimeoutExpired:
        pytest.fail("the reading copy of a 20 MB line did not end within 40 s")
    assert done.returncode == 0, done.stderr
    pages, last = done.stdout.split("\n", 1)
    assert int(pages) == 200 and "bản đọc dừng ở trang 200" in last


def _docx_bomb(path: Path, unpacked: int) -> Path:
    """A DOCX whose document.xml, a run of empty paragraphs, unpacks to `unpacked` bytes."""
    import docx

    buf = io.BytesIO()
    docx.Document().save(buf)
    source = zipfile.ZipFile(io.BytesIO(buf.getvalue()))
    chunk = b"<w:p/>" * (1 << 17)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename != "word/document.xml":
                out.writestr(info.filename, data)
                continue
            head, tail = data.split(b"<w:body>")
            with out.open("word/document.xml", "w", force_zip64=True) as member:
                member.write(head + b"<w:body>")
                for _ in range(unpacked // len(chunk)):
                    member.write(chunk)
                member.write(tail)
    return path


def test_docx_bomb_is_refused_before_it_is_unpacked(tmp_path):
    bomb = _docx_bomb(tmp_path / "bom.docx", 300 * 1024 * 1024)
    assert bomb.stat().st_size < 2 * 1024 * 1024
    done = dirdesk("parse", bomb, timeout=20)
    assert done.returncode == 2 and "bom nén" in done.stderr and "word/document.xml" in done.stderr
    db = tmp_path / "so.sqlite"
    done = dirdesk("incoming", "add", bomb, "--received", "2026-01-05", "--db", db, timeout=20)
    assert done.returncode == 2 and "bom nén" in done.stderr
    assert entries(db) == []


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_fifo_named_pdf_is_refused_without_waiting(tmp_path):
    fifo = tmp_path / "cho.pdf"
    os.mkfifo(fifo)
    for args in (("parse", fifo), ("incoming", "add", fifo, "--db", tmp_path / "so.sqlite")):
        done = dirdesk(*args, timeout=15)
        assert done.returncode == 2 and "không phải tệp thật" in done.stderr


def test_symlink_is_never_stored_even_as_an_extra_file(tmp_path):
    secret = tmp_path / "bi-mat"
    secret.write_text("root:$6$secret-hash:19000:0:99999:7:::\n", encoding="utf-8")
    link = tmp_path / "cv.pdf"
    link.symlink_to(secret)
    good = long_text(tmp_path / "cv.txt", 3)
    db = tmp_path / "so.sqlite"
    for files in ([link], [good, link]):
        done = dirdesk("incoming", "add", *files, "--subject", "V/v thử", "--received", "2026-01-05", "--db", db)
        assert done.returncode == 2 and "liên kết" in done.stderr
    assert entries(db) == []  # no số đến used up
    assert b"secret-hash" not in b"".join(p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()
                                          and not p.is_symlink() and p != secret)


@pytest.mark.parametrize("content", [b"", b"\x00" * 4096, b"\xef\xbb\xbf \n\t\n\x00\r\n"],
                         ids=["empty", "nul", "blank"])
def test_empty_text_uses_no_number_unless_fields_are_typed(tmp_path, content):
    path = tmp_path / "trong.txt"
    path.write_bytes(content)
    db = tmp_path / "so.sqlite"
    done = dirdesk("incoming", "add", path, "--received", "2026-01-05", "--db", db)
    assert done.returncode == 2 and "không có chữ" in done.stderr
    assert entries(db) == []
    done = dirdesk("incoming", "add", path, "--subject", "V/v báo cáo", "--received", "2026-01-05", "--db", db)
    assert done.returncode == 0, done.stderr
    [row] = entries(db)
    assert row["subject"] == "V/v báo cáo"


def test_docx_without_text_is_refused(tmp_path):
    import docx

    path = tmp_path / "trong.docx"
    docx.Document().save(path)
    done = dirdesk("parse", path)
    assert done.returncode == 2 and "không có chữ" in done.stderr


def test_encrypted_pdf_says_it_has_a_password(tmp_path):
    from pypdf import PdfWriter
    from reportlab.pdfgen import canvas

    plain = tmp_path / "mo.pdf"
    page = canvas.Canvas(str(plain))
    page.drawString(100, 700, "Kính gửi: Ủy ban nhân dân phường")
    page.save()
    writer = PdfWriter(clone_from=plain)
    writer.encrypt("mat-khau")
    locked = tmp_path / "khoa.pdf"
    writer.write(locked)
    done = dirdesk("parse", locked)
    assert done.returncode == 2 and "có mật khẩu" in done.stderr


@pytest.mark.parametrize(("name", "data", "said"), [
    ("hong.pdf", b"%PDF-1.4\n1 0 obj << /Type /Catalog >>\n" * 50, "tệp PDF bị hỏng"),
    ("hong.docx", b"PK\x03\x04 not really a zip", "tệp DOCX bị hỏng"),
], ids=["pdf", "docx"])
def test_broken_files_get_a_message(tmp_path, name, data, said):
    path = tmp_path / name
    path.write_bytes(data)
    done = dirdesk("parse", path)
    assert done.returncode == 2 and said in done.stderr


def _pdf_of_pages(path: Path, pages: int) -> Path:
    from reportlab.pdfgen import canvas

    from dirdesk.fonts import face

    doc = canvas.Canvas(str(path))
    for number in range(1, pages + 1):
        doc.setFont(face(False, False), 13)
        doc.drawString(90, 760, f"Nội dung riêng của trang số {number}.")
        doc.showPage()
    doc.save()
    return path


def test_long_pdf_is_read_from_its_first_and_last_pages(tmp_path, monkeypatch):
    from dirdesk.intake import text_of

    monkeypatch.setattr(text_of, "PDF_HEAD_PAGES", 2)
    monkeypatch.setattr(text_of, "PDF_TAIL_PAGES", 1)
    lines = text_of.lines_of(_pdf_of_pages(tmp_path / "dai.pdf", 7))
    text = "\n".join(lines)
    assert "trang số 1." in text and "trang số 2." in text and "trang số 7." in text
    assert "trang số 3." not in text and "trang số 6." not in text
    assert "lược bớt 4 trang ở giữa văn bản" in text


def test_pdf_over_its_time_budget_stops_with_a_message(tmp_path, monkeypatch):
    from dirdesk.intake import text_of

    monkeypatch.setattr(text_of, "PDF_SECONDS", 0.0)
    with pytest.raises(text_of.IntakeError, match="quá nặng"):
        text_of.lines_of(_pdf_of_pages(tmp_path / "nang.pdf", 3))
