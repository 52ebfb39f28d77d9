"""The limits of reading a received file: a 2,000-page PDF read within a memory bound (its
first page's fields come back), and a bad file (with a password, cut short, empty, its
page image damaged) refused with a Vietnamese message, by `parse_file` and by
`dirdesk incoming add`, which then writes nothing to the register."""

import io
import tracemalloc
from pathlib import Path

import pytest

from dirdesk.intake import IntakeError, parse_file
from tests.bench_modules import load
from tests.conftest import run
from tests.test_intake_register import counts, stored_files

RECEIVED = "2026-04-03"


@pytest.fixture(scope="module")
def one_page():
    """A one-page thông báo (benchmarks/intake/scans.py) rendered by DirDesk, text layer and all,
    and its fields as it prints them."""
    scans = load("scans")
    draft = dict(scans.documents())["state-thong-bao"]
    return scans.rendered(draft), scans.expected(draft)


# --- a 2,000-page PDF ----------------------------------------------------------------------

MEMORY_BOUND_MB = 100  # measured: 25 MB of Python allocations for 2,000 pages, 11 MB for one


@pytest.mark.slow
def test_a_2000_page_pdf_gives_its_first_page_fields_within_a_memory_bound(one_page, tmp_path, monkeypatch):
    """About 15 s (tracemalloc slows pdfminer down 3×, so the reading's own time limit, which is for the
    clerk's machine without tracemalloc, is lifted here: this test is about memory)."""
    from dirdesk.intake import text_of
    from dirdesk.registers.intake_entry import author_of, symbol_of

    large = load("intake_large")
    page, want = one_page
    path = tmp_path / "dai.pdf"
    path.write_bytes(large.repeated(page, 2000))
    monkeypatch.setattr(text_of, "PDF_SECONDS", 600.0)
    tracemalloc.start()
    try:
        got = parse_file(path)
        peak = tracemalloc.get_traced_memory()[1] / 2**20
    finally:
        tracemalloc.stop()
    assert (symbol_of(got), got["date"], author_of(got["issuer"]), got["type"]) == \
        (want["symbol"], want["date"], want["issuer"], want["type"])
    assert peak < MEMORY_BOUND_MB, f"{peak:.0f} MB"


# --- bad files -------------------------------------------------------------------------------

def _encrypted(page: bytes) -> bytes:
    import pypdf

    writer = pypdf.PdfWriter(clone_from=pypdf.PdfReader(io.BytesIO(page)))
    writer.encrypt(user_password="matkhau", owner_password="chu", algorithm="AES-256")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _damaged_image(page: bytes) -> bytes:
    """The page as a scan (one JPEG picture, no text layer) whose picture's bytes past its first
    ones are overwritten, as a broken download leaves them (the file's structure stays sound)."""
    scans = load("scans")
    data = bytearray(scans.image_pdf(scans.raster(page, 100), 100))
    start = data.index(b"\xff\xd8\xff") + 64
    end = data.index(b"endstream", start) - 8
    assert end - start > 10_000
    data[start:end] = bytes(end - start)
    return bytes(data)


# name -> (how the file is made from the good one-page PDF, words the refusal must say)
BAD = {
    "mat-khau.pdf": (_encrypted, "có mật khẩu"),
    "cut-ngang.pdf": (lambda page: page[: len(page) // 3], "tệp PDF bị hỏng"),
    "rong.pdf": (lambda page: b"", "không đọc được"),
    "anh-hong.pdf": (_damaged_image, "bản quét"),
}


def _bad_file(tmp_path: Path, one_page, name: str) -> tuple[Path, str]:
    make, words = BAD[name]
    path = tmp_path / name
    path.write_bytes(make(one_page[0]))
    return path, words


@pytest.mark.parametrize("name", list(BAD))
def test_a_bad_file_is_refused_with_a_vietnamese_message(one_page, tmp_path, name):
    path, words = _bad_file(tmp_path, one_page, name)
    with pytest.raises(IntakeError) as caught:
        parse_file(path)
    message = str(caught.value)
    assert words in message and "Traceback" not in message


def test_the_refusal_of_a_damaged_scan_names_the_file_and_the_damage(one_page, tmp_path):
    path, _ = _bad_file(tmp_path, one_page, "anh-hong.pdf")
    with pytest.raises(IntakeError) as caught:
        parse_file(path)
    assert str(path) in str(caught.value) and "hỏng" in str(caught.value)


def test_an_empty_pdf_is_told_as_empty(one_page, tmp_path):
    path, _ = _bad_file(tmp_path, one_page, "rong.pdf")
    with pytest.raises(IntakeError, match="trống|rỗng"):
        parse_file(path)


def _register_state(db: str) -> tuple[dict, list[str]]:
    return counts(db), stored_files(db)


def test_incoming_add_refuses_each_bad_file_and_writes_nothing(one_page, tmp_path, db, capsys):
    good = tmp_path / "tot.pdf"
    good.write_bytes(one_page[0])
    code, _, err = run(capsys, "incoming", "add", str(good), "--received", RECEIVED, "--db", db)
    assert code == 0, err
    before = _register_state(db)
    assert before[0]["incoming"] == 1 and len(before[1]) == 1
    for name in BAD:
        path, words = _bad_file(tmp_path, one_page, name)
        code, out, err = run(capsys, "incoming", "add", str(path), "--received", RECEIVED, "--db", db)
        assert code != 0, name
        assert words in err and "Traceback" not in err, err
        assert _register_state(db) == before, name
