"""What the drafting section prints, as plain functions for the workers: the
draft on screen laid out now, or an issued document laid out from the draft
kept with its register row (dirdesk.gui.printing draws either in vector form).

An issued document is the file kept in the register. Its stored draft laid
out again gives the same pages only while the layout code is the same, so
before it is printed the pages are written as PDF once more and their
drawing (every page's content stream) compared with the stored file's; if
they differ (a document issued by an older DirDesk), nothing is printed and
the clerk is told to print the stored PDF from a PDF viewer ("Mở PDF").
The copies start at the row's số lượng bản.
"""

from __future__ import annotations

import io
import json

from dirdesk.draft import draft_from_dict
from dirdesk.gui.printing import Printable, PrintError, printable
from dirdesk.registers.attachments import read_attachment
from dirdesk.registers.audit import get_row

STALE = ("Bản lưu trong sổ của văn bản {symbol} được dựng bằng phiên bản DirDesk khác, nên không in lại "
         "được đúng từng nét; hãy bấm 'Mở PDF' và in từ chương trình xem PDF.")


def draft_printable(data: dict) -> Printable:
    """The draft (a draft-format dict) laid out and paginated; DraftError when it is not a draft."""
    # lazy: the layout and its writers load when a document is first printed
    from dirdesk.layout import build_layout

    return printable(build_layout(draft_from_dict(data)))


def issued_printable(reg, row_id: int) -> Printable:
    """An issued row's document laid out from its stored draft, checked against its stored PDF;
    copies from the row as it is now (số lượng bản may have been edited since the issue)."""
    from dirdesk.layout import build_layout
    row = get_row(reg, "outgoing", row_id)  # a worker, through the window's operations
    if not row.get("draft_json") or not row.get("pdf_sha256"):
        raise PrintError(f"Văn bản {row['symbol']} không có bản lưu để in.")
    stored = read_attachment(reg, row["pdf_sha256"])
    doc = build_layout(draft_from_dict(json.loads(row["draft_json"])))
    if not same_drawing(doc, stored):
        raise PrintError(STALE.format(symbol=row["symbol"]))
    return printable(doc, row["symbol"], row.get("copies"))


def page_streams(pdf: bytes) -> list[bytes]:
    """Every page's drawing operators (its content stream, decoded): what a page shows, without the
    file's dates and ids."""
    # lazy: pypdf only when an issued document is printed
    import pypdf

    try:
        return [page.get_contents().get_data() for page in pypdf.PdfReader(io.BytesIO(pdf)).pages]
    except (pypdf.errors.PyPdfError, AttributeError, ValueError) as exc:
        raise PrintError("Không đọc được tệp PDF lưu trong sổ để in.") from exc


def same_drawing(doc, stored_pdf: bytes) -> bool:
    """Whether the laid-out document draws exactly the pages of the stored PDF."""
    # lazy: reportlab only when an issued document is printed
    from dirdesk.render import render_pdf_bytes

    return page_streams(render_pdf_bytes(doc)) == page_streams(stored_pdf)
