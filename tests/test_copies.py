"""Copies (sao y, sao lục, trích sao): the block after the copied pages, read back from the PDF, and the
copies' numbers (NĐ 30 Phụ lục I Phần II, Phụ lục III Mẫu 3.1; 05-HD Phụ lục 3)."""

import datetime as dt
import io
import json
import subprocess
import sys

import pdfplumber
import pytest

from dirdesk.cli import main
from dirdesk.registers import copies, incoming, open_registry, outgoing
from dirdesk.registers.attachments import read_attachment, sha256_of
from dirdesk.registers.audit import soft_delete, undelete
from dirdesk.registers.errors import RegisterError
from dirdesk.registers.profile import add_term, set_profile_value
from dirdesk.registers.schema import SCHEMA_VERSION
from tests.conftest import ROOT, fixture_draft
from tests.scans import three_page_scan

MM = 72 / 25.4
ON = dt.date(2026, 3, 9)
STATE_SIGNER = {"authority": "TM. ỦY BAN NHÂN DÂN", "title": "CHỦ TỊCH", "name": "Nguyễn Văn An"}
PARTY_SIGNER = {"authority": "T/M BAN THƯỜNG VỤ", "title": "PHÓ BÍ THƯ", "name": "Lê Thị Bình"}


def prepare(reg, style):
    set_profile_value(reg, "style", style)
    if style == "state":
        set_profile_value(reg, "issuer", {"name": "Ủy ban nhân dân phường Bách Quang", "code": "UBND"})
        set_profile_value(reg, "signers", [STATE_SIGNER])
    else:
        set_profile_value(reg, "issuer", {"name": "Đảng ủy phường Bách Quang", "code": "ĐU"})
        set_profile_value(reg, "signers", [PARTY_SIGNER])
    set_profile_value(reg, "place", "Bách Quang")
    return reg


@pytest.fixture
def state_reg(registry):
    prepare(registry, "state")
    row = outgoing.issue(registry, fixture_draft("state-cong-van"))
    return registry, row


@pytest.fixture
def party_reg(registry):
    prepare(registry, "party")
    row = outgoing.issue(registry, fixture_draft("seed-000"))
    return registry, row


def words(data: bytes, page: int = -1) -> list[dict]:
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return pdf.pages[page].extract_words(extra_attrs=["fontname", "size"], keep_blank_chars=False)


def text_of(data: bytes, page: int = -1) -> str:
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return " ".join((pdf.pages[page].extract_text() or "").split())


def page_count(data: bytes) -> int:
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return len(pdf.pages)


def line_of(ws: list[dict], first: str) -> list[dict]:
    """The words on the line that begins with the word `first` (the first such line)."""
    start = next(w for w in ws if w["text"] == first)
    return [w for w in ws if abs(w["top"] - start["top"]) < 2 and w["x0"] >= start["x0"] - 1]


def test_sao_y_of_an_issued_document_goes_under_its_last_page(state_reg):
    reg, row = state_reg
    source = read_attachment(reg, row["pdf_sha256"])
    made = copies.make_copy(reg, "outgoing", row["symbol"], "sao-y", on=ON, recipients=["Các tổ dân phố", "Lưu: VT"])
    assert made.row["symbol"] == "01/SY-UBND" and made.row["number"] == 1
    assert page_count(made.data) == page_count(source)  # the block fits on the last page: no page added
    assert not made.placement.new_page
    before, after = words(source), words(made.data)
    lowest = max(w["bottom"] for w in before)
    added = [w for w in after if w["top"] > lowest]
    assert [w["text"] for w in after if w["top"] <= lowest] == [w["text"] for w in before]  # nothing covered
    kind = line_of(added, "SAO")
    assert [w["text"] for w in kind] == ["SAO", "Y"]
    assert all("Bold" in w["fontname"] and round(w["size"]) == 14 for w in kind)  # Phụ lục I II.2.b: 13-14, đậm
    text = " ".join(w["text"] for w in added)
    for expected in ("Số: 01/SY-UBND", "ỦY BAN NHÂN DÂN PHƯỜNG", "Bách Quang, ngày 09 tháng 3 năm 2026",
                     "Nơi nhận:", "- Các tổ dân phố;", "- Lưu: VT.", "CHỦ TỊCH", "Nguyễn Văn An"):
        assert expected in text
    date = line_of(added, "Bách")
    assert all("Italic" in w["fontname"] for w in date)
    # the solid line across the text width (165 mm from the 30 mm margin), between the content and the block
    with pdfplumber.open(io.BytesIO(made.data)) as pdf:
        page = pdf.pages[-1]
        rules = [ln for ln in page.lines + page.rects if abs((ln["x1"] - ln["x0"]) - 165 * MM) < 1
                 and lowest < ln["top"] < min(w["top"] for w in added)]
    assert rules and abs(rules[0]["x0"] - 30 * MM) < 0.5
    # the SAO Y column is right of the office's, as in Mẫu 3.1
    assert kind[0]["x0"] > next(w for w in added if w["text"] == "Số:")["x1"]
    assert read_attachment(reg, made.row["pdf_sha256"]) == made.data


