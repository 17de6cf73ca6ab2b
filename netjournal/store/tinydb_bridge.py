"""TinyDB's private API, touched here and nowhere else (pinned: see pyproject.toml's tinydb range
and tests/store/test_store_tinydb_pin.py, which fails loudly on a TinyDB release that changes it).

Stock TinyDB copies the whole table twice on every write (~60 ms at 100k records) and mints
integer ids. :class:`JournalTable` overrides ``Table._update_table`` to apply the updater to
the live dict and hand the storage just the records it touched, and ``_get_next_id`` to
refuse minting (records carry their own ids). The Journal writes through :func:`put` and
:func:`remove` only.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterator, MutableMapping
from typing import Any

from tinydb import TinyDB
from tinydb.table import Table

from netjournal.store.errors import StoreError
from netjournal.store.lazytable import MISSING
from netjournal.store.storage import JournalStorage, Op
from netjournal.store.transaction import restore_originals


class _TrackingView(MutableMapping[str, Any]):
    """The live table as TinyDB's updaters see it: no copy, every touched key recorded,
    the original of every touched record kept so a failed save can be rolled back."""

    def __init__(self, raw: dict[str, Any]) -> None:
        self.raw = raw
        self.originals: dict[str, Any] = {}

    def _touch(self, key: str) -> None:
        if key not in self.originals:
            old = self.raw.get(key, MISSING)
            self.originals[key] = MISSING if old is MISSING else copy.deepcopy(old)

    def __getitem__(self, key: str) -> Any:
        self._touch(key)
        return self.raw[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self._touch(key)
        self.raw[key] = value

    def __delitem__(self, key: str) -> None:
        self._touch(key)
        del self.raw[key]

    def __contains__(self, key: object) -> bool:
        return key in self.raw

    def __iter__(self) -> Iterator[str]:
        return iter(self.raw)

    def __len__(self) -> int:
        return len(self.raw)


class JournalTable(Table):
    """A TinyDB table keyed by the records' own string ids, updated in place.

    Stock TinyDB copies the whole table twice on every write (~60 ms at 100k records);
    this applies the updater to the live dict and logs just the records it touched.
    """

    document_id_class = str  # type: ignore[assignment]

    def _update_table(self, updater: Callable[[dict[Any, Any]], None]) -> None:
        storage = self._storage
        assert isinstance(storage, JournalStorage)
        raw = storage.table(self.name)
        view = _TrackingView(raw)
        try:
            updater(view)  # type: ignore[arg-type]
            ops: list[Op] = [(self.name, k, raw.get(k)) for k in view.originals]
            if storage._pending is not None:
                storage.remember(self.name, view.originals)
                storage.queue(ops)
            else:
                storage.commit(ops)
        except BaseException:
            restore_originals(raw, view.originals)
            raise
        finally:
            self.clear_cache()

    def _get_next_id(self) -> str:  # records always carry their own id
        raise StoreError("records must be inserted with their own id")


class JournalDB(TinyDB):
    table_class = JournalTable
    default_table_name = "_meta"


def open_db(storage: JournalStorage) -> JournalDB:
    db = JournalDB(storage=lambda: storage)
    return db


def put(table: Table, rid: str, doc: dict[str, Any]) -> None:
    """Insert or replace the whole document ``rid`` (TinyDB's update merges; its insert copies)."""

    def replace(view: dict[str, Any]) -> None:
        view[rid] = doc

    table._update_table(replace)  # type: ignore[arg-type]  # JournalTable: string ids


def remove(table: Table, rid: str) -> None:
    table.remove(doc_ids=[rid])  # type: ignore[list-item]  # our ids are strings
