"""Which codec opens a journal: plain, or sealed with age and unlocked with the person's key.

The journal is sealed when its snapshot is an age file; its key is in ``journal.json.key``
beside it (netjournal.sealing.age_codec says what each file holds). A missing or wrong key is
refused before anything is opened for writing: not a byte of the journal's folder changes.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import TYPE_CHECKING

from netjournal.sealing.codec import Codec, SealingError, is_sealed, uses_passphrase
from netjournal.sealing.keys import PASSPHRASE_COMMAND_ENV, Keys

if TYPE_CHECKING:
    from netjournal.sealing.age_codec import JournalKey

KEY_SUFFIX = ".key"


def key_path(journal: Path) -> Path:
    return journal.with_name(journal.name + KEY_SUFFIX)


def sealed_on_disk(path: Path) -> bool:
    """Whether the journal at ``path`` is encrypted (its snapshot is an age file)."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    except OSError:
        return False
    try:
        return stat.S_ISREG(os.fstat(fd).st_mode) and is_sealed(os.read(fd, 64))
    finally:
        os.close(fd)


def codec_for(path: Path, keys: Keys | None, *, sealed: bool | None = None) -> Codec:
    """The codec that opens the journal at ``path``: plain, or its key unlocked with
    ``keys`` (SealingError, one line, if none is given or it does not fit). ``sealed``:
    whether it is encrypted, if known otherwise (a missing journal's backups: doctor)."""
    if not (sealed_on_disk(path) if sealed is None else sealed):
        return Codec()
    if keys is None or not keys.given:
        raise SealingError(
            f"{path} is encrypted: give its key with --identity FILE (or NETJOURNAL_IDENTITY), or its "
            "passphrase (NETJOURNAL_PASSPHRASE_COMMAND, or a terminal to ask it in); nothing was changed"
        )
    from netjournal.sealing.age_codec import AgeCodec, people

    where = key_path(path)
    try:
        sealed_key = where.read_bytes()
    except OSError as exc:
        why = exc.strerror or exc
        raise SealingError(f"{path} is encrypted but its key file {where} cannot be read ({why})") from None
    return AgeCodec(_journal_keys(where, sealed_key, keys), people(keys, sealed_key))


def _journal_keys(where: Path, sealed_key: bytes, keys: Keys) -> list[JournalKey]:
    """The key file opened: from the keyring's copy if the person keeps one there, else with
    their identity file or passphrase (a passphrase asked in a terminal: three tries)."""
    import netjournal.sealing.keyring_cache as keyring_cache
    from netjournal.sealing.age_codec import WrongKey, unwrap, uses_passphrase

    kept = keys.remember and uses_passphrase(sealed_key)
    found = keyring_cache.recall(where, sealed_key) if kept else None
    if found is not None:
        return found
    while True:
        try:
            found = unwrap(sealed_key, keys, str(where))
            break
        except WrongKey:
            if not keys.forget_passphrase():
                raise
    if kept:
        keyring_cache.keep(where, sealed_key, found)
    return found


def asks_passphrase(path: Path, keys: Keys) -> bool:
    """Whether opening the journal at ``path`` with ``keys`` would ask a passphrase in the
    terminal: it is encrypted to one, and neither its command nor an identity file is given
    (the app asks it in a dialog instead)."""
    if keys.identity is not None or os.environ.get(PASSPHRASE_COMMAND_ENV) or not sealed_on_disk(path):
        return False
    try:
        return uses_passphrase(key_path(path).read_bytes()[:200])
    except OSError:
        return False
