"""The preview tells the clerk which font the PDF embeds, and the check panel names a character
that font cannot show, leading to its field."""

import pytest

from dirdesk import fonts
from dirdesk.gui.drafting import DraftingSection
from dirdesk.registers.profile import load_profile
from dirdesk.templates import draft_from_profile
from tests.fake_times import make_times

TIMEOUT = 15000


@pytest.fixture
def section(qtbot, context):
    widget = DraftingSection(context)
    qtbot.addWidget(widget)
    widget.resize(1280, 860)
    widget.show()
    qtbot.waitExposed(widget)
    widget.recover()
    return widget


def open_template(qtbot, section):
    draft = draft_from_profile(load_profile(section.context.registry), "CV")
    section.load_data(draft.to_dict())
    qtbot.waitUntil(lambda: section.preview.pdf_bytes is not None and not section.preview.busy, timeout=TIMEOUT)


def findings(section) -> list[str]:
    lst = section.preview.ui.findings
    return [lst.item(i).text() for i in range(lst.count())]


def test_status_line_names_the_bundled_font_and_why(qtbot, section, tmp_path, monkeypatch):
    monkeypatch.setenv(fonts.ENV_DIR, str(tmp_path / "nowhere"))
    open_template(qtbot, section)
    label = section.preview.ui.font_label
    assert label.text() == "Phông: Liberation Serif (thay Times New Roman)"
    assert "không thấy" in label.toolTip() and "Liberation Serif" in label.toolTip()


def test_status_line_names_times_new_roman(qtbot, section, tmp_path, monkeypatch):
    pytest.importorskip("fontTools")
    folder = make_times(tmp_path / "Fonts")
    monkeypatch.setenv(fonts.ENV_DIR, str(folder))
    open_template(qtbot, section)
    label = section.preview.ui.font_label
    assert label.text() == "Phông: Times New Roman" and str(folder) in label.toolTip()


def test_an_emoji_in_the_subject_is_a_finding_that_leads_to_the_subject(qtbot, section):
    open_template(qtbot, section)
    section.form.ui.subject.setPlainText("về việc tổ chức Tết 🎉 cho thiếu nhi")
    qtbot.waitUntil(lambda: any("U+1F389" in t for t in findings(section)), timeout=TIMEOUT)
    item = next(i for i in section.preview.finding_items() if "U+1F389" in i.text())
    assert item.text().startswith("Lỗi — Trích yếu:")
    section.form.ui.authority.setFocus()
    section.preview.ui.findings.itemClicked.emit(item)
    assert section.form.ui.subject.hasFocus()
