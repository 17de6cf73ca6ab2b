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
from typing import TYPE_CHECKING, NoReturn

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
    wrap,
)
from netjournal.sealing.codec import FOREIGN, ForeignKey
from netjournal.sealing.unlocking import codec_for, key_path
from netjournal.store import files, lifecycle
from netjournal.store.errors import StoreError

if TYPE_CHECKING:
    from netjournal.store.journal import Journal


@dataclass(frozen=True)
class KeyFile:
    """A key file opened: its journal keys (newest first), when its newest was made, its bytes."""

    keys: list[JournalKey]
    changed: str
    sealed: bytes


@dataclass(frozen=True)
class Taken:
    """The key list this device's key file is to hold (the newest key first), and its bytes when
    another device's key file holds that very list (else it is wrapped again with ``unlock``:
    scrypt, once)."""

    keys: list[JournalKey]
    changed: str
    sealed: bytes | None
    unlock: Keys


def device_codec(where: Path, keys: Keys | None) -> Codec:
    """The codec of this device's journal at ``where`` (an encrypted shared journal); its
    ``to_take``: the key list its own key file is to hold when the other devices' files know
    keys it does not (else None). A passphrase asked in a terminal gets its three tries; a key
    that opens no key file is refused (WrongKey)."""
    if keys is None or not keys.given:
        return codec_for(where, keys, sealed=True)  # (it says what to give)
    while True:
        try:
            return _codec(where, keys)
        except WrongKey:
            if not keys.forget_passphrase():
                raise


def _codec(where: Path, keys: Keys) -> AgeCodec:
    own = key_path(where)
    mine = _opened(own, keys, remember=keys.remember)
    found = [mine] if mine is not None else []
    for other in _others(where, mine):
        got = _opened(other, keys)
        if got is not None:
            found.append(got)
    if not found:
        _refuse(where, own, keys)
    merged, changed = merge(found)
    codec = AgeCodec(merged, people(keys, found[0].sealed))
    if mine is None:
        _own_files_open(where, codec)
    if mine is None or _ids(mine.keys) != _ids(merged):  # (taken by Journal.open: devicekeys.take)
        same = next((k.sealed for k in found if _ids(k.keys) == _ids(merged)), None)
        codec.to_take = Taken(merged, changed, same, keys)
    return codec


def merge(found: list[KeyFile]) -> tuple[list[JournalKey], str]:
    """Every key the key files list, the newest first: the one no list names after another
    (a key change lists the keys it replaces after its new one, whatever the clocks say); of
    keys made on two devices at once (neither list names the other's), the one stamped later
    (then by its text, so that every device picks the same), the others after it."""
    keys: dict[str, JournalKey] = {}
    replaced: set[str] = set()
    stamp: dict[str, str] = {}
    for kf in found:
        for n, key in enumerate(kf.keys):
            keys.setdefault(str(key.identity), key)
            if n:
                replaced.add(str(key.identity))
        first = str(kf.keys[0].identity)
        stamp[first] = max(stamp.get(first, ""), kf.changed)
    # (a key file edited by hand can list an older key first: then no key is unreplaced, and the
    # newest is chosen among the keys the files list first, as for changes made at once)
    candidates = [k for k in keys if k not in replaced] or list(stamp)
    newest = max(candidates, key=lambda k: (stamp.get(k, ""), k))
    rest = sorted((k for k in keys if k != newest), key=lambda k: (k in replaced, k))
    return [keys[newest], *(keys[k] for k in rest)], max(kf.changed for kf in found)


def _ids(keys: list[JournalKey]) -> list[str]:
    return [str(k.identity) for k in keys]


def _refuse(where: Path, own: Path, keys: Keys) -> NoReturn:
    try:
        unwrap(own.read_bytes(), keys, str(own))  # (raises what is wrong: the key, or what to give)
    except OSError as exc:
        why = exc.strerror or exc
        raise SealingError(f"{where} is encrypted but its key file {own} cannot be read ({why})") from None
    raise WrongKey("the key given does not open this journal (wrong identity file or passphrase)")


