"""Turning encryption on, off, or to a new key: every file re-sealed, never a plaintext byte
left (which codec opens a journal: unlock.py; what each file holds: sealing/age_codec.py)."""

from __future__ import annotations

import contextlib
from datetime import UTC, datetime
from pathlib import Path

from netjournal.sealing import Codec, Keys, SealingError
from netjournal.sealing.age_codec import AgeCodec, JournalKey, people, wrap
from netjournal.sealing.unlocking import key_path
from netjournal.store import backup, files, lifecycle
from netjournal.store.errors import StoreError
from netjournal.store.journal import Journal


def encrypt(journal: Journal, new: Keys) -> None:
    """Seal the journal (open for writing, with its current codec) to ``new``: a new journal
    key. Safe at every step: the key file names the new key first and the old one after it
    until every file is sealed with the new one, so a kill anywhere leaves a journal that
    ``new`` opens (or, before the key file is written, the journal as it was). On a journal
    shared between devices the old keys stay listed: the other devices' files are sealed with
    them until each takes the new key (store/devicekeys.py)."""
    old = journal.storage.codec
    fresh = JournalKey.generate()
    changed = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    carried = [fresh, *old.keys] if isinstance(old, AgeCodec) else [fresh]
    _write_key(journal.path, wrap(carried, new, changed))
    _switch(journal, AgeCodec(carried, people(new)))
    if len(carried) > 1 and journal.device is None:  # (a passphrase's scrypt is paid once more only for a key change)
        _write_key(journal.path, wrap([fresh], new, changed))
        journal.storage.set_codec(AgeCodec([fresh], people(new)))
    if journal.shared_path is not None:
        _reseal_shared(journal.shared_path, old, journal.storage.codec, key_path(journal.path))


def _reseal_shared(marker: Path, old: Codec, new: Codec, key: Path) -> None:
    """(A journal shared between devices.) What was the journal's before it was shared and
    belongs to no device, beside the marker: its backups and kept copies re-sealed, its key
    file replaced by this device's (no file of the folder opens with the old key)."""
    reseal_kept(marker, old, new)
    if key_path(marker).exists():
        try:
            files.atomic_write(key_path(marker), key.read_bytes())
        except OSError as exc:
            why = exc.strerror or exc
            raise StoreError(f"could not re-seal {key_path(marker)}: {why} (run the command again)") from None


def decrypt(journal: Journal) -> None:
    """Turn encryption off: every file written plain again, then the key file removed."""
    _switch(journal, Codec())
    with contextlib.suppress(FileNotFoundError):
        key_path(journal.path).unlink()


def _write_key(journal: Path, sealed_key: bytes) -> None:
    try:
        files.atomic_write(key_path(journal), sealed_key)
    except OSError as exc:
        raise StoreError(f"could not write the key file {key_path(journal)}: {exc.strerror or exc}") from None


def _switch(journal: Journal, new: Codec) -> None:
    """Fold with the old codec (the log then holds no change), then write the snapshot and a
    new log with ``new``, then re-seal the backups and kept copies."""
    old = journal.storage.codec
    journal.compact()
    journal.storage.set_codec(new)
    journal.compact()
    reseal_kept(journal.path, old, new)


def reseal_kept(path: Path, old: Codec, new: Codec) -> None:
    """Backups (snapshots and their logs) and kept-aside copies, re-sealed with ``new``. A
    file that ``old`` does not open (sealed already, or damaged past reading) is left as it
    is: it holds no plaintext. Lines keep their places (a torn last one stays torn)."""
    folder = backup.backup_dir(path)
    found = sorted(folder.glob("*.json*")) if folder.is_dir() else []
    for file in [*found, *lifecycle.kept_copies(path)]:
        lines = file.name.endswith(".log") or ".log." in file.name
        try:
            raw = file.read_bytes()
            if lines:
                out = b"\n".join(new.seal_line(old.unseal_line(x)) if x else x for x in raw.split(b"\n"))
            else:
                out = new.seal(old.unseal(raw))
        except SealingError:
            continue
        except OSError as exc:
            raise StoreError(f"could not re-seal {file}: {exc.strerror or exc} (run the command again)") from None
        try:
            files.atomic_write(file, out)
        except OSError as exc:
            raise StoreError(f"could not re-seal {file}: {exc.strerror or exc} (run the command again)") from None
