"""Issuing ("Ban hành", Ctrl+Enter): confirm the number, then issue in a worker.

The confirmation (forms/draft_issue_confirm.ui) shows the number and symbol
the document is about to get (the core's `outgoing.preview_next`, as
`dirdesk outgoing next` prints it). The worker (jobs.issue, its own register
connection) issues with exactly that number; if another window or process
took it in the meantime it issues nothing and returns the number now next,
and the dialog comes back, blocking, saying "Số X đã được cấp cho văn bản
khác; văn bản này nhận số Y", for the clerk to confirm again or cancel.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialog, QDialogButtonBox, QWidget

from dirdesk.checks import ERROR, check_draft, unfinished_error
from dirdesk.draft import Draft, DraftError, draft_from_dict
from dirdesk.gui import dialogs
from dirdesk.gui.drafting import jobs
from dirdesk.gui.drafting.form import field_label
from dirdesk.gui.forms import load_form
from dirdesk.gui.workers import error_message
from dirdesk.registers import RegisterError, outgoing
from dirdesk.registers.errors import AlreadyIssued
from dirdesk.rules import doc_types, edition_in_force

TITLE = "Ban hành văn bản"


def draft_problems_text(exc: DraftError) -> str:
    return "\n".join(f"• {field_label(f)}: {m}" if f else f"• {m}" for f, m in exc.problems)


class IssueConfirmDialog:
    """The confirmation: number and symbol, date, type, subject, sequence, copies; the findings left."""

    def __init__(self, parent: QWidget | None, draft: Draft, upcoming: jobs.NextNumber,
                 changed_from: jobs.NextNumber | None = None, findings: tuple[int, int] = (0, 0)) -> None:
        self.dialog: QDialog = load_form("draft_issue_confirm", parent)
        self.upcoming = upcoming
        d = self.dialog
        d.setModal(True)
        ok = d.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText(f"Ban hành với số {upcoming.symbol}")
        ok.setAccessibleName(f"Ban hành với số {upcoming.symbol}")
        cancel = d.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        cancel.setText("Hủy, chưa ban hành")
        cancel.setDefault(changed_from is not None)  # a changed number is never taken by a stray Enter
        ok.setDefault(changed_from is None)
        d.buttons.accepted.connect(d.accept)
        d.buttons.rejected.connect(d.reject)
        font = d.number_value.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.4)
        d.number_value.setFont(font)
        d.number_value.setText(upcoming.symbol)
        day = jobs.issue_date(draft)
        d.date_value.setText(f"{day:%d/%m/%Y}" + ("" if draft.date else " (hôm nay; dự thảo để trống ngày)"))
        t = doc_types(draft.style).get(draft.type)
        edition = draft.edition or edition_in_force(draft.style, draft.date)
        d.type_value.setText(t.choice_label(edition) if t else draft.type)
        d.subject_value.setText(draft.subject)
        d.sequence_value.setText(upcoming.sequence + (f"\n{upcoming.note}" if upcoming.note else ""))
        if changed_from is not None:
            d.setWindowTitle("Số văn bản đã thay đổi")
            d.changed_label.setText(f"Số {changed_from.symbol} đã được cấp cho văn bản khác; "
                                    f"văn bản này nhận số {upcoming.symbol}. Chưa có gì được ban hành: "
                                    "bấm “Ban hành” để nhận số mới, hoặc “Hủy”.")
            d.changed_label.setStyleSheet("background: #fff4ce; color: #5c3c00; padding: 6px; font-weight: bold;")
            d.changed_label.setVisible(True)
            d.question.setText(f"Ban hành văn bản này với số {upcoming.symbol}?")
        errors, warnings = findings
        if errors or warnings:
            parts = ([f"{errors} lỗi"] if errors else []) + ([f"{warnings} cảnh báo"] if warnings else [])
            d.findings_note.setText(f"Còn {' và '.join(parts)} về thể thức (xem danh sách dưới bản xem trước). "
                                    "Nên sửa trước khi ban hành.")
            d.findings_note.setStyleSheet("color: #a40000;" if errors else "")
            d.findings_note.setVisible(True)

        d.setMinimumWidth(d.fontMetrics().averageCharWidth() * 90)
        d.adjustSize()
        (cancel if changed_from is not None else ok).setFocus()

    @property
    def copies(self) -> int | None:
        return self.dialog.copies.value() or None

    def exec(self) -> bool:
        return self.dialog.exec() == QDialog.DialogCode.Accepted


class IssueFlow:
    """From Ctrl+Enter to the register row, for one section. The issue is one write of the window's
    operations (dirdesk.gui.operations): a worker, the one error dialog, every section told."""

    def __init__(self, section: QWidget, on_issued: Callable[[dict], None]) -> None:
        self.section = section
        self.on_issued = on_issued
        self.running = False
        self.shown: list[IssueConfirmDialog] = []  # the confirmations shown (the tests read them)

    @property
    def registry(self):
        return self.section.context.registry

    def start(self, data: dict) -> None:
        if self.running:
            self.section.status("Đang ban hành; hãy đợi xong.")
            return
        try:
            draft = draft_from_dict(data)
        except DraftError as exc:
            dialogs.show_error(self.section, "Chưa ban hành được: dự thảo còn thiếu hoặc sai:\n"
                               + draft_problems_text(exc), TITLE)
            return
        if (blanks := unfinished_error(draft)) is not None:  # before any number is read or taken
            dialogs.show_error(self.section, "Chưa ban hành được, chưa cấp số nào:\n"
                               + draft_problems_text(blanks), TITLE)
            return
        ops = self.section.context.ops
        try:  # quick reads of the sequences, on the GUI thread
            upcoming = jobs.next_number(self.registry, draft)
            skipped = outgoing.numbers_skipped(self.registry, draft, date=jobs.issue_date(draft))
        except RegisterError as exc:
            dialogs.show_error(self.section, f"Chưa ban hành được: {exc}", TITLE)
            return
        except Exception as exc:  # a damaged or busy register: the one error path
            ops.report(self.section, "đọc sổ văn bản đi", exc)
            return
        if skipped and not self._skip_agreed(upcoming, skipped):
            self.section.status("Chưa ban hành.")
            return
        findings = check_draft(draft)
        counts = (sum(f.severity == ERROR for f in findings), sum(f.severity != ERROR for f in findings))
        self._confirm(data, draft, upcoming, None, counts, bool(skipped))

    def _skip_agreed(self, upcoming: jobs.NextNumber, skipped: range) -> bool:
        first, last = skipped.start, skipped.stop - 1
        numbers = f"số {first:02d}" if first == last else f"các số {first:02d} đến {last:02d}"
        return dialogs.ask_yes_no(
            self.section, "Bỏ qua số", f"Dự thảo ghi sẵn số {upcoming.number:02d}, nhưng số tiếp theo của sổ là "
            f"{first:02d}. Ban hành với số {upcoming.number:02d} thì {numbers} sẽ không bao giờ được cấp nữa.\n\n"
            f"Vẫn ban hành với số {upcoming.number:02d}?", yes=f"Vẫn dùng số {upcoming.number:02d}",
            no="Thôi, sửa số trong dự thảo", danger=True)

    def _confirm(self, data: dict, draft: Draft, upcoming: jobs.NextNumber, changed_from, counts,
                 skip_numbers: bool = False) -> None:
        dialog = IssueConfirmDialog(self.section, draft, upcoming, changed_from, counts)
        self.shown.append(dialog)
        if not dialog.exec():
            self.section.status("Chưa ban hành." if changed_from is None
                                else f"Chưa ban hành: số {changed_from.symbol} đã được cấp cho văn bản khác.")
            return
        self.running = True
        self.section.set_busy("Đang ban hành: cấp số, lưu DOCX và PDF…")
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)

        def finished() -> None:
            self.running = False
            QApplication.restoreOverrideCursor()
            self.section.set_busy("")

        def done(outcome: jobs.IssueOutcome) -> None:
            finished()
            if outcome.changed is not None:
                self._confirm(data, draft, outcome.changed, upcoming, counts)
            else:
                self.on_issued(outcome.row)

        def issued_before(exc: AlreadyIssued) -> None:  # a second click, or a retry: no second number
            finished()
            dialogs.show_info(self.section, str(exc), TITLE)
            self.on_issued(exc.row)

        def refused(exc: BaseException) -> None:
            finished()
            text = ("dự thảo còn thiếu hoặc sai:\n" + draft_problems_text(exc) if isinstance(exc, DraftError)
                    else error_message(exc))
            dialogs.show_error(self.section, f"Chưa ban hành được, chưa cấp số nào: {text}", TITLE)

        started = self.section.context.ops.write(
            self.section, "ban hành văn bản (chưa cấp số nào)", jobs.issue, data, upcoming.number, dialog.copies,
            skip_numbers, changes="outgoing", row_id_of=lambda outcome: outcome.row and outcome.row["id"],
            wrote=lambda outcome: outcome.row is not None,  # a number taken meanwhile: nothing written
            done=done, failed=lambda exc: finished(),
            handle={AlreadyIssued: issued_before, DraftError: refused, RegisterError: refused})
        if not started:
            finished()
