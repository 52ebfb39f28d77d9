"""Nhập sổ cũ: a register the clerk kept before DirDesk (Excel or CSV) entered
into the sổ văn bản đến or đi, from Sổ đăng ký.

The clerk picks the file and the register; a dry run (importing.import_register
with dry_run=True, in a worker on its own connection) shows the row report: how
many rows would be entered, and each row left out with its row number (as Excel
shows it) and the reason, duplicates flagged apart. "Nhập … dòng vào sổ" runs
the same import for real, in a worker; `imported` then tells the section, which
lets every register section know the register changed.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QStandardPaths, Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from dirdesk.gui.registers import common
from dirdesk.gui.workers import error_message
from dirdesk.registers.importing import REGISTER_NAMES, ImportReport, import_register

TARGETS = (("incoming", "Sổ văn bản đến"), ("outgoing", "Sổ văn bản đi"))
FILE_FILTER = "Sổ cũ (*.xlsx *.csv);;Bảng tính Excel (*.xlsx);;Tệp CSV (*.csv)"
DUPLICATE = "duplicate"  # importing.SkippedRow.kind of a row repeating another document
DUPLICATE_COLOUR = "#fff4ce"


def is_duplicate(skipped) -> bool:
    """A row left out as the same document as another (importing's `kind`; older reports have none)."""
    return getattr(skipped, "kind", None) == DUPLICATE


class ImportDialog(QDialog):
    imported = Signal(object)  # the ImportReport of an import that wrote rows

    def __init__(self, context, register: str = "incoming", parent: QWidget | None = None):
        super().__init__(parent)
        self.context = context
        self.report: ImportReport | None = None  # the last report shown (dry run or import)
        self.error_text = ""
        self._working = False
        self.setWindowTitle("Nhập sổ cũ từ Excel/CSV")
        self.path_edit = QLineEdit(self)
        self.path_edit.setAccessibleName("Tệp sổ cũ")
        self.path_edit.setPlaceholderText("Tệp .xlsx hoặc .csv của sổ cũ")
        self.path_edit.returnPressed.connect(self.dry_run)
        self.browse_button = QPushButton("&Chọn tệp…", self)
        self.browse_button.clicked.connect(self.browse)
        self.target = QComboBox(self)
        self.target.setAccessibleName("Nhập vào sổ")
        for code, text in TARGETS:
            self.target.addItem(text, code)
        self.target.setCurrentIndex(max(0, self.target.findData(register)))
        self.target.currentIndexChanged.connect(lambda _index: self.dry_run())
        self.summary = QLabel("Chọn tệp sổ cũ: DirDesk chạy thử trước, chưa ghi gì vào sổ.", self)
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.rows = QTableWidget(0, 3, self)
        self.rows.setAccessibleName("Các dòng bỏ qua")
        self.rows.setHorizontalHeaderLabels(["Dòng", "Kết quả", "Lý do"])
        self.rows.verticalHeader().hide()
        self.rows.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.rows.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.rows.setWordWrap(True)
        header = self.rows.horizontalHeader()
        for column, mode in enumerate((QHeaderView.ResizeMode.ResizeToContents,
                                       QHeaderView.ResizeMode.ResizeToContents, QHeaderView.ResizeMode.Stretch)):
            header.setSectionResizeMode(column, mode)
        self.busy = QProgressBar(self)
        self.busy.setRange(0, 0)
        self.busy.setMaximumWidth(self.fontMetrics().horizontalAdvance("M") * 8)
        self.busy.hide()
        self.dry_run_button = QPushButton("Chạy &thử", self)
        self.dry_run_button.clicked.connect(self.dry_run)
        self.import_button = QPushButton("&Nhập vào sổ", self)
        self.import_button.setEnabled(False)
        self.import_button.clicked.connect(self.run_import)
        self.close_button = QPushButton("Đóng", self)
        self.close_button.clicked.connect(self.reject)
        for button in (self.browse_button, self.dry_run_button, self.import_button, self.close_button):
            button.setAutoDefault(False)

        file_row = QHBoxLayout()
        file_row.addWidget(self.path_edit, 1)
        file_row.addWidget(self.browse_button)
        fields = QFormLayout()
        fields.addRow("Tệp:", file_row)
        fields.addRow("Nhập vào:", self.target)
        buttons = QHBoxLayout()
        buttons.addWidget(self.busy)
        buttons.addStretch(1)
        for button in (self.dry_run_button, self.import_button, self.close_button):
            buttons.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addLayout(fields)
        layout.addWidget(self.summary)
        layout.addWidget(self.rows, 1)
        layout.addLayout(buttons)
        em = self.fontMetrics().horizontalAdvance("M")
        self.resize(em * 60, self.fontMetrics().lineSpacing() * 30)
        self._update_buttons()

    @property
    def working(self) -> bool:
        """A dry run or an import is running."""
        return self._working

    # ------------------------------------------------------------ choices

    def register(self) -> str:
        return self.target.currentData()

    def path(self) -> Path | None:
        text = common.line(self.path_edit.text())
        return Path(text) if text else None

    def browse(self) -> None:
        folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation) or str(Path.home())
        name, _ = QFileDialog.getOpenFileName(self, "Chọn tệp sổ cũ", folder, FILE_FILTER)
        if name:
            self.choose(Path(name))

    def choose(self, path: Path, register: str | None = None) -> None:
        """Pick the file (and the register) as the clerk would; the dry run starts."""
        self.target.blockSignals(True)
        if register is not None:
            self.target.setCurrentIndex(self.target.findData(register))
        self.target.blockSignals(False)
        self.path_edit.setText(str(path))
        self.dry_run()

    # ------------------------------------------------------------ the jobs

    def dry_run(self) -> None:
        """Chạy thử: the report of what the import would do; nothing is written."""
        self._start(True)

    def run_import(self) -> None:
        """Nhập vào sổ, after a dry run that found rows to enter."""
        if self.report is not None and self.report.dry_run and self.report.imported:
            self._start(False)

    def _start(self, dry_run: bool) -> None:
        path = self.path()
        if self._working or path is None:
            return
        self.report = None
        self.error_text = ""
        self._working = True
        self.rows.setRowCount(0)
        self.summary.setText(f"Đang chạy thử {path.name}…" if dry_run else f"Đang nhập {path.name} vào sổ…")
        self._update_buttons()
        ops, register = self.context.ops, self.register()
        if dry_run:
            started = ops.read(self, f"chạy thử nhập {path.name}", import_register, register, path, dry_run=True,
                               done=self._finished, failed=self._failed)
        else:
            started = ops.write(self, f"nhập {path.name} vào sổ", import_register, register, path, dry_run=False,
                                changes=register, done=self._finished, failed=self._failed)
        if not started:
            self._failed(None)

    def _finished(self, report: ImportReport) -> None:
        self._working = False
        self.show_report(report)
        if not report.dry_run:
            name = Path(report.path).name
            self.context.window.status(f"Đã nhập {report.imported} dòng từ {name}.")
            if report.imported:
                self.imported.emit(report)
        self._update_buttons()

    def _failed(self, exc: BaseException | None) -> None:
        """The error dialog has said why; the report's place says it too (None: it could not start)."""
        self._working = False
        self.error_text = error_message(exc) if exc is not None else "Chưa bắt đầu được; hãy thử lại."
        self.summary.setText(f"<b>Không nhập được.</b> {common.escape_html(self.error_text)}")
        self._update_buttons()

    # ------------------------------------------------------------ the report

    def show_report(self, report: ImportReport) -> None:
        self.report = report
        duplicates = [s for s in report.skipped_rows if is_duplicate(s)]
        head = (f"<b>Chạy thử, chưa ghi gì vào sổ:</b> sẽ nhập {report.imported} dòng" if report.dry_run
                else f"<b>Đã nhập {report.imported} dòng vào {REGISTER_NAMES[report.register]}</b>")
        parts = [f"{head}, bỏ qua {report.skipped} dòng"
                 + (f" (trong đó {len(duplicates)} dòng trùng văn bản khác)" if duplicates else "")
                 + f", trong {report.read} dòng đọc được."]
        parts.append(common.escape_html(f"{Path(report.path).name}: {report.source}, "
                                        f"dòng tiêu đề {report.heading_row}."))
        parts += [f"Lưu ý: {common.escape_html(note)}" for note in report.notes]
        if report.dry_run and report.imported:
            parts.append(f"Xem các dòng bỏ qua bên dưới; bấm “Nhập {report.imported} dòng vào sổ” để ghi.")
        self.summary.setText("<br>".join(parts))
        self.rows.setRowCount(len(report.skipped_rows))
        shade = QBrush(QColor(DUPLICATE_COLOUR))
        for i, skipped in enumerate(report.skipped_rows):
            flagged = is_duplicate(skipped)
            cells = (str(skipped.row), "Trùng" if flagged else "Bỏ qua", skipped.reason)
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if column == 0:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                if flagged:
                    item.setBackground(shade)
                self.rows.setItem(i, column, item)
        self.rows.resizeRowsToContents()

    def report_rows(self) -> list[tuple[str, str, str]]:
        """The report's table as the clerk reads it: (dòng, kết quả, lý do)."""
        return [tuple(self.rows.item(i, c).text() for c in range(3)) for i in range(self.rows.rowCount())]

    def _update_buttons(self) -> None:
        idle = not self._working
        self.busy.setVisible(self._working)
        for widget in (self.path_edit, self.browse_button, self.target, self.dry_run_button):
            widget.setEnabled(idle)
        ready = idle and self.report is not None and self.report.dry_run and self.report.imported > 0
        self.import_button.setEnabled(ready)
        self.import_button.setText(f"&Nhập {self.report.imported} dòng vào sổ" if ready else "&Nhập vào sổ")
        self.close_button.setEnabled(idle)

    def reject(self) -> None:
        if not self._working:  # an import under way finishes first (it is one transaction)
            super().reject()
