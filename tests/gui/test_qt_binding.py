"""The installed Qt binding keeps Python's reference counts straight.

PySide6 6.12.0 on Python 3.11 drops a reference to None on every call that
returns None (setText, setEnabled, …); a session aborts with "none_dealloc"
after a few thousand calls. pyproject.toml picks a binding without the bug
for each Python; this test fails if a broken combination gets installed.
"""

import sys

from PySide6.QtWidgets import QCheckBox, QLabel


def test_calls_returning_none_leave_none_refcount_alone(qtbot):
    label = QLabel()
    qtbot.addWidget(label)
    before = sys.getrefcount(None)
    for i in range(2000):
        label.setText(str(i))
        label.setEnabled(i % 2 == 0)
    assert abs(sys.getrefcount(None) - before) < 50


def test_signal_connections_leave_bool_refcounts_alone(qtbot):
    box = QCheckBox()
    qtbot.addWidget(box)
    before = (sys.getrefcount(True), sys.getrefcount(False))
    for _ in range(500):
        box.toggled.connect(lambda checked: None)
        box.setChecked(not box.isChecked())
    after = (sys.getrefcount(True), sys.getrefcount(False))
    assert all(abs(a - b) < 50 for a, b in zip(after, before, strict=True))
