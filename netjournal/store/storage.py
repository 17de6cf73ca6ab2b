"""A TinyDB storage that never tears the journal and saves one change in O(change).

Design (the README's "How the journal is stored" says the same for users):

* ``journal.json`` is a snapshot in TinyDB's JSON layout (one object per table, records
  keyed by their stable id). It is only ever replaced whole, atomically
  (:func:`netjournal.store.files.atomic_write`).
* ``journal.json.log`` beside it is an append-only change log. Each committed change is
  one line (``{"ops": [[table, id, document-or-null], ...]}``) appended and fsynced before
  the change is reported saved: a durable save costs one small append, not a rewrite.
* Opening reads the snapshot and replays the log. A torn last line (the process died
  mid-append) was never reported saved and is dropped; any other damage refuses the file.
* Compaction folds the log into a new snapshot (atomic replace), then empties the log.
  Replaying a line twice is harmless (each op puts or deletes a whole record), so a crash
  between the two steps loses nothing.

Serialising (orjson), transforming (:class:`Codec`, identity today: the hook where
encryption at rest would go) and writing bytes (files.py) are separate steps.
"""

from __future__ import annotations

import copy
import gc
import os
from collections.abc import Callable, Iterator, MutableMapping
from pathlib import Path
from typing import Any

import orjson
from tinydb import TinyDB
from tinydb.storages import Storage
from tinydb.table import Table

from netjournal.store import files
from netjournal.store.errors import JournalDamaged, StoreError

Data = dict[str, dict[str, Any]]
Op = tuple[str, str, "dict[str, Any] | None"]
_MISSING = object()


class Codec:
    """Transforms bytes on their way to and from disk. Identity: the place for encryption."""

    name = "plain"

    def encode(self, data: bytes) -> bytes:
        return data

    def decode(self, data: bytes) -> bytes:
        return data


def serialise(data: Data) -> bytes:
    return orjson.dumps(data)


def deserialise(raw: bytes) -> Any:
    # The collector is paused while a large document tree is built (measured: ~2x faster).
    enabled = gc.isenabled()
    gc.disable()
    try:
        return orjson.loads(raw)
    finally:
        if enabled:
            gc.enable()


def check_shape(data: Any, where: str) -> Data:
    if not isinstance(data, dict):
        raise JournalDamaged(f"{where} is not a netjournal journal (not a JSON object of tables)")
    for name, table in data.items():
        if not isinstance(table, dict):
            raise JournalDamaged(f"{where} is damaged: table {name!r} is not an object")
        for key, doc in table.items():
            if not isinstance(doc, dict):
                raise JournalDamaged(f"{where} is damaged: record {key!r} of {name!r} is not an object")
    return data


