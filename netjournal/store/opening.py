"""Opening a journal: reading a consistent snapshot and log, a file changed outside
netjournal (kept aside and told), an older schema (kept, then upgraded in memory).

The Journal (journal.py) calls :func:`read`, then takes its first steps as a writer holding
the write lock (sharing.first_steps: temp files swept, a new journal's first snapshot; then a
fold when due, the day's backup).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from netjournal.domain.model import utc_now
from netjournal.store import backup, lifecycle, migrate
from netjournal.store.check import check_file
from netjournal.store.errors import JournalDamaged, StoreError
from netjournal.store.storage import Codec, JournalStorage


@dataclass
class Opened:
    storage: JournalStorage
    raw: bytes = b""  # the snapshot's bytes as read (for the day's backup)
    notices: list[str] = field(default_factory=list)
    new: bool = False  # no file yet: a new journal
    must_fold: bool = False  # an upgrade, or a file changed outside that is kept aside now


def read(path: Path, *, writer: bool, codec: Codec | None) -> Opened:
    """The journal at ``path`` read (lazily: see storage.load_lazy) with its log applied.
    A missing journal whose traces remain is
    refused (lifecycle.refuse_if_missing); a damaged one is refused naming the newest good backup."""
    storage = JournalStorage(path, codec=codec, readonly=not writer)
    if not path.exists() and not path.is_symlink():
        lifecycle.refuse_if_missing(path, storage)
        storage.set_data(migrate.new_data())
        return Opened(storage, new=True)
    try:
        data, raw, version = lifecycle.load_consistent(storage)
    except JournalDamaged as exc:
        raise JournalDamaged(with_backup_hint(str(exc), path, storage.codec)) from None
    opened = Opened(storage, raw)
    if storage.integrity == "changed":
        opened.notices.append(changed_outside(storage, storage.path, raw, writer))
    if storage.log.changed:
        opened.notices.append(changed_outside(storage, storage.log_path, None, writer))
    if version < migrate.SCHEMA_VERSION:
        # Read-only: upgraded in memory only. Writers keep the old bytes first.
        if writer:
            stamp = utc_now()[:19].replace(":", "")
            backup.take(path, raw, f"pre-migration-v{version}-{stamp}.json")
        data = migrate.upgrade(data)
    storage.set_data(data)
    kept = (storage.integrity == "changed" or storage.log.changed) and not storage.fold_held
    # (an encrypted snapshot without a head checksum of its own: folded once, it opens head first)
    opened.must_fold = version < migrate.SCHEMA_VERSION or kept or (writer and storage.reseal)
    return opened


def changed_outside(storage: JournalStorage, file: Path, found: bytes | None, writer: bool) -> str:
    """Tell (once: the writer then folds, so the file is netjournal's again) that ``file``
    (the snapshot, or the change log with a line whose checksum does not hold) was changed
    outside netjournal, keeping its bytes as found (``found``; None: read them now) aside
    first. If they cannot be kept (a full disk), saves still go to the log, but nothing folds."""
    if not writer:
        return (
            f"{file.name} was changed outside netjournal since it last wrote it; it is read as found "
            "(the next change keeps that version aside)"
        )
    try:
        if found is None:
            try:
                found = file.read_bytes()  # a copy, not a link: the log is appended to in place
            except OSError as exc:
                raise StoreError(f"cannot read {file}: {exc.strerror or exc}") from None
        kept = lifecycle.keep_aside(file, "changed", found)
    except StoreError as exc:
        storage.fold_held = f"{file.name} was changed outside netjournal and could not be kept aside yet"
        return (
            f"{file.name} was changed outside netjournal; it is read as found, but that version could not "
            f"be kept aside ({exc}), so it is not rewritten until it can be (your changes are saved)"
        )
    return f"{file.name} was changed outside netjournal; it is read as found, and that version is kept as {kept}"


def with_backup_hint(message: str, path: Path, codec: Codec | None = None) -> str:
    good = [b for b in backup.list_backups(path, lambda p: check_file(p, codec)) if b.good]
    if good:
        return f"{message}; it was left as it was. Newest good backup: {good[0].path} (run: netjournal doctor)"
    return f"{message}; it was left as it was. No good backup was found (run: netjournal doctor)"
