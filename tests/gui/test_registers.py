"""The register sections as the clerk uses them: Văn bản đi / đến tables over
100,000 rows, filters, entries, delete and undo, follow-up, Sổ đăng ký."""

from __future__ import annotations

import datetime as dt
import sys
import types

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QFont

from dirdesk.gui import dialogs
from dirdesk.gui.sections import AppContext
from dirdesk.registers import audit, incoming, open_registry, outgoing, pages, search
from dirdesk.registers.audit import get_row, insert_row
from tests.conftest import fixture_draft
from tests.gui.conftest import PARTY_PROFILE
from tests.gui.settle import settle

BIG = 100_000
SUBJECTS = ("V/v tăng cường công tác phòng, chống dịch bệnh", "V/v tổ chức hội nghị sơ kết công tác quý",
            "V/v kiểm tra, giám sát đảng viên dự bị", "V/v triển khai kế hoạch chuyển đổi số")
TODAY = dt.date.today()


def big_date(i: int) -> dt.date:
    """Row i of the big register: ten years, in order."""
    return dt.date(2017, 1, 1) + dt.timedelta(days=i * 3650 // BIG)


@pytest.fixture(scope="module")
def big_db(tmp_path_factory):
    """100,000 outgoing rows written through the core's audited, indexed insert path, in one transaction."""
    from dirdesk.registers.profile import set_profile_value

    path = tmp_path_factory.mktemp("big") / "dirdesk.sqlite"
    reg = open_registry(path)
    for key, value in PARTY_PROFILE.items():
        set_profile_value(reg, key, value)
    with reg.transaction():
        for i in range(BIG):
            on = big_date(i).isoformat()
            code, name = (("CV", "Công văn"), ("KH", "Kế hoạch"), ("TB", "Thông báo"))[i % 3]
            subject = SUBJECTS[i % 4]
            symbol = f"{i + 1:02d}-{code}/ĐU"
            row_id = insert_row(reg, "outgoing", {
                "seq_key": f"party/2015-10-01/{code}", "number": i + 1, "symbol": symbol, "status": "issued",
                "style": "party", "type": code, "date": on, "type_name": name, "subject": subject,
                "signer": "Nguyễn Đức Giang", "recipients": "Các chi bộ trực thuộc"})
            search.index_entry(reg, "outgoing", row_id, date=on, doc_type=code, status="issued", symbol=symbol,
                               subject=f"{name} {subject}")
    reg.close()
    return path


@pytest.fixture
def big_section(qtbot, big_db, tmp_path):
    from dirdesk.gui.registers.outgoing import OutgoingSection

    reg = open_registry(big_db)
    section = OutgoingSection(AppContext(registry=reg, data_dir=tmp_path))  # its time: benchmarks/registers.py
    qtbot.addWidget(section)
    section.resize(1200, 700)
    section.show()
    qtbot.waitExposed(section)
    yield section
    section.close()
    reg.close()


@pytest.fixture(autouse=True)
def no_modal_boxes(monkeypatch):
    """No blocking message box in a test: unsaved changes are dropped on close, errors are collected."""
    shown = []
    monkeypatch.setattr(dialogs, "ask_unsaved", lambda parent: "discard")
    monkeypatch.setattr(dialogs, "show_error", lambda parent, text, *a: shown.append(text))
    monkeypatch.setattr(dialogs, "show_info", lambda parent, text, *a: shown.append(text))
    return shown


def cells(section, column_field: str) -> list[str]:
    model = section.model
    col = model.fields.index(column_field)
    return [model.row(i).cells[col] for i in range(model.rowCount())]


def as_date(text: str) -> dt.date:
    return dt.datetime.strptime(text, "%d/%m/%Y").date()


# ---------------------------------------------------------------- 100,000 rows


def test_100k_rows_open_without_reading_them_and_scrolling_fetches_more(big_section, qtbot):
    model = big_section.model
    assert model.total == BIG
    assert 0 < model.fetch_count < 1000
    assert model.rowCount() < 1000
    assert "100.000 văn bản đi" in big_section.summary.text()
    before = model.rowCount()
    bar = big_section.table.verticalScrollBar()
    for _ in range(3):  # the clerk drags the scroll bar to the bottom, three times
        qtbot.waitUntil(lambda: bar.maximum() > bar.value())  # the view has laid out the rows
        bar.setValue(bar.maximum())
        qtbot.waitUntil(lambda shown=before: model.rowCount() > shown)
        before = model.rowCount()
    assert before >= 4 * pages.PAGE_SIZE
    assert model.fetch_count == model.rowCount() < BIG
    ids = [model.row_id(i) for i in range(model.rowCount())]
    assert len(set(ids)) == len(ids)  # the pages continue, never repeat


def test_header_click_sorts_in_the_register_newest_first_and_oldest_first(big_section, qtbot):
    model, header = big_section.model, big_section.table.horizontalHeader()
    date_col = model.fields.index("date")
    assert header.sortIndicatorSection() == date_col  # opens newest first
    assert as_date(cells(big_section, "date")[0]) == big_date(BIG - 1)
    header.setSortIndicator(date_col, Qt.SortOrder.AscendingOrder)  # a click on "Ngày tháng văn bản"
    assert as_date(cells(big_section, "date")[0]) == big_date(0)
    assert cells(big_section, "symbol")[0] == "01-CV/ĐU"
    header.setSortIndicator(date_col, Qt.SortOrder.DescendingOrder)
    dates = [as_date(t) for t in cells(big_section, "date")]
    assert dates[0] == big_date(BIG - 1) and dates == sorted(dates, reverse=True)
    assert model.fetch_count < 1000
    symbol_col = model.fields.index("symbol")
    header.setSortIndicator(symbol_col, Qt.SortOrder.DescendingOrder)
    assert cells(big_section, "symbol")[0] == f"{BIG}-{('CV', 'KH', 'TB')[(BIG - 1) % 3]}/ĐU"


def test_month_and_text_filters_narrow_the_rows(big_section, qtbot):
    model = big_section.model
    big_section.set_period(2022, 11)
    assert big_section.month.currentText() == "Tháng 11/2022"
    expected = sum(1 for i in range(BIG) if big_date(i).strftime("%Y-%m") == "2022-11")
    assert model.total == expected and 0 < expected < 1000
    assert {as_date(t).strftime("%Y-%m") for t in cells(big_section, "date")} == {"2022-11"}
    qtbot.keyClicks(big_section.text, "phong chong dich")  # typed without diacritics
    qtbot.waitUntil(lambda: model.total < expected)
    subjects = cells(big_section, "type_and_subject")
    assert subjects and all("phòng, chống dịch bệnh" in s for s in subjects)
    assert model.total == sum(1 for i in range(BIG)
                              if big_date(i).strftime("%Y-%m") == "2022-11" and i % 4 == 0)
    big_section.month.setCurrentIndex(0)  # "Cả năm 2022"
    assert big_section.month.currentText() == "Cả năm 2022"
    assert model.total == sum(1 for i in range(BIG) if big_date(i).year == 2022 and i % 4 == 0)
    big_section.doc_type.setCurrentIndex(big_section.doc_type.findData("KH"))
    assert model.total == sum(1 for i in range(BIG) if big_date(i).year == 2022 and i % 12 == 4)
    assert all(s.startswith("Kế hoạch") for s in cells(big_section, "type_and_subject"))


def test_open_entry_far_down_loads_up_to_the_row_and_selects_it(big_section, qtbot):
    target = 1234  # an old row, far below the first page in the newest-first order
    dialog = big_section.open_entry(target)
    assert big_section.current_row_id() == target
    assert dialog.child("symbol").text() == "1234-CV/ĐU"
    assert big_section.model.fetch_count < BIG
    dialog.close()


# ---------------------------------------------------------------- a small register


def issue(reg, subject: str, on: dt.date):
    import dataclasses

    draft = dataclasses.replace(fixture_draft("seed-000", date=on), subject=subject)
    return outgoing.issue(reg, draft, render=False)


@pytest.fixture
def filled(context):
    reg = context.registry
    rows = [issue(reg, subject, TODAY - dt.timedelta(days=10 - i)) for i, subject in enumerate(SUBJECTS)]
    context.rows = {"outgoing": rows}
    context.rows["incoming"] = [
        incoming.add(reg, incoming.IncomingEntry(
            received_date=TODAY - dt.timedelta(days=20), author="Thành ủy Sông Công", symbol="215-CV/TU",
            doc_date=TODAY - dt.timedelta(days=21), type_name="Công văn", subject="V/v phòng, chống dịch bệnh",
            handler="Trần Thị Lan", deadline=TODAY - dt.timedelta(days=3), signatures=[],
            files=[("215-CV-TU.txt", "Nội dung công văn".encode())])),
        incoming.add(reg, incoming.IncomingEntry(
            received_date=TODAY - dt.timedelta(days=15), author="Ban Tuyên giáo Thành ủy", symbol="32-KH/BTGTU",
            type_name="Kế hoạch", subject="Tuyên truyền kỷ niệm ngày thành lập Đảng", handler="Lê Văn Nam",
            deadline=TODAY - dt.timedelta(days=1), signatures=[])),
        incoming.add(reg, incoming.IncomingEntry(
            received_date=TODAY - dt.timedelta(days=2), author="UBND thành phố", symbol="1024/UBND-VP",
            subject="V/v báo cáo cải cách hành chính", deadline=TODAY, signatures=[])),
    ]
    return context


@pytest.fixture
def out_section(qtbot, filled):
    from dirdesk.gui.registers.outgoing import OutgoingSection

    section = OutgoingSection(filled)
    qtbot.addWidget(section)
    section.show()
    qtbot.waitExposed(section)
    return section


@pytest.fixture
def in_section(qtbot, filled):
    from dirdesk.gui.registers.incoming import IncomingSection

    section = IncomingSection(filled)
    qtbot.addWidget(section)
    section.show()
    qtbot.waitExposed(section)
    return section


def test_editing_an_incoming_subject_is_saved_and_in_the_history(in_section, qtbot):
    row_id = in_section.context.rows["incoming"][0]["id"]
    dialog = in_section.open_entry(row_id)
    subject = dialog.child("subject")
    subject.setPlainText("V/v tăng cường phòng, chống dịch bệnh mùa đông")
    qtbot.mouseClick(dialog.child("save_button"), Qt.MouseButton.LeftButton)
    settle(qtbot)
    assert not dialog.error.isVisible()
    reg = in_section.registry
    assert reg.one("SELECT subject FROM incoming WHERE id = ?", [row_id])["subject"].endswith("mùa đông")
    change = audit.history(reg, "incoming", row_id)[0]
    assert change["action"] == "update" and change["new"]["subject"].endswith("mùa đông")
    assert change["old"]["subject"] == "V/v phòng, chống dịch bệnh"
    assert any("Trích yếu" in line and "mùa đông" in line for line in dialog.history_texts())
    row = in_section.model.row(in_section.model.index_of(row_id))
    assert "mùa đông" in row.cells[in_section.model.fields.index("type_and_subject")]
    dialog.child("deadline").setText("31/02/2026")  # no such day: said, nothing written, text kept
    qtbot.mouseClick(dialog.child("save_button"), Qt.MouseButton.LeftButton)
    settle(qtbot)
    assert dialog.error.isVisible() and "31/02/2026" in dialog.error.text()
    assert dialog.child("deadline").text() == "31/02/2026"


def test_outgoing_entry_edits_the_columns_filled_after_issue(out_section, qtbot):
    row = out_section.context.rows["outgoing"][0]
    dialog = out_section.open_entry(row["id"])
    assert dialog.child("symbol").text() == row["symbol"]
    dialog.child("note").setText("Đã gửi bản giấy")
    dialog.child("sent_date").setText(TODAY.strftime("%d/%m/%Y"))
    dialog.child("copies").setValue(15)
    dialog.save()
    settle(qtbot)
    stored = out_section.registry.one("SELECT note, sent_date, copies FROM outgoing WHERE id = ?", [row["id"]])
    assert stored == {"note": "Đã gửi bản giấy", "sent_date": TODAY.isoformat(), "copies": 15}
    assert any("Ghi chú: (trống) → Đã gửi bản giấy" in line for line in dialog.history_texts())
    model = out_section.model
    assert model.row(model.index_of(row["id"])).cells[model.fields.index("remarks")] == "Đã gửi bản giấy"


def test_delete_hides_the_row_show_deleted_shows_it_struck_and_undo_restores(out_section, qtbot, monkeypatch):
    model = out_section.model
    asked = []
    monkeypatch.setattr(dialogs, "ask_yes_no", lambda *a, **k: asked.append(a[2]) or True)
    victim = model.row_id(1)
    label = model.row(1).label
    out_section.select_row_id(victim)
    qtbot.keyClick(out_section.table, Qt.Key.Key_Delete)
    settle(qtbot)
    assert asked and label in asked[0]
    assert model.index_of(victim) is None and model.total == 3
    assert out_section.undo_button.isVisible() and label in out_section.undo_label.text()
    out_section.show_deleted.setChecked(True)
    i = model.index_of(victim)
    assert i is not None
    font = model.data(model.index(i, 0), Qt.ItemDataRole.FontRole)
    assert isinstance(font, QFont) and font.strikeOut()
    assert "đã xóa" in model.row(i).cells[model.fields.index("status")]
    assert out_section.restore_button.isVisible()
    out_section.show_deleted.setChecked(False)
    qtbot.mouseClick(out_section.undo_button, Qt.MouseButton.LeftButton)
    settle(qtbot)
    assert model.index_of(victim) is not None and model.total == 4
    assert out_section.current_row_id() == victim
    assert not out_section.undo_button.isVisible()
    assert [h["action"] for h in audit.history(out_section.registry, "outgoing", victim)][:2] == ["undelete", "delete"]


def test_restore_button_brings_back_a_row_deleted_earlier(out_section, qtbot, monkeypatch):
    model = out_section.model
    victim = model.row_id(0)
    out_section.delete_row(victim, confirm=False)
    settle(qtbot)
    out_section.show_deleted.setChecked(True)
    out_section.select_row_id(victim)
    assert out_section.restore_button.isEnabled() and not out_section.delete_button.isEnabled()
    qtbot.mouseClick(out_section.restore_button, Qt.MouseButton.LeftButton)
    settle(qtbot)
    assert out_section.registry.one("SELECT deleted_at FROM outgoing WHERE id = ?", [victim])["deleted_at"] is None


def test_cancelled_row_shows_as_cancelled_with_its_reason(out_section, qtbot, monkeypatch):
    model = out_section.model
    target = model.row_id(0)
    out_section.select_row_id(target)
    monkeypatch.setattr(dialogs, "ask_text", lambda *a, **k: "Ghi nhầm nơi nhận")
    qtbot.mouseClick(out_section.cancel_button, Qt.MouseButton.LeftButton)
    settle(qtbot)
    i = model.index_of(target)
    row = model.row(i)
    assert row.status == "cancelled"
    assert row.cells[model.fields.index("remarks")].startswith("Đã hủy: Ghi nhầm nơi nhận")
    assert row.cells[model.fields.index("status")] == "đã hủy"
    symbol_index = model.index(i, model.fields.index("symbol"))
    assert model.data(symbol_index, Qt.ItemDataRole.FontRole).strikeOut()
    assert model.data(symbol_index, Qt.ItemDataRole.ForegroundRole).color().name() == "#6b6b6b"
    assert "Đã hủy: Ghi nhầm nơi nhận" in model.data(symbol_index, Qt.ItemDataRole.ToolTipRole)
    assert not out_section.cancel_button.isEnabled()
    out_section.status.setCurrentIndex(out_section.status.findData("cancelled"))
    assert model.total == 1 and model.row_id(0) == target


def test_reserve_a_number_shows_it_first_and_selects_the_new_row(out_section, qtbot):
    dialog = out_section.reserve_number()
    dialog.doc_type.setCurrentIndex(dialog.doc_type.findData("CV"))
    expected = outgoing.preview_next(out_section.registry, "CV").symbol
    assert expected in dialog.preview.text()
    dialog.note.setText("Giữ số cho báo cáo tháng")
    reserved = []
    dialog.reserved.connect(reserved.append)
    assert dialog.reserve()
    settle(qtbot)
    row = reserved[0]
    assert not dialog.isVisible()
    assert row["symbol"] == expected and row["status"] == "reserved"
    assert out_section.current_row_id() == row["id"]
    cells_ = out_section.model.row(out_section.model.index_of(row["id"])).cells
    assert "Đã lấy số trước, chưa ban hành" in cells_[out_section.model.fields.index("remarks")]


def test_add_incoming_by_hand_then_a_duplicate_is_warned(in_section, qtbot, monkeypatch):
    dialog = in_section.add_by_hand()
    dialog.child("author").setText("Văn phòng Thành ủy")
    dialog.child("symbol").setText("401-CV/VPTU")
    dialog.child("subject").setPlainText("V/v chuẩn bị hội nghị sơ kết")
    dialog.child("deadline").setText((TODAY + dt.timedelta(days=5)).strftime("%d/%m/%Y"))
    assert dialog.save()
    settle(qtbot)
    row = dialog.added_row
    assert row["author"] == "Văn phòng Thành ủy" and row["deadline"] == (TODAY + dt.timedelta(days=5)).isoformat()
    assert in_section.current_row_id() == row["id"]
    again = in_section.add_by_hand()
    again.child("author").setText("Văn phòng Thành ủy")
    again.child("symbol").setText("401-CV/VPTU")
    again.child("subject").setPlainText("V/v chuẩn bị hội nghị sơ kết")
    warned = []
    monkeypatch.setattr(dialogs, "ask_yes_no", lambda *a, **k: warned.append(a[2]) or False)
    again.save()
    settle(qtbot)
    assert warned and "đã vào sổ" in warned[0]
    assert again.isVisible()  # refused: the typed text stays for the clerk
    assert in_section.registry.one("SELECT COUNT(*) AS n FROM incoming")["n"] == 4


def test_add_from_file_hands_the_file_to_intake(in_section, qtbot, monkeypatch, tmp_path, no_modal_boxes):
    received = tmp_path / "cv.pdf"
    received.write_bytes(b"%PDF-1.4")
    calls = []
    fake = types.ModuleType("dirdesk.gui.intake")
    fake.start_intake = lambda context, path: calls.append((context, path))
    monkeypatch.setitem(sys.modules, "dirdesk.gui.intake", fake)
    in_section.start_intake(received)
    assert calls == [(in_section.context, received)]
    monkeypatch.setitem(sys.modules, "dirdesk.gui.intake", None)  # not built yet: a message, no crash
    in_section.start_intake(received)
    assert no_modal_boxes and "Thêm…" in no_modal_boxes[-1]


def test_select_row_id_widens_filters_that_hide_the_row(in_section, qtbot):
    target = in_section.context.rows["incoming"][0]["id"]
    qtbot.keyClicks(in_section.text, "bao cao cai cach")
    qtbot.waitUntil(lambda: in_section.model.total == 1)
    assert in_section.select_row_id(target)
    assert in_section.text.text() == "" and in_section.current_row_id() == target
    assert not in_section.select_row_id(999)


def test_progress_and_mark_done_from_the_incoming_entry_link_the_reply(in_section, filled, qtbot):
    row_id = filled.rows["incoming"][1]["id"]
    reply = filled.rows["outgoing"][3]["symbol"]
    dialog = in_section.open_entry(row_id)
    dialog.child("progress_text").setText("Đã giao Văn phòng tham mưu")
    dialog.add_progress()
    settle(qtbot)
    assert dialog.child("status").currentData() == "in_progress"
    assert "Đã giao Văn phòng tham mưu" in dialog.child("progress_list").item(0).text()
    dialog.child("reply_symbol").setText(reply)
    dialog.mark_done()
    settle(qtbot)
    stored = in_section.registry.one("SELECT status, reply_symbol, reply_outgoing_id FROM incoming WHERE id = ?",
                                     [row_id])
    assert stored == {"status": "done", "reply_symbol": reply, "reply_outgoing_id": filled.rows["outgoing"][3]["id"]}
    assert not dialog.is_dirty()


# ---------------------------------------------------------------- follow-up


def test_followup_badge_counts_overdue_and_mark_done_removes_it(qtbot, filled):
    from dirdesk.gui.registers.followup import FollowupSection

    section = FollowupSection(filled)
    qtbot.addWidget(section)
    section.show()
    overdue = section.models["overdue"]
    assert section.badge() == "2" and overdue.total == 2
    assert "Quá hạn (2)" in section.boxes["overdue"].title()
    first = filled.rows["incoming"][0]["id"]
    assert overdue.row_id(0) == first  # most overdue first
    index = overdue.index(0, overdue.fields.index("deadline"))
    assert overdue.data(index, Qt.ItemDataRole.ForegroundRole).color().name() == "#b00020"
    assert section.models["week"].index_of(filled.rows["incoming"][2]["id"]) is not None  # due today
    reply = filled.rows["outgoing"][0]["symbol"]
    section.select_row_id(first)
    assert section.done_button.isEnabled()
    assert section.mark_done(first, reply)
    settle(qtbot)
    row = get_row(filled.registry, "incoming", first)
    assert row["reply_outgoing_id"] == filled.rows["outgoing"][0]["id"]
    assert overdue.index_of(first) is None and overdue.total == 1
    assert section.badge() == "1"
    assert section.add_progress(filled.rows["incoming"][1]["id"], "Đang chờ số liệu các chi bộ")
    settle(qtbot)
    cell = overdue.row(0).cells[overdue.fields.index("progress")]
    assert "Đang chờ số liệu các chi bộ" in cell and TODAY.strftime("%d/%m/%Y") in cell
    section.mark_done(filled.rows["incoming"][1]["id"])
    settle(qtbot)
    assert section.badge() == ""


# ---------------------------------------------------------------- Sổ đăng ký


@pytest.fixture
def books(qtbot, filled):
    from dirdesk.gui.registers.books import RegisterBooksSection

    section = RegisterBooksSection(filled)
    qtbot.addWidget(section)
    section.choose("outgoing", month=TODAY.strftime("%Y-%m"))
    section.resize(1100, 700)
    section.show()
    qtbot.waitUntil(lambda: section.pdf_data is not None and not section.working, timeout=30000)
    return section


def test_books_preview_shows_the_printed_register(books, qtbot):
    assert books.document.pageCount() >= 1
    assert books.pdf_data.startswith(b"%PDF")
    month_rows = [r for r in books.context.rows["outgoing"] if r["date"][:7] == TODAY.strftime("%Y-%m")]
    assert books.rows_in_preview == len(month_rows)
    assert "Sổ đăng ký văn bản đi" in books.status.text()
    assert books.pages_label.text().startswith("Trang 1/")


def test_books_month_export_to_xlsx_in_a_worker(books, qtbot, tmp_path):
    import openpyxl

    path = tmp_path / "so-di.xlsx"
    books.export_to(path, "xlsx")
    assert books.working  # the export runs off the GUI thread
    qtbot.waitUntil(lambda: not books.working, timeout=30000)
    assert books.last_error is None and books.last_export == path
    sheet = openpyxl.load_workbook(path).active
    values = [str(c.value) for row in sheet.iter_rows() for c in row if c.value]
    month = TODAY.strftime("%Y-%m")
    for row in books.context.rows["outgoing"]:
        assert (row["symbol"] in values) == (row["date"][:7] == month)
    assert "Đã ghi" in books.status.text()


def test_books_export_error_is_a_message_and_leaves_no_file(books, qtbot, tmp_path):
    path = tmp_path / "khong-co-thu-muc" / "so-di.pdf"
    books.export_to(path, "pdf")
    qtbot.waitUntil(lambda: not books.working, timeout=30000)
    assert books.last_error and "Không ghi được" in books.last_error
    assert not path.exists()


def test_books_prints_every_page_at_the_printer_resolution(books, qtbot, tmp_path):
    import pypdf
    from PySide6.QtPrintSupport import QPrinter

    printer = books.make_printer()
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "in.pdf"))
    printer.setResolution(150)
    books.print_to(printer)
    qtbot.waitUntil(lambda: not books.working, timeout=30000)
    printed = pypdf.PdfReader(tmp_path / "in.pdf")
    assert len(printed.pages) == books.document.pageCount()
    box = printed.pages[0].mediabox
    assert float(box.width) > float(box.height)  # A4 landscape


