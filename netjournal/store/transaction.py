"""A transaction over the storage: every table change inside it becomes one durable line of the
change log (a big one: part lines committed by the last), all or nothing. On failure each
touched record is put back as it was and the part lines already appended are cut off.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from netjournal.store.errors import StoreError
from netjournal.store.lazytable import MISSING

if TYPE_CHECKING:
    from netjournal.store.storage import JournalStorage


def restore_originals(raw: dict[str, Any], originals: dict[str, Any]) -> None:
    """Put back what a failed change replaced (``MISSING``: the record did not exist)."""
    for key, old in originals.items():
        if old is MISSING:
            raw.pop(key, None)
        else:
            raw[key] = old


class Transaction:
    """Groups every table change inside it into one durable log line, all or nothing."""

    def __init__(self, storage: JournalStorage) -> None:
        self.storage = storage

    def __enter__(self) -> Transaction:
        if self.storage._pending is not None:
            raise StoreError("transactions do not nest")
        self.storage._pending = []
        self.storage._undo_log = {}
        self.storage._part_mark = None
        for lazy in self.storage.lazy_tables.values():
            lazy.mark = len(lazy.deferred)
        return self

    def __exit__(self, exc_type: object, exc: object, tb: object) -> None:
        storage = self.storage
        ops = storage._pending or []
        undo = storage._undo_log
        storage._pending = None
        storage._undo_log = {}

        def rollback() -> None:
            storage.discard_parts()
            for lazy in storage.lazy_tables.values():
                del lazy.deferred[lazy.mark :]
            for name, originals in undo.items():
                restore_originals(storage.table(name), originals)

        if exc_type is not None:
            rollback()
            return
        try:
            storage.commit(ops)
        except BaseException:
            rollback()
            raise
