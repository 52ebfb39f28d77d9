"""The PDF and the DOCX, as LibreOffice lays it out, agree page by page.

For every fixture: the same number of pages, and each page begins with the
same line of the same paragraph. LibreOffice comes from Debian's
libreoffice-writer-nogui (installed by .ci/run); on a machine without it the
test is skipped, except in CI, where it must run.
"""

import io
import os
import re
import shutil
import subprocess

import pdfplumber
import pytest

from dirdesk.draft import load_draft
from dirdesk.layout import build_layout
from dirdesk.render import render_docx_bytes, render_pdf_bytes

from .conftest import ALL_FIXTURES

SOFFICE = shutil.which("libreoffice") or shutil.which("soffice")


def page_lines(pdf_bytes: bytes) -> list[list[str]]:
    """Each page's text lines, the page number at the top left out (a phụ lục numbers its own pages)."""
    pages = []
    with pdfplumber.open(io.BytesIO(pdf_bytes)) as pdf:
        for number, page in enumerate(pdf.pages, start=1):
            lines = [re.sub(r"\s+", " ", ln).strip() for ln in (page.extract_text(x_tolerance=1.5) or "").split("\n")]
            lines = [ln for ln in lines if ln]
            if number > 1 and lines and lines[0].isdigit():
                lines = lines[1:]
            pages.append(lines)
    return pages


def ours_and_libreoffices(folder, drafts: dict) -> dict:
    """For each named draft: (our PDF's page lines, LibreOffice's layout of our DOCX's page lines)."""
    if SOFFICE is None:
        if os.environ.get("CI"):
            pytest.fail("LibreOffice is missing in CI: .ci/run must install libreoffice-writer-nogui")
        pytest.skip("LibreOffice is not installed (apt-get install libreoffice-writer-nogui)")
    ours = {}
    for name, draft in drafts.items():
        doc = build_layout(draft)
        (folder / f"{name}.docx").write_bytes(render_docx_bytes(doc))
        ours[name] = render_pdf_bytes(doc)
    profile = folder / "profile"
    subprocess.run(
        [SOFFICE, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf",
         "--outdir", str(folder / "pdf"), *sorted(str(p) for p in folder.glob("*.docx"))],
        check=True, capture_output=True, timeout=600,
    )
    return {name: (page_lines(pdf), page_lines((folder / "pdf" / f"{name}.pdf").read_bytes()))
            for name, pdf in ours.items()}


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    return ours_and_libreoffices(tmp_path_factory.mktemp("lo"), {p.stem: load_draft(p) for p in ALL_FIXTURES})


@pytest.mark.parametrize("name", [p.stem for p in ALL_FIXTURES])
def test_same_pages_same_first_lines(rendered, name):
    ours, libreoffice = rendered[name]
    assert len(ours) == len(libreoffice), "page count differs"
    assert [page[0] for page in ours] == [page[0] for page in libreoffice]


@pytest.mark.parametrize("name", [p.stem for p in ALL_FIXTURES])
def test_body_lines_break_alike(rendered, name):
    """Stronger than the issue asks: the lines themselves match, bar a known near-miss.

    LibreOffice places glyphs on a device grid; a line within a few hundredths of a
    point of the margin may break one word differently (seed 003's bold trích yếu,
    0.06 pt). At most one paragraph may differ that way.
    """
    ours, libreoffice = rendered[name]
    a = [ln for page in ours for ln in page]
    b = [ln for page in libreoffice for ln in page]
    assert len(a) == len(b)
    differing = [i for i, (x, y) in enumerate(zip(a, b, strict=True)) if x != y]
    assert len(differing) <= 2, differing
