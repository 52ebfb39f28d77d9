"""Vào sổ văn bản đến from a received file: fields read in the background and
prefilled, corrected by the clerk, duplicates warned about, a scan typed by
hand, the "ĐẾN" stamp, and the issue's flow: drop a seed file → fields
prefilled → save → found by search."""

from __future__ import annotations

import datetime as dt
import hashlib
import unicodedata
from pathlib import Path

import pdfplumber
import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QFileDialog

from dirdesk.gui import dialogs
from dirdesk.gui.intake import start_intake
from dirdesk.gui.sections import Detached
from dirdesk.registers import incoming

SEED = Path(__file__).resolve().parents[1] / "fixtures" / "seeds" / "000_36ca7867178ae216.txt"


class FakeWindow(Detached):
    """What the intake asks of the main window, recorded."""

    def __init__(self):
        super().__init__()
        self.opened, self.statuses, self.entries_shown = [], [], []

    def open_entry(self, register, row_id):
        self.opened.append((register, row_id))

    def show_entry(self, register, row_id):
        self.entries_shown.append((register, row_id))

    def status(self, text, ms=5000):
        self.statuses.append(text)


def rows(reg):
    return reg.query("SELECT * FROM incoming ORDER BY id")


def opened(qtbot, context, path):
    dialog = start_intake(context, path)
    assert dialog is not None
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.ready, timeout=30000)
    return dialog


def save(qtbot, dialog, button=None):
    qtbot.mouseClick(button or dialog.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.ready, timeout=30000)


@pytest.fixture(autouse=True)
def discard_on_close(monkeypatch):
    """Closing a dialog with typed corrections asks first; at a test's end, the answer is "discard"."""
    monkeypatch.setattr(dialogs, "ask_yes_no", lambda *a, **k: True)


@pytest.fixture
def scan_pdf(tmp_path):
    """A PDF with no text layer: one page with only a rectangle, as a scanner's image would be."""
    from reportlab.pdfgen.canvas import Canvas

    path = tmp_path / "scan-cong-van.pdf"
    canvas = Canvas(str(path))
    canvas.rect(100, 400, 300, 200, fill=1)
    canvas.showPage()
    canvas.save()
    return path


def test_a_seed_file_comes_up_prefilled_and_nothing_is_written_yet(qtbot, context):
    dialog = opened(qtbot, context, SEED)
    assert dialog.author.text() == "ĐẢNG ỦY PHƯỜNG BÁCH QUANG"
    assert dialog.symbol.text() == "66-CV/ĐU"
    assert dialog.doc_date.text() == "08/09/2021"
    assert dialog.type_name.currentText() == "Công văn"
    assert dialog.subject.toPlainText() == ("V/v chỉ đạo tăng cường công tác tuyên truyền, vận động phòng, "
                                            "chống dịch bệnh COVID-19")
    assert dialog.received_date.text() == dt.date.today().strftime("%d/%m/%Y")
    assert f"01/{dt.date.today().year}" in dialog.number.text()
    assert dialog.signatures.item(0).text() == "Tệp không phải PDF nên không có chữ ký số."
    assert not dialog.notice.isVisible() and not dialog.duplicate_frame.isVisible()
    assert dialog.save_button.isEnabled()
    assert rows(context.registry) == []