# ---------------------------------------------------------------- keyboard, accessibility, a replaced register


def _inside(widget, kinds) -> bool:
    parent = widget.parent()
    while parent is not None:
        if isinstance(parent, kinds) or type(parent).__name__ in ("QComboBoxPrivateContainer", "QCalendarWidget"):
            return True
        parent = parent.parent()
    return False


def unnamed_controls(root) -> list[str]:
    from PySide6.QtWidgets import (
        QAbstractButton,
        QAbstractItemView,
        QAbstractSpinBox,
        QComboBox,
        QHeaderView,
        QLineEdit,
        QPlainTextEdit,
        QTabBar,
        QWidget,
    )

    controls = (QAbstractButton, QLineEdit, QComboBox, QAbstractSpinBox, QAbstractItemView, QPlainTextEdit)
    missing = []
    for widget in root.findChildren(QWidget):
        if not isinstance(widget, controls) or isinstance(widget, (QHeaderView, QTabBar)):
            continue
        if widget.objectName().startswith("qt_") or _inside(widget, (QAbstractSpinBox, QComboBox, QTabBar, QLineEdit)):
            continue  # parts Qt builds: spin box and combo box insides, scroll arrows, a line edit's clear button
        if not widget.accessibleName():
            missing.append(f"{type(widget).__name__} {widget.objectName()!r} {getattr(widget, 'text', lambda: '')()}")
    return missing


