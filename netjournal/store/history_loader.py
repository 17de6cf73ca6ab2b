"""Parsing the history (the interactions and favours, kept as the snapshot's bytes after an
open) in a worker thread, and handing the parse over to the Journal.

The parse runs without the Journal's lock, a megabyte at a time, so the UI thread keeps
reading people and a person's interactions meanwhile; a reader that needs the whole table
waits for this parse (``install``) instead of starting its own.
"""

from __future__ import annotations

import threading
from typing import Any

from netjournal.store.indexes import Indexes
from netjournal.store.reads import Reads
from netjournal.store.storage import JournalStorage


class HistoryLoader:
    def __init__(self, storage: JournalStorage, mutex: threading.RLock, indexes: Indexes, reads: Reads) -> None:
        self.storage = storage
        self._mutex = mutex  # the Journal's
        self._ix = indexes
        self._reads = reads
        self._parse_lock = threading.Lock()
        self._parsed: tuple[memoryview, Any] | None = None

    def install(self) -> None:
        """(Holding the Journal's lock.) Wait for a parse running in :meth:`load` and use it."""
        with self._parse_lock:
            parsed, self._parsed = self._parsed, None
        if parsed is not None:
            self.storage.materialise(parsed)
        self._reads.forget()

    def load(self) -> None:
        """Parse the interactions and the favours and build their indexes now."""
        storage = self.storage
        with self._mutex:  # never wait for the mutex while holding _parse_lock (readers do the reverse)
            tail = storage.lazy_tail
            favours = storage.lazy_favours
        if tail is not None:
            with self._parse_lock:
                if storage.lazy_tail is tail:  # (a reader may have parsed it meanwhile)
                    self._parsed = (tail, storage.parse_lazy(tail))
        if favours is not None:  # (after the history: a reader of the whole history waits for that parse)
            parsed = (favours, storage.parse_favours(favours))
            with self._mutex:
                storage.materialise_favours(parsed)  # (unless a reader parsed them meanwhile)
        with self._mutex:
            self._ix.build()

    @property
    def loaded(self) -> bool:
        return not self.storage.lazy and not self.storage.favours_lazy