def test_one_sequence_for_every_kind_a_year_and_cancelled_numbers_are_not_reused(state_reg):
    reg, row = state_reg
    first = copies.make_copy(reg, "outgoing", row["symbol"], "sao-y", on=ON).row
    second = copies.make_copy(reg, "outgoing", row["symbol"], "trich-sao", pages="1", on=ON).row
    cancelled = copies.cancel(reg, second["symbol"], "in nhầm trang")
    assert cancelled["status"] == "cancelled" and cancelled["cancel_reason"] == "in nhầm trang"
    sao_luc = copies.make_copy(reg, "outgoing", row["symbol"], "sao-luc", on=ON)
    third = sao_luc.row
    assert third["from_copy_id"] == first["id"]  # printed from the sao y (NĐ 30 Điều 25 khoản 2 điểm b)
    printed = " ".join(text_of(sao_luc.data, i) for i in range(page_count(sao_luc.data)))
    assert "SAO Y" in printed and "Số: 01/SY-UBND" in printed and "SAO LỤC" in printed
    assert [first["symbol"], second["symbol"], third["symbol"]] == ["01/SY-UBND", "02/TrS-UBND", "03/SL-UBND"]
    next_year = copies.make_copy(reg, "outgoing", row["symbol"], "sao-y", on=dt.date(2027, 1, 4)).row
    assert next_year["symbol"] == "01/SY-UBND"  # from 01 on 1 January (Phụ lục I Phần II II.1.c)
    with pytest.raises(RegisterError, match="đã bị hủy"):
        copies.cancel(reg, "02/TrS-UBND", "lần nữa")
    with pytest.raises(RegisterError, match="lý do"):
        copies.cancel(reg, "03/SL-UBND", "  ")
    listed = copies.list_copies(reg)
    assert [r["source"] for r in listed] == [f"văn bản đi {row['symbol']}"] * 4
    assert "đã hủy: in nhầm trang" in copies.describe(listed[1])


def test_party_copy_has_the_red_80_by_50_box_and_one_bs_sequence(party_reg):
    reg, row = party_reg
    made = copies.make_copy(reg, "outgoing", row["symbol"], "sao-y", on=ON, recipients=["Chi bộ khu phố 3"])
    assert made.row["symbol"] == "01-BS/ĐU"
    with pdfplumber.open(io.BytesIO(made.data)) as pdf:
        page = pdf.pages[made.placement.page - 1]
        boxes = [r for r in page.rects if r["stroking_color"] and r["stroking_color"][0] > 0.7
                 and r["stroking_color"][1] < 0.2]
        assert len(boxes) == 1
        box = boxes[0]
        lw = box["linewidth"]
        assert abs((box["width"] + lw) / MM - 80) < 0.3 and abs((box["height"] + lw) / MM - 50) < 0.3
        assert abs((box["x0"] - lw / 2) / MM - 30) < 0.3  # at the left margin, under Nơi nhận (05-HD III.2.2.1)
        inside = [w for w in page.extract_words(extra_attrs=["fontname", "size"])
                  if box["x0"] < w["x0"] and w["x1"] < box["x1"] and box["top"] < w["top"]
                  and w["bottom"] < box["bottom"]]
        chars = [c for c in page.chars if box["x0"] < c["x0"] < box["x1"] and box["top"] < c["top"] < box["bottom"]]
    text = " ".join(w["text"] for w in inside)
    for expected in ("BẢN SAO VĂN BẢN", "Cơ quan, tổ chức sao:", "Số, ký hiệu bản sao: 01-BS/ĐU",
                     "Hình thức sao: sao y", "Bách Quang, ngày 09 tháng 3 năm 2026", "Chi bộ khu phố 3"):
        assert expected in text
    heading = line_of(inside, "BẢN")
    assert all("Bold" in w["fontname"] and round(w["size"]) == 13 for w in heading)  # 05-HD Phụ lục 3 mục 1.1
    assert all(c["non_stroking_color"][0] > 0.7 for c in chars)  # "mực dấu màu đỏ"
    signer = [w for w in words(made.data, made.placement.page - 1) if w["text"] == "Bình"]
    assert signer and signer[0]["x0"] > box["x1"]  # the copying signer on the right
    # 05-HD: one BS sequence for every kind within the term
    assert copies.make_copy(reg, "outgoing", row["symbol"], "trich-sao", pages="1", on=ON).row["symbol"] == "02-BS/ĐU"
    # … and from 01 again in a new term (the profile's term start), not on 1 January
    assert copies.make_copy(reg, "outgoing", row["symbol"], "sao-y", on=dt.date(2027, 1, 4)).row["number"] == 3
    add_term(reg, dt.date(2027, 2, 1))
    assert copies.make_copy(reg, "outgoing", row["symbol"], "sao-y", on=dt.date(2027, 2, 2)).row["symbol"] == "01-BS/ĐU"


