"""A separate process that backs up, restores or imports over and over until it is killed, for
tests/test_register_kills.py.

    python -m tests.kill_worker backup DB FOLDER
    python -m tests.kill_worker restore DB ZIP [ZIP…]
    python -m tests.kill_worker import DB FILE

Prints "ready" once imported (and connected, for backup and import), then works until killed:
backup writes FOLDER/b-N.zip one after another; restore restores the ZIPs into DB in turn; import
imports FILE into the incoming register once and prints "imported N".
"""

import itertools
import sys
from pathlib import Path

from dirdesk.registers import backup, open_registry
from dirdesk.registers.importing import import_register


def main(mode: str, db: str, *args: str) -> None:
    if mode == "backup":
        with open_registry(db) as reg:
            print("ready", flush=True)
            for n in itertools.count():
                backup.write_backup(reg, Path(args[0]) / f"b-{n}.zip")
    elif mode == "restore":
        print("ready", flush=True)
        for zip_path in itertools.cycle(args):
            backup.restore_backup(zip_path, db)
    elif mode == "import":
        with open_registry(db) as reg:
            print("ready", flush=True)
            print(f"imported {import_register(reg, 'incoming', args[0]).imported}", flush=True)
    else:
        raise SystemExit(f"unknown mode {mode}")


if __name__ == "__main__":
    main(*sys.argv[1:])
