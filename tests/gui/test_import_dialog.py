# ruff: noqa: F811  (pytest fixtures imported from another test module are arguments of the tests)
"""Nhập sổ cũ in the window: pick an Excel/CSV file and the register, read the dry run's row report,
then import; the register sections show the new rows."""

import datetime as dt

import openpyxl
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog

from dirdesk.gui.registers import import_dialog
from dirdesk.registers import importing, incoming
from tests.gui.test_registers import books, filled, in_section  # noqa: F401 (fixtures)

HEADINGS = ["Ngày đến", "Số đến", "Tác giả", "Số, ký hiệu văn bản", "Ngày tháng", "Trích yếu nội dung",
            "Người nhận"]


def write_xlsx(path, rows):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Sổ đến 2024"
    for row in [["SỔ ĐĂNG KÝ VĂN BẢN ĐẾN"], ["Năm 2024"], HEADINGS, *rows]:
        ws.append(row)
    wb.save(path)
    return path


def opened(qtbot, books, monkeypatch, path):
    """Nhập sổ cũ… clicked, the file chosen in the file dialog, the dry run finished."""
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(path), ""))
    qtbot.mouseClick(books.import_button, Qt.MouseButton.LeftButton)
    dialog = books.import_dialog
    qtbot.addWidget(dialog)
    dialog.target.setCurrentIndex(dialog.target.findData("incoming"))
    qtbot.mouseClick(dialog.browse_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.working and dialog.report is not None, timeout=30000)
    return dialog


def test_dry_run_shows_the_row_report_then_import_fills_the_register(qtbot, context, books, in_section,
                                                                     monkeypatch, tmp_path):
    path = write_xlsx(tmp_path / "so-den-2024.xlsx", [
        [dt.datetime(2024, 3, 4), 1, "UBND quận Ba Đình", "123/UBND-VP", dt.datetime(2024, 3, 1),
         "Kế hoạch phòng, chống thiên tai năm 2024", "Văn phòng"],
        [None, 2, "Sở Tài chính", "8/STC", "01/03/2024", "Không ghi ngày đến", None],  # row 5
        ["05/03/2024", 3, "Quận ủy Ba Đình", "45-CV/QU", "04/03/2024", "V/v sơ kết công tác quý I", None],
        ["06/03/2024", 3, "Sở Y tế", "9/SYT", "01/03/2024", "Số đến trùng dòng trên", None],  # row 7
    ])
    before = len(incoming.list_rows(context.registry))
    assert in_section.model.total == before
    dialog = opened(qtbot, books, monkeypatch, path)
    assert dialog.report.dry_run and len(incoming.list_rows(context.registry)) == before  # nothing written yet
    summary = dialog.summary.text()
    assert "Chạy thử, chưa ghi gì vào sổ" in summary and "sẽ nhập 2 dòng" in summary and "bỏ qua 2 dòng" in summary
    assert dialog.report_rows() == [("5", "Bỏ qua", "thiếu ngày đến"),
                                    ("7", "Bỏ qua", "số đến 03/2024 trùng với dòng 6 của tệp")]
    assert dialog.import_button.isEnabled() and dialog.import_button.text() == "&Nhập 2 dòng vào sổ"

    qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.working, timeout=30000)
    assert "Đã nhập 2 dòng vào sổ văn bản đến" in dialog.summary.text()
    rows = {r["symbol"]: r for r in incoming.list_rows(context.registry)}
    assert len(rows) == before + 2 and (rows["45-CV/QU"]["year"], rows["45-CV/QU"]["number"]) == (2024, 3)
    assert not dialog.import_button.isEnabled()  # the same file is not imported twice by a second click
    assert in_section.model.total == before + 2  # the register section refreshed without F5


def test_a_file_that_is_not_a_register_is_said_and_nothing_can_be_imported(qtbot, books, monkeypatch, tmp_path):
    path = tmp_path / "danh-ba.csv"
    path.write_text("Họ tên,Điện thoại\nNguyễn Văn A,0912345678\n", encoding="utf-8")
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(path), ""))
    qtbot.mouseClick(books.import_button, Qt.MouseButton.LeftButton)
    dialog = books.import_dialog
    qtbot.addWidget(dialog)
    qtbot.mouseClick(dialog.browse_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.working and bool(dialog.error_text), timeout=30000)
    assert "Không nhập được." in dialog.summary.text() and dialog.error_text in dialog.summary.text()
    assert not dialog.import_button.isEnabled()


@pytest.mark.skipif(not hasattr(importing, "SKIP_DUPLICATE"),
                    reason="needs h2's rules in importing.py (rows without tác giả, ký hiệu and trích yếu; "
                           "duplicates by tác giả and số, ký hiệu; SkippedRow.kind)")
def test_a_row_naming_no_document_is_reported_and_a_repeated_one_flagged(qtbot, context, books,
                                                                                  monkeypatch, tmp_path):
    path = write_xlsx(tmp_path / "so-den.xlsx", [
        ["04/03/2024", 1, "UBND quận Ba Đình", "123/UBND-VP", "01/03/2024", "Kế hoạch phòng, chống thiên tai", None],
        ["05/03/2024", 2, None, None, None, None, "Văn phòng"],  # row 5: which document?
        ["06/03/2024", 3, "UBND quận Ba Đình", "123/UBND-VP", "01/03/2024", "Kế hoạch (bản thứ hai)", None],
    ])
    dialog = opened(qtbot, books, monkeypatch, path)
    rows = dialog.report_rows()
    assert [(r[0], r[1]) for r in rows] == [("5", "Bỏ qua"), ("6", "Trùng")]
    assert "với dòng 4 của tệp" in rows[1][2]
    assert "1 dòng trùng văn bản khác" in dialog.summary.text()
    assert dialog.rows.item(1, 1).background().color().name() == import_dialog.DUPLICATE_COLOUR
    qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.working, timeout=30000)
    assert [r["symbol"] for r in incoming.list_rows(context.registry) if r["year"] == 2024] == ["123/UBND-VP"]
