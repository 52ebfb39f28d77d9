"""Soạn thảo: new document from the profile, the form, the body editor, the
live preview and findings, autosave and crash recovery, draft files, issuing
(with another window taking the number first), printing and exports."""

import datetime as dt
import io
import json
import unicodedata
from pathlib import Path

import pypdf
import pytest
from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QTextCursor
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QApplication, QFileDialog

from dirdesk import fonts
from dirdesk.draft import draft_from_dict, load_draft
from dirdesk.gui import dialogs
from dirdesk.gui.drafting import DraftingSection
from dirdesk.gui.drafting import files as files_module
from dirdesk.gui.drafting.body_editor import BodyEditor
from dirdesk.gui.drafting.body_markup import (
    char_format,
    document_from_markup,
    document_to_markup,
)
from dirdesk.gui.drafting.issuing import IssueConfirmDialog
from dirdesk.gui.drafting.newdoc import NewDocumentDialog
from dirdesk.gui.drafting.printing import draft_printable
from dirdesk.gui.printing import print_pages
from dirdesk.markup import parse_inline
from dirdesk.registers import open_registry, outgoing
from dirdesk.registers.attachments import attachment_path
from dirdesk.registers.profile import load_profile
from dirdesk.templates import draft_from_profile
from tests.blanks import fill_blanks
from tests.fake_times import make_times
from tests.gui.settle import settle

ROOT = Path(__file__).resolve().parents[2]
BODY_FILES = [*sorted((ROOT / "tests/fixtures/drafts").glob("*.json")),
              *sorted((ROOT / "resources/templates").glob("*/*.json"))]
TIMEOUT = 15000


def pdf_text(data: bytes | None) -> str:
    if not data:
        return ""
    reader = pypdf.PdfReader(io.BytesIO(data))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


def finding_texts(section) -> list[str]:
    lst = section.preview.ui.findings
    return [lst.item(i).text() for i in range(lst.count())]


@pytest.fixture
def section(qtbot, context):
    widget = DraftingSection(context)
    qtbot.addWidget(widget)
    widget.resize(1280, 860)
    widget.show()
    qtbot.waitExposed(widget)
    widget.recover()
    return widget


def open_template(qtbot, section, code="CV", filled=False):
    """The office's template of `code` in the form; `filled`: its blanks "[…]" filled in, ready for Ban hành."""
    draft = draft_from_profile(load_profile(section.context.registry), code)
    section.load_data(fill_blanks(draft.to_dict()) if filled else draft.to_dict())
    qtbot.waitUntil(lambda: section.preview.pdf_bytes is not None and not section.preview.busy, timeout=TIMEOUT)
    return draft


def type_text(widget, text):
    """Type text key by key, Vietnamese letters included (QTest.keyClicks takes only ASCII)."""
    from PySide6.QtCore import QEvent
    from PySide6.QtGui import QKeyEvent

    for ch in text:
        key = Qt.Key.Key_Space if ch == " " else Qt.Key.Key_unknown
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(widget, QKeyEvent(kind, key, Qt.KeyboardModifier.NoModifier, ch))


def set_subject(section, text):
    section.form.ui.subject.setPlainText(text)


# --- the body markup, both ways -----------------------------------------------------------


def _bodies():
    for path in BODY_FILES:
        data = json.loads(path.read_text(encoding="utf-8"))
        for key in ("body", "preamble"):
            if data.get(key):
                yield pytest.param(data[key], id=f"{path.parent.name}/{path.stem}:{key}")


@pytest.mark.parametrize("markup", list(_bodies()))
def test_markup_document_markup_is_identity_for_fixtures_and_templates(qapp, markup):
    assert document_to_markup(document_from_markup(markup)) == markup


@pytest.mark.parametrize("markup", [
    r"Giá 5 \* 3 = 15, tên\_tệp và dấu \\ ngược",
    "**Điều 1.** Ban hành *kèm theo* Quyết định này __Quy chế__ làm việc.",
    "**đậm *đậm nghiêng*** rồi thường",
    "*nghiêng***đậm**",
    "***cả hai***",
    "__gạch *và nghiêng*__",
    "# QUYẾT ĐỊNH:",
    "# **Chương I** *quy định chung*",
    "- Căn cứ Điều lệ Đảng;\n- Xét đề nghị của Văn phòng.",
    "Dòng một\n\nDòng ba sau dòng trống",
    "a) Nội dung; 2.1. Mục",
])
def test_markup_round_trip_escapes_nesting_headings(qapp, markup):
    assert document_to_markup(document_from_markup(markup)) == markup


