"""The form's "Văn bản kèm theo, phụ lục" box: what a quyết định issues (quy chế, quy định, đề án …)
and the phụ lục of any document, kept in the draft's `attachments` (docs/draft-format-extensions.md)
and laid out after the signature, each part from a new page (dirdesk/layout/attached.py).

A part is added as a phụ lục (title and content typed here) or from a draft file (a quy chế drafted
from its template: its type, trích yếu and content are taken), edited, moved and removed.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from dirdesk.draft import DraftError, load_draft
from dirdesk.draft_attachments import Attachment
from dirdesk.gui import dialogs
from dirdesk.gui.drafting.body_editor import BodyEditor
from dirdesk.rules import doc_types
from dirdesk.text import clean

PHU_LUC = "Phụ lục"


def attachments_of(data: dict) -> list[Attachment]:
    """The attached parts of a draft-format dict, as far as they go (an autosave may hold a bad one:
    draft_from_dict names its problems when the draft is rendered)."""
    out = []
    for item in data.get("attachments") or []:
        if isinstance(item, dict):
            text = {k: item.get(k) if isinstance(item.get(k), str) else None
                    for k in ("kind", "type", "title", "subject", "body")}
            out.append(Attachment(kind=text["kind"] or "", body=text["body"] or "", type=text["type"],
                                  title=text["title"], subject=text["subject"]))
    return out


def describe(a: Attachment, style: str) -> str:
    """One line of the list: "Quy chế — Làm việc của …", "Phụ lục — Phân công …"."""
    if a.kind == "phu-luc":
        return f"{PHU_LUC} — {a.title or '(chưa có tên)'}"
    t = doc_types(style).get(a.type) if style in ("party", "state") else None
    label = t.label.capitalize() if t else str(a.type)
    return f"{label} — {a.subject or ''}"


class AttachmentDialog(QDialog):
    """Edit one attached part: a phụ lục's title and content, or a document's type, trích yếu, content."""

    def __init__(self, attachment: Attachment, style: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.kind = attachment.kind
        self.setWindowTitle("Phụ lục" if self.kind == "phu-luc" else "Văn bản kèm theo")
        form = QFormLayout()
        self.type_combo = QComboBox(self)
        self.type_combo.setAccessibleName("Loại văn bản kèm theo")
        for code, t in (doc_types(style).items() if style in ("party", "state") else []):
            self.type_combo.addItem(f"{t.label.capitalize()} ({code})", code)
        self.type_combo.setCurrentIndex(max(self.type_combo.findData(attachment.type), 0))
        self.title_edit = QLineEdit(attachment.title or "", self)
        self.title_edit.setAccessibleName("Tên phụ lục" if self.kind == "phu-luc" else "Tên loại (nếu khác)")
        self.subject = QPlainTextEdit(attachment.subject or "", self)
        self.subject.setAccessibleName("Trích yếu văn bản kèm theo")
        self.subject.setFixedHeight(3 * self.fontMetrics().lineSpacing() + 12)
        self.body = BodyEditor(self, "Nội dung văn bản kèm theo")
        self.body.set_markup(attachment.body or "")
        if self.kind == "phu-luc":
            form.addRow("Tên phụ lục", self.title_edit)
            self.type_combo.hide()
            self.subject.hide()
        else:
            form.addRow("Loại văn bản", self.type_combo)
            form.addRow("Trích yếu", self.subject)
            form.addRow("Tên loại (nếu khác)", self.title_edit)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel,
                                   parent=self)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Đồng ý")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("Hủy")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        box = QVBoxLayout(self)
        box.addLayout(form)
        box.addWidget(self.body, 1)
        box.addWidget(buttons)
        self.resize(720, 560)

    def attachment(self) -> Attachment:
        title = clean(self.title_edit.text(), keep_newlines=False).strip() or None
        body = self.body.markup().strip()
        if self.kind == "phu-luc":
            return Attachment(kind="phu-luc", body=body, title=title)
        subject = clean(self.subject.toPlainText(), keep_newlines=False).strip() or None
        return Attachment(kind="van-ban", body=body, type=self.type_combo.currentData(), title=title,
                          subject=subject)


class AttachedList(QGroupBox):
    """The list of attached parts, in the order they are printed."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Văn bản kèm theo, phụ lục", parent)
        self.style_name = "party"
        self.items: list[Attachment] = []
        self.list = QListWidget(self)
        self.list.setAccessibleName("Văn bản kèm theo và phụ lục")
        self.list.setToolTip("In sau chữ ký, mỗi phần từ trang mới, số trang riêng; cùng một số văn bản.")
        self.list.setMaximumHeight(5 * self.fontMetrics().lineSpacing() + 12)
        self.list.itemDoubleClicked.connect(lambda *_: self.edit())
        self.add_annex_button = QPushButton("Thêm phụ lục…", self)
        self.add_file_button = QPushButton("Thêm từ tệp dự thảo…", self)
        self.edit_button = QPushButton("Sửa…", self)
        self.up_button = QPushButton("Lên", self)
        self.remove_button = QPushButton("Xóa", self)
        self.add_annex_button.clicked.connect(self.add_annex)
        self.add_file_button.clicked.connect(lambda: self.add_from_file())
        self.edit_button.clicked.connect(self.edit)
        self.up_button.clicked.connect(self.move_up)
        self.remove_button.clicked.connect(self.remove)
        box = QVBoxLayout(self)
        box.addWidget(self.list)
        for row in (self.buttons()[:2], self.buttons()[2:]):  # two rows: the form is narrow on a small screen
            line = QHBoxLayout()
            for b in row:
                line.addWidget(b)
            line.addStretch(1)
            box.addLayout(line)

    def buttons(self) -> list[QPushButton]:
        return [self.add_annex_button, self.add_file_button, self.edit_button, self.up_button, self.remove_button]

    def focus_chain(self) -> list[QWidget]:
        return [self.list, *self.buttons()]

    # -- data ---------------------------------------------------------------------------
    def set_items(self, items: list[Attachment], style: str) -> None:
        self.style_name = style
        self.items = list(items)
        self._refresh()

    def _refresh(self, select: int | None = None) -> None:
        self.list.clear()
        for a in self.items:
            self.list.addItem(describe(a, self.style_name))
        if select is not None and 0 <= select < len(self.items):
            self.list.setCurrentRow(select)

    def _changed(self, select: int | None = None) -> None:
        self._refresh(select)
        self.changed.emit()

    # -- actions ------------------------------------------------------------------------
    def run_dialog(self, attachment: Attachment) -> Attachment | None:
        """The edit dialog's result, or None when cancelled (tests replace this)."""
        dialog = AttachmentDialog(attachment, self.style_name, self)
        return dialog.attachment() if dialog.exec() == QDialog.DialogCode.Accepted else None

    def add_annex(self) -> None:
        made = self.run_dialog(Attachment(kind="phu-luc", body=""))
        if made is not None:
            self.items.append(made)
            self._changed(len(self.items) - 1)

    def add_from_file(self, path: str | None = None) -> bool:
        """A document drafted on its own (a quy chế from its template) added as issued with this one."""
        if path is None:
            path, _ = QFileDialog.getOpenFileName(self, "Chọn tệp dự thảo văn bản kèm theo", "",
                                                  "Tệp dự thảo (*.json)")
            if not path:
                return False
        try:
            draft = load_draft(path)
        except DraftError as exc:
            dialogs.show_error(self, f"Không đọc được tệp dự thảo: {exc}", "Văn bản kèm theo")
            return False
        if draft.style != self.style_name:
            dialogs.show_error(self, "Văn bản kèm theo phải cùng kiểu (văn bản Đảng hoặc hành chính) với văn bản "
                                     "ban hành nó.", "Văn bản kèm theo")
            return False
        body = "\n".join(filter(None, [draft.preamble, draft.body]))
        self.items.append(Attachment(kind="van-ban", body=body, type=draft.type, title=draft.title,
                                     subject=draft.subject))
        self.items.extend(draft.attachments)
        self._changed(len(self.items) - 1)
        return True

    def edit(self) -> None:
        row = self.list.currentRow()
        if not 0 <= row < len(self.items) or not self.edit_button.isEnabled():
            return
        made = self.run_dialog(self.items[row])
        if made is not None:
            self.items[row] = made
            self._changed(row)

    def move_up(self) -> None:
        row = self.list.currentRow()
        if 0 < row < len(self.items):
            self.items[row - 1], self.items[row] = self.items[row], self.items[row - 1]
            self._changed(row - 1)

    def remove(self) -> None:
        row = self.list.currentRow()
        if 0 <= row < len(self.items):
            del self.items[row]
            self._changed(min(row, len(self.items) - 1))
