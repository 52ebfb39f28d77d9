"""A separate process that writes to a register, for the concurrency and crash tests.

    python -m tests.register_worker DB MODE COUNT GO_FILE [STOP_FILE]

MODE: `issue` (numbers only), `issue-rendered` (with DOCX and PDF), `incoming`, `copy` (a sao y of
outgoing row 1, tests/test_copies.py).
COUNT: how many entries (0: until killed). Prints "ready" once imported and
connected, then waits for GO_FILE to exist so that all workers start together.
STOP_FILE: with COUNT 0, stop cleanly (between two entries) once it exists;
prints the number of entries written.
"""

import sys
import time
from pathlib import Path

from dirdesk.registers import copies, incoming, open_registry, outgoing
from tests.conftest import fixture_draft


def main(db: str, mode: str, count: int, go_file: str, stop_file: str | None = None) -> None:
    reg = open_registry(db)
    draft = fixture_draft("seed-000")
    print("ready", flush=True)
    while not Path(go_file).exists():
        time.sleep(0.005)
    done = 0
    while (count == 0 or done < count) and not (stop_file and Path(stop_file).exists()):
        if mode == "copy":
            copies.make_copy(reg, "outgoing", "#1", "sao-y")
        elif mode == "incoming":
            incoming.add(reg, incoming.IncomingEntry(author="UBND thành phố", subject=f"Văn bản {done}"))
        else:
            outgoing.issue(reg, draft, render=(mode == "issue-rendered"))
        done += 1
        if stop_file:  # a soak: a clerk's pace, not a tight loop that starves the other writers of the lock
            time.sleep(0.01)
    reg.close()
    print(f"done {done}", flush=True)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4], *sys.argv[5:6])