def test_trich_sao_keeps_only_the_chosen_pages_of_a_received_scan_and_leaves_it_unchanged(registry, capsys):
    reg = prepare(registry, "state")
    scan = three_page_scan()
    entry = incoming.add(reg, incoming.IncomingEntry(received_date=ON, author="UBND thành phố", symbol="15/KH-UBND",
                                                     subject="Kế hoạch tập huấn", files=[("ke-hoach.pdf", scan)]))
    made = copies.make_copy(reg, "incoming", f"{entry['number']}/{entry['year']}", "trich-sao", pages="1-2", on=ON)
    assert made.row["symbol"] == "01/TrS-UBND" and made.row["pages"] == "1-2"
    assert page_count(made.data) == 2 and not made.placement.new_page  # page 2's lines leave room under them
    added = words(made.data)
    assert "TRÍCH SAO" in " ".join(w["text"] for w in added)
    # the block starts below the scan's ink: page 2's four lines of 44 px type end above 220 + 4 × 72 px
    # (tests/scans.py, 200 dpi), and the words of the block are all new text on the picture
    ink_bottom = (220 + 4 * 72) / 200 * 72
    assert min(w["top"] for w in added) > ink_bottom
    files = incoming.files_of(reg, entry["id"])
    assert read_attachment(reg, files[0]["sha256"]) == scan and files[0]["sha256"] == sha256_of(scan)
    assert copies.list_copies(reg)[0]["source"] == f"văn bản đến {entry['number']:02d}/{entry['year']} (15/KH-UBND)"
    assert main(["incoming", "show", f"#{entry['id']}", "--db", str(reg.path)]) == 0
    assert "bản sao: 01/TrS-UBND ngày 09/03/2026, trích sao trang 1-2" in capsys.readouterr().out
    sao_y = copies.make_copy(reg, "incoming", f"{entry['number']}/{entry['year']}", "sao-y", on=ON)
    assert page_count(sao_y.data) == 3 and sao_y.row["symbol"] == "02/SY-UBND"


def test_a_full_last_page_gets_the_block_on_a_new_page(party_reg):
    reg, row = party_reg
    source = read_attachment(reg, row["pdf_sha256"])
    made = copies.make_copy(reg, "outgoing", row["symbol"], "sao-y", on=ON)
    assert made.placement.new_page and page_count(made.data) == page_count(source) + 1
    assert text_of(made.data, -2) == text_of(source, -1)  # the copied pages as they were
    with pdfplumber.open(io.BytesIO(made.data)) as pdf:  # the line across the text width at the top margin
        page = pdf.pages[-1]
        rules = [ln for ln in page.lines + page.rects if abs((ln["x1"] - ln["x0"]) - 165 * MM) < 1]
    assert len(rules) == 1 and abs(rules[0]["top"] / MM - 20) < 1.5
    assert min(w["top"] for w in words(made.data)) > rules[0]["bottom"]


