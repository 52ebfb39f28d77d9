""""Tệp đính kèm bị mất": the register's attached files that are missing or damaged, and the two fixes.

Each row names the entry(ies) the file belongs to as the clerk reads them
("Văn bản đến số 01/2026 (12/UBND-VP): cong-van.pdf", never a hash path),
the file's name, what is wrong and since when it has been noticed (the
oldest backup in the backups folder that already lacked it, else today).

- "Tìm tệp…": the clerk picks a copy (a USB drive, an e-mail); the core puts
  it back only if its content is the one recorded (`attachments.reattach`,
  checked by SHA-256); any other file is refused with the core's message,
  shown in the dialog, and the row stays.
- "Ghi nhận đã mất…": the clerk types why; the core records it as lost
  (`attachments.forget_missing`, audited: `attachments.lost_at`,
  `lost_reason`); backups stop flagging it, and the dialog's lower list keeps
  saying which files were recorded lost, when and why.

Loading is one `ops.read`, each fix one `ops.write` (dirdesk.gui.operations):
the register is never touched on the GUI thread.
"""

from __future__ import annotations

import datetime as dt
import json
import zipfile
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from dirdesk.dates import date_text
from dirdesk.gui import dialogs
from dirdesk.gui.settings_profile import ERROR_STYLE
from dirdesk.gui.workers import error_message
from dirdesk.registers.attachments import (
    DAMAGED,
    FILE_KINDS,
    file_names,
    forget_missing,
    labels,
    lost_attachments,
    missing_attachments,
    reattach,
)
from dirdesk.registers.backup import list_backups
from dirdesk.registers.errors import RegisterError

PROBLEMS = {DAMAGED: "Bị hỏng (nội dung đã thay đổi)"}  # anything else: missing
MANIFEST_LIMIT = 8 << 20
REASONS = ["Ổ đĩa hỏng, không còn bản nào", "Tệp bị xóa nhầm, không còn bản nào",
           "Không nhận được bản điện tử, chỉ có bản giấy"]


@dataclass(frozen=True)
class MissingRow:
    sha256: str
    ext: str  # ".pdf", ".docx", …
    label: str  # the entries it belongs to (the core's label)
    names: str  # the file's name(s) as attached
    problem: str
    noticed: dt.date  # the oldest backup that lacked it, else today


@dataclass(frozen=True)
class LostRow:
    label: str
    lost_at: str
    reason: str


@dataclass(frozen=True)
class Listing:
    missing: list[MissingRow]
    lost: list[LostRow]


def _file_names(reg, sha256: str, ext: str) -> str:
    names = file_names(reg, sha256)
    if not names:  # an issued DOCX/PDF of an outgoing entry has no name of its own
        names = [FILE_KINDS.get(ext, f"tệp {ext}")]
    return ", ".join(names)


def _first_noticed(db_path: Path, wanted: set[str]) -> dict[str, dt.date]:
    """sha256 -> the day of the oldest backup in the backups folder whose manifest lists it as damaged.

    Only the manifest's `damaged` list and `created` are read, and only for a date on the screen."""
    found: dict[str, dt.date] = {}
    for info in list_backups(db_path):
        if not wanted or info.path.suffix.lower() != ".zip":
            continue
        try:
            with zipfile.ZipFile(info.path) as zf:
                member = zf.getinfo("manifest.json")
                if member.file_size > MANIFEST_LIMIT:
                    continue
                raw = json.loads(zf.read(member).decode("utf-8"))
            day = dt.datetime.fromisoformat(str(raw["created"])).date()
            damaged = {d.get("sha256") for d in raw.get("damaged") or [] if isinstance(d, dict)}
        except Exception:  # noqa: BLE001 (a broken or foreign ZIP says nothing about when)
            continue
        for sha256 in damaged & wanted:
            found[sha256] = min(day, found.get(sha256, day))
    return found


def load_listing(reg) -> Listing:
    """Worker: the missing or damaged files, and those recorded as lost."""
    missing = missing_attachments(reg)
    noticed = _first_noticed(Path(reg.path), {m.sha256 for m in missing})
    today = dt.date.today()
    rows = [MissingRow(m.sha256, m.ext, m.label, _file_names(reg, m.sha256, m.ext), m.problem,
                       noticed.get(m.sha256, today)) for m in missing]
    recorded = lost_attachments(reg)
    names = labels(reg.conn, [r["sha256"] for r in recorded])
    lost = [LostRow(names[r["sha256"]] or _file_names(reg, r["sha256"], r["ext"]), r["lost_at"],
                    r["lost_reason"] or "") for r in recorded]
    return Listing(rows, lost)