def test_any_formatting_written_back_reads_the_same(qapp):
    """Random bold/italic/underline runs over text with spaces and * _ \\: the markup written parses back
    to the same formatting on every non-space character."""
    import random

    rng = random.Random(5)
    alphabet = "ab c*_\\đ "
    for _ in range(300):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 18)))
        flags = [(rng.random() < 0.4, rng.random() < 0.4, rng.random() < 0.3) for _ in text]
        from PySide6.QtGui import QTextDocument

        doc = QTextDocument()
        cursor = QTextCursor(doc)
        for ch, (b, i, u) in zip(text, flags, strict=True):
            cursor.insertText(ch, char_format(b, i, u))
        markup = document_to_markup(doc)
        spans = parse_inline(markup.strip() if markup.strip() else "")
        got = [(ch, (s.bold, s.italic, s.underline)) for s in spans for ch in s.text]
        want = [(ch, f) for ch, f in zip(text, flags, strict=True)]
        # whitespace at the ends of the line is not kept; a run's edge never falls on a space
        assert "".join(c for c, _ in got) == unicodedata.normalize("NFC", text).strip(), markup
        inner = want[len(text) - len(text.lstrip()):len(text.rstrip())]
        for (gc, gf), (wc, wf) in zip(got, inner, strict=True):
            assert gc == wc
            if not wc.isspace():
                assert gf == wf, (text, flags, markup)


