"""The `dirdesk` command line. With no arguments it opens the desktop app
(dirdesk.gui.app). Each module adds its group of commands:

- `documents`: render, new, types, check, parse
- `registers`: profile, outgoing (`outgoing`), incoming, followup, drafts, search, audit
- `exports`: register export
- `imports`: register import
- `backups`: backup, restore
"""

from __future__ import annotations

import argparse
import sys

from dirdesk import __version__
from dirdesk.cli import backups, documents, exports, imports, registers
from dirdesk.cli.common import err
from dirdesk.draft import DraftError

COMMAND_GROUPS = (documents, registers, backups)


def build_parser() -> argparse.ArgumentParser:
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
        from dirdesk.gui.app import main as gui_main
    except ImportError as exc:
        err(f"lỗi: không mở được cửa sổ DirDesk ({exc}). Cài lại bằng: python3 -m pip install -e . "
            "— các lệnh dòng lệnh vẫn dùng được: dirdesk --help")
        return 2
    return gui_main([])


def main(argv: list[str] | None = None) -> int:
    from dirdesk.intake.text_of import IntakeError
    from dirdesk.registers.errors import RegisterError

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
    except OSError as exc:
        err(f"lỗi: không đọc/ghi được tệp: {exc}")
        return 2