def test_edited_fields_are_saved_in_nfc_with_the_file_attached(qtbot, context):
    window = FakeWindow()
    context.window = window
    changes = []
    context.ops.changed.connect(changes.append)
    dialog = opened(qtbot, context, SEED)
    dialog.subject.setPlainText("V/v tăng cường phòng, chống dịch COVID-19")
    dialog.handler.lineEdit().clear()
    dialog.handler.lineEdit().insert(unicodedata.normalize("NFD", "Trần Văn Bình"))  # as some keyboards send it
    deadline = dt.date.today() + dt.timedelta(days=10)
    dialog.deadline.setText(deadline.strftime("%d/%m/%Y"))
    dialog.urgency.setCurrentIndex(dialog.urgency.findData("KHẨN"))
    save(qtbot, dialog)

    [row] = rows(context.registry)
    assert row["subject"] == "V/v tăng cường phòng, chống dịch COVID-19"
    assert row["handler"] == "Trần Văn Bình" and unicodedata.is_normalized("NFC", row["handler"])
    assert (row["author"], row["symbol"], row["doc_date"]) == ("ĐẢNG ỦY PHƯỜNG BÁCH QUANG", "66-CV/ĐU", "2021-09-08")
    assert (row["deadline"], row["urgency"], row["type"]) == (deadline.isoformat(), "KHẨN", "CV")
    [attached] = incoming.files_of(context.registry, row["id"])
    assert attached["name"] == SEED.name
    assert attached["sha256"] == hashlib.sha256(SEED.read_bytes()).hexdigest()
    assert dialog.row["id"] == row["id"]
    assert f"số đến 01/{dt.date.today().year}" in dialog.done_text.text()
    assert window.entries_shown == [("incoming", row["id"])] and window.opened == []  # selected, not opened
    assert [(c.what, c.row_id) for c in changes] == [("incoming", row["id"])]  # every section hears of it
    assert window.statuses == [f"Đã vào sổ văn bản đến số 01/{dt.date.today().year}."]


def test_the_same_file_again_is_a_duplicate_added_only_as_a_second_copy(qtbot, context):
    context.window = window = FakeWindow()
    first = opened(qtbot, context, SEED)
    save(qtbot, first)
    [existing] = rows(context.registry)

    second = opened(qtbot, context, SEED)
    assert second.duplicate_frame.isVisible()
    text = second.duplicate_text.text()
    assert f"số đến 01/{existing['year']}" in text and "66-CV/ĐU" in text
    assert not second.save_button.isEnabled()
    second.save()  # Enter on the disabled default button, or a call from elsewhere: refused
    assert len(rows(context.registry)) == 1

    qtbot.mouseClick(second.open_existing_button, Qt.MouseButton.LeftButton)
    assert window.opened[-1] == ("incoming", existing["id"])

    save(qtbot, second, second.allow_button)
    assert [r["number"] for r in rows(context.registry)] == [1, 2]
    assert window.entries_shown[-1] == ("incoming", rows(context.registry)[1]["id"])
    assert "(bản thứ hai)" in second.done_text.text()


def test_a_changed_symbol_is_checked_again_and_no_longer_a_duplicate(qtbot, context, tmp_path):
    first = opened(qtbot, context, SEED)
    save(qtbot, first)
    copy = tmp_path / "ban-khac.txt"  # another file (other bytes), same issuer and symbol
    copy.write_text(SEED.read_text(encoding="utf-8") + "\nBản gửi lần hai.\n", encoding="utf-8")
    dialog = opened(qtbot, context, copy)
    assert dialog.duplicate_frame.isVisible() and "cùng tác giả và số, ký hiệu" in dialog.duplicate_text.text()
    dialog.symbol.setText("67-CV/ĐU")
    qtbot.waitUntil(lambda: not dialog.duplicate_frame.isVisible())
    assert dialog.save_button.isEnabled()


def test_registered_meanwhile_by_another_window_is_refused_and_said(qtbot, context):
    from dirdesk.registers import open_registry
    from dirdesk.registers.intake_entry import entry_from_file

    dialog = opened(qtbot, context, SEED)
    with open_registry(context.registry.path) as other:  # another window registers it first
        incoming.add(other, entry_from_file(SEED)[0])
    dialog.check_duplicates = lambda: []  # it happens after the dialog's last look at the register
    save(qtbot, dialog)
    assert len(rows(context.registry)) == 1
    assert dialog.row is None
    assert "vừa được vào sổ" in dialog.duplicate_text.text() and dialog.duplicate_frame.isVisible()