class JournalStorage(Storage):
    """Snapshot + change log. ``read`` returns the live in-memory tables (no re-parse)."""

    def __init__(self, path: str | Path, *, codec: Codec | None = None, readonly: bool = False) -> None:
        self.path = Path(path)
        self.log_path = self.path.with_name(self.path.name + ".log")
        self.codec = codec or Codec()
        self.readonly = readonly
        self._data: Data | None = None
        self._log_fd: int | None = None
        self.log_bytes = 0
        self.log_lines = 0
        self._pending: list[Op] | None = None
        self._undo_log: list[tuple[str, dict[str, Any]]] = []

    # --- loading -----------------------------------------------------------------
    def load_snapshot(self) -> tuple[Data, bytes]:
        """Parse the snapshot. Raises JournalDamaged (file untouched) if it is not readable."""
        try:
            raw = self.path.read_bytes()
        except OSError as exc:
            raise StoreError(f"cannot read {self.path}: {exc.strerror or exc}") from None
        if not raw.strip():
            raise JournalDamaged(f"{self.path} is empty")
        try:
            data = deserialise(self.codec.decode(raw))
        except orjson.JSONDecodeError:
            raise JournalDamaged(f"{self.path} is damaged (not valid JSON: truncated or overwritten)") from None
        return check_shape(data, str(self.path)), raw

    def replay_log(self, data: Data) -> int:
        """Apply the change log to ``data``. Returns the byte length of its good part."""
        try:
            raw = self.log_path.read_bytes()
        except FileNotFoundError:
            return 0
        except OSError as exc:
            raise StoreError(f"cannot read {self.log_path}: {exc.strerror or exc}") from None
        good = 0
        lines = raw.split(b"\n")
        for n, line in enumerate(lines, 1):
            last = n == len(lines)
            if last:
                # No newline after it: a torn append that was never reported saved.
                break
            try:
                entry = orjson.loads(self.codec.decode(line))
                ops = entry["ops"]
                for table, key, doc in ops:
                    tbl = data.setdefault(table, {})
                    if doc is None:
                        tbl.pop(key, None)
                    else:
                        tbl[key] = doc
            except (orjson.JSONDecodeError, KeyError, TypeError, ValueError):
                raise JournalDamaged(f"{self.log_path} is damaged at line {n}") from None
            good += len(line) + 1
            self.log_lines += 1
        self.log_bytes = good
        return good

    def load(self) -> Data:
        data, _ = self.load_snapshot()
        self.replay_log(data)
        self._data = data
        return data

    def set_data(self, data: Data) -> None:
        self._data = data

    # --- the TinyDB Storage interface --------------------------------------------
    def read(self) -> Data | None:
        if self._data is None:
            self.load()
        return self._data

    def write(self, data: dict[str, dict[str, Any]]) -> None:
        """A whole-database write (TinyDB's drop_tables and friends): replace and compact."""
        self._data = data
        self.compact()

    def close(self) -> None:
        if self._log_fd is not None:
            os.close(self._log_fd)
            self._log_fd = None

    # --- durable changes ------------------------------------------------------------
    def _ensure_log(self) -> int:
        if self.readonly:
            raise StoreError(f"{self.path} is open read-only")
        if self._log_fd is None:
            if self.log_path.exists() and self.log_path.stat().st_size != self.log_bytes:
                # Cut a torn tail off so the next line starts clean.
                os.truncate(self.log_path, self.log_bytes)
            self._log_fd = files.open_append(self.log_path)
        return self._log_fd

    def commit(self, ops: list[Op]) -> None:
        """Make ``ops`` durable: one line appended and fsynced. Raises on failure."""
        if not ops:
            return
        line = self.codec.encode(orjson.dumps({"ops": ops})) + b"\n"
        fd = self._ensure_log()
        try:
            files.write_all(fd, line)
            os.fsync(fd)
        except OSError as exc:
            # Leave no half line behind for the next append.
            try:
                os.ftruncate(fd, self.log_bytes)
            except OSError:
                pass
            raise StoreError(f"could not save to {self.log_path}: {exc.strerror or exc}") from None
        self.log_bytes += len(line)
        self.log_lines += 1

    def compact(self) -> None:
        """Fold the log into a new snapshot, atomically; then empty the log."""
        if self.readonly:
            raise StoreError(f"{self.path} is open read-only")
        if self._data is None:
            return
        blob = self.codec.encode(serialise(self._data))
        try:
            files.atomic_write(self.path, blob)
        except OSError as exc:
            raise StoreError(f"could not save {self.path}: {exc.strerror or exc}") from None
        if self.log_bytes or self.log_path.exists():
            fd = self._ensure_log()
            os.ftruncate(fd, 0)
            os.fsync(fd)
        self.log_bytes = 0
        self.log_lines = 0


class _TrackingView(MutableMapping[str, Any]):
    """The live table as TinyDB's updaters see it: no copy, every touched key recorded,
    the original of every touched record kept so a failed save can be rolled back."""

    def __init__(self, raw: dict[str, Any]) -> None:
        self.raw = raw
        self.originals: dict[str, Any] = {}

    def _touch(self, key: str) -> None:
        if key not in self.originals:
            old = self.raw.get(key, _MISSING)
            self.originals[key] = _MISSING if old is _MISSING else copy.deepcopy(old)

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

    document_id_class = str

    def _update_table(self, updater: Callable[[dict[Any, Any]], None]) -> None:
        storage = self._storage
        assert isinstance(storage, JournalStorage)
        tables = storage.read()
        assert tables is not None
        raw = tables.setdefault(self.name, {})
        view = _TrackingView(raw)
        try:
            updater(view)  # type: ignore[arg-type]
            ops: list[Op] = [(self.name, k, raw.get(k)) for k in view.originals]
            if storage._pending is not None:
                storage._pending.extend(ops)
                storage._undo_log.append((self.name, view.originals))
            else:
                storage.commit(ops)
        except BaseException:
            _restore(raw, view.originals)
            raise
        finally:
            self.clear_cache()

    def _get_next_id(self) -> str:  # records always carry their own id
        raise StoreError("records must be inserted with their own id")


def _restore(raw: dict[str, Any], originals: dict[str, Any]) -> None:
    for key, old in originals.items():
        if old is _MISSING:
            raw.pop(key, None)
        else:
            raw[key] = old


class JournalDB(TinyDB):
    table_class = JournalTable
    default_table_name = "_meta"


def open_db(storage: JournalStorage) -> JournalDB:
    db = JournalDB(storage=lambda: storage)
    return db


class Transaction:
    """Groups every table change inside it into one durable log line, all or nothing."""

    def __init__(self, storage: JournalStorage) -> None:
        self.storage = storage

    def __enter__(self) -> Transaction:
        if self.storage._pending is not None:
            raise StoreError("transactions do not nest")
        self.storage._pending = []
        self.storage._undo_log = []
        return self

    def __exit__(self, exc_type: object, exc: object, tb: object) -> None:
        storage = self.storage
        ops = storage._pending or []
        undo = storage._undo_log
        storage._pending = None
        storage._undo_log = []

        def rollback() -> None:
            tables = storage.read() or {}
            for name, originals in reversed(undo):
                _restore(tables.setdefault(name, {}), originals)

        if exc_type is not None:
            rollback()
            return
        try:
            storage.commit(ops)
        except BaseException:
            rollback()
            raise
