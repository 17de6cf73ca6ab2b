"""An open journal's files: when the change log is folded into the snapshot, the day's
backup, and closing. A fold or a backup that cannot be done now (a full disk, another
process's write holding the lock) is postponed with a notice, never an error: every saved
change is durable in the log. Every fold holds the write lock, caught up with what other
processes wrote first (sharing.py).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

from netjournal.store import backup, folding, lifecycle
from netjournal.store.errors import StoreError
from netjournal.store.sharing import Sharing
from netjournal.store.storage import JournalStorage


class Keeper:
    def __init__(self, path: Path, storage: JournalStorage, shared: Sharing, parsed: Callable[[], object]) -> None:
        """``parsed`` makes the lazily read tables whole before a fold (a parse running in a
        worker is waited for, not repeated)."""
        self.path = path
        self.storage = storage
        self.shared = shared
        self._parsed = parsed
        shared.parse = parsed
        # One-line messages for the person about the files (a fold postponed, a file changed
        # outside netjournal); the shell prints them, the app shows them.
        self.notices: list[str] = shared.notices
        self._fold_postponed = False  # said once per process, however often it is retried

    def after_open(self, raw: bytes, today: date, *, force_fold: bool) -> None:
        """(Holding the write lock.) A writer's first steps: fold the log when it is worth it (or must be: an upgrade,
        a file changed outside), and take the day's backup. Neither ever blocks a save."""
        if force_fold or folding.wants_folding(self.storage):
            self._parsed()
            blob, why = lifecycle.fold(self.storage)
            if blob is not None:
                raw = blob
            self._postponed(why)
        if not backup.has_daily(self.path, today):
            # The day's backup is the journal as it opens: the snapshot's bytes and the
            # change log's good lines (nothing is parsed or serialised for it). An encrypted
            # journal opened head first has its history opened first: a damaged one is never
            # taken as the day's backup (the good ones kept would be pushed out, day by day).
            problem = self.storage.history_problem()
            if problem is not None:
                self.notices.append(f"today's backup was not taken: {problem}; the older backups are kept")
                return
            try:
                backup.take_daily(self.path, raw, today, self.storage.log_snapshot())
            except StoreError as exc:
                self.notices.append(f"today's backup was not taken ({exc}); it is tried again at the next open")

    def fold_if_due(self) -> bool:
        """Fold when the log has grown (see folding.wants_folding); True if it was folded."""
        if not folding.wants_folding(self.storage):
            return False
        blob, why = self.shared.fold(self._parsed)
        self._postponed(why)
        return bool(blob)

    def compact(self) -> None:
        """Fold now, whatever the log's size."""
        with self.shared.before_devices(), self.shared.writing():
            self._parsed()
            self.storage.compact()

    def close(self, *, writer: bool) -> None:
        """Fold when worth it, then let go of the files."""
        try:
            if writer and folding.wants_folding(self.storage):
                self._postponed(self.shared.fold(self._parsed, keep_bytes=False)[1])
        finally:
            self.storage.close()

    def _postponed(self, why: str) -> None:
        """Say (once) that a fold was postponed; every change is durable in the log meanwhile."""
        if why and not self._fold_postponed:
            self._fold_postponed = True
            self.notices.append(why)
