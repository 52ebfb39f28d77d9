"""The `dirdesk` command line. With no arguments it opens the desktop app
(dirdesk.gui.app). Each module adds its group of commands:

- `documents`: render, new, types, check, parse
- `registers`: profile, outgoing (`outgoing`), incoming, followup, drafts, search, audit
- `exports`: register export
- `imports`: register import
- `backups`: backup, restore
- `trust`: verify (a received PDF's signatures), trust (the office's trusted certificates)

Every command module is imported here to build the parser, so whatever they import at
the top every command pays for, `dirdesk` opening the window and `dirdesk render`
(timed whole-process against LibreOffice, benchmarks/render.py) included. The
register modules (about 80 ms together), the renderer (reportlab, python-docx),
the checks and the exports (openpyxl) are therefore imported inside the commands that
use them, marked `# lazy: start-up, see dirdesk.cli`. At the top stand only what
main() loads for its error handling anyway (dirdesk.registers and its errors,
dirdesk.intake) and what costs nothing (the standard library, dirdesk.templates).
"""

from __future__ import annotations

import argparse
import os
import sys
import traceback

from dirdesk import __version__
from dirdesk.cli import backups, documents, exports, imports, messages_vi, registers, trust
from dirdesk.cli.common import err
from dirdesk.draft import DraftError
from dirdesk.intake import IntakeError
from dirdesk.registers.errors import RegisterError, failure_message

COMMAND_GROUPS = (documents, registers, backups, trust)


def build_parser() -> argparse.ArgumentParser:
    messages_vi.install()  # argparse's "usage:", "error:", "required" in Vietnamese
    parser = argparse.ArgumentParser(
        prog="dirdesk",
        description="DirDesk: soạn thảo, ban hành và vào sổ văn bản của văn thư phường.",
    )
    parser.add_argument("--version", action="version", version=f"DirDesk {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="LỆNH")
    for group in COMMAND_GROUPS:
        group.add_commands(sub)
    register = sub.add_parser("register", help="xuất, in và nhập sổ (đi, đến, theo dõi giải quyết)")
    register_sub = register.add_subparsers(dest="register_command", metavar="VIỆC", required=True)
    exports.add_commands(register_sub)
    imports.add_commands(register_sub)
    return parser


def open_app() -> int:
    """`dirdesk` alone: the desktop window (Qt is imported only here, never by the commands)."""
    try:
        from dirdesk.gui.app import main as gui_main  # lazy: Qt for the window only, never for a command
    except ImportError as exc:
        err(f"lỗi: không mở được cửa sổ DirDesk ({exc}). Cài lại bằng: python3 -m pip install -e . "
            "— các lệnh dòng lệnh vẫn dùng được: dirdesk --help")
        return 2
    return gui_main([])


# Exit status when a command failed in a way DirDesk did not foresee (a bug): the message says what and
# nothing was left half-written; DIRDESK_DEBUG=1 shows the traceback. Bad input and a failing machine are 2.
EXIT_UNEXPECTED = 70


def main(argv: list[str] | None = None) -> int:
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(encoding="utf-8")
    if argv is None:
        argv = sys.argv[1:]
    if not argv:
        return open_app()
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 0
    try:
        return args.func(args)
    except (DraftError, RegisterError, IntakeError) as exc:
        err(f"lỗi: {exc}")
        return 2
    except BrokenPipeError:  # the reader of our output went away (dirdesk new … | head)
        sys.stdout = None
        return 0
    except Exception as exc:  # every failure ends in a message, never a traceback
        return _failed(exc)


def _failed(exc: Exception) -> int:
    """Tell the clerk why the command failed: the machine (disk full, no permission, a busy register…), or,
    for what nothing foresaw, the error itself with the way to report it."""
    message = failure_message(exc)
    if message:
        err(f"lỗi: {message}")
        return 2
    if os.environ.get("DIRDESK_DEBUG"):
        traceback.print_exception(exc)
    err(f"lỗi: DirDesk gặp lỗi không lường trước ({type(exc).__name__}: {str(exc)[:300]}); không có gì bị ghi "
        "dở. Hãy báo lỗi này kèm lệnh đã chạy (chạy lại với DIRDESK_DEBUG=1 để xem chi tiết).")
    return EXIT_UNEXPECTED
