"""The window draws PDFs in worker threads (previews, the register's preview, issuing, stamps): reportlab
is not thread-safe, so the process draws one PDF at a time (dirdesk.fonts.drawing). Without that lock,
two workers drawing at once crashed the process in TTFont.makeSubset."""

import threading

from dirdesk.layout import build_layout
from dirdesk.render import render_pdf_bytes
from tests.conftest import fixture_draft


def test_pdfs_drawn_in_several_threads_at_once_are_each_whole_and_alike():
    doc = build_layout(fixture_draft("seed-000"))
    alone = render_pdf_bytes(doc)
    results, errors = [], []

    def draw():
        try:
            for _ in range(4):
                results.append(render_pdf_bytes(doc))
        except BaseException as exc:  # noqa: BLE001 (reported below)
            errors.append(exc)

    threads = [threading.Thread(target=draw) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == [] and len(results) == 16
    def pages(pdf: bytes) -> bytes:  # the same pages, whatever the clock says
        return pdf.split(b"/CreationDate")[0]

    assert all(pages(r) == pages(alone) for r in results)


def test_the_lock_is_held_while_a_pdf_is_drawn(monkeypatch):
    from dirdesk import fonts
    from dirdesk.render import pdf_writer

    held = []
    real = pdf_writer._write_pdf
    monkeypatch.setattr(pdf_writer, "_write_pdf", lambda doc: held.append(fonts._DRAWING._is_owned()) or real(doc))
    render_pdf_bytes(build_layout(fixture_draft("seed-000")))
    assert held == [True]
