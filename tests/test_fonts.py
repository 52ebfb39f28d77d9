"""The font the PDF embeds: the system's Times New Roman where there is one, else the bundled
Liberation Serif, with the same lines and pages either way; the clerk is told which. Read back
from the PDF (pypdf, pdfplumber) and from `dirdesk check`."""

from __future__ import annotations

import io
import shutil

import pdfplumber
import pypdf
import pytest

from dirdesk import fonts
from dirdesk.cli import main
from dirdesk.draft import load_draft
from dirdesk.layout import build_layout
from dirdesk.render import render_pdf_bytes
from dirdesk.resources import resource_path
from tests.fake_times import POSTSCRIPT_NAMES, make_times
from tests.readback import FIXTURES, PATHS

pytest.importorskip("fontTools", reason="the test extra fonttools makes the stand-in Times New Roman")


@pytest.fixture
def times_dir(tmp_path, monkeypatch):
    """A folder holding a "Times New Roman" (Liberation renamed), named as the only place to look."""
    folder = make_times(tmp_path / "Fonts")
    monkeypatch.setenv(fonts.ENV_DIR, str(folder))
    return folder


@pytest.fixture
def no_times(tmp_path, monkeypatch):
    """A machine without Times New Roman: the only folder to look in is empty."""
    folder = tmp_path / "empty"
    folder.mkdir()
    monkeypatch.setenv(fonts.ENV_DIR, str(folder))
    return folder


def base_fonts(pdf: bytes) -> set[str]:
    """The /BaseFont of every font the pages use, without the subset tag."""
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    names = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            names.add(str(font["/BaseFont"]).split("+")[-1])
            assert "/FontFile2" in font["/FontDescriptor"].get_object()  # the font file itself is in the PDF
    return names


def render(path) -> bytes:
    return render_pdf_bytes(build_layout(load_draft(path)))


def placed_words(pdf: bytes) -> list[list[tuple[str, float, float]]]:
    """Each page's words with where they start, to a hundredth of a point."""
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        return [[(w["text"], round(w["x0"], 2), round(w["top"], 2)) for w in page.extract_words()]
                for page in doc.pages]


def test_pdf_embeds_times_new_roman_when_installed(times_dir):
    choice = fonts.embedded()
    assert choice.system and choice.family == "Times New Roman"
    names = base_fonts(render(FIXTURES / "state-cong-van.json"))
    assert names == set(POSTSCRIPT_NAMES)  # regular, bold, italic, bold italic: all Times New Roman
    assert "Times New Roman" in choice.describe() and str(times_dir) in choice.describe()


def test_pdf_falls_back_to_liberation_serif(no_times):
    choice = fonts.embedded()
    assert not choice.system
    names = base_fonts(render(FIXTURES / "state-cong-van.json"))
    assert names and all(n.startswith("LiberationSerif") for n in names)
    assert "Liberation Serif" in choice.describe() and "không thấy" in choice.describe()


def test_times_new_roman_files_found_by_their_macos_and_msttcorefonts_names(tmp_path, monkeypatch):
    folder = make_times(tmp_path / "mac")
    for old, new in (("times", "Times New Roman"), ("timesbd", "Times New Roman Bold"),
                     ("timesi", "Times New Roman Italic"), ("timesbi", "Times_New_Roman_Bold_Italic")):
        (folder / f"{old}.ttf").rename(folder / f"{new}.ttf")
    monkeypatch.setenv(fonts.ENV_DIR, str(folder))
    assert fonts.embedded().system


@pytest.mark.parametrize("path", [FIXTURES / "state-cong-van.json", FIXTURES / "seed-003.json"],
                         ids=lambda p: p.stem)
def test_same_lines_and_pages_with_either_font(path, tmp_path, monkeypatch):
    monkeypatch.setenv(fonts.ENV_DIR, str(make_times(tmp_path / "Fonts")))
    with_times = render(path)
    monkeypatch.setenv(fonts.ENV_DIR, str(tmp_path / "nowhere"))
    with_liberation = render(path)
    assert base_fonts(with_times) != base_fonts(with_liberation)
    assert placed_words(with_times) == placed_words(with_liberation)


