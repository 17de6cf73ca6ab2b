"""Many processes on one journal: the short write lock, and following what others wrote.

Any number of netjournal processes may have one journal open for writing at once (app
windows, shell commands, scheduled jobs). None holds it for its lifetime: each change (and
each fold, and a writer's first steps at open) is made holding ``journal.json.lock`` for
as long as that takes. A process that finds it held waits, at most :data:`WAIT_SECONDS`,
then gives up saying so (nothing of its change is saved). Holding it, the process first
applies what the others appended to the change log since it last looked (:meth:`catch_up`),
so its change is checked against, and lands on, the journal as it is now; the log stays the
one order of every change, and a fold (under the same lock) never leaves one out.

:meth:`catch_up` also serves a window that polls: two ``stat`` calls when nothing was
written; the new lines when something was; the whole journal read again when another
process folded the log into the next snapshot or a restore replaced it.

The log's own guard (changelog: an append locks the log file and checks it is the file it
knows) still holds if the lock file is deleted by a sync client: an append that finds lines
it has not applied marks the log stale, and the next look reads everything again.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from filelock import FileLock, Timeout

from netjournal.store import backup, files, folding, lifecycle, loading, migrate, opening
from netjournal.store.errors import JournalLocked, StoreError
from netjournal.store.following import Signature, new_lines, parse_ops, signature, unchanged

if TYPE_CHECKING:
    from netjournal.store.devices import Devices
    from netjournal.store.storage import JournalStorage
    from netjournal.store.writes import Writes

FOLD_AFTER = 20_000  # changes folded in from the other devices at once past which a fold keeps them (a device joining)
WAIT_SECONDS = 1.0  # how long a write waits for another process's write before giving up
POLL_SECONDS = 0.02  # how often it looks meanwhile


def write_lock(path: Path) -> FileLock:
    """The journal's write lock (not taken yet; see :meth:`Sharing.writing`), its folder made."""
    try:
        files.ensure_private_dir(path.parent)
    except OSError as exc:
        raise StoreError(f"cannot create {path.parent}: {exc.strerror or exc}") from None
    return FileLock(str(path) + ".lock", mode=0o600, thread_local=False, is_singleton=False)


def take(lock: FileLock, path: Path) -> None:
    """Take ``lock``, waiting at most :data:`WAIT_SECONDS` for another process's write."""
    wait = WAIT_SECONDS
    try:
        lock.acquire(timeout=wait, poll_interval=POLL_SECONDS)
    except Timeout:
        raise JournalLocked(
            f"{path} is being written by another netjournal process and stayed busy for over "
            f"{wait:g} s; nothing was saved, try again"
        ) from None
    except OSError as exc:
        raise StoreError(f"cannot lock {path}: {exc.strerror or exc}") from None