def test_a_scan_says_so_and_the_clerk_types_the_fields(qtbot, context, scan_pdf):
    dialog = opened(qtbot, context, scan_pdf)
    assert dialog.notice.isVisible()
    assert "Tệp PDF này là bản quét (không có lớp chữ)." in dialog.notice.text()
    assert "gõ các trường" in dialog.notice.text()
    assert dialog.author.text() == dialog.symbol.text() == dialog.subject.toPlainText() == ""
    assert dialog.fields.isEnabled()

    save(qtbot, dialog)
    assert dialog.error.isVisible() and "ít nhất trích yếu" in dialog.error.text()
    assert rows(context.registry) == []

    dialog.author.insert("Ban Tuyên giáo Thành ủy")  # QTest types Latin-1 only
    qtbot.keyClicks(dialog.symbol, "215-CV/BTGTU")
    qtbot.keyClicks(dialog.doc_date, "3/10/2021")
    dialog.subject.setPlainText("V/v tuyên truyền kỷ niệm ngày thành lập Đảng bộ")
    save(qtbot, dialog)
    [row] = rows(context.registry)
    assert (row["author"], row["symbol"], row["doc_date"]) == ("Ban Tuyên giáo Thành ủy", "215-CV/BTGTU",
                                                               "2021-10-03")
    assert [f["name"] for f in incoming.files_of(context.registry, row["id"])] == ["scan-cong-van.pdf"]


def test_a_date_that_is_not_a_date_is_named_and_nothing_added(qtbot, context):
    dialog = opened(qtbot, context, SEED)
    dialog.doc_date.setText("31/02/2021")
    save(qtbot, dialog)
    assert "Ngày văn bản “31/02/2021” không phải một ngày hợp lệ" in dialog.error.text()
    assert rows(context.registry) == []
    dialog.received_date.setText("5/13/2026")
    save(qtbot, dialog)
    assert "Ngày đến “5/13/2026” không phải một ngày hợp lệ" in dialog.error.text()
    assert rows(context.registry) == []


def test_cancel_writes_nothing_and_asks_before_dropping_typed_text(qtbot, context, monkeypatch):
    dialog = opened(qtbot, context, SEED)
    qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible() and dialog.result() == 0

    dialog = opened(qtbot, context, SEED)
    dialog.note.setText("Bản chụp")
    answers = [False, True]
    monkeypatch.setattr(dialogs, "ask_yes_no", lambda *a, **k: answers.pop(0))
    qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible() and dialog.note.text() == "Bản chụp"  # "No": kept
    qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()
    assert rows(context.registry) == [] and not list(context.registry.files_dir.rglob("*.txt"))


def test_drop_a_seed_file_save_and_find_it_by_search_without_diacritics(qtbot, context):
    from dirdesk.gui.search import SearchSection

    dialog = opened(qtbot, context, SEED)
    save(qtbot, dialog)
    section = SearchSection(context)
    qtbot.addWidget(section)
    section.show()
    with qtbot.waitSignal(section.results_shown, timeout=30000):
        qtbot.keyClicks(section.query, "phong chong dich")
    model = section.model
    found = [(r.register, r.id) for r in model.results]
    assert found == [("incoming", dialog.row["id"])]
    subject = model.index(0, 3)
    assert [subject.data()[a:b] for a, b in model.data(subject, section_spans_role())] == ["phòng", "chống", "dịch"]


def section_spans_role():
    from dirdesk.gui.search import SPANS_ROLE

    return SPANS_ROLE


