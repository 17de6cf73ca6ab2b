"""The journal's files over its life: what counts as a journal that is missing, reading a
consistent snapshot and log, keeping a version aside before anything replaces it, and
folding without ever blocking a save.

Everything here works on paths and a :class:`JournalStorage`; the Journal calls it when it
opens and closes (journal.py), ``doctor`` when it looks and restores (restore.py).
"""

from __future__ import annotations

import contextlib
import errno
import os
from pathlib import Path
from typing import Any

from netjournal.domain.model import utc_now
from netjournal.store import backup, files, migrate
from netjournal.store.changelog import ChangeLog, LogAhead
from netjournal.store.errors import JournalDamaged, JournalMissing, StoreError
from netjournal.store.storage import JournalStorage

# Reads retried when a fold replaced the snapshot and log between a reader's two reads.
READ_ATTEMPTS = 50
KEPT_MARKS = (".damaged-", ".changed-", ".replaced-")  # (replaced: a good journal a restore put aside)
# A new journal's snapshot is generation 1; a log whose header names a later one was folded
# into a snapshot that held changes: even holding nothing else, it shows a journal lived there.
FOLDED = 2


def resolve(path: Path) -> Path:
    """Where the journal really is: a ``journal.json`` that is a link (into a synced folder)
    is written where it points, with its log, lock and backups beside the target."""
    path = path.expanduser().absolute()
    if not path.is_symlink():
        return path
    target = Path(os.path.realpath(path))
    if not target.parent.is_dir():
        # A synced folder not there yet, a drive not mounted: a new journal made there would
        # hide the real one when it comes back.
        raise JournalMissing(
            f"{path} is a link to {target}, whose folder does not exist; nothing was created "
            "(mount or sync that folder, or point the link elsewhere)"
        )
    return target


def kept_copies(path: Path) -> list[Path]:
    """Versions of the journal (and of its log) kept aside: damaged, or changed outside."""
    folder = path.parent
    if not folder.is_dir():
        return []
    prefixes = (path.name, path.name + ".log")
    return sorted(
        p for p in folder.iterdir()
        if any(p.name.startswith(f"{pre}{mark}") for pre in prefixes for mark in KEPT_MARKS)
    )


def kept_files(path: Path) -> list[Path]:
    """The journal's backups (snapshots and their logs) and its kept-aside copies: what is
    re-sealed with a new key (store/encryption.reseal_kept, devicekeys.take)."""
    folder = backup.backup_dir(path)
    found = sorted(folder.glob("*.json*")) if folder.is_dir() else []
    return [*found, *kept_copies(path)]


def traces(path: Path, storage: JournalStorage | None = None) -> list[str]:
    """What shows that a journal lived at ``path`` (a change log with changes, backups,
    kept copies), in words; empty if nothing does."""
    found = []
    log = storage.log if storage is not None else ChangeLog(path.with_name(path.name + ".log"), _same, _same)
    if log.has_changes() or log.generation_on_disk() >= FOLDED:
        found.append(f"its change log {log.path.name}")
    backups = backup.list_backups(path)
    if backups:
        found.append(f"{len(backups)} backup{'s' if len(backups) != 1 else ''} in {backup.backup_dir(path)}")
    kept = kept_copies(path)
    if kept:
        found.append(f"{len(kept)} kept cop{'ies' if len(kept) != 1 else 'y'} ({kept[-1].name})")
    return found


def _same(data: bytes) -> bytes:
    return data


def refuse_if_missing(path: Path, storage: JournalStorage | None) -> None:
    """A journal file that is gone while its traces remain is missing, never new: a new
    empty journal there would hide the old one and, day by day, rotate its backups away."""
    found = traces(path, storage)
    if found:
        raise JournalMissing(
            f"{path} is missing, but {', '.join(found)} remain; nothing was created "
            "(run: netjournal doctor to restore it)"
        )


def adopt_leftover_log(storage: JournalStorage) -> None:
    """A new journal beside a log that holds no change (its header alone, or nothing: a first
    open killed before its snapshot was in place) takes that log as its own, so the first fold
    does not take it for another process's."""
    storage.log.read(storage.log.generation_on_disk())


def load_consistent(storage: JournalStorage) -> tuple[dict[str, Any], bytes, int]:
    """The snapshot, its bytes and schema version, with the change log that extends it
    applied: never an old snapshot with a newer log (a fold between the two reads: read
    again), so a reader sees a state that existed. A log newer than a snapshot that is not
    being replaced means the file was put back by something else: damaged."""
    seen: tuple[int, int, int] | None = None
    for _ in range(READ_ATTEMPTS):
        storage.reset_lazy()
        data, raw = storage.load_lazy()
        version = migrate.needs_upgrade(data, str(storage.path))
        try:
            storage.replay_log(data)
        except LogAhead:
            st = os.stat(storage.path)
            now = (st.st_ino, st.st_mtime_ns, st.st_size)
            if now == seen:
                raise JournalDamaged(
                    f"{storage.path} is older than its change log {storage.log_path.name} "
                    "(it was replaced by an older copy)"
                ) from None
            seen = now
            continue
        return data, raw, version
    raise StoreError(f"{storage.path} kept changing while it was read; try again")


def unique_name(path: Path, mark: str) -> Path:
    """``journal.json.<mark>-<UTC stamp>``, with a counter if that name is taken."""
    stamp = utc_now()[:19].replace(":", "")
    candidate = path.with_name(f"{path.name}.{mark}-{stamp}")
    n = 1
    while candidate.exists() or candidate.is_symlink():
        n += 1
        candidate = path.with_name(f"{path.name}.{mark}-{stamp}-{n}")
    return candidate


def keep_aside(source: Path, mark: str, data: bytes | None = None) -> Path:
    """Keep ``source`` (or ``data``, its bytes as read) under a new name beside it, 0600,
    never over another kept copy; ``source`` stays where it is. A hard link when the bytes
    are the file's (no space needed), else a private copy."""
    for _ in range(100):
        target = unique_name(source, mark)
        try:
            if data is None:
                os.link(source, target)
                os.chmod(target, files.FILE_MODE)
            else:
                _write_new(target, data)
            return target
        except FileExistsError:
            continue
        except OSError as exc:
            if data is None and exc.errno in (errno.EPERM, errno.EXDEV, errno.EMLINK, errno.ENOTSUP):
                data = source.read_bytes()  # no links here: copy
                continue
            raise StoreError(f"could not keep {source.name} aside as {target.name}: {exc.strerror or exc}") from None
    raise StoreError(f"could not find a free name to keep {source.name} aside")  # pragma: no cover


def _write_new(target: Path, data: bytes) -> None:
    """Write a new file (never replacing one), durable and 0600."""
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, files.FILE_MODE)
    try:
        os.fchmod(fd, files.FILE_MODE)
        files.write_all(fd, data)
        os.fsync(fd)
    except BaseException:
        os.close(fd)
        with contextlib.suppress(OSError):
            target.unlink()
        raise
    os.close(fd)
    files.fsync_dir(target.parent)


def fold(storage: JournalStorage, *, keep_bytes: bool = True) -> tuple[bytes | None, str]:
    """Fold the log into the snapshot if it can be done now: (the bytes written, or b"" without
    ``keep_bytes``; "") or (None, why it was postponed). A fold that fails never blocks a save:
    the changes stay in the log, each still durable, and the fold is tried again later."""
    try:
        return storage.compact(keep_bytes=keep_bytes), ""
    except StoreError as exc:
        return None, f"folding the change log into {storage.path.name} is postponed ({exc})"