def test_a_times_new_roman_with_other_widths_is_not_embedded(tmp_path, monkeypatch):
    """Its lines would not be the ones measured: the bundled font is embedded, and the clerk told why."""
    monkeypatch.setenv(fonts.ENV_DIR, str(make_times(tmp_path / "wide", widen="ơ")))
    choice = fonts.embedded()
    assert not choice.system and "ơ" in choice.reason and "độ rộng" in choice.reason
    assert all(n.startswith("LiberationSerif") for n in base_fonts(render(FIXTURES / "seed-000.json")))


def test_another_font_under_times_file_names_is_not_taken(tmp_path, monkeypatch):
    monkeypatch.setenv(fonts.ENV_DIR, str(make_times(tmp_path / "other", family="Tinos")))
    choice = fonts.embedded()
    assert not choice.system and "Tinos" in choice.reason


def test_an_installed_times_new_roman_agrees_with_the_metrics():
    """On a machine that has the real Times New Roman: its widths are the ones the layout measures with."""
    for folder in fonts._search_folders():
        if len(fonts._times_files(folder)) == 4:
            loaded, reason = fonts._try_times(folder)
            assert loaded is not None, reason
            assert fonts.metric_differences(loaded) == []
            return
    pytest.skip("no Times New Roman installed on this machine")


def test_dirdesk_check_names_the_font(times_dir, tmp_path, monkeypatch, capsys):
    assert main(["check", str(FIXTURES / "seed-000.json")]) == 0
    assert f"Phông chữ của tệp PDF: Times New Roman (của máy, {times_dir})" in capsys.readouterr().out
    monkeypatch.setenv(fonts.ENV_DIR, str(tmp_path / "nowhere"))
    assert main(["check", str(FIXTURES / "seed-000.json")]) == 0
    out = capsys.readouterr().out
    assert "Phông chữ của tệp PDF: Liberation Serif" in out and "không thấy lỗi thể thức nào" in out


def test_every_fixture_renders_with_times(times_dir):
    for path in PATHS:
        assert base_fonts(render(path)) <= set(POSTSCRIPT_NAMES), path.name



def test_a_times_new_roman_fontconfig_knows_is_found(tmp_path, monkeypatch):
    """Linux: a folder outside the usual ones, known to fontconfig (its own configuration here)."""
    if not shutil.which("fc-list"):
        pytest.skip("no fontconfig")
    folder = make_times(tmp_path / "site-fonts")
    conf = tmp_path / "fonts.conf"
    conf.write_text(f'<?xml version="1.0"?><fontconfig><dir>{folder}</dir>'
                    f'<cachedir>{tmp_path / "cache"}</cachedir></fontconfig>', "utf-8")
    monkeypatch.setenv("FONTCONFIG_FILE", str(conf))
    assert folder in fonts._fontconfig_folders()
    loaded, reason = fonts._try_times(folder)
    assert loaded is not None, reason


def test_fontconfig_substitutes_are_not_taken_for_times(tmp_path, monkeypatch):
    """fc-match would answer Liberation Serif for "Times New Roman"; the look-up takes only the family itself."""
    if not shutil.which("fc-list"):
        pytest.skip("no fontconfig")
    conf = tmp_path / "fonts.conf"
    bundled = resource_path("fonts")
    conf.write_text(f'<?xml version="1.0"?><fontconfig><dir>{bundled}</dir>'
                    f'<cachedir>{tmp_path / "cache"}</cachedir></fontconfig>', "utf-8")
    monkeypatch.setenv("FONTCONFIG_FILE", str(conf))
    assert fonts._fontconfig_folders() == []


def test_windows_looks_in_the_windows_and_the_users_font_folders(tmp_path, monkeypatch):
    monkeypatch.setattr(fonts.sys, "platform", "win32")
    monkeypatch.setenv("WINDIR", str(tmp_path / "Windows"))
    monkeypatch.setenv("LOCALAPPDATA", str(tmp_path / "AppData"))
    folders = fonts._search_folders()
    assert folders == [tmp_path / "Windows" / "Fonts", tmp_path / "AppData" / "Microsoft" / "Windows" / "Fonts"]
    make_times(folders[0])
    assert set(fonts._times_files(folders[0]).values()) == {folders[0] / n for n in
                                                            ("times.ttf", "timesbd.ttf", "timesi.ttf", "timesbi.ttf")}
