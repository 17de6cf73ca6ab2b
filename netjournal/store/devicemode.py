"""One journal on many devices through a file-sync engine (Syncthing, Dropbox, Nextcloud,
iCloud Drive, git): where each device's files are, and turning it on.

A journal shared between devices is a folder ``journal.d/`` beside ``journal.json``. Each
device keeps its own journal there, ``<device>.json`` with its change log
``<device>.json.log`` (and lock, key file and backups beside them), in the same format as a
journal of one device, with each record's version (domain/versionpack.py) in its table
``_versions``. A device writes only its own files, so the engine never has to resolve a
conflict; it reads every other file of the folder (store/devicesources.py) and folds the
others' changes in (store/devicemerge.py). ``journal.json`` itself becomes a small marker of
schema 3 that an older netjournal refuses ("written by a newer netjournal") instead of
writing changes nobody reads.
"""

from __future__ import annotations

import hashlib
import os
import stat
import string
from collections.abc import Callable
from pathlib import Path

import orjson

from netjournal.domain.model import utc_now
from netjournal.errors import NetjournalError
from netjournal.store import backup, files
from netjournal.store.errors import StoreError

SCHEMA = 3  # journal.json of a journal shared between devices: the marker
MARKER = orjson.dumps({"_meta": {"schema": {"version": SCHEMA}, "devices": "journal.d"}}) + b"\n"
SAFE = frozenset(string.ascii_letters + string.digits + "-_")
MAX_STEM = 100


def folder(journal: Path) -> Path:
    """The devices' folder of ``journal`` (``journal.json`` -> ``journal.d``)."""
    return journal.with_name(journal.stem + ".d")


def is_on(journal: Path) -> bool:
    """Whether ``journal`` is shared between devices (its devices' folder exists)."""
    return folder(journal).is_dir()


def stem(device: str) -> str:
    """The file name part for ``device``: letters, digits, ``-`` and ``_`` kept, every other
    character ``%XX`` of its UTF-8 bytes, a long one cut and ended with ``~`` and a digest."""
    out = "".join(ch if ch in SAFE else "".join(f"%{b:02X}" for b in ch.encode("utf-8")) for ch in device)
    if len(out) > MAX_STEM:
        out = out[:80] + "~" + hashlib.sha256(device.encode("utf-8")).hexdigest()[:16]
    return out


def own_path(journal: Path, device: str) -> Path:
    """This device's own journal in the devices' folder (its log, lock and key file beside)."""
    return folder(journal) / f"{stem(device)}.json"


def is_marker(journal: Path) -> bool:
    """Whether ``journal`` is the marker of a shared journal (never waiting on a pipe or a
    device found where the journal was: only a regular file is read)."""
    try:
        fd = os.open(journal, os.O_RDONLY | os.O_NONBLOCK)
    except OSError:
        return False
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return False
        head = os.read(fd, len(MARKER) + 64)
    except OSError:
        return False
    finally:
        os.close(fd)
    return head.strip() == MARKER.strip()


def turn_on(journal: Path, device: str) -> Path | None:
    """Share ``journal`` between devices from now on: a backup first (its path returned;
    None for a journal that does not exist yet), then this device's journal made from it in
    the devices' folder, then ``journal.json`` replaced by the marker. The journal must be
    closed and folded (the caller opens it, folds it and closes it first)."""
    if is_on(journal):
        raise NetjournalError(f"{journal} is shared between devices already")
    own = own_path(journal, device)
    kept: Path | None = None
    try:
        blob = journal.read_bytes() if journal.exists() else None
        if blob is not None:
            stamp = utc_now()[:19].replace(":", "")
            kept = backup.take(journal, blob, f"pre-devices-{stamp}.json")
        files.ensure_private_dir(own.parent)
        if blob is not None:
            key = journal.with_name(journal.name + ".key")
            if key.exists():
                files.atomic_write(own.with_name(own.name + ".key"), key.read_bytes())
            files.atomic_write(own, blob)
        files.atomic_write(journal, MARKER)
        log = journal.with_name(journal.name + ".log")
        if log.exists():
            log.unlink()
    except OSError as exc:
        raise StoreError(f"cannot share {journal} between devices: {exc.strerror or exc}") from None
    return kept


def folder_missing(journal: Path) -> str:
    """The one line for a marker whose devices' folder is not here (yet), or "" if that is
    not the case: the sync engine brought ``journal.json`` before ``journal.d/``."""
    if is_on(journal) or not is_marker(journal):
        return ""
    return (
        f"{journal} is shared between devices, but its folder {folder(journal).name}/ is not here "
        "(yet): let the sync engine bring it, then open the journal again; nothing was changed"
    )


def device_of(device: str | Callable[[], str] | None, journal: Path) -> str:
    """This device's name as the opener gives it (asked only for a shared journal)."""
    name = device() if callable(device) else device
    if not name:
        raise NetjournalError(
            f"{journal} is shared between devices, and this device has no name here "
            "(set NETJOURNAL_DEVICE=NAME)"
        )
    return name


def join(journal: Path, device: str, *, take_key: bool = True) -> Path:
    """This device's own journal in the devices' folder. A device that joins an encrypted
    journal takes the key file of one that is there (every device shares the journal's key;
    not ``take_key``: a reader, which writes nothing)."""
    own = own_path(journal, device)
    key = own.with_name(own.name + ".key")
    if take_key and not own.exists() and not key.exists():
        others = sorted(p for p in folder(journal).glob("*.json.key") if not p.name.startswith("."))
        if others:
            try:
                files.atomic_write(key, others[0].read_bytes())
            except OSError as exc:
                raise StoreError(f"cannot take the journal's key into {key}: {exc.strerror or exc}") from None
    return own


def locate(journal: Path, device: str | Callable[[], str] | None) -> Path:
    """Where ``journal``'s bytes are for this device (what decides whether it is encrypted):
    see :func:`located`."""
    return located(journal, device)[0]


def located(
    journal: Path, device: str | Callable[[], str] | None, *, take_key: bool = True
) -> tuple[Path, str | None]:
    """Where ``journal`` is for this device, and this device's name: itself and None, or
    (shared between devices) this device's own journal in the devices' folder. StoreError
    in one line if only the marker is here yet (see :func:`folder_missing`)."""
    missing = folder_missing(journal)
    if missing:
        raise StoreError(missing)
    if not is_on(journal):
        return journal, None
    name = device_of(device, journal)
    return join(journal, name, take_key=take_key), name