def test_typing_then_ctrl_b_i_u_on_a_selection(qtbot):
    editor = BodyEditor()
    qtbot.addWidget(editor)
    editor.show()
    type_text(editor, "Điều 1 quy định chung")
    cursor = editor.textCursor()
    cursor.setPosition(0)
    cursor.setPosition(6, QTextCursor.MoveMode.KeepAnchor)  # "Điều 1"
    editor.setTextCursor(cursor)
    qtbot.keyClick(editor, Qt.Key.Key_B, Qt.KeyboardModifier.ControlModifier)
    assert editor.markup() == "**Điều 1** quy định chung"
    cursor.setPosition(7)
    cursor.setPosition(14, QTextCursor.MoveMode.KeepAnchor)  # "quy địn"... select "quy định"
    cursor.setPosition(15, QTextCursor.MoveMode.KeepAnchor)
    editor.setTextCursor(cursor)
    qtbot.keyClick(editor, Qt.Key.Key_I, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(editor, Qt.Key.Key_U, Qt.KeyboardModifier.ControlModifier)
    assert editor.markup() == "**Điều 1** *__quy định__* chung"
    qtbot.keyClick(editor, Qt.Key.Key_U, Qt.KeyboardModifier.ControlModifier)  # toggles back off
    assert editor.markup() == "**Điều 1** *quy định* chung"
    # typing bold: Ctrl+B, then the text
    editor.moveCursor(QTextCursor.MoveOperation.End)
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.keyClick(editor, Qt.Key.Key_B, Qt.KeyboardModifier.ControlModifier)
    type_text(editor, "Điều 2.")
    qtbot.keyClick(editor, Qt.Key.Key_B, Qt.KeyboardModifier.ControlModifier)
    type_text(editor, " Hiệu lực * 2")
    assert editor.markup().split("\n")[1] == r"**Điều 2.** Hiệu lực \* 2"


def test_heading_lines_by_typing_hash_space_and_ctrl_e(qtbot):
    editor = BodyEditor()
    qtbot.addWidget(editor)
    editor.show()
    type_text(editor, "# QUYẾT ĐỊNH:")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    type_text(editor, "Điều 1.")
    assert editor.markup() == "# QUYẾT ĐỊNH:\nĐiều 1."
    assert editor.document().begin().blockFormat().alignment() & Qt.AlignmentFlag.AlignHCenter
    qtbot.keyClick(editor, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    assert editor.markup() == "# QUYẾT ĐỊNH:\n# Điều 1."
    qtbot.keyClick(editor, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    editor.moveCursor(QTextCursor.MoveOperation.Start)
    qtbot.keyClick(editor, Qt.Key.Key_Backspace)  # at a heading's start: an ordinary line again
    assert editor.markup() == "QUYẾT ĐỊNH:\nĐiều 1."


def test_pasted_html_keeps_only_what_the_markup_holds(qtbot):
    from PySide6.QtCore import QMimeData

    editor = BodyEditor()
    qtbot.addWidget(editor)
    mime = QMimeData()
    mime.setHtml('<p style="font-size:30pt;color:red">Một <b>đậm</b> và <i>nghiêng</i> 5*3</p><p>Hai</p>')
    editor.insertFromMimeData(mime)
    assert editor.markup() == r"Một **đậm** và *nghiêng* 5\*3" + "\nHai"
    editor.clear()
    centred = QMimeData()
    centred.setHtml('<p align="center">QUYẾT ĐỊNH:</p><p>Điều 1. x_y</p>')
    editor.insertFromMimeData(centred)
    assert editor.markup() == "# QUYẾT ĐỊNH:\nĐiều 1. x\\_y"
    editor.clear()
    plain = QMimeData()
    plain.setText("# CHƯƠNG I\n- Mục *một*")
    editor.insertFromMimeData(plain)
    assert editor.markup() == "# CHƯƠNG I\n- Mục \\*một\\*"


# --- new document ------------------------------------------------------------------------


def test_picker_lists_the_styles_types_with_their_purpose_and_filters(qtbot):
    picker = NewDocumentDialog("party")
    qtbot.addWidget(picker.dialog)
    texts = [picker.dialog.types.item(i).text() for i in range(picker.dialog.types.count())]
    assert texts[0].startswith("Công văn (CV)\n") and "Trao đổi, chỉ đạo" in texts[0]
    assert any(t.startswith("Kế hoạch (KH)\n") for t in texts)
    assert not picker.dialog.style_row.isVisibleTo(picker.dialog)  # the profile's style: not asked
    qtbot.keyClicks(picker.dialog.filter, "ke hoach")  # without diacritics
    visible = [picker.dialog.types.item(i).text() for i in range(picker.dialog.types.count())
               if not picker.dialog.types.item(i).isHidden()]
    assert [v.split("\n")[0] for v in visible] == ["Kế hoạch (KH)"]
    assert picker.chosen() == "KH"


def test_new_document_opens_the_template_with_the_profile_filled_in(qtbot, section, monkeypatch):
    monkeypatch.setattr(NewDocumentDialog, "exec", lambda self: "KH")
    assert section.new_document()
    data = section.form.data()
    assert data["type"] == "KH"
    assert data["issuer"] == {"parent": "ĐẢNG BỘ THÀNH PHỐ SÔNG CÔNG", "name": "ĐẢNG ỦY PHƯỜNG BÁCH QUANG",
                              "code": "ĐU", "unit": None}
    assert data["place"] == "Bách Quang"
    assert data["date"] == dt.date.today().isoformat()
    assert data["signer"] == {"authority": "T/M BAN THƯỜNG VỤ", "title": "BÍ THƯ", "name": "Nguyễn Đức Giang"}
    assert data["number"] is None and section.form.ui.number_label.text() == "chưa cấp số"
    assert "[" in data["body"]  # the template's places to fill in
    qtbot.waitUntil(lambda: "ĐẢNG ỦY PHƯỜNG BÁCH QUANG" in pdf_text(section.preview.pdf_bytes), timeout=TIMEOUT)


# --- the form and the preview --------------------------------------------------------------


def test_editing_the_subject_updates_the_preview(qtbot, section):
    open_template(qtbot, section)
    first = section.preview.pdf_bytes
    set_subject(section, "về việc tăng cường phòng, chống thiên tai năm 2026")
    qtbot.waitUntil(lambda: "phòng, chống thiên tai năm 2026" in pdf_text(section.preview.pdf_bytes), timeout=TIMEOUT)
    assert section.preview.pdf_bytes != first
    assert section.preview.document.pageCount() == len(pypdf.PdfReader(io.BytesIO(section.preview.pdf_bytes)).pages)
    assert section.preview.ui.page_label.text() == f"Trang 1/{section.preview.page_count()}"


def test_rapid_typing_renders_once_the_typing_stops(qtbot, section, monkeypatch):
    open_template(qtbot, section)
    from dirdesk.gui.drafting import jobs

    calls = []
    real = jobs.render_preview
    monkeypatch.setattr(jobs, "render_preview", lambda data: calls.append(data["subject"]) or real(data))
    for word in ("về", "về việc", "về việc họp", "về việc họp chi bộ"):
        set_subject(section, word)
    qtbot.waitUntil(lambda: "họp chi bộ" in pdf_text(section.preview.pdf_bytes), timeout=TIMEOUT)
    assert calls == ["về việc họp chi bộ"]


def test_an_invalid_draft_says_why_and_keeps_the_last_preview(qtbot, section):
    open_template(qtbot, section)
    good = section.preview.pdf_bytes
    set_subject(section, "   ")
    qtbot.waitUntil(lambda: section.preview.ui.message.isVisibleTo(section), timeout=TIMEOUT)
    assert "Trích yếu: không được để trống" in section.preview.ui.message.text()
    assert section.preview.pdf_bytes == good
    assert any("Trích yếu" in t for t in finding_texts(section))
    item = section.preview.finding_items()[0]
    section.preview.ui.findings.itemClicked.emit(item)
    assert section.form.ui.subject.hasFocus()


def test_findings_follow_the_draft_and_lead_to_their_field(qtbot, section):
    open_template(qtbot, section)
    blanks = [t for t in finding_texts(section) if "Còn chỗ trống của mẫu" in t]
    assert blanks and all(t.startswith("Lỗi — ") for t in blanks)  # a template's blanks are errors till filled
    open_template(qtbot, section, filled=True)
    assert finding_texts(section) == ["Không thấy lỗi thể thức nào."]
    section.form.ui.authority.setPlainText("TM. BAN THƯỜNG VỤ")  # the state's prefix on a Party document
    qtbot.waitUntil(lambda: any("Quyền hạn ký" in t for t in finding_texts(section)), timeout=TIMEOUT)
    items = section.preview.finding_items()
    target = next(i for i in items if "Quyền hạn ký" in i.text())
    assert target.text().startswith("Lỗi — Quyền hạn ký: 'TM.'")
    section.form.ui.subject.setFocus()
    section.preview.ui.findings.itemClicked.emit(target)
    assert section.form.ui.authority.hasFocus()
    # "Nơi nhận" without its "Lưu" line: the list gets the focus
    section.form.cc.set_items(["Như trên"])
    section.form.changed.emit()
    qtbot.waitUntil(lambda: any(t.startswith("Lỗi — Nơi nhận") for t in finding_texts(section)), timeout=TIMEOUT)
    section.preview.ui.findings.itemClicked.emit(
        next(i for i in section.preview.finding_items() if i.text().startswith("Lỗi — Nơi nhận")))
    assert section.form.cc.list.hasFocus()


def test_page_navigation_and_zoom(qtbot, section):
    draft = open_template(qtbot, section, "KH")
    body = draft.body + "\n" + "\n".join(f"{n}. Nội dung thứ {n} cần thực hiện trong năm, giao cho các chi bộ "
                                         "và các đoàn thể chính trị - xã hội phường." for n in range(4, 40))
    section.form.body.set_markup(body)
    qtbot.waitUntil(lambda: section.preview.page_count() >= 2, timeout=TIMEOUT)
    pane = section.preview
    count = pane.page_count()
    assert pane.ui.page_label.text() == f"Trang 1/{count}"
    assert not pane.ui.prev_page.isEnabled() and pane.ui.next_page.isEnabled()
    pane.ui.next_page.click()
    assert pane.current_page() == 1 and pane.ui.page_label.text() == f"Trang 2/{count}"
    pane.ui.zoom_in.click()
    zoomed = pane.view.zoomFactor()
    pane.ui.zoom_in.click()
    assert pane.view.zoomFactor() > zoomed and pane.ui.zoom_label.text() == f"{round(pane.view.zoomFactor() * 100)}%"
    pane.ui.fit_width.click()
    assert not pane.ui.fit_width.isEnabled()


def test_signer_choice_and_markings(qtbot, section):
    open_template(qtbot, section)
    ui = section.form.ui
    ui.signer_combo.setCurrentIndex(2)
    ui.signer_combo.activated.emit(2)
    assert section.form.data()["signer"] == {"authority": "T/M BAN THƯỜNG VỤ\nK/T BÍ THƯ", "title": "PHÓ BÍ THƯ",
                                             "name": "Trần Văn Bình"}
    ui.signer_name.setText("Trần Văn Bình Hai")  # edited by hand: no longer the profile's signer
    assert ui.signer_combo.currentIndex() == 0
    assert [ui.urgency.itemText(i) for i in range(ui.urgency.count())] == ["(không)", "KHẨN", "THƯỢNG KHẨN", "HỎA TỐC"]
    assert [ui.secrecy.itemData(i) for i in range(ui.secrecy.count())] == [None, "MẬT", "TỐI MẬT", "TUYỆT MẬT"]
    ui.urgency.setCurrentIndex(1)
    ui.date_set.setChecked(False)
    data = section.form.data()
    assert data["urgency"] == "KHẨN" and data["date"] is None
    draft_from_dict(data)  # still a valid draft


def test_recipients_from_the_address_book_reordered_and_kept(qtbot, section):
    open_template(qtbot, section)
    rec = section.form.recipients
    rec.set_items([])
    rec.matches.set_typed("chi bộ")
    assert [rec.matches.index(i, 0).data() for i in range(rec.matches.rowCount())] == [
        "Các Chi bộ trực thuộc Đảng ủy"]
    rec.entry.setText("Các Chi bộ trực thuộc Đảng ủy")
    rec.add_button.click()
    assert not rec.offer_button.isVisibleTo(rec)  # already in the address book
    rec.entry.setText("Ban Tuyên giáo và Dân vận Thành ủy")
    rec.entry.returnPressed.emit()
    assert rec.offer_button.isVisibleTo(rec)
    assert "chưa có trong sổ địa chỉ" in rec.offer_label.text()
    rec.list.setCurrentRow(1)
    rec.up_button.click()
    assert section.form.data()["recipients"] == ["Ban Tuyên giáo và Dân vận Thành ủy", "Các Chi bộ trực thuộc Đảng ủy"]
    rec.offer_button.click()
    settle(qtbot)
    assert "Ban Tuyên giáo và Dân vận Thành ủy" in load_profile(section.context.registry).recipients
    assert "Ban Tuyên giáo và Dân vận Thành ủy" in section.book.stringList()
    section.form.cc.entry.setText("Lưu Văn phòng Đảng ủy")  # not a body's name: not offered
    section.form.cc.add_button.click()
    assert not section.form.cc.offer_button.isVisibleTo(section.form.cc)


# --- autosave, crash recovery, draft files ------------------------------------------------------------


def test_autosave_then_a_crash_offers_the_draft_back(qtbot, context, monkeypatch):
    first = DraftingSection(context)
    first.recover()
    open_template(qtbot, first)
    set_subject(first, "về việc chuẩn bị Đại hội chi bộ (đang soạn dở)")
    qtbot.waitUntil(lambda: not first._autosave_pending, timeout=TIMEOUT)  # the timer wrote it
    saved = list((context.data_dir / "autosave").glob("*.json"))
    draft_file = next(p for p in saved if not p.name.endswith(".state.json"))
    assert load_draft(draft_file).subject == "về việc chuẩn bị Đại hội chi bộ (đang soạn dở)"
    first.deleteLater()  # the window goes without can_close: a crash
    qtbot.waitUntil(lambda: not first._autosave._lock.isLocked(), timeout=TIMEOUT)

    asked = []
    monkeypatch.setattr(dialogs, "ask_yes_no", lambda *a, **k: asked.append(a[2]) or True)
    second = DraftingSection(context)
    qtbot.addWidget(second)
    qtbot.waitUntil(lambda: bool(asked), timeout=TIMEOUT)
    assert "Khôi phục bản đang soạn dở?" in asked[0] and "chuẩn bị Đại hội chi bộ" in asked[0]
    assert second.form.data()["subject"] == "về việc chuẩn bị Đại hội chi bộ (đang soạn dở)"
    # taken over: only the new window's autosave is left, and a third window is not asked again
    assert len(list((context.data_dir / "autosave").glob("*.state.json"))) == 1
    third = DraftingSection(context)
    qtbot.addWidget(third)
    third.recover()
    assert len(asked) == 1 and not third.has_document()


def test_a_clean_close_reopens_the_draft_without_asking(qtbot, context, monkeypatch):
    first = DraftingSection(context)
    first.recover()
    open_template(qtbot, first)
    set_subject(first, "về việc kiểm tra đảng viên")
    assert first.can_close()
    first.deleteLater()
    qtbot.waitUntil(lambda: not first._autosave._lock.isLocked(), timeout=TIMEOUT)
    monkeypatch.setattr(dialogs, "ask_yes_no", lambda *a, **k: pytest.fail("asked after a clean close"))
    second = DraftingSection(context)
    qtbot.addWidget(second)
    second.recover()
    assert second.form.data()["subject"] == "về việc kiểm tra đảng viên"


def test_declining_the_recovery_forgets_it(qtbot, context, monkeypatch):
    first = DraftingSection(context)
    first.recover()
    open_template(qtbot, first)
    first.autosave_now()
    first.deleteLater()
    qtbot.waitUntil(lambda: not first._autosave._lock.isLocked(), timeout=TIMEOUT)
    monkeypatch.setattr(dialogs, "ask_yes_no", lambda *a, **k: False)
    second = DraftingSection(context)
    qtbot.addWidget(second)
    second.recover()
    assert not second.has_document()
    assert list((context.data_dir / "autosave").glob("*.state.json")) == []


def test_save_and_open_a_draft_file_round_trip_in_nfc(qtbot, section, tmp_path, monkeypatch):
    open_template(qtbot, section)
    decomposed = unicodedata.normalize("NFD", "về việc tổ chức Hội nghị học tập nghị quyết")
    set_subject(section, decomposed)
    section.form.body.set_markup("**Điều 1.** Nội dung *chính* và __phụ__ \\* một dấu sao")
    target = tmp_path / "du-thao"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), DRAFT_FILTER))
    qtbot.keyClick(section.form.ui.place, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)  # Ctrl+S, no file yet
    saved = target.with_suffix(".json")
    assert saved.exists() and section.ui.file_label.text() == "Tệp: du-thao.json"
    raw = json.loads(saved.read_text(encoding="utf-8"))
    assert raw["subject"] == unicodedata.normalize("NFC", decomposed) != decomposed
    before = section.form.data()

    other = DraftingSection(section.context)
    qtbot.addWidget(other)
    other.recover()
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(saved), DRAFT_FILTER))
    assert other.open_file()
    assert other.form.data() == before
    assert other.form.body.markup() == "**Điều 1.** Nội dung *chính* và __phụ__ \\* một dấu sao"


