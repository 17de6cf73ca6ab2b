"""An open journal's files: the writer's lock, when the change log is folded into the
snapshot, the day's backup, and closing. A fold or a backup that cannot be done now (a full
disk) is postponed with a notice, never an error: every saved change is durable in the log.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

from filelock import FileLock

from netjournal.store import backup, folding, lifecycle
from netjournal.store.errors import StoreError
from netjournal.store.storage import JournalStorage


class Keeper:
    def __init__(
        self, path: Path, storage: JournalStorage, lock: FileLock | None, parsed: Callable[[], object]
    ) -> None:
        """``parsed`` makes the lazily read tables whole before a fold (a parse running in a
        worker is waited for, not repeated)."""
        self.path = path
        self.storage = storage
        self._lock = lock
        self._parsed = parsed
        # One-line messages for the person about the files (a fold postponed, a file changed
        # outside netjournal); the shell prints them, the app shows them.
        self.notices: list[str] = []
        self._fold_postponed = False  # said once per process, however often it is retried

    def after_open(self, raw: bytes, today: date, *, force_fold: bool) -> None:
        """A writer's first steps: fold the log when it is worth it (or must be: an upgrade,
        a file changed outside), and take the day's backup. Neither ever blocks a save."""
        if force_fold or folding.wants_folding(self.storage):
            self._parsed()
            blob, why = lifecycle.fold(self.storage)
            if blob is not None:
                raw = blob
            self._postponed(why)
        if not backup.has_daily(self.path, today):
            # The day's backup is the journal as it opens: the snapshot's bytes and the
            # change log's good lines (nothing is parsed or serialised for it).
            try:
                backup.take_daily(self.path, raw, today, self.storage.log_snapshot())
            except StoreError as exc:
                self.notices.append(f"today's backup was not taken ({exc}); it is tried again at the next open")

    def fold_if_due(self) -> bool:
        """Fold when the log has grown (see folding.wants_folding); True if it was folded."""
        if not folding.wants_folding(self.storage):
            return False
        self._parsed()
        blob, why = lifecycle.fold(self.storage)
        self._postponed(why)
        return blob is not None

    def compact(self) -> None:
        """Fold now, whatever the log's size."""
        self._parsed()
        self.storage.compact()

    def close(self, *, writer: bool) -> None:
        """Fold when worth it, then release the files and the lock."""
        try:
            if writer and folding.wants_folding(self.storage):
                self._parsed()
                self._postponed(lifecycle.fold(self.storage, keep_bytes=False)[1])
        finally:
            self.storage.close()
            if self._lock is not None:
                self._lock.release()

    def _postponed(self, why: str) -> None:
        """Say (once) that a fold was postponed; every change is durable in the log meanwhile."""
        if why and not self._fold_postponed:
            self._fold_postponed = True
            self.notices.append(why)