def test_stamp_from_the_dialog_writes_a_pdf_with_den(qtbot, context, tmp_path, monkeypatch):
    dialog = opened(qtbot, context, SEED)
    save(qtbot, dialog)
    target = tmp_path / "ra" / "ban-dong-dau"
    target.parent.mkdir()
    asked = []

    def choose(parent, caption, suggested, filters):
        asked.append(Path(suggested).name)
        return str(target), filters

    monkeypatch.setattr(QFileDialog, "getSaveFileName", choose)
    with qtbot.waitSignal(dialog.stamped, timeout=30000) as signal:
        qtbot.mouseClick(dialog.stamp_button, Qt.MouseButton.LeftButton)
    written = Path(signal.args[0])
    assert written == target.with_name("ban-dong-dau.pdf")  # the .pdf the name lacked
    assert asked == [f"000_36ca7867178ae216-den-01-{dt.date.today().year}.pdf"]
    with pdfplumber.open(written) as pdf:
        assert "ĐẾN" in pdf.pages[0].extract_text()
    assert "Dấu ĐẾN: trang 1, cách mép trái" in dialog.done_text.text()
    assert [p.name for p in written.parent.iterdir()] == ["ban-dong-dau.pdf"]  # no temporary file left
    urls = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: urls.append(url.toLocalFile()) or True)
    qtbot.mouseClick(dialog.open_stamped_button, Qt.MouseButton.LeftButton)
    assert urls == [str(written)]


def test_stamp_cancelled_in_the_file_dialog_writes_nothing(qtbot, context, tmp_path, monkeypatch):
    dialog = opened(qtbot, context, SEED)
    save(qtbot, dialog)
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: ("", ""))
    qtbot.mouseClick(dialog.stamp_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.ready and dialog.stamp_button.isEnabled(), timeout=30000)
    assert not list(tmp_path.rglob("*-den-*.pdf"))


def test_open_file_opens_a_copy_of_the_kept_attachment(qtbot, context, monkeypatch):
    urls = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: urls.append(url) or True)
    dialog = opened(qtbot, context, SEED)
    save(qtbot, dialog)
    qtbot.mouseClick(dialog.open_button, Qt.MouseButton.LeftButton)
    [url] = urls
    copy = Path(url.toLocalFile())
    assert copy.name == SEED.name and copy.read_bytes() == SEED.read_bytes() and copy.parent != SEED.parent


def test_a_missing_file_opens_nothing_and_says_why(qtbot, context, tmp_path, monkeypatch):
    said = []
    monkeypatch.setattr(dialogs, "show_error", lambda parent, text, title="": said.append(text))
    assert start_intake(context, tmp_path / "khong-co.pdf") is None
    assert start_intake(context, tmp_path) is None
    assert "Không tìm thấy tệp" in said[0] and "khong-co.pdf" in said[0]
    assert "là một thư mục" in said[1]


def test_the_digital_signatures_of_a_received_pdf_are_listed(qtbot, context, tmp_path):
    from tests.signing import rendered_pdf, sign

    path = tmp_path / "cong-van-ky-so.pdf"
    path.write_bytes(sign(rendered_pdf("seed-000"), "NGUYEN VAN A", "Co quan Tinh uy"))
    dialog = opened(qtbot, context, path)
    assert dialog.signatures.count() == 1
    summary = dialog.signatures.item(0).text()
    assert summary.startswith("Ký bởi NGUYEN VAN A (Co quan Tinh uy) lúc ")
    assert "nội dung không bị thay đổi sau khi ký" in summary
    assert dialog.symbol.text() == "66-CV/ĐU" and dialog.pdf_document.pageCount() >= 1  # shown beside the fields


def test_fields_the_file_did_not_give_are_named_marked_and_the_first_focused(qtbot, context, tmp_path):
    path = tmp_path / "giay-moi.txt"
    path.write_text("GIẤY MỜI\nDự hội nghị tổng kết công tác năm 2026\n\nTrân trọng kính mời đồng chí tới dự.\n",
                    encoding="utf-8")
    dialog = opened(qtbot, context, path)
    text = dialog.notice.text()
    assert dialog.notice.isVisible() and "Chưa đọc được từ tệp:" in text
    assert "tác giả" in text and "số, ký hiệu" in text and "ngày văn bản" in text
    assert dialog.author.styleSheet() and dialog.symbol.styleSheet()
    assert dialog.focusWidget() is dialog.author  # the first field to type
    dialog.symbol.setText("05/GM-UBND")
    assert dialog.symbol.styleSheet() == ""  # typed: no longer marked