def _own_files_open(where: Path, codec: AgeCodec) -> None:
    """(This device's key file did not open: the key given is another device's.) This device's
    own snapshot opens with the keys found, or the open is refused in one line: its key was
    changed here to another one too (two devices changed it at once, each to its own)."""
    try:
        with open(where, "rb") as f:
            head = f.read(1 << 17)
    except OSError:
        return  # (a device joining: none yet)
    try:
        codec.unseal_head(head, 1)
    except SealingError:
        raise WrongKey(
            f"{where.name}'s files are sealed with a key the one given does not open: the journal's key was "
            "changed on this device too, to another one; give both identity files in one file (or open it "
            "once with the key it was changed to here)"
        ) from None


def _others(where: Path, mine: KeyFile | None) -> list[Path]:
    """The other devices' key files worth opening: not this device's bytes; with a passphrase
    (each costs scrypt, a second or so), only when this device's own does not open (the key
    given is a new one: the file it came from is among them), or when another device holds
    something sealed with a key this one lacks (the key changed there, the passphrase kept)."""
    own = key_path(where)
    found: list[Path] = []
    locked: list[Path] = []
    for path in sorted(own.parent.glob("*.json.key")):
        if path == own or path.name.startswith("."):
            continue
        try:
            data = path.read_bytes()
        except OSError:
            continue
        if mine is not None and data == mine.sealed:
            continue
        (locked if mine is not None and uses_passphrase(data) else found).append(path)
    if locked and mine is not None and _lacks_a_key(where, AgeCodec(mine.keys, [])):
        found += locked
    return found


def _lacks_a_key(where: Path, codec: AgeCodec) -> bool:
    """Whether another device's snapshot or newest log line is sealed with a key ``codec``
    does not hold (an age header to none of its keys; a line's key id): a few milliseconds."""
    for path in sorted(where.parent.glob("*.json*")):
        if path.name.startswith(where.name) or path.name.startswith("."):
            continue
        try:
            with open(path, "rb") as f:
                if path.name.endswith(".json"):
                    codec.unseal_head(f.read(1 << 17), 1)
                elif path.name.endswith(".json.log"):
                    f.seek(max(0, os.fstat(f.fileno()).st_size - (1 << 16)))
                    lines = f.read().split(b"\n")
                    last = lines[-2] if len(lines) > 1 else b""
                    if codec.unseal_line(last) == FOREIGN:
                        return True
        except ForeignKey:
            return True
        except (OSError, SealingError):
            continue
    return False


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


def take(journal: Journal, taken: Taken | None) -> None:
    """(A writer.) This device's key file made to hold ``taken`` (written first: it lists every
    older key too, so this device's files open with it whatever happens next); then whatever of
    this device's files is not sealed with the newest key yet is re-sealed with it (a fold; the
    backups and kept copies after). Checked at every open, so a kill half way is finished then."""
    from netjournal.store.encryption import reseal_kept

    where = key_path(journal.path)
    codec = journal.storage.codec
    assert isinstance(codec, AgeCodec)
    if taken is not None:
        sealed = taken.sealed if taken.sealed is not None else wrap(taken.keys, taken.unlock, taken.changed)
        files.atomic_write(where, sealed)
    newest = AgeCodec(codec.keys[:1], [])
    try:
        if not _opens(journal.path, newest):
            journal.compact()
        # (a backup that opens with no key, damaged, is left as it is: not re-sealed at every open)
        if any(not _opens(f, newest) and _opens(f, codec) for f in _whole_kept(journal.path)):
            reseal_kept(journal.path, codec, codec)
    except StoreError as exc:  # (a damaged history, a full disk: saves go on, tried at the next open)
        journal.notices.append(f"this device's files are not all sealed with the journal's newest key yet ({exc})")


def _opens(path: Path, codec: AgeCodec) -> bool:
    """Whether the whole file at ``path`` opens with ``codec`` (one not there: nothing to do)."""
    try:
        with open(path, "rb") as f:
            codec.unseal_head(f.read(1 << 17), 1)
        return True
    except FileNotFoundError:
        return True
    except (OSError, SealingError):
        return False


def _whole_kept(path: Path) -> list[Path]:
    """This device's backups and kept copies that are whole files (their logs are re-sealed with
    them: encryption.reseal_kept)."""
    return [f for f in lifecycle.kept_files(path) if ".log" not in f.name]
