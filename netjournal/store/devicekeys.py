"""The journal's key on a journal shared between devices: a key changed on one device travels.

Every device keeps the journal's keys in a key file of its own (``journal.d/<device>.json.key``),
wrapped to the person's identity file or passphrase, as a journal of one device does
(sealing/age_codec.py). A key change (``netjournal encrypt`` again, on any device) writes that
device's key file with the new key first and every older one after it (the other devices' files
are still sealed with those), stamped with when it was made, and re-seals that device's files
(store/encryption.py). Each other device, when it next opens with a key that opens that file
(the new identity file or passphrase, or the old one if only the journal key changed), takes
the newest key file it can open: it writes it as its own and re-seals its own files with the new
key. Once every device has opened, every file is sealed with it. Until a device has the new key,
the other devices' files it cannot open are not passed over (devicesources.LOCKED).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from netjournal.sealing import Codec, Keys, SealingError, keyring_cache
from netjournal.sealing.age_codec import (
    AgeCodec,
    JournalKey,
    WrongKey,
    key_changed,
    parse_key_text,
    people,
    unwrap,
    unwrap_text,
    uses_passphrase,
)
from netjournal.sealing.unlocking import codec_for, key_path
from netjournal.store import files

if TYPE_CHECKING:
    from netjournal.store.journal import Journal


@dataclass(frozen=True)
class KeyFile:
    """A key file opened: its journal keys (newest first), when its newest was made, its bytes."""

    keys: list[JournalKey]
    changed: str
    sealed: bytes


def device_codec(where: Path, keys: Keys | None) -> tuple[Codec, KeyFile | None]:
    """The codec of this device's journal at ``where`` (an encrypted shared journal), and the key
    file it is to take as its own when another device's is newer (else None). A passphrase asked
    in a terminal gets its three tries; a key that opens no key file is refused (WrongKey)."""
    if keys is None or not keys.given:
        return codec_for(where, keys, sealed=True), None  # (it says what to give)
    while True:
        try:
            return _codec(where, keys)
        except WrongKey:
            if not keys.forget_passphrase():
                raise


def _codec(where: Path, keys: Keys) -> tuple[Codec, KeyFile | None]:
    own = key_path(where)
    mine = _opened(own, keys, remember=keys.remember)
    best = mine
    for other in _others(own, mine):
        found = _opened(other, keys)
        if found is not None and (best is None or found.changed > best.changed):
            best = found
    if best is None:
        try:
            unwrap(own.read_bytes(), keys, str(own))  # (raises what is wrong: the key, or what to give)
        except OSError as exc:
            why = exc.strerror or exc
            raise SealingError(f"{where} is encrypted but its key file {own} cannot be read ({why})") from None
        raise WrongKey("the key given does not open this journal (wrong identity file or passphrase)")
    known = {str(k.identity) for k in best.keys}
    carried = [*best.keys, *(k for k in (mine.keys if mine else []) if str(k.identity) not in known)]
    return AgeCodec(carried, people(keys, best.sealed)), (None if best is mine else best)


def _others(own: Path, mine: KeyFile | None) -> list[Path]:
    """The other devices' key files worth opening: not this device's bytes, and (with a key
    file of its own that opens) written after it (a hint only: the stamp inside decides)."""
    try:
        since = own.stat().st_mtime_ns if mine is not None else -1
    except OSError:
        since = -1
    found = []
    for path in sorted(own.parent.glob("*.json.key")):
        if path == own or path.name.startswith("."):
            continue
        try:
            st = path.stat()
            if mine is not None and (st.st_mtime_ns < since or path.read_bytes() == mine.sealed):
                continue
        except OSError:
            continue
        found.append(path)
    return found


def _opened(path: Path, keys: Keys, *, remember: bool = False) -> KeyFile | None:
    """The key file at ``path`` opened with ``keys``; None if it is not there or they do not
    open it (another device's may be locked with another key: it is not this device's).
    ``remember``: this device's, with the keyring's copy asked for (NETJOURNAL_KEYRING=1)."""
    try:
        sealed = path.read_bytes()
        kept = remember and uses_passphrase(sealed)
        text = keyring_cache.recall_text(path, sealed) if kept else None
        if text is None:
            text = unwrap_text(sealed, keys, str(path))
            if kept:
                keyring_cache.keep_text(path, sealed, text)
        return KeyFile(parse_key_text(text, str(path)), key_changed(text), sealed)
    except (OSError, SealingError):
        return None


def take(journal: Journal, found: KeyFile) -> None:
    """(A writer.) Make ``found`` (another device's newer key file) this device's: it is written
    first (it lists the older keys too, so this device's files open with it whatever happens
    next), then this device's files are re-sealed with its newest key (a fold; the backups and
    kept copies after)."""
    from netjournal.store.encryption import reseal_kept

    where = key_path(journal.path)
    files.atomic_write(where, found.sealed)
    os.utime(where)  # (newer than the file it came from: see _others)
    codec = journal.storage.codec
    journal.compact()
    reseal_kept(journal.path, codec, codec)