class Sharing:
    """One open journal's part in sharing it. ``lock`` is None for a read-only journal (it
    follows the others' changes, never writes). ``notices``: where to say what the person
    must know (the Journal's)."""

    def __init__(
        self, storage: JournalStorage, writes: Writes, lock: FileLock | None, notices: list[str]
    ) -> None:
        self.storage, self.writes, self.lock, self.notices = storage, writes, lock, notices
        self.path = storage.path
        self.depth = 0  # writes nested in this one (the lock is taken and caught up once)
        self.seen: Signature | None = None  # the files as last caught up with
        self.reloads = 0  # how often the whole journal was read again
        self.news = 0  # how often other processes' changes were applied (reloads included)
        self.devices: Devices | None = None  # a journal shared between devices: the others' files
        self.parse: Callable[[], object] = lambda: None  # the tables still in bytes parsed (before a fold)
        # A fold first, the other devices' news after it: what is folded in from them then
        # lands in the new log, which the others read on from where they were (devices.py),
        # instead of in a tail they never saw, folded away (a gap: a snapshot read whole).
        self.folding = False

    @contextmanager
    def writing(self) -> Iterator[None]:
        """Hold the write lock, caught up with every change other processes made. Nested
        (a change inside a transaction) it just goes on. JournalLocked after waiting
        :data:`WAIT_SECONDS` for another process."""
        if self.lock is None:
            raise StoreError(f"{self.path} is open read-only")
        if self.depth:
            self.depth += 1
            try:
                yield
            finally:
                self.depth -= 1
            return
        take(self.lock, self.path)
        self.depth = 1
        try:
            self.catch_up()
            yield
        finally:
            self.depth = 0
            # What this process wrote it knows (unless its append found lines it could not apply).
            self.seen = None if self.storage.log.stale else signature(self.storage.log)
            self.lock.release()

    def catch_up(self) -> bool:
        """Apply what other processes wrote since this one last looked, and (a journal shared
        between devices) what the other devices' files hold that was not read yet; True if
        anything was. Costs two ``stat`` calls when nothing was written (and a listing of the
        devices' folder with a ``stat`` per file).

        A writer keeps what it folds in from the other devices: in its own log, with what it
        read of each file, holding the write lock (a big catch-up, a device joining: a fold
        instead); a reader folds it in memory only."""
        own = self._catch_up_own()
        devices = self.devices
        if devices is None or self.folding or not devices.changed():
            return own
        if self.lock is not None and not self.depth:  # (a writer's look: taken again under the lock)
            return self._devices_under_lock() or own
        return self._fold_in(devices) or own

    def _devices_under_lock(self) -> bool:
        news = self.news
        try:
            with self.writing():  # (which catches up, holding the lock)
                pass
        except JournalLocked:
            return False  # (another process is writing: the next look folds them in)
        return self.news != news

    def _fold_in(self, devices: Devices) -> bool:
        """(A reader, or a writer holding the lock.) The other devices' news folded in; True
        if anything changed. What was read is kept with a change, or after a whole snapshot
        was read; else with the next change or fold (no echo between devices)."""
        ops = devices.merger.merge(devices.news())
        if self.lock is None:
            if ops:
                self.writes.absorb(ops)
        elif len(ops) > FOLD_AFTER:
            self.writes.absorb(ops)
            self.fold_now()
        elif ops or devices.read_whole:
            try:
                self.writes.absorb_durably(ops, devices.cursors)
                devices.read_whole = False
            except StoreError as exc:  # (a full disk: shown now, kept by a later change or fold)
                self.writes.absorb(ops)
                why = f"the other devices' changes are shown but not kept yet ({exc}); they are read again later"
                if why not in self.notices:
                    self.notices.append(why)
        if ops:
            self.news += 1
        return bool(ops)

    def _apply_lines(self, where: str, start: int, lines: list[bytes]) -> None:
        ops = [[op for op in parse_ops(where, n, line)] for n, line in enumerate(lines, start)]
        if self.devices is None:
            self.writes.follow([op for line_ops in ops for op in line_ops])
            return

        from netjournal.store.devices import CURSORS
        from netjournal.store.devicesources import incoming

        news = [item for line_ops in ops for item in incoming(line_ops)]
        for line_ops in ops:  # (what another process of this device read of the others' files)
            self.devices.cursors.update({name: c for table, name, c in line_ops if table == CURSORS and c})
        self.writes.absorb(self.devices.merger.merge(news))

    def _catch_up_own(self) -> bool:
        log = self.storage.log
        if unchanged(log, self.seen):
            return False
        seen = signature(log)  # (taken first: a write after it is seen at the next look)
        start = log.lines + (2 if log.header_bytes else 1)
        lines = new_lines(log)
        try:
            if lines is None:
                self.reload()
            elif lines:
                self._apply_lines(str(log.path), start, lines)
        except BaseException:
            log.stale = True  # (half read, or refused: the next look reads everything again, or refuses again)
            self.seen = None
            raise
        self.seen = seen
        if lines is None or lines:
            self.news += 1
            return True
        return False

    def changed(self) -> bool:
        """Whether the files changed since this process last caught up (two ``stat`` calls,
        and the devices' folder listed; no lock: a look from the app's UI thread, which then
        catches up in a worker)."""
        if not unchanged(self.storage.log, self.seen):
            return True
        return self.devices is not None and self.devices.changed()

    def reload(self) -> None:
        """Read the whole journal again (another process folded the log, or a restore
        replaced the journal): the state on disk, told to the indexes and followers as a
        change of everything."""
        storage = self.storage
        data, raw, version = lifecycle.load_consistent(storage)
        if version < migrate.SCHEMA_VERSION:
            data = migrate.upgrade(data)  # (the process that wrote it upgrades it on disk)
        storage.set_data(data)
        storage.log.stale = False
        if self.devices is not None:
            self.devices.reset(data)  # (the sources are read again from what this snapshot read)
        writer = self.lock is not None
        if storage.integrity == "changed":
            self.notices.append(opening.changed_outside(storage, storage.path, raw, writer))
        if storage.log.changed:
            self.notices.append(opening.changed_outside(storage, storage.log_path, None, writer))
        self.writes.replaced()
        self.reloads += 1

    @contextmanager
    def before_devices(self) -> Iterator[None]:
        """Inside: no catching up with the other devices (a fold, a writer's first steps)."""
        folding, self.folding = self.folding, True
        try:
            yield
        finally:
            self.folding = folding

    def fold_now(self) -> None:
        """(Holding the write lock.) Fold now: a big catch-up from the other devices is kept
        by the snapshot it leads to, not by a log line as big as the journal."""
        self.parse()
        why = lifecycle.fold(self.storage)[1]
        if why:
            self.notices.append(why)

    def fold(self, parse: Callable[[], object], *, keep_bytes: bool = True) -> tuple[bytes | None, str]:
        """Fold the log into the next snapshot (lifecycle.fold), holding the write lock and
        caught up first (``parse``: the tables still in bytes parsed, under the lock), if it
        is still worth it then ((b"", "") if not). Never an error: (None, why) if it is
        postponed (another process's write kept the lock, a full disk)."""
        try:
            with self.before_devices(), self.writing():
                if not folding.wants_folding(self.storage):
                    return b"", ""
                parse()
                return lifecycle.fold(self.storage, keep_bytes=keep_bytes)
        except StoreError as exc:
            return None, f"folding the change log into {self.path.name} is postponed ({exc})"


def first_steps(shared: Sharing, opened: opening.Opened) -> None:
    """(A writer at open, holding the write lock, caught up.) Sweep the temp files a killed
    process left (no other process is writing one now); write a new journal's first snapshot,
    unless another process made the journal since it was found missing. ``opened`` learns
    what it opens now: not new then, and the snapshot's bytes if it was read again."""
    storage = shared.storage
    path = storage.path
    files.sweep_temp_files(path.parent, path.name)
    files.sweep_temp_files(backup.backup_dir(path), "*")
    if opened.new and (path.exists() or path.is_symlink()):
        if not shared.reloads:
            shared.reload()
        opened.new = False
    if opened.new:
        lifecycle.adopt_leftover_log(storage)
        storage.compact()
    elif shared.reloads:  # (the lock is held: no fold replaces it meanwhile)
        opened.raw = loading.read_snapshot(storage)
