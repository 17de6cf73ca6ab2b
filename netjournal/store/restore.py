"""Restore a backup over a damaged (or missing) journal. Nothing is ever lost on the way:
the damaged files are kept aside before anything replaces them, the backup is written beside
the journal and renamed into place, and a failure (a full disk) leaves the folder as it was."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

from netjournal.sealing import Codec
from netjournal.store import backup, files, lifecycle, sharing
from netjournal.store.check import check_file
from netjournal.store.errors import JournalDamaged, StoreError


def restore_backup(
    journal: Path, chosen: Path, kept_logs: list[Path] | None = None, *, mark: str = "damaged",
    codec: Codec | None = None,
) -> Path | None:
    """Put ``chosen`` (and the change log taken with it) in place of ``journal``. Returns
    where the old journal file was kept aside (None if there was none); where its change log
    was kept goes into ``kept_logs``. ``mark``: the name the kept files get (``replaced`` when
    the journal was good); ``codec``: an encrypted journal's (its backups are sealed)."""
    problem = check_file(chosen, codec)
    if problem:
        raise JournalDamaged(f"that backup is damaged too: {problem}")
    if journal.is_dir():
        raise StoreError(f"{journal} is a folder, not a journal file: move it away, then restore")
    lock = sharing.write_lock(journal)  # (windows that have it open follow: they read it again)
    sharing.take(lock, journal)
    try:
        return _restore(journal, chosen, kept_logs if kept_logs is not None else [], mark)
    finally:
        lock.release()


def _restore(journal: Path, chosen: Path, kept_logs: list[Path], mark: str) -> Path | None:
    log = journal.with_name(journal.name + ".log")
    changes = backup.log_of(chosen)
    made: list[Path] = []  # undone if anything fails before the renames
    target = journal
    try:
        kept = lifecycle.keep_aside(journal, mark) if journal.exists() else None
        if kept:
            made.append(kept)
        if log.exists():
            made.append(lifecycle.keep_aside(log, mark))
            kept_logs.append(made[-1])
        target = journal
        staged, _ = files.stage(journal, chosen.read_bytes())
        made.append(staged)
        target = log
        # The backup's own change log (replayed over it at the next open), or none: the
        # damaged journal's log does not belong to the backup.
        staged_log = files.stage(log, changes.read_bytes())[0] if changes.exists() else None
        if staged_log is not None:
            made.append(staged_log)
    except (OSError, StoreError) as exc:
        kept_logs.clear()
        for path in reversed(made):
            with contextlib.suppress(OSError):
                path.unlink()
        why = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise StoreError(f"could not write {target}: {why}; nothing was changed") from None
    # Renames need no space: the snapshot first (a crash here leaves the backup with the
    # damaged journal's log, which is replayed over it only if it extends the same generation).
    try:
        os.replace(staged, journal)
    except OSError as exc:
        for path in reversed(made):
            with contextlib.suppress(OSError):
                path.unlink()
        raise StoreError(f"could not write {journal}: {exc.strerror or exc}; nothing was changed") from None
    try:
        if staged_log is not None:
            os.replace(staged_log, log)
        else:
            with contextlib.suppress(FileNotFoundError):
                log.unlink()
    except OSError as exc:
        if staged_log is not None:
            with contextlib.suppress(OSError):
                staged_log.unlink()
        raise StoreError(
            f"restored {journal.name}, but could not replace its change log {log}: {exc.strerror or exc} "
            "(run netjournal doctor again)"
        ) from None
    with contextlib.suppress(OSError):  # in place already; the system writes the folder out
        files.fsync_dir(journal.parent)
    return kept