def _cell(text: str) -> QTableWidgetItem:
    item = QTableWidgetItem(text)
    item.setToolTip(text)
    return item


def _table(columns: list[str], name: str) -> QTableWidget:
    table = QTableWidget(0, len(columns))
    table.setHorizontalHeaderLabels(columns)
    table.setAccessibleName(name)
    table.verticalHeader().hide()
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setWordWrap(True)
    table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
    for col in range(1, len(columns)):
        table.horizontalHeader().setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
    return table


class AttachmentsDialog(QDialog):
    """The missing attached files of the open register (`context`: the window's AppContext)."""

    def __init__(self, context, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.setWindowTitle("Tệp đính kèm bị mất")
        self.resize(self.fontMetrics().horizontalAdvance("M") * 90, self.fontMetrics().height() * 30)
        self.rows: dict[str, MissingRow] = {}
        self.buttons: dict[str, tuple[QPushButton, QPushButton]] = {}
        layout = QVBoxLayout(self)
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        layout.addWidget(self.intro)
        self.table = _table(["Văn bản", "Tên tệp", "Tình trạng", "Phát hiện từ", ""],
                            "Danh sách tệp đính kèm bị mất hoặc hỏng")
        layout.addWidget(self.table, 3)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.message)
        self.lost_label = QLabel("Tệp đã ghi nhận là mất (sổ vẫn ghi lại, bản sao lưu không còn báo thiếu):")
        self.lost_label.setWordWrap(True)
        layout.addWidget(self.lost_label)
        self.lost_table = _table(["Văn bản", "Ghi nhận ngày", "Lý do"], "Danh sách tệp đã ghi nhận là mất")
        layout.addWidget(self.lost_table, 1)
        box = QDialogButtonBox()
        close = box.addButton("Đóng", QDialogButtonBox.ButtonRole.RejectRole)
        close.setAccessibleName("Đóng danh sách tệp bị mất")
        box.rejected.connect(self.reject)
        layout.addWidget(box)
        self.loaded = False
        self.reload()

    # --- the list -------------------------------------------------------------------------------------------

    def busy(self) -> bool:
        """A fix of this dialog is being written (its rows stay as they are until it is done)."""
        return self.context.ops.busy(self)

    def reload(self) -> None:
        self.loaded = False
        self.intro.setText("Đang kiểm tra các tệp đính kèm của sổ…")
        if not self.context.ops.read(self, "kiểm tra tệp đính kèm", load_listing, done=self._fill,
                                     failed=self._not_read):
            self._not_read(None)

    def _not_read(self, _exc: BaseException | None) -> None:
        """The error dialog (operations) has said why; the dialog says the list is not known."""
        self.intro.setText("Chưa kiểm tra được các tệp đính kèm của sổ. Hãy đóng rồi mở lại sau.")

    def _fill(self, listing: Listing) -> None:
        self.loaded = True
        self.table.setRowCount(0)
        self.rows, self.buttons = {}, {}
        for row in listing.missing:
            self._add_row(row)
        self.lost_table.setRowCount(0)
        for lost in listing.lost:
            at = self.lost_table.rowCount()
            self.lost_table.insertRow(at)
            for col, text in enumerate((lost.label, date_text(lost.lost_at[:10]), lost.reason)):
                self.lost_table.setItem(at, col, _cell(text))
        self.lost_label.setVisible(bool(listing.lost))
        self.lost_table.setVisible(bool(listing.lost))
        self._say_count()

    def _add_row(self, row: MissingRow) -> None:
        at = self.table.rowCount()
        self.table.insertRow(at)
        cells = (row.label, row.names, PROBLEMS.get(row.problem, "Không còn tệp"), date_text(row.noticed))
        for col, text in enumerate(cells):
            item = _cell(text)
            item.setData(Qt.ItemDataRole.UserRole, row.sha256)
            self.table.setItem(at, col, item)
        holder = QWidget()
        line = QHBoxLayout(holder)
        line.setContentsMargins(2, 0, 2, 0)
        find = QPushButton("Tìm tệp…")
        find.setObjectName("findFile")
        find.setAccessibleName(f"Tìm lại tệp của {row.label}")
        find.setToolTip("Chọn một bản chép của đúng tệp này (ổ USB, thư điện tử…) để đặt lại vào sổ")
        forget = QPushButton("Ghi nhận đã mất…")
        forget.setObjectName("forgetFile")
        forget.setAccessibleName(f"Ghi nhận tệp của {row.label} đã mất")
        forget.setToolTip("Không còn bản nào: ghi vào sổ là tệp đã mất, kèm lý do")
        find.clicked.connect(lambda: self.find_file(row.sha256))
        forget.clicked.connect(lambda: self.record_lost(row.sha256))
        line.addWidget(find)
        line.addWidget(forget)
        self.table.setCellWidget(at, 4, holder)
        self.table.resizeRowToContents(at)
        self.rows[row.sha256] = row
        self.buttons[row.sha256] = (find, forget)

    def _remove_row(self, sha256: str) -> None:
        self.rows.pop(sha256, None)
        self.buttons.pop(sha256, None)
        for at in range(self.table.rowCount()):
            if self.table.item(at, 0).data(Qt.ItemDataRole.UserRole) == sha256:
                self.table.removeRow(at)
                break
        self._say_count()

    def _say_count(self) -> None:
        count = len(self.rows)
        self.table.setVisible(count > 0)
        if count == 0:
            self.intro.setText("Không có tệp đính kèm nào bị mất hoặc hỏng: mọi tệp của sổ đều còn nguyên.")
        else:
            self.intro.setText(
                f"{count} tệp đính kèm của sổ bị mất hoặc hỏng; các bản sao lưu không có các tệp này. Với mỗi "
                "tệp: nếu còn một bản chép (ổ USB, thư điện tử, máy khác), bấm \"Tìm tệp…\" để đặt lại; nếu "
                "không còn bản nào, bấm \"Ghi nhận đã mất…\" và ghi lý do.")

    def _tell(self, text: str, error: bool = False) -> None:
        self.message.setStyleSheet(ERROR_STYLE if error else "")
        self.message.setText(text)

    def _enable(self, sha256: str, enabled: bool) -> None:
        for button in self.buttons.get(sha256, ()):
            button.setEnabled(enabled)

    # --- the two fixes --------------------------------------------------------------------------------------

    def find_file(self, sha256: str) -> None:
        row = self.rows.get(sha256)
        if row is None:
            return
        kinds = f"Tệp {row.ext} (*{row.ext});;Mọi tệp (*)" if row.ext != ".bin" else "Mọi tệp (*)"
        name, _ = QFileDialog.getOpenFileName(self, f"Tìm tệp {row.names}", str(Path.home()), kinds)
        if not name:
            return
        self._enable(sha256, False)
        self._tell(f"Đang kiểm tra tệp {Path(name).name}…")
        if not self.context.ops.write(self, "đặt lại tệp đính kèm", reattach, sha256, name, changes="files",
                                      done=lambda _r: self._fixed(sha256, f"Đã đặt lại tệp của {row.label}."),
                                      handle={RegisterError: lambda exc: self._refused(sha256, exc)},
                                      failed=lambda _exc: self._enable(sha256, True)):
            self._enable(sha256, True)

    def record_lost(self, sha256: str) -> None:
        row = self.rows.get(sha256)
        if row is None:
            return
        reason = dialogs.ask_text(self, "Ghi nhận tệp đã mất",
                                  f"{row.label}\n\nKhông còn bản nào của tệp này? Ghi lý do (sổ giữ lại ghi nhận "
                                  "này; các bản sao lưu sau sẽ không báo thiếu tệp nữa):", suggestions=REASONS)
        if reason is None:
            return
        self._enable(sha256, False)
        if not self.context.ops.write(self, "ghi nhận tệp đã mất", forget_missing, sha256, reason, changes="files",
                                      done=lambda _r: self._fixed(sha256, f"Đã ghi nhận tệp của {row.label} là "
                                                                          f"đã mất ({reason}).", reload=True),
                                      handle={RegisterError: lambda exc: self._refused(sha256, exc)},
                                      failed=lambda _exc: self._enable(sha256, True)):
            self._enable(sha256, True)

    def _fixed(self, sha256: str, text: str, reload: bool = False) -> None:
        self._remove_row(sha256)
        self._tell(text)
        if reload:  # the lower list shows the file recorded as lost
            self.reload()

    def _refused(self, sha256: str, exc: BaseException) -> None:
        self._enable(sha256, True)
        self._tell(error_message(exc), error=True)