def test_a_failed_write_or_a_refused_copy_uses_no_number(state_reg):
    reg, row = state_reg
    with pytest.raises(RegisterError, match="chưa có bản sao y"):
        copies.make_copy(reg, "outgoing", row["symbol"], "sao-luc", on=ON)

    def disk_full(data):
        raise OSError(28, "No space left on device")

    with pytest.raises(OSError):
        copies.make_copy(reg, "outgoing", row["symbol"], "sao-y", on=ON, write=disk_full)
    for kind, pages, message in (("trich-sao", None, "trang được trích"), ("sao-y", "1", "toàn bộ"),
                                 ("trich-sao", "3-4", "không có trong văn bản")):
        with pytest.raises(Exception, match=message):
            copies.make_copy(reg, "outgoing", row["symbol"], kind, pages=pages, on=ON)
    with reg.transaction():
        soft_delete(reg, "outgoing", row["id"])
    with pytest.raises(RegisterError, match="đã bị xóa"):
        copies.make_copy(reg, "outgoing", row["symbol"], "sao-y", on=ON)
    with reg.transaction():
        undelete(reg, "outgoing", row["id"])
    assert reg.query("SELECT * FROM copies") == []
    assert copies.make_copy(reg, "outgoing", row["symbol"], "sao-y", on=ON).row["number"] == 1


def test_the_signer_hook_signs_the_copy_before_it_is_kept(state_reg):
    reg, row = state_reg
    seen = []

    def sign(data: bytes) -> bytes:  # the "sign" part's signer goes here (an incremental update)
        seen.append(data)
        return data + b"%signed\n"

    made = copies.make_copy(reg, "outgoing", row["symbol"], "sao-y", on=ON, sign=sign)
    assert made.data == seen[0] + b"%signed\n" == read_attachment(reg, made.row["pdf_sha256"])


