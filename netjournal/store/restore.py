"""Restore a backup over a damaged journal. The damaged files are kept aside, never deleted."""

from __future__ import annotations

import os
from pathlib import Path

from filelock import FileLock, Timeout

from netjournal.domain.model import utc_now
from netjournal.store import backup, files
from netjournal.store.check import check_file
from netjournal.store.errors import JournalDamaged, JournalLocked


def restore_backup(journal: Path, chosen: Path) -> Path | None:
    """Put ``chosen`` in place of ``journal``. Returns where the old file was kept aside."""
    problem = check_file(chosen)
    if problem:
        raise JournalDamaged(f"that backup is damaged too: {problem}")
    lock = FileLock(str(journal) + ".lock", mode=0o600, thread_local=False)
    try:
        lock.acquire(timeout=0)
    except Timeout:
        raise JournalLocked(f"{journal} is in use by another netjournal process; close it and try again") from None
    try:
        stamp = utc_now()[:19].replace(":", "")
        kept: Path | None = None
        if journal.exists():
            kept = journal.with_name(f"{journal.name}.damaged-{stamp}")
            os.replace(journal, kept)
        log = journal.with_name(journal.name + ".log")
        if log.exists():
            # The change log belongs to the damaged snapshot: keep it aside too.
            os.replace(log, log.with_name(f"{log.name}.damaged-{stamp}"))
        changes = backup.log_of(chosen)
        if changes.exists():  # the backup's own change log: replayed over it at the next open
            files.atomic_write(log, changes.read_bytes())
        files.atomic_write(journal, chosen.read_bytes())
        return kept
    finally:
        lock.release()
