"""Fixtures for the desktop app's tests (pytest-qt, offscreen).

Every test gets its own register file and data folder in tmp_path; nothing
touches the clerk's real files.
"""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest  # noqa: E402


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_teardown(item):
    """Before pytest-qt closes a test's widgets: let every background job (a preview still rendering, a
    register operation) finish and deliver its result to widgets that are still there. A job that
    finished after its widget was deleted crashed a later test, now and then (a segfault in Qt's event
    processing, seen on a clean clone)."""
    from PySide6.QtWidgets import QApplication

    from dirdesk.gui.workers import wait_for_background

    wait_for_background()
    if (app := QApplication.instance()) is not None:
        app.processEvents()
    return (yield)

PARTY_PROFILE = {
    "style": "party",
    "issuer": {"parent": "ĐẢNG BỘ THÀNH PHỐ SÔNG CÔNG", "name": "ĐẢNG ỦY PHƯỜNG BÁCH QUANG", "code": "ĐU"},
    "place": "Bách Quang",
    "units": [{"code": "VP", "name": "Văn phòng Đảng ủy"}],
    "signers": [{"authority": "T/M BAN THƯỜNG VỤ", "title": "BÍ THƯ", "name": "Nguyễn Đức Giang"},
                {"authority": "T/M BAN THƯỜNG VỤ\nK/T BÍ THƯ", "title": "PHÓ BÍ THƯ", "name": "Trần Văn Bình"}],
    "recipients": ["Các Chi bộ trực thuộc Đảng ủy", "Ủy ban MTTQ và các tổ chức chính trị - xã hội phường",
                   "Ban Thường vụ Thành ủy Sông Công", "Văn phòng Đảng ủy"],
    "terms": ["2025-10-15"],
}


@pytest.fixture
def data_dir(tmp_path, monkeypatch):
    """The app's data folder (autosaves, settings) and register file, both under tmp_path."""
    folder = tmp_path / "data"
    folder.mkdir()
    monkeypatch.setenv("DIRDESK_DATA_DIR", str(folder))
    monkeypatch.setenv("DIRDESK_DB", str(folder / "dirdesk.sqlite"))
    return folder


@pytest.fixture
def empty_registry(data_dir):
    """A new register with an empty profile (the first run)."""
    from dirdesk.registers import open_registry

    reg = open_registry(data_dir / "dirdesk.sqlite")
    yield reg
    reg.close()


@pytest.fixture
def party_registry(empty_registry):
    """A register whose profile is a ward Party committee's (Đảng ủy phường Bách Quang)."""
    from dirdesk.registers.profile import set_profile_value

    for key, value in PARTY_PROFILE.items():
        set_profile_value(empty_registry, key, value)
    return empty_registry


@pytest.fixture
def context(party_registry, data_dir):
    """The AppContext a section is built with (no window)."""
    from dirdesk.gui.sections import AppContext

    return AppContext(registry=party_registry, data_dir=data_dir)


@pytest.fixture(autouse=True)
def no_unanswered_questions(monkeypatch):
    """A modal message box or input dialog that nobody answers within 5 s is closed and fails the test
    (offscreen, nobody would ever click it: the test would hang). Tests answer through
    dirdesk.gui.dialogs, or by pressing the box's button from a timer."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QInputDialog, QMessageBox

    unanswered = []

    def guarded(original):
        def exec_(box):
            def give_up():
                if box.isVisible():
                    text = box.text() if isinstance(box, QMessageBox) else box.labelText()
                    unanswered.append(f"{box.windowTitle()!r}: {text!r}")
                    box.reject()
            QTimer.singleShot(5000, box, give_up)  # cancelled with the box when it is gone
            return original(box)
        return exec_

    monkeypatch.setattr(QMessageBox, "exec", guarded(QMessageBox.exec))
    monkeypatch.setattr(QInputDialog, "exec", guarded(QInputDialog.exec))
    yield
    assert not unanswered, f"questions nobody answered: {unanswered}"
