"""A row of the outgoing register (Văn bản đi): its columns, the ones filled
in after issue editable (outgoing.EDITABLE), its kept DOCX and PDF (and the
signed PDF), its history; cancel the number with a reason; sign the issued PDF
with the office's key (Ký số…); delete and restore."""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QListWidget, QListWidgetItem, QPushButton, QSpinBox

from dirdesk.gui import dialogs, printing
from dirdesk.gui.drafting.printing import issued_printable
from dirdesk.gui.registers import common
from dirdesk.gui.registers.entry_base import FILE_ROLE, EntryDialog
from dirdesk.gui.signing_dialog import SignDialog, signing_settings
from dirdesk.gui.workers import error_message
from dirdesk.registers import outgoing
from dirdesk.registers.audit import get_row
from dirdesk.registers.columns import signed_label, type_and_subject
from dirdesk.registers.signing import sign_outgoing
from dirdesk.signing import SigningProblem

TEXT_FIELDS = ("recipients", "copy_holder", "receipt", "note")


class OutgoingEntryDialog(EntryDialog):
    form_name = "entry_outgoing"
    table = "outgoing"
    edit_fields = (*TEXT_FIELDS, "copies", "sent_date")

    def __init__(self, context, row_id: int, parent=None):
        super().__init__(context, row_id, parent)
        self.setWindowTitle("Văn bản đi")
        common.setup_date_field(self.child("sent_date", QLineEdit))
        self.child("cancel_number_button").clicked.connect(self.cancel_number)
        self.print_button = QPushButton("&In…", self.form)
        self.print_button.setAccessibleName("In văn bản này, số bản theo số lượng bản")
        self.print_button.setToolTip("In văn bản đã ban hành từ bản lưu trong sổ; số bản mặc định là số lượng bản")
        self.print_button.clicked.connect(self.print_document)
        self.form.findChild(QHBoxLayout, "buttons").insertWidget(0, self.print_button)
        self.sign_button = QPushButton("&Ký số…", self.form)
        self.sign_button.setAccessibleName("Ký số của cơ quan lên văn bản này")
        self.sign_button.setToolTip("Ký số của cơ quan lên bản PDF đã ban hành (USB token hoặc tệp .p12)")
        self.sign_button.clicked.connect(self.sign_document)
        self.form.findChild(QHBoxLayout, "buttons").insertWidget(1, self.sign_button)
        self.child("open_file_button").clicked.connect(self.open_selected_file)
        files: QListWidget = self.child("files", QListWidget)
        files.itemActivated.connect(lambda item: self.open_file_item(item))
        self.reload()
        em = self.fontMetrics().horizontalAdvance("M")
        self.resize(max(self.sizeHint().width(), em * 62), max(self.sizeHint().height(), em * 40))

    # ------------------------------------------------------------ showing the row

    def label(self) -> str:
        return self.row["symbol"] if self.row else f"dòng {self.row_id}"

    def reload(self) -> None:
        self.row = get_row(self.registry, "outgoing", self.row_id)
        row = self.row
        status = outgoing.STATUS_LABELS[row["status"]]
        if row["status"] == "cancelled":
            status = f"Đã hủy: {row['cancel_reason']}"
        elif row["status"] == "reserved":
            status = "Đã lấy số trước, chưa ban hành"
        else:
            status = status[:1].upper() + status[1:]
        if row.get("signed_pdf_sha256"):
            status += f" — {signed_label(row)}"
        if row["deleted_at"]:
            status += f" — dòng đã xóa lúc {row['deleted_at']}"
        subject = type_and_subject(row["type_name"], row["subject"])
        shown = common.escape_html(subject) or "(chưa có trích yếu)"
        self.child("heading", QLabel).setText(f"<b>{row['symbol']}</b> — {shown}")
        self.child("symbol", QLabel).setText(row["symbol"])
        self.child("date", QLabel).setText(common.date_text(row["date"]))
        self.child("subject", QLabel).setText(subject)
        self.child("signer", QLabel).setText(row["signer"] or "(chưa ghi)")
        self.child("state", QLabel).setText(status)
        self.child("marks", QLabel).setText(", ".join(m for m in (row["urgency"], row["secret"]) if m) or "không")
        for name in TEXT_FIELDS:
            self.child(name, QLineEdit).setText(row[name] or "")
            self.child(name, QLineEdit).setCursorPosition(0)  # a long list shows its start, not its end
        self.child("copies", QSpinBox).setValue(row["copies"] or 0)
        self.child("sent_date", QLineEdit).setText(common.date_text(row["sent_date"]))
        self.child("cancel_number_button").setEnabled(row["status"] != "cancelled" and not row["deleted_at"])
        self.print_button.setEnabled(row["status"] == "issued" and bool(row["pdf_sha256"]) and not row["deleted_at"])
        self.sign_button.setEnabled(self.print_button.isEnabled() and not row.get("signed_pdf_sha256"))
        self.update_delete_buttons()
        self.fill_files()
        self.fill_history()
        self.setWindowTitle(f"Văn bản đi {row['symbol']}")

    def fill_files(self) -> None:
        files: QListWidget = self.child("files", QListWidget)
        files.clear()
        for key, kind, label in (("signed_pdf_sha256", "PDF", "Bản PDF đã ký số"), ("pdf_sha256", "PDF", None),
                                 ("docx_sha256", "DOCX", None)):
            if self.row.get(key):
                item = QListWidgetItem(f"{label or f'Bản {kind} đã ban hành'} ({self.row['symbol']})")
                item.setData(FILE_ROLE, (self.row[key], f"{self.row['symbol']}.{kind.lower()}"))
                files.addItem(item)
        if files.count():
            files.setCurrentRow(0)
        else:
            files.addItem("Không có tệp: số lấy trước hoặc văn bản vào sổ từ sổ cũ.")
        self.child("open_file_button").setEnabled(files.count() > 0 and files.item(0).data(FILE_ROLE) is not None)

    # ------------------------------------------------------------ editing

    def values(self) -> dict:
        values = {name: common.line(self.child(name, QLineEdit).text()) for name in TEXT_FIELDS}
        copies = self.child("copies", QSpinBox).value()
        values["copies"] = copies or None
        sent = common.parse_date(self.child("sent_date", QLineEdit).text())
        values["sent_date"] = sent.isoformat() if sent else None
        return values

    def cancel_number(self) -> None:
        reason = dialogs.ask_text(self, "Hủy số", f"Lý do hủy số {self.label()} (số đã hủy không được dùng lại):")
        if reason is None:
            return
        if not reason:
            self.show_error("Cần ghi lý do hủy số.")
            return
        label = self.label()

        def cancelled(_row) -> None:
            self.context.window.status(f"Đã hủy số {label}: {reason}")
            self.written()

        self.run_write("hủy số", outgoing.cancel, f"#{self.row_id}", reason, done=cancelled)

    # ------------------------------------------------------------ signing

    def sign_document(self) -> None:
        """Ký số…: the key asked for (its PIN each time), then signed in the register's worker."""
        dialog = SignDialog(signing_settings(self.context.data_dir), self.label(), self)
        if dialog.exec() != SignDialog.DialogCode.Accepted:
            return
        try:
            source = dialog.source()
        except SigningProblem as exc:
            self.show_error(str(exc))
            return
        label = self.label()

        def signed(row) -> None:
            self.context.window.status(f"Đã ký số {label}: {row['signed_by']}, lúc {row['signed_at']}")
            self.written()

        self.run_write("ký số", sign_outgoing, f"#{self.row_id}", source, dialog.secret.text(), done=signed)

    # ------------------------------------------------------------ printing

    def print_document(self) -> None:
        """In…: the issued document laid out again from the draft kept with its row (checked against its
        stored PDF), the print dialog with the copies typed here (số lượng bản), then its pages in
        vector form behind a progress dialog."""
        copies = self.child("copies", QSpinBox).value() or None
        self.print_button.setEnabled(False)

        def ready(job: printing.Printable) -> None:
            self.print_button.setEnabled(True)
            if copies:
                job.copies = copies
            printer = printing.ask_printer(self, job)
            if printer is not None:
                self.print_progress = printing.start_print(self, printer, job, on_done=printed, on_error=failed)

        def printed(result: printing.PrintResult) -> None:
            self.context.window.status(printing.done_text(result))

        def failed(exc: BaseException) -> None:
            self.print_button.setEnabled(True)
            dialogs.show_failure(self, f"Không in được: {error_message(exc)}", "In văn bản")

        self.context.ops.read(self, "dựng bản in", issued_printable, self.row_id, done=ready,
                              failed=lambda exc: self.print_button.setEnabled(True))
