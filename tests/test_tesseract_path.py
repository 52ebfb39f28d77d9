"""dirdesk/intake/tesseract_path.py: a Tesseract bundled with the frozen (PyInstaller) program
is found and pytesseract, PATH and TESSDATA_PREFIX point at it; out of a bundle nothing changes."""

import os
import shutil
import sys
from pathlib import Path

import pytest

from dirdesk.intake import tesseract_path


@pytest.fixture
def clean_env(monkeypatch):
    """PATH, TESSDATA_PREFIX and pytesseract's program restored after the test."""
    pytesseract = pytest.importorskip("pytesseract")
    monkeypatch.setenv("PATH", os.environ.get("PATH", ""))
    monkeypatch.setenv("TESSDATA_PREFIX", "-")  # so that what configure() sets there is undone too
    monkeypatch.delenv("TESSDATA_PREFIX")
    monkeypatch.setattr(pytesseract.pytesseract, "tesseract_cmd", pytesseract.pytesseract.tesseract_cmd)
    return pytesseract


def _bundle(root):
    """A fake PyInstaller folder: ROOT/tesseract/tesseract(.exe) (a script that runs) and its tessdata."""
    folder = root / tesseract_path.BUNDLE_FOLDER
    (folder / "tessdata").mkdir(parents=True)
    for name in ("vie.traineddata", "osd.traineddata"):
        (folder / "tessdata" / name).write_bytes(b"model")
    program = folder / ("tesseract.exe" if sys.platform.startswith("win") else "tesseract")
    program.write_text("#!/bin/sh\necho 'tesseract 5.3.0'\n")
    program.chmod(0o755)
    return folder, program


def test_a_frozen_program_uses_its_bundled_tesseract(tmp_path, monkeypatch, clean_env):
    folder, program = _bundle(tmp_path / "_internal")
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "_MEIPASS", str(tmp_path / "_internal"), raising=False)
    assert tesseract_path.configure() == str(program)
    assert clean_env.pytesseract.tesseract_cmd == str(program)
    assert os.environ["TESSDATA_PREFIX"] == str(folder / "tessdata")
    assert os.environ["PATH"].split(os.pathsep)[0] == str(folder)
    assert shutil.which("tesseract") == str(program)  # what ocr.unavailable() looks for
    tesseract_path.configure()  # again: PATH does not grow
    assert os.environ["PATH"].split(os.pathsep).count(str(folder)) == 1


def test_a_bundle_beside_the_executable_is_found_too(tmp_path, monkeypatch, clean_env):
    _, program = _bundle(tmp_path)
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.delattr(sys, "_MEIPASS", raising=False)
    monkeypatch.setattr(sys, "executable", str(tmp_path / "DirDesk.exe"))
    assert tesseract_path.configure() == str(program)


def test_without_a_bundle_nothing_changes(tmp_path, monkeypatch, clean_env):
    _bundle(tmp_path)  # there, but the program is not frozen
    monkeypatch.setattr(sys, "_MEIPASS", str(tmp_path), raising=False)
    monkeypatch.delattr(sys, "frozen", raising=False)
    monkeypatch.setattr(sys, "platform", "linux")
    path, command = os.environ["PATH"], clean_env.pytesseract.tesseract_cmd
    assert tesseract_path.configure() is None
    assert os.environ["PATH"] == path and clean_env.pytesseract.tesseract_cmd == command
    assert "TESSDATA_PREFIX" not in os.environ
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "_MEIPASS", str(tmp_path / "empty"), raising=False)
    monkeypatch.setattr(sys, "executable", str(tmp_path / "empty" / "DirDesk"))
    assert tesseract_path.configure() is None  # frozen, but built without Tesseract


def test_the_windows_installer_folder_is_tried_when_none_is_on_path(tmp_path, monkeypatch, clean_env):
    folder = tmp_path / "Tesseract-OCR"
    folder.mkdir()
    (folder / "tesseract.exe").write_bytes(b"MZ")
    monkeypatch.delattr(sys, "frozen", raising=False)
    monkeypatch.setattr(sys, "platform", "win32")
    monkeypatch.setenv("ProgramFiles", str(tmp_path))
    monkeypatch.setattr(tesseract_path.shutil, "which", lambda name: None)
    assert tesseract_path.configure() == str(folder / "tesseract.exe")
    monkeypatch.setattr(tesseract_path.shutil, "which", lambda name: "C:\\Tesseract\\tesseract.exe")
    assert tesseract_path._installed_folder() is None  # one on PATH is used as it is


# --- build.spec carries the Tesseract it is given -------------------------------------------

def _run_spec(monkeypatch, env: str | None) -> dict:
    """build.spec run with PyInstaller's names stubbed: the keyword arguments Analysis got."""
    import types

    root = Path(__file__).resolve().parents[1]
    hooks = types.ModuleType("PyInstaller.utils.hooks")
    hooks.collect_submodules = lambda name: [name]
    for name in ("PyInstaller", "PyInstaller.utils"):
        monkeypatch.setitem(sys.modules, name, types.ModuleType(name))
    monkeypatch.setitem(sys.modules, "PyInstaller.utils.hooks", hooks)
    if env is None:
        monkeypatch.delenv("DIRDESK_TESSERACT_DIR", raising=False)
    else:
        monkeypatch.setenv("DIRDESK_TESSERACT_DIR", env)
    got = {}

    def analysis(*args, **kwargs):
        got.update(kwargs)
        return types.SimpleNamespace(pure=[], scripts=[], binaries=[], datas=kwargs["datas"])

    spec = {"SPECPATH": str(root), "Analysis": analysis, "PYZ": lambda *a, **k: None,
            "EXE": lambda *a, **k: None, "COLLECT": lambda *a, **k: None}
    exec(compile((root / "build.spec").read_text(encoding="utf-8"), "build.spec", "exec"), spec)
    return got


def test_build_spec_bundles_tesseract_and_its_vietnamese_model(tmp_path, monkeypatch):
    folder, program = _bundle(tmp_path)
    (folder / "libtesseract-5.dll").write_bytes(b"MZ")
    (folder / "tessdata" / "fra.traineddata").write_bytes(b"model")  # not needed: left out
    (folder / "tessdata" / "configs").mkdir()
    (folder / "tessdata" / "configs" / "txt").write_text("tessedit_create_txt 1\n")
    datas = _run_spec(monkeypatch, str(folder))["datas"]
    bundled = {(Path(src).name, dest.replace("\\", "/")) for src, dest in datas}
    assert {(program.name, "tesseract"), ("libtesseract-5.dll", "tesseract"),
            ("vie.traineddata", "tesseract/tessdata"), ("osd.traineddata", "tesseract/tessdata"),
            ("txt", "tesseract/tessdata/configs")} <= bundled
    assert ("fra.traineddata", "tesseract/tessdata") not in bundled
    assert any(dest == "resources" for _, dest in datas)


def test_build_spec_refuses_a_tesseract_without_the_vietnamese_model(tmp_path, monkeypatch):
    folder, _ = _bundle(tmp_path)
    (folder / "tessdata" / "vie.traineddata").unlink()
    with pytest.raises(SystemExit, match="vie.traineddata"):
        _run_spec(monkeypatch, str(folder))
    assert not any("tesseract" in dest for _, dest in _run_spec(monkeypatch, "none")["datas"])