def test_command_makes_the_copy_prints_its_number_and_fails_with_exit_2(tmp_path, capsys):
    db = tmp_path / "so.sqlite"
    with open_registry(db) as reg:
        prepare(reg, "state")
        symbol = outgoing.issue(reg, fixture_draft("state-cong-van"))["symbol"]
        assert reg.conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    target = tmp_path / "ban-sao.pdf"
    assert main(["copy", "outgoing", symbol, "--kind", "sao-y", "-o", str(target), "--db", str(db)]) == 0
    assert "01/SY-UBND" in capsys.readouterr().out and target.read_bytes().startswith(b"%PDF")
    assert main(["copy", "outgoing", symbol, "--kind", "sao-y", "-o", str(tmp_path / "no" / "x.pdf"),
                 "--db", str(db)]) == 2
    assert "lỗi:" in capsys.readouterr().err
    assert main(["copy", "outgoing", symbol, "--kind", "sao-luc", "-o", str(tmp_path / "sl.pdf"), "--json",
                 "--db", str(db)]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert shown["copy"]["symbol"] == "02/SL-UBND" and shown["copy"]["recipients"] == "Lưu: VT"
    assert shown["path"] == str(tmp_path / "sl.pdf") and shown["placement"]["pages"] == page_count(
        (tmp_path / "sl.pdf").read_bytes())
    assert main(["copy", "cancel", "01/SY-UBND", "--reason", "sai nơi nhận", "--db", str(db)]) == 0
    assert main(["copy", "list", "--db", str(db)]) == 0
    listed = capsys.readouterr().out
    assert "01/SY-UBND" in listed and "đã hủy: sai nơi nhận" in listed and symbol in listed
    assert main(["outgoing", "show", symbol, "--db", str(db)]) == 0
    shown = capsys.readouterr().out
    assert "bản sao: 01/SY-UBND" in shown and "(đã hủy: sai nơi nhận)" in shown
    with open_registry(db) as reg:
        assert [r["number"] for r in reg.query("SELECT number FROM copies")] == [1, 2]


def test_processes_copying_at_once_get_distinct_numbers_without_gaps(tmp_path):
    db = tmp_path / "so.sqlite"
    with open_registry(db) as reg:
        prepare(reg, "party")
        outgoing.issue(reg, fixture_draft("seed-000"))
    go = tmp_path / "go"
    workers = [subprocess.Popen([sys.executable, "-m", "tests.register_worker", str(db), "copy", "3", str(go)],
                                cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
               for _ in range(3)]
    for w in workers:
        assert w.stdout.readline().strip() == "ready", w.stderr.read()
    go.touch()
    for w in workers:
        _, err = w.communicate(timeout=300)
        assert w.returncode == 0, err
    with open_registry(db) as reg:
        rows = reg.query("SELECT number, symbol, pdf_sha256 FROM copies ORDER BY number")
    assert [r["number"] for r in rows] == list(range(1, 10))
    assert len({r["pdf_sha256"] for r in rows}) == 9  # each copy prints its own number


def add_received(reg, name: str, data: bytes) -> str:
    entry = incoming.add(reg, incoming.IncomingEntry(received_date=ON, author="Thành ủy", symbol=f"{name}-CV/TU",
                                                     subject="V/v thử sao", files=[(f"{name}.pdf", data)]),
                         allow_duplicate=True)
    return f"{entry['number']}/{entry['year']}"


def test_a_signed_received_original_stays_byte_identical(registry):
    from tests.signing import rendered_pdf, sign

    reg = prepare(registry, "state")
    signed = sign(rendered_pdf("state-cong-van"))
    ref = add_received(reg, "215", signed)
    made = copies.make_copy(reg, "incoming", ref, "sao-y", on=ON)
    sha = incoming.files_of(reg, incoming.find(reg, ref)["id"])[0]["sha256"]
    assert read_attachment(reg, sha) == signed and sha == sha256_of(signed)
    assert made.data != signed and "SAO Y" in text_of(made.data)


def test_a_page_turned_on_its_side_gets_the_block_upright_under_its_content(registry):
    from tests.scans import image_pdf, page_image

    reg = prepare(registry, "state")
    # a sheet scanned on its side: the picture is turned, the page's /Rotate turns it back
    scan = image_pdf([page_image(["Nơi nhận: như trên; Lưu văn thư.", "Kế hoạch tập huấn"], turn=90)], {0: 90})
    made = copies.make_copy(reg, "incoming", add_received(reg, "16", scan), "sao-y", on=ON)
    import pypdfium2  # the page as a viewer shows it, its /Rotate applied (pdfplumber measures it unturned)

    pdf = pypdfium2.PdfDocument(made.data)
    image = pdf[0].render(scale=50 / 72, grayscale=True).to_pil().convert("L")
    pdf.close()
    width, height = image.size
    assert height > width  # upright A4
    px = 25.4 / 50  # mm a pixel
    pixels = image.load()
    # the copy's solid line: the one row dark across most of the 165 mm text width
    rows = [y for y in range(height) if sum(pixels[x, y] < 128 for x in range(width)) > 0.8 * 165 / px]
    assert rows, "no line across the text width"
    line_y = rows[0] * px
    dark = [x for x in range(width) if pixels[x, rows[0]] < 128]
    assert abs(dark[0] * px - 30) < 1.5  # from the left margin: the block is upright, not turned with the scan
    assert (220 + 2 * 72) / 200 * 25.4 < line_y < 70  # under the scan's two lines, not on a new page
    assert not made.placement.new_page


def test_party_box_goes_under_the_copied_nơi_nhận_when_the_last_page_has_room(registry):
    reg = prepare(registry, "party")
    row = outgoing.issue(reg, fixture_draft("party-bien-ban"))
    source = read_attachment(reg, row["pdf_sha256"])
    made = copies.make_copy(reg, "outgoing", row["symbol"], "sao-y", on=ON)
    assert not made.placement.new_page and page_count(made.data) == page_count(source)
    lowest = max(w["bottom"] for w in words(source))
    with pdfplumber.open(io.BytesIO(made.data)) as pdf:
        page = pdf.pages[-1]
        box = next(r for r in page.rects if r["stroking_color"] and r["stroking_color"][0] > 0.7)
        cc = next(w for w in page.extract_words() if w["text"].startswith("Nơi"))
    assert box["top"] > lowest and box["bottom"] < (297 - 20) * MM  # under the content, above the bottom margin
    assert abs(box["x0"] - cc["x0"]) < 2  # at the left, under the copied document's Nơi nhận (05-HD III.2.2.1)


def test_a_page_narrower_than_a4_gets_the_block_on_a_new_a4_page(registry):
    from tests.test_stamp import text_pdf

    reg = prepare(registry, "state")
    a5 = text_pdf([(20, 20, "Giấy mời họp tổ dân phố")], size=(148 * MM, 210 * MM))
    made = copies.make_copy(reg, "incoming", add_received(reg, "17", a5), "sao-y", on=ON)
    with pdfplumber.open(io.BytesIO(made.data)) as pdf:
        sizes = [(round(p.width / MM), round(p.height / MM)) for p in pdf.pages]
    assert made.placement.new_page and sizes == [(148, 210), (210, 297)]
    assert "SAO Y" in text_of(made.data)
