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

from netjournal.sealing import readahead
from netjournal.store.errors import JournalDamaged
from netjournal.store.lazytable import Opened
from netjournal.store.snapshot import FAVOURS, LAZY_TABLE, Head, check_shape, deserialise, rest_matches, split_head

if TYPE_CHECKING:
    from netjournal.store.storage import JournalStorage

HEAD_FIRST_ABOVE = 1 << 20  # bytes of sealed snapshot from which the head is opened first


def open_head(storage: JournalStorage, raw: bytes) -> tuple[Head, History] | None:
    """The head of the sealed snapshot ``raw`` and what opens the rest; None when it is to be
    read whole (plain, small, or written before heads carried their own checksum)."""
    if not storage.codec.encrypted or len(raw) <= HEAD_FIRST_ABOVE:
        return None
    prefix, whole = storage.codec.unseal_head(raw)
    head = None if whole else split_head(prefix)
    if head is None:
        return None
    return head, History(storage, raw, prefix, head)


class History:
    """The whole snapshot's plaintext, decrypted once on first use (by either big table) and
    checked against the head already read: the same bytes (``raw`` is kept, not read again),
    and the rest as netjournal wrote it (its whole-file checksum). If the rest was changed
    outside netjournal (by someone holding the key), each table is read as found."""

    def __init__(self, storage: JournalStorage, raw: bytes, prefix: bytes, head: Head) -> None:
        self.storage = storage
        self.path = storage.path
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
        plain = self._unsealed()
        first = self.head
        if plain.startswith(self.prefix) and rest_matches(plain, first):
            opened = {LAZY_TABLE: Opened(plain, first.tail_at, first.tail_size, True)}
            if first.favours_at >= 0:
                opened[FAVOURS] = Opened(plain, first.favours_at, first.favours_size, True)
            return opened
        return self._as_found(plain)

    def _unsealed(self) -> bytes:
        """``raw`` decrypted; read from the file itself while it is the one ``raw`` came from
        (the age tool reads a file faster than a pipe; were it another, the head would differ),
        or decrypted ahead already while netjournal started (sealing.readahead)."""
        ahead = readahead.take(self.sig)
        if ahead is not None and ahead.startswith(self.prefix):
            return ahead
        try:
            fd = os.open(self.path, os.O_RDONLY | os.O_NONBLOCK)
        except OSError:
            return self.codec.unseal(self.raw)
        try:
            st = os.fstat(fd)
            same = stat.S_ISREG(st.st_mode) and (st.st_ino, st.st_size, st.st_mtime_ns) == self.sig
            return self.codec.unseal(self.raw, fd if same else None)
        finally:
            os.close(fd)

    def _as_found(self, plain: bytes) -> dict[str, Opened]:
        """Each big table's JSON as the file holds it (parsed whole: not netjournal's layout)."""
        try:
            data = deserialise(plain)
        except orjson.JSONDecodeError:
            raise JournalDamaged(f"{self.where} is damaged (not valid JSON: truncated or overwritten)") from None
        data = check_shape(data, self.where)
        self.storage.integrity = "changed"  # (a fold writes it in netjournal's layout again)
        opened = {}
        for name in (LAZY_TABLE, FAVOURS):
            blob = orjson.dumps(data.get(name) or {})
            opened[name] = Opened(blob, 0, len(blob), False)
        return opened
