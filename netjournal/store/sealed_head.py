"""An encrypted journal opened head first: its people now, its years of history when needed.

A plain journal is read whole but parsed lazily (``loading.load_lazy``): the people at once,
the interactions and favours left as bytes. An encrypted one would first have to decrypt all
of those bytes (a tenth of a second at 100,000 interactions) for commands that never look at
them (``log``, the app's first frame). So a big sealed snapshot is decrypted only up to the
end of its head (its first newline: ``AgeCodec.unseal_head``), which carries a checksum of its
own (``_meta.snapshot.head``, written for encrypted journals: ``snapshot.serialise_parts``);
the rest is decrypted from the same bytes on first use (:class:`History`), in whatever thread
first asks, and checked then as an open checks a plain snapshot (``snapshot.integrity``).
"""

from __future__ import annotations

import os
import stat
import threading
from typing import TYPE_CHECKING

import orjson

from netjournal.sealing import SealingError, readahead
from netjournal.store.errors import JournalDamaged
from netjournal.store.lazytable import Opened
from netjournal.store.snapshot import FAVOURS, LAZY_TABLE, Head, check_shape, deserialise, rest_matches, split_head

if TYPE_CHECKING:
    from netjournal.store.storage import JournalStorage

HEAD_FIRST_ABOVE = 1 << 20  # bytes of sealed snapshot from which the head is opened first


def open_head(storage: JournalStorage, raw: bytes) -> tuple[Head, History] | bytes:
    """The head of the sealed snapshot ``raw`` and what opens the rest; or, when it is read
    whole, its bytes opened (plain, small, no history at all, or written before heads carried
    their own checksum: then a writer folds it at once, so that it opens head first from then
    on: ``storage.reseal``)."""
    if not storage.codec.encrypted:
        return raw
    if len(raw) <= HEAD_FIRST_ABOVE:
        return unseal_whole(storage, raw, storage.log.snapshot_sig)
    prefix, whole = storage.codec.unseal_head(raw)
    if whole:
        return prefix  # (no history at all: decrypted once)
    head = split_head(prefix)
    if head is None:
        storage.reseal = True
        return unseal_whole(storage, raw, storage.log.snapshot_sig)
    return head, History(storage, raw, prefix, head)


def unseal_whole(storage: JournalStorage, raw: bytes, sig: readahead.Sig | None) -> bytes:
    """The sealed snapshot ``raw`` decrypted whole: decrypted ahead already (the launch), or by
    the age tool reading the very file ``raw`` came from (``sig``: its inode, size and time),
    else from ``raw`` (sealing.age_tool)."""
    ahead = readahead.take(sig)
    if ahead is not None:
        return ahead  # (the same inode, size and time as the file read: the same bytes)
    try:
        fd = os.open(storage.path, os.O_RDONLY | os.O_NONBLOCK)
    except OSError:
        return storage.codec.unseal(raw)
    try:
        st = os.fstat(fd)
        same = stat.S_ISREG(st.st_mode) and (st.st_ino, st.st_size, st.st_mtime_ns) == sig
        return storage.codec.unseal(raw, fd if same else None)
    finally:
        os.close(fd)


class History:
    """The whole snapshot's plaintext, decrypted once on first use (by either big table) and
    checked against the head already read: the same bytes (``raw`` is kept, not read again),
    and the rest as netjournal wrote it (its whole-file checksum). If the rest was changed
    outside netjournal (by someone holding the key), each table is read as found."""

    def __init__(self, storage: JournalStorage, raw: bytes, prefix: bytes, head: Head) -> None:
        self.storage = storage
        self.where = str(storage.path)
        self.sig = storage.log.snapshot_sig  # the file ``raw`` was read from (inode, size, mtime)
        self.codec = storage.codec
        self.raw = raw
        self.prefix = prefix
        self.head = head
        self._opened: dict[str, Opened] | None = None
        self._lock = threading.Lock()

    def __call__(self, name: str) -> Opened:
        with self._lock:
            if self._opened is None:
                self._opened = self._open()
                self.raw = b""
            return self._opened[name]

    def _open(self) -> dict[str, Opened]:
        try:
            plain = self._unsealed()
        except SealingError as exc:  # (damaged past opening: a fold waits, saves go on: StoreError)
            raise JournalDamaged(f"{self.where}: its history does not open ({exc})") from None
        first = self.head
        if plain.startswith(self.prefix) and rest_matches(plain, first):
            opened = {LAZY_TABLE: Opened(plain, first.tail_at, first.tail_size, True)}
            if first.favours_at >= 0:
                opened[FAVOURS] = Opened(plain, first.favours_at, first.favours_size, True)
            return opened
        return self._as_found(plain)

    def _unsealed(self) -> bytes:
        """``raw`` decrypted (see :func:`unseal_whole`), checked to begin as the head read."""
        plain = unseal_whole(self.storage, self.raw, self.sig)
        return plain if plain.startswith(self.prefix) else self.codec.unseal(self.raw)

    def _as_found(self, plain: bytes) -> dict[str, Opened]:
        """Each big table's JSON as the file holds it (parsed whole: not netjournal's layout)."""
        try:
            data = deserialise(plain)
        except orjson.JSONDecodeError:
            raise JournalDamaged(f"{self.where} is damaged (not valid JSON: truncated or overwritten)") from None
        data = check_shape(data, self.where)
        self.changed_outside()
        opened = {}
        for name in (LAZY_TABLE, FAVOURS):
            blob = orjson.dumps(data.get(name) or {})
            opened[name] = Opened(blob, 0, len(blob), False)
        return opened

    def changed_outside(self) -> None:
        """Told as for a snapshot found changed at its open: the version found is kept aside
        (by a writer, sealed as it is), the person is told, and the next fold rewrites it."""
        from netjournal.store.opening import changed_outside

        storage = self.storage
        storage.integrity = "changed"
        storage.notices.append(changed_outside(storage, storage.path, self.raw, not storage.readonly))
