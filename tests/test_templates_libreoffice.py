"""Every template of both styles (the new types, giấy giới thiệu without trích yếu, thư công without
a number included): the PDF and LibreOffice's layout of the DOCX agree line by line."""

from pathlib import Path

import pytest

from dirdesk.draft import load_draft

from .test_libreoffice_agreement import ours_and_libreoffices

TEMPLATES = sorted((Path(__file__).resolve().parents[1] / "resources" / "templates").glob("*/*.json"))


def key(path: Path) -> str:
    return f"{path.parent.name}-{path.stem}"


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    return ours_and_libreoffices(tmp_path_factory.mktemp("lo-templates"), {key(p): load_draft(p) for p in TEMPLATES})


@pytest.mark.slow
@pytest.mark.parametrize("name", [key(p) for p in TEMPLATES])
def test_template_pages_and_lines_agree_with_libreoffice(rendered, name):
    ours, libreoffice = rendered[name]
    assert [page[0] for page in ours] == [page[0] for page in libreoffice]
    assert [ln for page in ours for ln in page] == [ln for page in libreoffice for ln in page]
