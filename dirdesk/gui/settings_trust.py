"""Cài đặt, "Chứng thư tin cậy" tab: the certificates the office trusts (registers/trust_store.py).

The clerk adds the published certificates of the CAs (a root, its intermediates; .cer/.crt/.pem or a
.p7b bundle) with "Thêm chứng thư…" and takes one off with "Xóa". Each row shows the certificate's
name, its issuer, its validity and whether it is a root. Received signatures are then checked
against the list (intake/trust.py). Both writes go through the window's operations (a worker, the
one error path); a file that holds no certificate is told in the tab's status line.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtWidgets import (
    QAbstractItemView,
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

from dirdesk.gui import dialogs
from dirdesk.intake.source import IntakeError, received_bytes
from dirdesk.registers import trust_store

CERT_FILES = "Chứng thư số (*.cer *.crt *.pem *.der *.p7b *.p7c);;Mọi tệp (*)"
COLUMNS = ("Chứng thư", "Cấp bởi", "Hiệu lực", "Loại")
HELP = ("Chữ ký số trên văn bản nhận được được đối chiếu với các chứng thư dưới đây: chứng thư gốc và chứng thư "
        "trung gian của tổ chức chứng thực (Ban Cơ yếu Chính phủ, các tổ chức cung cấp dịch vụ chứng thực chữ ký "
        "số công cộng), tải tệp .cer, .crt hoặc .p7b từ trang của tổ chức đó. Khi danh sách trống, chữ ký số "
        "nhận được là \"chưa rõ\" có tin cậy hay không. DirDesk làm việc không cần mạng nên không kiểm tra được "
        "chứng thư có bị thu hồi hay không.")


def add_files_job(reg, paths: list[str]) -> list[dict]:
    """Worker: the certificates of every file added, in one transaction per file."""
    return [row for path in paths for row in trust_store.add_file(reg, received_bytes(path), Path(path).name)]


def _day(iso: str) -> str:
    return dt.date.fromisoformat(iso).strftime("%d/%m/%Y")


def validity_text(row: dict, today: dt.date | None = None) -> str:
    text = f"{_day(row['not_before'])} – {_day(row['not_after'])}"
    if dt.date.fromisoformat(row["not_after"]) < (today or dt.date.today()):
        text += " (đã hết hạn)"
    return text


class TrustPanel(QWidget):
    """The list of trusted certificates with its two buttons; `context` is the window's AppContext."""

    def __init__(self, context, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.rows: list[dict] = []
        layout = QVBoxLayout(self)
        help_label = QLabel(HELP, self, wordWrap=True)
        self.table = QTableWidget(0, len(COLUMNS), self, objectName="trustedCerts")
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.setAccessibleName("Danh sách chứng thư số tin cậy")
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.verticalHeader().setVisible(False)
        self.add_button = QPushButton("Thêm chứng thư…", self, objectName="addCertificate")
        self.add_button.setAccessibleName("Thêm chứng thư số tin cậy từ tệp")
        self.remove_button = QPushButton("Xóa", self, objectName="removeCertificate")
        self.remove_button.setAccessibleName("Xóa chứng thư đang chọn khỏi danh sách tin cậy")
        self.status = QLabel(self, objectName="trustStatus", wordWrap=True)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        layout.addWidget(help_label)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        layout.addWidget(self.status)
        self.add_button.clicked.connect(self.add_certificates)
        self.remove_button.clicked.connect(self.remove_selected)
        self.table.itemSelectionChanged.connect(self._selection_changed)
        self.refresh()

    def refresh(self) -> None:
        rows = self.context.ops.read_here(self, "đọc danh sách chứng thư tin cậy", trust_store.list_all)
        if rows is None:
            return
        self.rows = rows
        self.table.setRowCount(len(rows))
        for index, row in enumerate(rows):
            cells = (row["subject"], "(tự cấp)" if row["is_root"] else row["issuer"], validity_text(row),
                     "Chứng thư gốc" if row["is_root"] else "Trung gian")
            for column, text in enumerate(cells):
                self.table.setItem(index, column, QTableWidgetItem(text))
        self._selection_changed()

    def _selection_changed(self) -> None:
        self.remove_button.setEnabled(self.selected() is not None)

    def selected(self) -> dict | None:
        index = self.table.currentRow()
        chosen = self.table.selectionModel().selectedRows()
        return self.rows[index] if chosen and 0 <= index < len(self.rows) else None

    def add_certificates(self) -> None:
        names, _ = QFileDialog.getOpenFileNames(self, "Chọn chứng thư số tin cậy", "", CERT_FILES)
        if not names:
            return
        self.add_button.setEnabled(False)
        self.status.setText("Đang thêm chứng thư…")
        self.context.ops.write(self, "thêm chứng thư tin cậy", add_files_job, list(names), changes="profile",
                               done=self._added, handle={IntakeError: self._refused},
                               failed=lambda _exc: self._finished(""), wrote=bool)

    def _added(self, rows: list[dict]) -> None:
        self._finished("Đã thêm: " + "; ".join(r["subject"] for r in rows) if rows
                       else "Các chứng thư này đã có trong danh sách; không thêm gì.")

    def _refused(self, exc: BaseException) -> None:
        self._finished(f"Chưa thêm được: {exc}")

    def _finished(self, text: str) -> None:
        self.add_button.setEnabled(True)
        self.status.setText(text)
        self.refresh()

    def remove_selected(self) -> None:
        row = self.selected()
        if row is None:
            return
        if not dialogs.ask_yes_no(self, "Xóa chứng thư tin cậy",
                                  f"Xóa «{row['subject']}» khỏi danh sách tin cậy? Chữ ký số do tổ chức này cấp sẽ "
                                  "không còn được coi là tin cậy.", yes="Xóa", no="Không xóa", danger=True):
            return
        self.context.ops.write(self, "xóa chứng thư tin cậy", trust_store.remove, row["id"], changes="profile",
                               done=lambda removed: self._finished(f"Đã xóa: {removed['subject']}"),
                               failed=lambda _exc: self._finished(""))
