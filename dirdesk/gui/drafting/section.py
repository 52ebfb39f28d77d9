"""Soạn thảo: the drafting section (forms/draft_section.ui).

The form on the left, the live preview and the format findings on the
right. Typing re-renders the PDF in a worker ~300 ms after the last key
(Debouncer + LatestOnly); the draft is autosaved every few seconds and on
close, and offered back after a crash; Ban hành issues it into the outgoing
register. See form.py, preview.py, files.py, issuing.py, autosave.py.
"""

from __future__ import annotations

import functools
import json
from pathlib import Path

from PySide6.QtCore import QStringListModel, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QToolBar, QVBoxLayout, QWidget

from dirdesk.checks import ERROR, check_draft
from dirdesk.draft import DraftError, draft_from_dict
from dirdesk.gui import dialogs
from dirdesk.gui.drafting import jobs
from dirdesk.gui.drafting.autosave import Autosave
from dirdesk.gui.drafting.files import FileActions
from dirdesk.gui.drafting.form import DraftForm, field_label
from dirdesk.gui.drafting.issuing import IssueFlow
from dirdesk.gui.drafting.newdoc import NewDocumentDialog
from dirdesk.gui.drafting.preview import PreviewPane
from dirdesk.gui.forms import load_form
from dirdesk.gui.sections import SectionBase
from dirdesk.gui.workers import Debouncer, LatestOnly, error_message, run_in_background
from dirdesk.registers.attachments import read_attachment
from dirdesk.registers.congress import as_congress_document
from dirdesk.registers.profile import add_recipient, load_profile
from dirdesk.templates import draft_from_profile

PREVIEW_DELAY_MS = 300
AUTOSAVE_MS = 3000
EMPTY, EDITOR = 0, 1


