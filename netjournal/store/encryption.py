"""Turning encryption on, off, or to a new key: every file re-sealed, never a plaintext byte
left (which codec opens a journal: unlock.py; what each file holds: sealing/age_codec.py)."""

from __future__ import annotations

import contextlib
from datetime import UTC, datetime
from pathlib import Path

from netjournal.sealing import Codec, Keys, SealingError, is_sealed
from netjournal.sealing.age_codec import AgeCodec, JournalKey, people, unwrap, wrap
from netjournal.sealing.codec import FOREIGN, LINE_MARKS, UNREADABLE
from netjournal.sealing.unlocking import codec_for, key_path
from netjournal.store import files, lifecycle
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
    stopped = None if old.encrypted else _stopped_decrypt(journal.path, new)
    fresh = JournalKey.generate()
    changed = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    before = old if isinstance(old, AgeCodec) else stopped
    carried = [fresh, *before.keys] if before is not None else [fresh]
    _write_key(journal.path, wrap(carried, new, changed))
    _switch(journal, AgeCodec(carried, people(new)))
    if stopped is not None:  # (the backups a stopped decrypt left sealed with the old key)
        reseal_kept(journal.path, stopped, journal.storage.codec)
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


def _stopped_decrypt(path: Path, new: Keys) -> AgeCodec | None:
    """(A plain journal.) The key of a ``decrypt`` stopped half way, if one is left beside it
    (its backups may still be sealed with it): opened with ``new``, or StoreError (nothing is
    changed then: ``decrypt`` again with that key finishes it)."""
    where = key_path(path)
    if not where.exists():
        return None
    try:
        return AgeCodec(unwrap(where.read_bytes(), new, str(where)), [])
    except (OSError, SealingError):
        raise StoreError(
            f"a decrypt of {path.name} was stopped half way (its key file {where.name} is still there, "
            "and backups sealed with it): run `netjournal decrypt` again with that key to finish it; "
            "nothing was changed"
        ) from None


def finish_decrypt(path: Path, keys: Keys | None) -> bool:
    """(A plain journal.) Finish a ``decrypt`` stopped half way: the backups and kept copies it
    left sealed written plain with its key (``keys`` opens it), then the key file removed;
    False if there is nothing to finish."""
    if not key_path(path).exists():
        return False
    codec = codec_for(path, keys, sealed=True)
    reseal_kept(path, codec, Codec())
    key_path(path).unlink()
    return True


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
    for file in lifecycle.kept_files(path):
        lines = file.name.endswith(".log") or ".log." in file.name
        try:
            raw = file.read_bytes()
            if lines:
                out = b"\n".join(_resealed_line(x, old, new) for x in raw.split(b"\n"))
            elif not old.encrypted and is_sealed(raw):
                continue  # (sealed with another key: a stopped decrypt's; see _stopped_decrypt)
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


def _resealed_line(line: bytes, old: Codec, new: Codec) -> bytes:
    """A backup's log line sealed with ``new``; one ``old`` does not open (damaged, sealed with
    another key) is left as it is, never replaced by what it reads as."""
    if not line or (not old.encrypted and line.startswith(LINE_MARKS)):
        return line
    text = old.unseal_line(line)
    return line if text in (UNREADABLE, FOREIGN) else new.seal_line(text)
