"""Export a register for a period: XLSX, CSV, PDF or DOCX.

All four are written from one `RegisterTable` (columns.py); the PDF and the
DOCX from one laid-out document (printing.py). A file is written atomically
and readable by its user alone (private.py): a failed export never leaves a
half-written file, and an older file of the same name stays as it was.

Text is written as text: a value that a spreadsheet would take for a formula
(starting with =, +, -, @, a tab or a carriage return: `=HYPERLINK(…)`,
`=WEBSERVICE(…)`, DDE `=cmd|…`), typed, imported or read from a received
file, is written to XLSX as a text cell (shown exactly as typed) and to CSV
behind a single quote (OWASP's CSV injection advice); `formula_like` decides
for both.
"""

from __future__ import annotations

import os
from pathlib import Path

from dirdesk.registers.columns import Period, RegisterTable, register_table
from dirdesk.registers.database import Registry
from dirdesk.registers.errors import RegisterError
from dirdesk.registers.private import write_private

FORMATS = ("xlsx", "csv", "pdf", "docx")
FILE_PREFIXES = {"outgoing": "so-di", "incoming": "so-den", "followup": "so-theo-doi"}
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def formula_like(text) -> bool:
    """Whether a spreadsheet would read the text as a formula (or DDE command) rather than as text."""
    return isinstance(text, str) and text.startswith(FORMULA_STARTS)


def export_bytes(table: RegisterTable, fmt: str) -> bytes:
    """The file's content in a format."""
    if fmt == "xlsx":
        from dirdesk.registers.export_xlsx import xlsx_bytes  # lazy: openpyxl, only for an XLSX

        return xlsx_bytes(table)
    if fmt == "csv":
        from dirdesk.registers.export_csv import csv_bytes  # here: export_csv imports this module

        return csv_bytes(table)
    if fmt in ("pdf", "docx"):
        # lazy: reportlab and python-docx, only for a printed register
        from dirdesk.registers.printing import register_layout
        from dirdesk.render import render_docx_bytes, render_pdf_bytes

        render = render_pdf_bytes if fmt == "pdf" else render_docx_bytes
        return render(register_layout(table))
    raise _unknown_format(fmt)


def _unknown_format(fmt: str) -> RegisterError:
    return RegisterError(f"Không xuất được dạng '{fmt}' (các dạng: {', '.join(FORMATS)}).")


def format_of(path: str | os.PathLike) -> str:
    """The format a file name asks for by its extension."""
    fmt = Path(path).suffix.lower().lstrip(".")
    if fmt not in FORMATS:
        raise RegisterError(f"Không biết xuất ra dạng nào cho tệp '{Path(path).name}'; "
                            f"hãy dùng đuôi .{', .'.join(FORMATS)} hoặc ghi rõ --format.")
    return fmt


def default_name(register: str, period: Period, fmt: str) -> str:
    """"so-di-2026-11.xlsx", "so-den-2026.pdf", "so-theo-doi-2026-11-01_2026-11-15.csv"."""
    return f"{FILE_PREFIXES[register]}-{period.slug}.{fmt}"


def export_register(reg: Registry, register: str, period: Period, fmt: str,
                    path: str | os.PathLike) -> RegisterTable:
    """Write a register for a period to `path` in `fmt` (xlsx|csv|pdf|docx); returns what was written."""
    if fmt not in FORMATS:
        raise _unknown_format(fmt)
    table = register_table(reg, register, period)
    data = export_bytes(table, fmt)
    try:
        write_private(path, data)
    except OSError as exc:
        raise RegisterError(f"Không ghi được tệp {path}: {exc.strerror or exc}") from exc
    return table