class DraftingSection(SectionBase, FileActions):
    title = "Soạn thảo"

    previewUpdated = Signal()  # a newer preview (or the reason there is none) is on screen
    exported = Signal(str)
    printed = Signal(object)
    issued = Signal(dict)  # the outgoing register row

    def __init__(self, context, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.attach(context)
        self.ui = load_form("draft_section", self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.ui)
        u = self.ui

        self._file_path: Path | None = None
        self._modified = False
        self._issued_row: dict | None = None
        self._shown_data: dict | None = None
        self._printer = None
        self._recovered = False
        self._autosave_pending = False

        self.book = QStringListModel(self)
        self.form = DraftForm(self.book, self._keep_address, self,
                              read_book=self._address_book)
        self.preview = PreviewPane(self)
        for host, child in ((u.form_host, self.form), (u.preview_host, self.preview)):
            box = QVBoxLayout(host)
            box.setContentsMargins(0, 0, 0, 0)
            box.addWidget(child)
        u.splitter.setStretchFactor(0, 1)
        u.splitter.setStretchFactor(1, 1)
        self.refresh()

        self.debouncer = Debouncer(self._render_now, PREVIEW_DELAY_MS, self)
        self.latest = LatestOnly()
        self.form.changed.connect(self._form_changed)
        self.preview.fieldRequested.connect(self.form.focus_field)
        self.issue_flow = IssueFlow(self, self._issued)

        self._autosave = Autosave(context.data_dir)
        self.destroyed.connect(functools.partial(Autosave.release, self._autosave))
        self._autosave_timer = QTimer(self)
        self._autosave_timer.setInterval(AUTOSAVE_MS)
        self._autosave_timer.timeout.connect(self._autosave_tick)
        self._autosave_timer.start()

        self._make_actions()
        u.empty_new.clicked.connect(self.new_document)
        u.empty_open.clicked.connect(lambda: self.open_file())
        u.copy_as_new.clicked.connect(self.copy_as_new)
        u.issued_print.clicked.connect(self.print_document)
        u.issued_open.clicked.connect(self.open_in_viewer)
        u.issued_export_pdf.clicked.connect(lambda: self.export("pdf"))
        u.issued_export_docx.clicked.connect(lambda: self.export("docx"))
        font = u.empty_label.font()
        font.setPointSizeF(font.pointSizeF() * 1.3)
        u.empty_label.setFont(font)
        u.stack.setCurrentIndex(EMPTY)
        self._update_labels()
        QTimer.singleShot(0, self.recover)

    # --- actions ----------------------------------------------------------------------

    def _action(self, text: str, slot, shortcuts=(), tip: str | None = None) -> QAction:
        action = QAction(text, self)
        if shortcuts:
            action.setShortcuts([QKeySequence(s) for s in shortcuts])
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        keys = ", ".join(QKeySequence(s).toString(QKeySequence.SequenceFormat.NativeText) for s in shortcuts[:1])
        action.setToolTip(f"{tip or text.rstrip('…')}" + (f" ({keys})" if keys else ""))
        action.triggered.connect(lambda _checked=False: slot())
        self.addAction(action)
        return action

    def _make_actions(self) -> None:
        # Ctrl+N belongs to the window, which calls new_document(); the button says so.
        self.act_new = self._action("Văn bản mới…", self.new_document, tip="Soạn văn bản mới (Ctrl+N)")
        self.act_open = self._action("Mở…", lambda: self.open_file(), [QKeySequence.StandardKey.Open],
                                     "Mở tệp dự thảo")
        self.act_save = self._action("Lưu", self.save, [QKeySequence.StandardKey.Save], "Lưu dự thảo vào tệp")
        self.act_save_as = self._action("Lưu thành…", self.save_as, ["Ctrl+Shift+S"], "Lưu dự thảo thành tệp khác")
        self.act_issue = self._action("Ban hành…", self.issue, ["Ctrl+Return", "Ctrl+Enter"],
                                      "Ban hành: cấp số, vào sổ văn bản đi")
        self.act_print = self._action("In…", self.print_document, [QKeySequence.StandardKey.Print], "In văn bản")
        self.act_export_pdf = self._action("Xuất PDF…", lambda: self.export("pdf"), tip="Xuất tệp PDF")
        self.act_export_docx = self._action("Xuất DOCX…", lambda: self.export("docx"), tip="Xuất tệp Word (DOCX)")
        self.act_open_pdf = self._action("Mở PDF", self.open_in_viewer, tip="Mở PDF bằng chương trình xem của máy")
        bar = QToolBar("Soạn thảo", self.ui.toolbar_host)
        bar.setAccessibleName("Thanh công cụ soạn thảo")
        bar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        for act in (self.act_new, self.act_open, self.act_save, self.act_save_as, None, self.act_issue, None,
                    self.act_print, self.act_export_pdf, self.act_export_docx, self.act_open_pdf):
            bar.addSeparator() if act is None else bar.addAction(act)
        font = bar.widgetForAction(self.act_issue).font()
        font.setBold(True)
        bar.widgetForAction(self.act_issue).setFont(font)
        box = QVBoxLayout(self.ui.toolbar_host)
        box.setContentsMargins(0, 0, 0, 0)
        box.addWidget(bar)
        self.toolbar = bar

    def actions_for_menu(self) -> list[QAction]:
        return [self.act_new, self.act_open, self.act_save, self.act_save_as, self.act_issue, self.act_print,
                self.act_export_pdf, self.act_export_docx, self.act_open_pdf]

    # --- state --------------------------------------------------------------------------

    def has_document(self) -> bool:
        return self.ui.stack.currentIndex() == EDITOR

    def is_issued(self) -> bool:
        return self._issued_row is not None

    def set_modified(self, modified: bool) -> None:
        self._modified = modified
        self._update_labels()

    def _update_labels(self) -> None:
        u = self.ui
        if not self.has_document():
            u.file_label.setText("")
        elif self.is_issued():
            u.file_label.setText(f"Văn bản đã ban hành {self._issued_row['symbol']}")
        else:
            name = self._file_path.name if self._file_path else "chưa lưu vào tệp"
            u.file_label.setText(f"Tệp: {name}" + (" (có thay đổi chưa lưu vào tệp)" if self._modified
                                                   and self._file_path else ""))
        editing = self.has_document() and not self.is_issued()
        for act in (self.act_save, self.act_save_as, self.act_issue):
            act.setEnabled(editing)
        for act in (self.act_print, self.act_export_pdf, self.act_export_docx, self.act_open_pdf):
            act.setEnabled(self.has_document())

    def status(self, text: str) -> None:
        self.ui.busy_label.setText(text)
        self.context.window.status(text)

    def set_busy(self, text: str) -> None:
        self.ui.busy_label.setText(text)
        if text:
            self.context.window.status(text)

    def refresh(self) -> None:
        """Re-read the profile: address book, signers, drafting units."""
        profile = self.context.ops.read_here(self, "đọc hồ sơ cơ quan", load_profile)
        if profile is None:
            return
        self._profile = profile
        self.book.setStringList(list(profile.recipients))
        self.form.set_profile(profile)

    # --- loading a draft ------------------------------------------------------------------

    def load_data(self, data: dict, *, file: Path | str | None = None, modified: bool = False) -> None:
        """Show a draft-format dict for editing."""
        self._issued_row = None
        self._file_path = Path(file) if file else None
        self.ui.issued_bar.setVisible(False)
        self.form.set_read_only(False)
        self.ui.stack.setCurrentIndex(EDITOR)
        self.form.set_data(data)  # emits changed: preview and autosave follow
        self.set_modified(modified)
        self.debouncer.flush()

    def new_document(self) -> bool:
        """Ctrl+N: the type picker, then the template filled in from the profile."""
        self.recover()
        if not self.ask_save_changes("soạn văn bản mới"):
            return False
        picker = NewDocumentDialog(self._profile.style, self)
        code = picker.exec()
        if code is None:
            return False
        draft = draft_from_profile(self._profile, code, style=picker.style)
        draft = as_congress_document(draft, self._profile.congresses)  # during a congress: the đại hội's
        self.load_data(draft.to_dict(), file=None, modified=False)
        self.form.show_top()
        self.status("Đã mở mẫu " + draft.type + ": sửa các chỗ trong ngoặc vuông […].")
        return True

    def copy_as_new(self) -> None:
        """An issued document's content as a new draft (no number, today's date)."""
        data = self.form.data()
        data.update(number=None, symbol=None, date=None)
        self.load_data(data, file=None, modified=True)
        self.form.ui.date_set.setChecked(True)

    def _form_changed(self) -> None:
        if self.is_issued() or not self.has_document():
            return
        if not self._modified:
            self.set_modified(True)
        self._autosave_pending = True
        self.debouncer.poke()

    # --- preview ---------------------------------------------------------------------------

    def _render_now(self) -> None:
        if not self.has_document() or self.is_issued():
            return
        data = self.form.data()
        ticket = self.latest.next()
        self.preview.set_busy(True)
        self.preview.ui.page_label.setToolTip("Đang cập nhật bản xem trước…")
        run_in_background(self, jobs.render_preview, data, on_done=functools.partial(self._rendered, ticket, data),
                          on_error=functools.partial(self._render_failed, ticket))

    def _rendered(self, ticket: int, data: dict, result) -> None:
        if not self.latest.is_latest(ticket):
            return
        pdf, findings = result
        self.preview.set_busy(False)
        self.preview.ui.page_label.setToolTip("")
        if self.preview.show_pdf(pdf):
            self.preview.show_message("")
        self._shown_data = data
        self._show_findings(findings)
        self.previewUpdated.emit()

    def _show_findings(self, findings) -> None:
        self.preview.set_findings([
            (f.severity, f.field, f"{'Lỗi' if f.severity == ERROR else 'Cảnh báo'} — {field_label(f.field)}: "
                                  f"{f.message}", f"Căn cứ: {f.source}") for f in findings])

    def _render_failed(self, ticket: int, exc: BaseException) -> None:
        if not self.latest.is_latest(ticket):
            return
        self.preview.set_busy(False)
        if isinstance(exc, DraftError):
            problems = [(f, m) for f, m in exc.problems]
            text = "; ".join(f"{field_label(f)}: {m}" if f else m for f, m in problems)
            self.preview.set_findings([(ERROR, f, f"Lỗi — {field_label(f)}: {m}", "Dự thảo chưa đủ để in")
                                       for f, m in problems if f])
        else:
            text = f"lỗi khi dựng văn bản ({type(exc).__name__}: {exc})"
        self.preview.show_message(f"Chưa cập nhật được bản xem trước: {text}. Đang hiện bản trước đó.", error=True)
        self._shown_data = None
        self.previewUpdated.emit()

    def _preview_is_current(self) -> bool:
        return self._shown_data is not None and not self.debouncer.pending and self._shown_data == self.form.data()

    # --- issuing -------------------------------------------------------------------------------

    def issue(self) -> None:
        """Ctrl+Enter: confirm the number, then issue (see issuing.py)."""
        if not self.has_document() or self.is_issued():
            return
        self.issue_flow.start(self.form.data())

    def _issued(self, row: dict) -> None:
        data = json.loads(row["draft_json"])
        self._issued_row = row  # first: the form's change below is not an edit to render or autosave
        self.latest.next()  # a preview still rendering is of the draft before its number
        self.form.set_data(data)
        self.form.set_read_only(True)
        self._file_path = None
        self.set_modified(False)
        self._autosave_pending = False
        self._autosave.discard()
        self.ui.issued_label.setText(f"Đã ban hành: Số {row['symbol']} ngày {_vn_date(row['date'])}. Sổ văn bản đi "
                                     "đã có dòng này; tệp DOCX và PDF được lưu cùng sổ. In, mở hoặc xuất tệp:")
        self.ui.issued_bar.setVisible(True)
        try:  # the file just written by the issue: a quick read
            self.preview.show_pdf(read_attachment(self.context.registry, row["pdf_sha256"]))
            self.preview.show_message("")
        except Exception as exc:  # said in the preview's place, where the clerk looks
            self.preview.show_message(error_message(exc), error=True)
        self._show_findings(check_draft(draft_from_dict(data)))
        self._update_labels()
        self.status(f"Đã ban hành văn bản số {row['symbol']}.")  # the other sections heard it from the operations
        self.issued.emit(row)

    # --- autosave and recovery -------------------------------------------------------------------

    def autosave_now(self) -> bool:
        if not self.has_document() or self.is_issued():
            self._autosave.discard()
            return True
        try:
            self._autosave.write(self.form.data(), file=str(self._file_path) if self._file_path else None,
                                 modified=self._modified)
        except OSError as exc:
            self.ui.autosave_label.setText(f"Không lưu tạm được: {exc.strerror or exc}")
            return False
        self._autosave_pending = False
        self.ui.autosave_label.setText(f"Đã lưu tạm lúc {self._autosave.last_saved:%H:%M:%S}")
        return True

    def _autosave_tick(self) -> None:
        if self._autosave_pending:
            self.autosave_now()

    def recover(self) -> None:
        """Once, at start: offer back a draft a crash left; reopen one a clean close left."""
        if self._recovered:
            return
        self._recovered = True
        left = self._autosave.left_behind()
        crashed = [s for s in left if not s.clean]
        if crashed:
            saved = crashed[0]
            subject = " ".join(str(saved.data.get("subject") or "").split())[:80] or "(chưa có trích yếu)"
            if dialogs.ask_yes_no(
                    self, "Khôi phục bản đang soạn dở?",
                    f"Lần trước DirDesk đã đóng đột ngột khi đang soạn «{subject}» (lưu tạm lúc {saved.saved_at})."
                    "\n\nKhôi phục bản đang soạn dở?", yes="Khôi phục", no="Bỏ qua"):
                self._take_over(saved, "Đã khôi phục bản đang soạn dở.")
                return
            self._autosave.forget(saved)
        clean = [s for s in left if s.clean]
        if clean and not self.has_document():
            self._take_over(clean[0], "Đã mở lại bản đang soạn lần trước.")

    def _take_over(self, saved, message: str) -> None:
        self.load_data(saved.data, file=saved.file, modified=saved.modified)
        if self.autosave_now():  # ours is written before theirs goes: never both lost
            self._autosave.forget(saved)
        self.status(message)

    def can_close(self) -> bool:
        """Keep the draft (autosave, marked as closed cleanly); False only if it could not be kept and the
        clerk chose to stay."""
        if not self.has_document() or self.is_issued():
            self._autosave.discard()
            return True
        try:
            self._autosave.write(self.form.data(), file=str(self._file_path) if self._file_path else None,
                                 modified=self._modified, clean=True)
        except OSError as exc:
            return dialogs.ask_yes_no(
                self, "Không lưu tạm được", f"Không lưu tạm được bản đang soạn ({exc.strerror or exc}). "
                "Vẫn đóng và bỏ những gì chưa lưu vào tệp?", yes="Vẫn đóng", no="Quay lại", danger=True)
        self._autosave_pending = False
        return True

    # --- the address book ------------------------------------------------------------------------

    def _address_book(self) -> list[str]:
        profile = self.context.ops.read_here(self, "đọc sổ địa chỉ", load_profile)
        return profile.recipients if profile is not None else []

    def _keep_address(self, name: str) -> None:
        """Keep a typed recipient in the address book (a write of the window's operations)."""
        def kept(_profile) -> None:
            self.refresh()
            self.status(f"Đã lưu «{name}» vào sổ địa chỉ.")

        self.context.ops.write(self, "lưu vào sổ địa chỉ", add_recipient, name, changes="profile", done=kept)


def _vn_date(iso: str) -> str:
    y, m, d = iso.split("-")
    return f"{d}/{m}/{y}"