DRAFT_FILTER = files_module.DRAFT_FILTER


@pytest.mark.parametrize("content, says", [
    (b"{ not json", "không phải JSON hợp lệ"),
    (json.dumps({"dirdesk": 1, "style": "party", "type": "CV"}).encode(), "Trích yếu: thiếu trường bắt buộc"),
])
def test_a_bad_draft_file_changes_nothing(qtbot, section, tmp_path, monkeypatch, content, says):
    open_template(qtbot, section)
    before = section.form.data()
    bad = tmp_path / "hong.json"
    bad.write_bytes(content)
    warnings = []
    monkeypatch.setattr(dialogs, "show_error", lambda *a, **k: warnings.append(a[1]))
    assert not section.open_file(bad)
    assert "Không mở được hong.json" in warnings[0]
    assert says in warnings[0] and "Bản đang soạn được giữ nguyên" in warnings[0]
    assert section.form.data() == before


# --- issuing ----------------------------------------------------------------------------------------


def accept_confirmations(monkeypatch, seen, before_first=None):
    def fake_exec(self):
        seen.append(self)
        if before_first is not None and len(seen) == 1:
            before_first()
        return True

    monkeypatch.setattr(IssueConfirmDialog, "exec", fake_exec)


def test_issue_shows_the_next_number_then_the_row_docx_and_pdf_exist(qtbot, section, monkeypatch):
    changes = []
    section.context.ops.changed.connect(changes.append)
    open_template(qtbot, section, filled=True)
    set_subject(section, "về việc tổng kết công tác năm 2026")
    seen = []
    accept_confirmations(monkeypatch, seen)
    with qtbot.waitSignal(section.issued, timeout=TIMEOUT) as blocker:
        qtbot.keyClick(section.form.ui.place, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    dialog = seen[0].dialog
    assert dialog.number_value.text() == "01-CV/ĐU"
    assert "01-CV/ĐU" in dialog.buttons.button(dialog.buttons.StandardButton.Ok).text()
    assert "nhiệm kỳ từ 15/10/2025" in dialog.sequence_value.text()
    assert not dialog.changed_label.isVisibleTo(dialog)
    row = blocker.args[0]
    reg = section.context.registry
    rows = outgoing.list_rows(reg)
    assert [(r["symbol"], r["subject"], r["status"]) for r in rows] == [
        ("01-CV/ĐU", "về việc tổng kết công tác năm 2026", "issued")]
    for kind in ("docx", "pdf"):
        assert attachment_path(reg, rows[0][f"{kind}_sha256"]).exists()
    assert row["id"] == rows[0]["id"]
    assert section.form.ui.number_label.text() == "Số 01-CV/ĐU"
    assert section.form.read_only and not section.act_issue.isEnabled()
    assert "Số 01-CV/ĐU" in pdf_text(section.preview.pdf_bytes)
    assert section.ui.issued_bar.isVisibleTo(section)
    assert "Sổ văn bản đi đã có dòng này" in section.ui.issued_label.text()
    assert list((section.context.data_dir / "autosave").glob("*.state.json")) == []  # nothing left to recover
    assert [(c.what, c.row_id) for c in changes] == [("outgoing", row["id"])]  # every section hears of the row
    assert finding_texts(section) == ["Không thấy lỗi thể thức nào."]  # the issued draft's own findings


def _other_window_issues(context, subject):
    def issue():
        reg2 = open_registry(context.registry.path)
        try:
            other = draft_from_dict(fill_blanks(draft_from_profile(load_profile(reg2), "CV").to_dict()))
            other.subject = subject
            outgoing.issue(reg2, other)
        finally:
            reg2.close()

    return issue


def test_another_window_taking_the_number_first_is_said_and_reconfirmed(qtbot, section, monkeypatch):
    open_template(qtbot, section, filled=True)
    seen = []
    accept_confirmations(monkeypatch, seen, _other_window_issues(section.context, "về việc của cửa sổ khác"))
    with qtbot.waitSignal(section.issued, timeout=TIMEOUT) as blocker:
        section.issue()
    assert len(seen) == 2
    assert seen[0].dialog.number_value.text() == "01-CV/ĐU"
    changed = seen[1].dialog
    assert changed.changed_label.isVisibleTo(changed)
    assert ("Số 01-CV/ĐU đã được cấp cho văn bản khác; văn bản này nhận số 02-CV/ĐU"
            in changed.changed_label.text())
    assert changed.number_value.text() == "02-CV/ĐU"
    assert changed.buttons.button(changed.buttons.StandardButton.Cancel).isDefault()
    assert blocker.args[0]["symbol"] == "02-CV/ĐU"
    rows = outgoing.list_rows(section.context.registry)
    assert [(r["number"], r["subject"]) for r in rows] == [(1, "về việc của cửa sổ khác"),
                                                          (2, section.form.data()["subject"])]


def test_issue_refuses_a_template_with_blanks_and_takes_no_number(qtbot, section, monkeypatch):
    open_template(qtbot, section)  # the template as it comes: "[Cơ quan, đơn vị nhận]"… still in
    seen, shown = [], []
    accept_confirmations(monkeypatch, seen)
    monkeypatch.setattr(dialogs, "show_error", lambda parent, text, title="": shown.append(text))
    section.issue()
    assert seen == [] and len(shown) == 1  # refused before the confirmation that shows the number
    assert shown[0].startswith("Chưa ban hành được, chưa cấp số nào:")
    assert "• Kính gửi: Còn chỗ trống của mẫu chưa điền: '[Cơ quan, đơn vị nhận]'" in shown[0]
    assert outgoing.list_rows(section.context.registry) == []
    assert not section.form.read_only and section.act_issue.isEnabled()
    section.load_data(fill_blanks(section.form.data()))
    with qtbot.waitSignal(section.issued, timeout=TIMEOUT) as blocker:
        section.issue()
    assert blocker.args[0]["symbol"] == "01-CV/ĐU"  # the refusal used up no number


def test_cancelling_after_the_number_changed_issues_nothing(qtbot, section, monkeypatch):
    open_template(qtbot, section, filled=True)
    seen = []

    def fake_exec(self):
        seen.append(self)
        if len(seen) == 1:
            _other_window_issues(section.context, "về việc của cửa sổ khác")()
            return True
        return False  # the clerk does not want number 02

    monkeypatch.setattr(IssueConfirmDialog, "exec", fake_exec)
    section.issue()
    qtbot.waitUntil(lambda: len(seen) == 2, timeout=TIMEOUT)
    qtbot.waitUntil(lambda: not section.issue_flow.running, timeout=TIMEOUT)
    assert [r["subject"] for r in outgoing.list_rows(section.context.registry)] == ["về việc của cửa sổ khác"]
    assert not section.is_issued() and not section.form.read_only


def test_issue_refused_for_an_incomplete_draft(qtbot, section, monkeypatch):
    open_template(qtbot, section)
    set_subject(section, "")
    warnings = []
    monkeypatch.setattr(dialogs, "show_error", lambda parent, text, title="": warnings.append(text))
    monkeypatch.setattr(IssueConfirmDialog, "exec", lambda self: pytest.fail("confirmation shown"))
    section.issue()
    assert "Trích yếu: không được để trống" in warnings[0]
    assert outgoing.list_rows(section.context.registry) == []


# --- printing and exports -----------------------------------------------------------------------------


def _long_plan(qtbot, section):
    draft = open_template(qtbot, section, "KH")
    body = draft.body + "\n" + "\n".join(f"{n}. Nội dung thứ {n}: các chi bộ và đoàn thể tổ chức thực hiện, "
                                         "báo cáo kết quả về Văn phòng Đảng ủy." for n in range(4, 40))
    section.form.body.set_markup(body)
    qtbot.waitUntil(lambda: section.preview.page_count() >= 2 and section._preview_is_current(), timeout=TIMEOUT)
    return section.preview.pdf_bytes


def test_printing_draws_each_page_in_vector_form_at_true_size(qtbot, section, tmp_path):
    data = _long_plan(qtbot, section)
    pages = len(pypdf.PdfReader(io.BytesIO(data)).pages)
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "ban-in.pdf"))
    printer.setResolution(300)
    result = print_pages(printer, draft_printable(section.form.data()))
    assert result.painted == pages and not result.cancelled
    assert len(result.sizes) == pages
    assert all(abs(s.width() - 2480) <= 1 and abs(s.height() - 3508) <= 1 for s in result.sizes)  # A4, 300 dpi
    printed = pypdf.PdfReader(str(tmp_path / "ban-in.pdf"))
    assert len(printed.pages) == pages
    assert [round(float(v)) for v in printed.pages[0].mediabox[2:]] == [595, 842]  # A4, true size
    assert len(printed.pages[0].images) == 0  # text and lines, no picture of the page
    assert {"Nội", "dung", "thứ", "Văn", "phòng"} <= set(printed.pages[-1].extract_text().split())


