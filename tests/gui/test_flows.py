"""The clerk's whole flows in one real window, every section real (issue 5):

- a new draft from a template → edited → the preview follows → issued → the
  row is in Văn bản đi → the month's register exported to XLSX;
- a seed file dropped on the window → fields prefilled → saved → Văn bản đến
  shows it → Tìm kiếm finds it typed without diacritics.
"""

import datetime as dt
import io
from pathlib import Path

import openpyxl
import pypdf
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent

from dirdesk.gui.app import build_main_window
from dirdesk.gui.drafting.issuing import IssueConfirmDialog
from dirdesk.gui.drafting.newdoc import NewDocumentDialog
from dirdesk.gui.intake import IntakeDialog
from dirdesk.registers import outgoing
from tests.blanks import fill_blanks

ROOT = Path(__file__).resolve().parents[2]
SEED = next((ROOT / "tests" / "fixtures" / "seeds").glob("000_*.txt"))
TIMEOUT = 30000


def pdf_text(data: bytes | None) -> str:
    if not data:
        return ""
    return " ".join(" ".join(p.extract_text().split()) for p in pypdf.PdfReader(io.BytesIO(data)).pages)


def make_window(qtbot, registry, data_dir):
    win = build_main_window(registry, data_dir)
    qtbot.addWidget(win)
    win.start(daily_backup=False)
    qtbot.waitExposed(win)
    win.activateWindow()
    qtbot.waitUntil(win.isActiveWindow)
    return win


def test_new_draft_edit_preview_issue_row_in_register_then_month_export(qtbot, party_registry, data_dir,
                                                                        tmp_path, monkeypatch):
    win = make_window(qtbot, party_registry, data_dir)
    monkeypatch.setattr(NewDocumentDialog, "exec", lambda self: "CV")
    confirmations = []
    monkeypatch.setattr(IssueConfirmDialog, "exec", lambda self: confirmations.append(self) or True)

    qtbot.keyClick(win, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)  # Ctrl+N: a new công văn
    drafting = win.section("drafting")
    assert win.current_key() == "drafting"
    qtbot.waitUntil(lambda: "ĐẢNG ỦY PHƯỜNG BÁCH QUANG" in pdf_text(drafting.preview.pdf_bytes), timeout=TIMEOUT)

    subject = "V/v tổ chức Hội nghị sơ kết công tác quý IV năm 2026"
    drafting.form.ui.subject.setPlainText(subject)
    qtbot.waitUntil(lambda: "sơ kết công tác quý IV" in pdf_text(drafting.preview.pdf_bytes), timeout=TIMEOUT)
    drafting.load_data(fill_blanks(drafting.form.data()))  # the template's blanks "[…]" filled in

    with qtbot.waitSignal(drafting.issued, timeout=TIMEOUT) as issued:
        drafting.issue()
    assert confirmations[0].dialog.number_value.text() == "01-CV/ĐU"
    assert issued.args[0]["symbol"] == "01-CV/ĐU"

    section = win.show_section("outgoing")  # refreshed by the issue: the row is there
    qtbot.waitUntil(lambda: section.model.rowCount() == 1, timeout=TIMEOUT)
    cells = [section.model.index(0, c).data() or "" for c in range(section.model.columnCount())]
    assert any("01-CV/ĐU" in cell for cell in cells) and any("sơ kết công tác" in cell for cell in cells)

    books = win.show_section("registers")
    today = dt.date.today()
    books.choose("outgoing", month=f"{today:%Y-%m}")
    target = tmp_path / "so-di.xlsx"
    books.export_to(target, "xlsx")
    qtbot.waitUntil(target.exists, timeout=TIMEOUT)
    values = [str(c.value) for row in openpyxl.load_workbook(target).active.iter_rows() for c in row if c.value]
    assert any("01-CV/ĐU" in v for v in values) and any("sơ kết công tác quý IV" in v for v in values)
    assert [r["symbol"] for r in outgoing.list_rows(party_registry)] == ["01-CV/ĐU"]


def test_dropped_seed_is_prefilled_saved_listed_and_found_without_diacritics(qtbot, party_registry, data_dir):
    win = make_window(qtbot, party_registry, data_dir)
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(SEED))])
    drop = QDropEvent(QPointF(200, 200), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                      Qt.KeyboardModifier.NoModifier)
    win.dropEvent(drop)
    qtbot.waitUntil(lambda: win.findChild(IntakeDialog) is not None, timeout=TIMEOUT)
    dialog = win.findChild(IntakeDialog)
    qtbot.waitUntil(lambda: dialog.ready, timeout=TIMEOUT)
    entry = dialog.edited_entry()
    assert (entry.author, entry.symbol, entry.doc_date) == ("ĐẢNG ỦY PHƯỜNG BÁCH QUANG", "66-CV/ĐU",
                                                            dt.date(2021, 9, 8))
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.row is not None, timeout=TIMEOUT)

    incoming_section = win.show_section("incoming")
    qtbot.waitUntil(lambda: incoming_section.model.rowCount() == 1, timeout=TIMEOUT)

    win.activateWindow()  # the intake dialog had the focus
    qtbot.waitUntil(win.isActiveWindow)
    qtbot.keyClick(win, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)  # Ctrl+F: the search box
    search = win.section("search")
    assert win.current_key() == "search"
    with qtbot.waitSignal(search.results_shown, timeout=TIMEOUT):
        qtbot.keyClicks(search.query, "phong chong dich")
    assert [(r.register, r.id) for r in search.model.results] == [("incoming", dialog.row["id"])]