def test_every_control_has_a_vietnamese_accessible_name(out_section, in_section, filled, qtbot):
    from dirdesk.gui.registers.books import RegisterBooksSection
    from dirdesk.gui.registers.followup import FollowupSection

    roots = [out_section, in_section, FollowupSection(filled), RegisterBooksSection(filled),
             out_section.open_entry(filled.rows["outgoing"][0]["id"]), out_section.reserve_number(),
             in_section.open_entry(filled.rows["incoming"][0]["id"]), in_section.add_by_hand()]
    for root in roots[2:4]:
        qtbot.addWidget(root)
    assert [name for root in roots for name in unnamed_controls(root)] == []


def test_enter_on_a_row_opens_its_entry(out_section, qtbot):
    out_section.table.setFocus()
    out_section.select_row_id(out_section.model.row_id(2))
    qtbot.keyClick(out_section.table, Qt.Key.Key_Return)
    assert out_section.dialog is not None and out_section.dialog.isVisible()
    assert out_section.dialog.row_id == out_section.model.row_id(2)
    qtbot.keyClick(out_section.dialog, Qt.Key.Key_Escape)
    assert out_section.dialog is None


def test_refresh_reads_a_register_put_in_place_by_a_restore(out_section, tmp_path):
    other = open_registry(tmp_path / "restored.sqlite")
    try:
        issue(other, "V/v văn bản trong bản sao lưu", TODAY)
        out_section.context.registry = other  # what the window's replace_register does
        out_section.refresh()
        assert out_section.model.total == 1
        assert "trong bản sao lưu" in cells(out_section, "type_and_subject")[0]
    finally:
        other.close()


def test_delete_in_the_entry_dialog_can_be_undone_from_the_section(in_section, qtbot, monkeypatch):
    monkeypatch.setattr(dialogs, "ask_yes_no", lambda *a, **k: True)
    row_id = in_section.context.rows["incoming"][2]["id"]
    dialog = in_section.open_entry(row_id)
    qtbot.mouseClick(dialog.child("delete_button"), Qt.MouseButton.LeftButton)
    settle(qtbot)
    assert dialog.child("restore_button").isVisibleTo(dialog)
    settle(qtbot)
    assert in_section.model.index_of(row_id) is None
    assert "01/2026" not in in_section.undo_label.text() and "03/" in in_section.undo_label.text()
    qtbot.mouseClick(in_section.undo_button, Qt.MouseButton.LeftButton)
    settle(qtbot)
    assert in_section.model.index_of(row_id) is not None