def test_ctrl_p_prints_through_the_dialogs_printer(qtbot, section, tmp_path, monkeypatch):
    data = _long_plan(qtbot, section)
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "ctrl-p.pdf"))
    printer.setResolution(300)
    printer.setCopyCount(2)
    monkeypatch.setattr(files_module, "ask_printer", lambda parent, pdf: printer)
    with qtbot.waitSignal(section.printed, timeout=60000) as blocker:
        qtbot.keyClick(section.form.ui.place, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    pages = len(pypdf.PdfReader(io.BytesIO(data)).pages)
    assert len(blocker.args[0]) == 2 * pages  # two copies, the PDF printer makes none itself
    assert len(pypdf.PdfReader(str(tmp_path / "ctrl-p.pdf")).pages) == 2 * pages


def test_export_docx_and_pdf_and_open_in_the_system_viewer(qtbot, section, tmp_path, monkeypatch):
    open_template(qtbot, section)
    for kind in ("docx", "pdf"):
        target = tmp_path / f"xuat.{kind}"
        monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, t=target, **k: (str(t), ""))
        with qtbot.waitSignal(section.exported, timeout=TIMEOUT):
            section.export(kind)
        assert target.read_bytes()[:4] == (b"PK\x03\x04" if kind == "docx" else b"%PDF")
    opened = []
    monkeypatch.setattr("PySide6.QtGui.QDesktopServices.openUrl", lambda url: opened.append(url) or True)
    section.open_in_viewer()
    qtbot.waitUntil(lambda: bool(opened), timeout=TIMEOUT)
    path = Path(opened[0].toLocalFile())
    assert isinstance(opened[0], QUrl) and path.suffix == ".pdf" and "về việc" in pdf_text(path.read_bytes())


