"""Autosave of the draft being written, and its recovery after a crash.

Each drafting section (one per window) is a session with three files in
DATA_DIR/autosave/: SESSION.json (the draft in the draft-file format, as the
form holds it, even half-typed), SESSION.state.json (which draft file it
belongs to, whether it differs from that file, whether the window closed
cleanly) and SESSION.lock (a QLockFile held while the session lives).

A session whose lock nobody holds belongs to no running window: if it did
not close cleanly, the window crashed and its draft is offered back; if it
did, the draft is simply reopened where the clerk left it. Sessions of other
windows still open are left alone.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import uuid
from pathlib import Path

from PySide6.QtCore import QLockFile

from dirdesk.draft import atomic_write

FOLDER = "autosave"


@dataclasses.dataclass
class Saved:
    session: str
    data: dict  # the draft as the form held it
    file: str | None  # the draft file it belongs to
    modified: bool  # differs from that file (or was never saved to one)
    clean: bool  # the window closed normally
    saved_at: str


def _lock(path: Path) -> QLockFile:
    lock = QLockFile(str(path))
    lock.setStaleLockTime(0)  # stale only when its process is gone, however long a window stays open
    return lock


class Autosave:
    def __init__(self, data_dir: Path) -> None:
        self.folder = Path(data_dir) / FOLDER
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
        except OSError:
            pass  # every write then fails with its reason, shown to the clerk; nothing to recover
        self.session = uuid.uuid4().hex[:12]
        self._lock = _lock(self.folder / f"{self.session}.lock")
        self._lock.tryLock(0)
        self.last_saved: dt.datetime | None = None

    def _paths(self, session: str) -> tuple[Path, Path, Path]:
        return (self.folder / f"{session}.json", self.folder / f"{session}.state.json",
                self.folder / f"{session}.lock")

    def write(self, data: dict, *, file: str | None, modified: bool, clean: bool = False) -> None:
        """Keep the draft (atomically: an old copy or the new one, never half of one). Raises OSError."""
        if not self._lock.isLocked():
            self._lock.tryLock(0)
        draft_path, state_path, _ = self._paths(self.session)
        atomic_write(draft_path, (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8"))
        now = dt.datetime.now().replace(microsecond=0)
        state = {"session": self.session, "file": file, "modified": modified, "clean": clean,
                 "saved_at": now.isoformat(sep=" ")}
        atomic_write(state_path, json.dumps(state, ensure_ascii=False).encode("utf-8"))
        self.last_saved = now

    def discard(self) -> None:
        """Nothing to keep (no draft, or it was issued)."""
        self._remove(self.session, keep_lock=True)

    def release(self) -> None:
        """The session ends (its window is gone); what it wrote stays for the next start."""
        if self._lock.isLocked():
            self._lock.unlock()

    def _remove(self, session: str, keep_lock: bool = False) -> None:
        draft_path, state_path, lock_path = self._paths(session)
        for path in (draft_path, state_path) if keep_lock else (draft_path, state_path, lock_path):
            try:
                path.unlink()
            except FileNotFoundError:
                pass

    # --- what earlier sessions left ----------------------------------------------------

    def left_behind(self) -> list[Saved]:
        """Drafts of sessions no running window owns, newest first (crashed before cleanly closed)."""
        found = []
        if not self.folder.is_dir():
            return found
        for state_path in self.folder.glob("*.state.json"):
            session = state_path.name.removesuffix(".state.json")
            if session == self.session:
                continue
            lock = _lock(self.folder / f"{session}.lock")
            if not lock.tryLock(0):
                continue  # another window is still writing this one
            try:
                state = json.loads(state_path.read_text(encoding="utf-8"))
                data = json.loads((self.folder / f"{session}.json").read_text(encoding="utf-8"))
            except (OSError, ValueError):
                lock.unlock()
                continue
            finally:
                if lock.isLocked():
                    lock.unlock()
            if not isinstance(data, dict) or not isinstance(state, dict):
                continue
            found.append(Saved(session, data, state.get("file"), bool(state.get("modified")),
                               bool(state.get("clean")), str(state.get("saved_at") or "")))
        found.sort(key=lambda s: s.saved_at, reverse=True)
        found.sort(key=lambda s: s.clean)  # crashed sessions first, each group newest first
        return found

    def forget(self, saved: Saved) -> None:
        """Remove what an earlier session left (after it was taken over or declined)."""
        self._remove(saved.session)
