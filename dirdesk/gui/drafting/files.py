"""Draft files (open, save, save as), exports (DOCX, PDF), opening in the
system's viewer and printing, for the drafting section (a mixin: the section
provides form, preview, context, status() and set_busy()).

Every file is written atomically (dirdesk.draft.atomic_write); renders and
exports run in a worker; a file that cannot be read changes nothing.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QFileDialog

from dirdesk.draft import DraftError, atomic_write, draft_from_dict, draft_to_json, load_draft
from dirdesk.gui import dialogs
from dirdesk.gui.drafting import jobs
from dirdesk.gui.drafting.issuing import draft_problems_text
from dirdesk.gui.drafting.printing import draft_printable, issued_printable
from dirdesk.gui.printing import PrintResult, ask_printer, done_text, start_print
from dirdesk.gui.workers import run_in_background

DRAFT_FILTER = "Dự thảo DirDesk (*.json)"
FILTERS = {"pdf": "Tệp PDF (*.pdf)", "docx": "Tài liệu Word (*.docx)"}


class FileActions:
    """Mixed into DraftingSection."""

    _last_dir: Path | None = None

    def _start_dir(self) -> str:
        if self._file_path is not None:
            return str(self._file_path.parent)
        return str(self._last_dir or Path.home())

    # --- draft files ----------------------------------------------------------------

    def open_file(self, path: str | Path | None = None) -> bool:
        """Ctrl+O: a draft file into the form; a file that is not a draft changes nothing."""
        if path is None:
            if not self.ask_save_changes("mở tệp khác"):
                return False
            path, _ = QFileDialog.getOpenFileName(self, "Mở tệp dự thảo", self._start_dir(), DRAFT_FILTER)
            if not path:
                return False
        path = Path(path)
        try:
            draft = load_draft(path)
        except DraftError as exc:
            dialogs.show_error(self, f"Không mở được {path.name}: tệp không phải dự thảo hợp lệ.\n"
                               + draft_problems_text(exc) + "\nBản đang soạn được giữ nguyên.", "Mở tệp dự thảo")
            return False
        self._last_dir = path.parent
        self.load_data(draft.to_dict(), file=path, modified=False)
        self.status(f"Đã mở {path.name}.")
        return True

    def save(self) -> bool:
        """Ctrl+S: to the draft's file, or ask for one."""
        if self._file_path is None:
            return self.save_as()
        return self._save_to(self._file_path)

    def save_as(self) -> bool:
        stem = jobs.file_stem(self.form.data())
        suggested = str(Path(self._start_dir()) / f"{stem}.json")
        path, _ = QFileDialog.getSaveFileName(self, "Lưu dự thảo thành tệp", suggested, DRAFT_FILTER)
        if not path:
            return False
        path = Path(path)
        if path.suffix.lower() != ".json":
            path = path.with_name(path.name + ".json")
        return self._save_to(path)

    def _save_to(self, path: Path) -> bool:
        try:
            draft = draft_from_dict(self.form.data())
        except DraftError as exc:
            dialogs.show_error(self, "Chưa lưu được vào tệp: dự thảo còn thiếu hoặc sai:\n" + draft_problems_text(exc)
                               + "\n(Bản đang soạn vẫn được lưu tạm tự động.)", "Lưu dự thảo")
            return False
        try:
            atomic_write(path, draft_to_json(draft).encode("utf-8"))
        except OSError as exc:
            dialogs.show_error(self, f"Không ghi được tệp {path}: {exc.strerror or exc}", "Lưu dự thảo")
            return False
        self._file_path, self._last_dir = path, path.parent
        self.set_modified(False)
        self.autosave_now()
        self.status(f"Đã lưu {path.name}.")
        return True

    def ask_save_changes(self, doing: str) -> bool:
        """Before the draft on screen is replaced: True to go on (saved or let go), False to stay."""
        if not self.has_document() or not self._modified or self.is_issued():
            return True
        answer = dialogs.ask_choice(self, "Bản đang soạn chưa lưu",
                                    f"Bản đang soạn chưa được lưu vào tệp. Lưu trước khi {doing}?",
                                    [("save", "Lưu…"), ("discard", "Không lưu")], cancel="Hủy")
        if answer == "save":
            return self.save()
        return answer == "discard"

    # --- exports and the system viewer --------------------------------------------------

    def _write_out(self, kind: str, path: Path, what: str, done, failed) -> None:
        """Write the issued file kept in the register (a read of the window's operations) or the draft
        rendered now (a plain worker: the register is not touched) to `path`."""
        row = self._issued_row
        if row and row.get(f"{kind}_sha256"):
            self.context.ops.read(self, what, jobs.export_stored, row[f"{kind}_sha256"], path, done=done,
                                  failed=failed)
        else:
            run_in_background(self, jobs.export_draft, path, kind, self.form.data(), on_done=done, on_error=failed)

    def _check_renderable(self) -> bool:
        if self._issued_row:
            return True
        try:
            draft_from_dict(self.form.data())
        except DraftError as exc:
            dialogs.show_error(self, "Chưa xuất được: dự thảo còn thiếu hoặc sai:\n" + draft_problems_text(exc),
                               "Xuất tệp")
            return False
        return True

    def export(self, kind: str, path: str | Path | None = None) -> None:
        """Export DOCX or PDF to a file the clerk chooses (written in a worker)."""
        if not self.has_document() or not self._check_renderable():
            return
        if path is None:
            symbol = self._issued_row["symbol"] if self._issued_row else None
            stem = jobs.file_stem(self.form.data(), symbol)
            path, _ = QFileDialog.getSaveFileName(self, f"Xuất {kind.upper()}",
                                                  str(Path(self._start_dir()) / f"{stem}.{kind}"), FILTERS[kind])
            if not path:
                return
        path = Path(path)
        if path.suffix.lower() != f".{kind}":
            path = path.with_name(path.name + f".{kind}")
        self._last_dir = path.parent
        self.set_busy(f"Đang xuất {path.name}…")

        def done(written: Path) -> None:
            self.set_busy("")
            self.status(f"Đã xuất {written}.")
            self.exported.emit(str(written))

        def failed(exc: BaseException) -> None:
            self.set_busy("")
            dialogs.show_failure(self, f"Không xuất được {path.name}: {_reason(exc)}", "Xuất tệp")

        self._write_out(kind, path, f"xuất {path.name}", done, failed)

    def open_in_viewer(self) -> None:
        """The PDF in the system's viewer (a copy in a temporary folder; the register's file stays untouched)."""
        if not self.has_document() or not self._check_renderable():
            return
        symbol = self._issued_row["symbol"] if self._issued_row else None
        folder = Path(tempfile.gettempdir()) / "DirDesk"
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{jobs.file_stem(self.form.data(), symbol)}.pdf"
        self.set_busy("Đang chuẩn bị tệp PDF…")

        def done(written: Path) -> None:
            self.set_busy("")
            if not QDesktopServices.openUrl(QUrl.fromLocalFile(str(written))):
                dialogs.show_failure(self, f"Máy không có chương trình mở tệp PDF. Tệp ở: {written}", "Mở PDF")

        def failed(exc: BaseException) -> None:
            self.set_busy("")
            dialogs.show_failure(self, f"Không mở được tệp PDF: {_reason(exc)}", "Mở PDF")

        self._write_out("pdf", path, "chuẩn bị tệp PDF", done, failed)

    # --- printing -------------------------------------------------------------------------

    def print_document(self) -> None:
        """Ctrl+P: the document laid out in a worker (an issued one from its row, with its số lượng bản as
        the copies), the print dialog, then its pages in vector form behind a progress dialog."""
        if not self.has_document() or not self._check_renderable():
            return
        self.set_busy("Đang dựng bản in…")
        ready = lambda printable: (self.set_busy(""), self._print(printable))  # noqa: E731
        if self._issued_row:
            self.context.ops.read(self, "dựng bản in", issued_printable, self._issued_row["id"], done=ready,
                                  failed=lambda exc: self.set_busy(""))
        else:
            run_in_background(self, draft_printable, self.form.data(), on_done=ready, on_error=self._print_failed)

    def _print(self, printable) -> None:
        printer = ask_printer(self, printable)
        if printer is None:
            return
        self.set_busy("Đang in…")

        def done(result: PrintResult) -> None:
            self.set_busy("")
            self.status(done_text(result))
            self.printed.emit(result.sizes)

        self.print_progress = start_print(self, printer, printable, on_done=done, on_error=self._print_failed)

    def _print_failed(self, exc: BaseException) -> None:
        self.set_busy("")
        dialogs.show_failure(self, f"Không in được: {_reason(exc)}", "In văn bản")


def _reason(exc: BaseException) -> str:
    if isinstance(exc, DraftError):
        return "dự thảo còn thiếu hoặc sai: " + "; ".join(m for _, m in exc.problems)
    if isinstance(exc, OSError):
        return exc.strerror or str(exc)
    return str(exc) or type(exc).__name__
