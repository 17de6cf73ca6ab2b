"""Check a journal file (or a backup) without opening it for writing."""

from __future__ import annotations

from pathlib import Path

from netjournal.sealing import Codec, SealingError
from netjournal.store.errors import StoreError
from netjournal.store.migrate import needs_upgrade
from netjournal.store.storage import JournalStorage


def check_file(path: Path, codec: Codec | None = None) -> str:
    """"" if ``path`` is a readable journal snapshot, else the problem in a few words.
    ``codec``: the journal's (an encrypted journal's backups are sealed with its key)."""
    storage = JournalStorage(path, readonly=True, codec=codec)
    storage.log_path = path.with_name(path.name + ".no-log")
    try:
        data, _ = storage.load_snapshot()
        needs_upgrade(data, str(path))
    except (StoreError, SealingError) as exc:
        return str(exc)
    return ""