def test_issued_exports_are_the_registers_files(qtbot, section, tmp_path, monkeypatch):
    open_template(qtbot, section, filled=True)
    accept_confirmations(monkeypatch, [])
    with qtbot.waitSignal(section.issued, timeout=TIMEOUT) as blocker:
        section.issue()
    target = tmp_path / "ban-hanh.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    with qtbot.waitSignal(section.exported, timeout=TIMEOUT):
        section.ui.issued_export_pdf.click()
    stored = attachment_path(section.context.registry, blocker.args[0]["pdf_sha256"]).read_bytes()
    assert target.read_bytes() == stored
    printed_from = []

    def fake_printer(parent, job):
        printed_from.append(job)
        return None  # the clerk cancels the print dialog

    monkeypatch.setattr(files_module, "ask_printer", fake_printer)
    section.ui.issued_print.click()
    qtbot.waitUntil(lambda: bool(printed_from), timeout=TIMEOUT)
    # the issued document is what gets printed: the pages of the stored PDF (checked drawing by drawing)
    assert len(printed_from[0].pages) == len(pypdf.PdfReader(io.BytesIO(stored)).pages)
    assert printed_from[0].title == blocker.args[0]["symbol"]


def test_tab_goes_through_the_form_top_to_bottom(qtbot, section):
    open_template(qtbot, section)
    form = section.form
    ui = form.ui
    seen = []
    widget = ui.type_combo
    for _ in range(80):
        seen.append(widget)
        widget = widget.nextInFocusChain()
        while not (widget.isVisibleTo(section) and widget.isEnabled()
                   and widget.focusPolicy() & Qt.FocusPolicy.TabFocus):
            widget = widget.nextInFocusChain()
        if widget is ui.signer_name:
            seen.append(widget)
            break
    order = [ui.type_combo, ui.date_set, ui.place, ui.title_edit, ui.subject, form.recipients.list,
             form.recipients.entry, form.preamble, form.body, ui.cc_note, form.cc.list, form.cc.entry,
             ui.signer_combo, ui.authority, ui.signer_name]
    positions = [seen.index(w) for w in order]
    assert positions == sorted(positions)


def test_every_control_has_an_accessible_name(qtbot, section):
    from PySide6.QtWidgets import QAbstractButton, QComboBox, QLineEdit, QListWidget, QPlainTextEdit, QTextEdit

    open_template(qtbot, section)
    missing = [w.objectName() or type(w).__name__
               for kind in (QAbstractButton, QComboBox, QLineEdit, QListWidget, QPlainTextEdit, QTextEdit)
               for w in section.findChildren(kind)
               if w.isVisibleTo(section) and not w.accessibleName() and not (
                   isinstance(w, QAbstractButton) and w.text())
               and not isinstance(w.parent(), (QComboBox,)) and "qt_" not in w.objectName()]
    assert missing == []


# --- the font the PDF embeds (dirdesk/fonts.py) and text it cannot show (dirdesk/glyphs.py) -----------

def test_status_line_names_the_bundled_font_and_why(qtbot, section, tmp_path, monkeypatch):
    monkeypatch.setenv(fonts.ENV_DIR, str(tmp_path / "nowhere"))
    open_template(qtbot, section)
    label = section.preview.ui.font_label
    assert label.text().startswith("Phông chữ của tệp PDF: Liberation Serif (máy không có Times New Roman")
    assert "không thấy" in label.toolTip() and "cùng kích thước chữ với Times New Roman" in label.toolTip()


def test_status_line_names_times_new_roman(qtbot, section, tmp_path, monkeypatch):
    pytest.importorskip("fontTools")
    folder = make_times(tmp_path / "Fonts")
    monkeypatch.setenv(fonts.ENV_DIR, str(folder))
    open_template(qtbot, section)
    label = section.preview.ui.font_label
    assert label.text() == "Phông chữ của tệp PDF: Times New Roman" and str(folder) in label.toolTip()


def test_an_emoji_in_the_subject_is_a_finding_that_leads_to_the_subject(qtbot, section):
    open_template(qtbot, section)
    section.form.ui.subject.setPlainText("về việc tổ chức Tết 🎉 cho thiếu nhi")
    qtbot.waitUntil(lambda: any("U+1F389" in t for t in finding_texts(section)), timeout=TIMEOUT)
    item = next(i for i in section.preview.finding_items() if "U+1F389" in i.text())
    assert item.text().startswith("Lỗi — Trích yếu:")
    section.form.ui.authority.setFocus()
    section.preview.ui.findings.itemClicked.emit(item)
    assert section.form.ui.subject.hasFocus()


def test_the_optional_marks_reach_the_draft_and_the_preview(qtbot, section):
    open_template(qtbot, section, "NQ")
    marks = section.form.marks
    assert marks.draft_round.isEnabled() and marks.no_media.isEnabled()  # 05-HD prints both
    assert [marks.circulation.itemText(i) for i in range(marks.circulation.count())][1:] == [
        "TÀI LIỆU HỘI NGHỊ", "LƯU HÀNH NỘI BỘ", "XEM XONG TRẢ LẠI", "TÀI LIỆU THU HỒI"]
    marks.draft_round.setValue(2)
    marks.circulation.setCurrentIndex(1)
    marks.drafter.setText("NguyenVanAn")
    marks.copies.setValue(26)
    marks.contact.setPlainText("Số 1 Bách Quang; điện thoại: 0208.3862345")
    data = section.form.data()
    assert {k: data[k] for k in ("draft_round", "circulation", "drafter", "copies")} == {
        "draft_round": 2, "circulation": "TÀI LIỆU HỘI NGHỊ", "drafter": "NguyenVanAn", "copies": 26}
    assert "no_media" not in data  # unset marks stay out of the file
    qtbot.waitUntil(lambda: "Dự thảo lần 2" in pdf_text(section.preview.pdf_bytes), timeout=TIMEOUT)
    text = pdf_text(section.preview.pdf_bytes)
    assert "TÀI LIỆU HỘI NGHỊ" in text and "NguyenVanAn-26" in text and "0208.3862345" in text
    assert draft_from_dict(data).marks.draft_round == 2


def test_a_state_draft_has_no_draft_mark_to_offer(qtbot, section):
    data = json.loads((ROOT / "tests/fixtures/drafts/state-cong-van-chi-dan.json").read_text("utf-8"))
    section.form.set_data(data)
    marks = section.form.marks
    assert not marks.draft_round.isEnabled() and "Nghị định 30" in marks.draft_round.toolTip()
    assert not marks.no_media.isEnabled()
    assert marks.circulation.currentText() == "LƯU HÀNH NỘI BỘ" and marks.copies.value() == 30
    assert {k: v for k, v in section.form.data().items() if k in ("circulation", "drafter", "copies", "contact")} \
        == {k: data[k] for k in ("circulation", "drafter", "copies", "contact")}
