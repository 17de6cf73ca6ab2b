"""A TinyDB storage that never tears the journal and saves one change in O(change).

Design (the README's "How the journal is stored" says the same for users):

* ``journal.json`` is a snapshot in TinyDB's JSON layout (one object per table, records
  keyed by their stable id). It is only ever replaced whole, atomically
  (:func:`netjournal.store.files.atomic_write`).
* ``journal.json.log`` beside it is an append-only change log. Each committed change is
  one line (``{"ops": [[table, id, document-or-null], ...]}``) appended and fsynced before
  the change is reported saved: a durable save costs one small append, not a rewrite.
  A big change (an import) is written in bounded pieces: lines marked ``"part": true``
  (:data:`PART_OPS` operations each), then its last line, unmarked, which commits them all.
* Opening reads the snapshot and replays the log. A torn last line (the process died
  mid-append) was never reported saved and is dropped, and so are part lines that no
  committing line follows (a big change cut short: all or nothing); any other damage
  refuses the file.
* Compaction folds the log into a new snapshot (atomic replace), then empties the log.
  Replaying the whole log over the snapshot it was folded into is harmless (each op puts
  or deletes a whole record, in order), so a crash between the two steps loses nothing.
  When to compact is the Journal's policy (journal.py, COMPACT_*): at open, close and idle
  time, once the log is big next to the snapshot, or always for a small journal.
* Writers cut a torn log tail before their first append; readers ignore it and write
  nothing. Temp files a killed process left are swept by the next writer (files.py).

Serialising (orjson), sealing (:class:`Codec`: plain, or encrypted with age; every file and
log line goes through it: netjournal.sealing) and writing bytes (files.py) are separate steps.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import orjson
from tinydb.storages import Storage

from netjournal.store import dated_lines, folding, loading
from netjournal.store.changelog import ChangeLog
from netjournal.store.errors import JournalDamaged, StoreError
from netjournal.store.lazytable import MISSING, Doc, Keep, LazyTable
from netjournal.store.snapshot import (
    FAVOURS,
    LAZY_TABLE,
    Codec,
    Data,
    Tail,
    check_shape,
    snapshot_day,
)

__all__ = ["FAVOURS", "LAZY_TABLE", "MISSING", "Codec", "Data", "JournalStorage", "Tail", "snapshot_day"]

Op = tuple[str, str, "dict[str, Any] | None"]
PART_OPS = 2000  # operations per log line of a big transaction (bounds the memory of its JSON)


class JournalStorage(Storage):
    """Snapshot + change log. ``read`` returns the live in-memory tables (no re-parse)."""

    def __init__(self, path: str | Path, *, codec: Codec | None = None, readonly: bool = False) -> None:
        self.path = Path(path)
        self.codec = codec or Codec()
        self.log = ChangeLog(self.path.with_name(self.path.name + ".log"), self.codec.seal_line, self.codec.unseal_line)
        self.readonly = readonly
        self._data: Data | None = None
        self.snapshot_bytes = 0  # size of the snapshot as last read or written
        self.generation = 0  # the snapshot's generation (see changelog)
        # "ok": the snapshot is as netjournal wrote it; "changed": something else changed it
        # since; "unmarked": it carries no marks to tell (see integrity)
        self.integrity = "ok"
        # Why the snapshot must not be rewritten yet ("" if it may): a version of it that
        # could not be kept aside (see Journal._changed_outside).
        self.fold_held = ""
        # Called with the tables just before a fold writes them (devices.Devices.for_fold).
        self.before_fold: Callable[[Data], None] | None = None
        self._pending: list[Op] | None = None
        # The open transaction: each touched record's state before it (by table, the first
        # one seen), and its part lines already appended (not yet committed: see PART_OPS).
        self._undo_log: dict[str, dict[str, Any]] = {}
        self._part_mark: tuple[int, int, int | None] | None = None  # the log before the first (ChangeLog.mark)
        # The tables still as JSON bytes (the interactions, the favours), until parsed.
        self.lazy_tables: dict[str, LazyTable] = {}
        # What the person is to be told of the files, found after the open (the Journal's notices).
        self.notices: list[str] = []
        # (Encrypted.) Whether the snapshot is to be rewritten at once (written before heads
        # carried their own checksum: see sealed_head).
        self.reseal = False

    @property
    def log_path(self) -> Path:
        return self.log.path

    @log_path.setter
    def log_path(self, path: Path) -> None:
        self.log = ChangeLog(path, self.codec.seal_line, self.codec.unseal_line)

    def set_codec(self, codec: Codec) -> None:
        """Seal what is written from now on with ``codec`` (encryption turned on or off)."""
        self.codec = codec
        self.log.encode, self.log.decode = codec.seal_line, codec.unseal_line

    @property
    def log_bytes(self) -> int:
        """The good, durable change lines of the log that this process knows."""
        return self.log.change_bytes

    @property
    def log_lines(self) -> int:
        return self.log.lines

    # --- loading -----------------------------------------------------------------
    def _read(self) -> bytes:
        return loading.read_snapshot(self)

    def _generation_on_disk(self) -> tuple[tuple[int, int, int], int] | None:
        return loading.generation_on_disk(self)

    def load_snapshot(self, raw: bytes | None = None) -> tuple[Data, bytes]:
        """Parse the snapshot (see loading.load_snapshot)."""
        return loading.load_snapshot(self, raw)

    def replay_log(self, data: Data) -> int:
        """Apply the change log to ``data`` (see loading.replay_log)."""
        return loading.replay_log(self, data)

    def load(self) -> Data:
        data, _ = self.load_snapshot()
        self.replay_log(data)
        self._data = data
        return data

    def load_lazy(self) -> tuple[Data, bytes]:
        """The snapshot with its interactions and favours left as bytes (see loading.load_lazy)."""
        return loading.load_lazy(self)

    def log_snapshot(self) -> bytes:
        """The change log's good lines as they are on disk now (for a backup)."""
        return self.log.good_bytes()

    @property
    def lazy(self) -> bool:
        """True while the interactions are not parsed yet."""
        return LAZY_TABLE in self.lazy_tables

    def _view(self, name: str) -> memoryview | None:
        lazy = self.lazy_tables.get(name)
        return lazy.view if lazy is not None else None

    @property
    def lazy_tail(self) -> memoryview | None:
        """The interactions' bytes while they are not parsed (immutable: safe to parse in
        another thread and hand back to :meth:`materialise`)."""
        return self._view(LAZY_TABLE)

    def parse_lazy(self, tail: memoryview) -> Any:
        """Parse ``tail`` (from :attr:`lazy_tail`); touches no state, so it may run in a
        worker thread while others read the journal."""
        lazy = self.lazy_tables.get(LAZY_TABLE)
        return self._parse(tail, lazy.layout if lazy is not None else dated_lines.LAYOUT, LAZY_TABLE)

    def _parse(self, view: memoryview, layout: str | None, name: str) -> Any:
        try:
            table = dated_lines.parse_table(view, layout)
        except orjson.JSONDecodeError:  # pragma: no cover (checksummed at open)
            raise JournalDamaged(f"{self.path} is damaged (its {name} are not valid JSON)") from None
        check_shape({name: table}, str(self.path))
        return table

    def materialise(self, parsed: tuple[memoryview, Any] | None = None) -> None:
        """Parse the interactions and apply the changes made since the snapshot. ``parsed``:
        (the tail, its table) from :meth:`parse_lazy`, if already parsed."""
        self._materialise(LAZY_TABLE, parsed)

    def _materialise(self, name: str, parsed: tuple[memoryview, Any] | None) -> None:
        lazy = self.lazy_tables.get(name)
        if lazy is None:
            return
        if parsed is not None and parsed[0] is lazy.view:
            table = parsed[1]
        else:
            table = (self.parse_lazy if name == LAZY_TABLE else self.parse_favours)(lazy.view)
        if self.lazy_tables.get(name) is not lazy:
            return  # parsed meanwhile by another thread (callers hold the journal's lock; this is a guard)

        def before_change(key: str, old: Any) -> None:
            # Part of the open transaction: keep what it replaced, for a rollback.
            if self._pending is not None:
                self.remember(name, {key: MISSING if old is MISSING else copy.deepcopy(old)})

        lazy.apply(table, before_change)
        del self.lazy_tables[name]
        data = self._data if self._data is not None else {}
        data[name] = table
        self._data = data

    @property
    def favours_lazy(self) -> bool:
        """True while the favours are not parsed yet."""
        return FAVOURS in self.lazy_tables

    @property
    def lazy_favours(self) -> memoryview | None:
        """The favours' bytes while they are not parsed (immutable, like :attr:`lazy_tail`)."""
        return self._view(FAVOURS)

    def parse_favours(self, view: memoryview) -> Any:
        """Parse ``view`` (from :attr:`lazy_favours`); touches no state (may run in a worker)."""
        return self._parse(view, dated_lines.LAYOUT, FAVOURS)

    def materialise_favours(self, parsed: tuple[memoryview, Any] | None = None) -> None:
        """Parse the favours and apply the log's changes to them. ``parsed``: (the bytes, their
        table) from :meth:`parse_favours`, if already parsed (ignored if they are stale)."""
        self._materialise(FAVOURS, parsed)

    def lazy_favours_of(self, contact_id: str) -> list[tuple[str, Doc]] | None:
        """A person's favours, newest first (by date, then id), from the unparsed bytes and the
        log's changes; None if they are parsed, or if a line does not read (then parse)."""
        lazy = self.lazy_tables.get(FAVOURS)
        if lazy is None:
            return None

        def keep(key: str, doc: Doc) -> bool:
            return doc.get("contact_id") == contact_id

        return lazy.holding(b'"contact_id":' + orjson.dumps(contact_id), keep)

    def reset_lazy(self) -> None:
        """Forget the tables still in bytes (before reading the snapshot again)."""
        self.lazy_tables = {}

    def table(self, name: str) -> dict[str, Any]:
        """One live table (parsing the interactions or favours first if they are still bytes)."""
        if name in self.lazy_tables:
            self._materialise(name, None)
        if self._data is None:
            self.load()
        assert self._data is not None
        return self._data.setdefault(name, {})

    def history_problem(self) -> str | None:
        """(An encrypted journal opened head first.) Its history decrypted and checked now, if
        it is not yet: what is wrong with it in one line, None if nothing is (a plain journal's
        was checked at its open)."""
        try:
            for lazy in list(self.lazy_tables.values()):
                lazy.src  # noqa: B018  (opens it)
        except StoreError as exc:
            return str(exc)
        return None

    def lazy_contains(self, key: str) -> bool:
        """Whether the still-unparsed interactions hold ``key``, without parsing them: the
        latest change to it since the snapshot, else a search of the snapshot's bytes."""
        return self.lazy_tables[LAZY_TABLE].contains(key)

    def lazy_newest(
        self,
        keep: Keep,
        *,
        needle: bytes | None = None,
        exact: bool = False,
        limit: int | None = None,
        budget: int = 5000,
        since: str = "",
    ) -> list[tuple[str, Doc]] | None:
        """The newest records (by date, then id) of the still-unparsed interactions, with
        the changes since the snapshot, that pass ``keep``; up to ``limit``; from the
        snapshot, none dated before ``since`` (``keep`` decides for the changes). Only records
        whose JSON line holds ``needle`` are looked at: bytes matched exactly if ``exact``,
        else lower-case ASCII text matched case-insensitively (a record with other
        characters is always looked at: ``keep`` decides). None if the snapshot is not in
        the line layout, or if more than ``budget`` lines would be parsed: the caller
        parses the table instead."""
        lazy = self.lazy_tables.get(LAZY_TABLE)
        if lazy is None:
            return None
        return lazy.newest(keep, needle=needle, exact=exact, limit=limit, budget=budget, since=since)

    def lazy_matching(
        self, pattern: re.Pattern[bytes], keep: Keep, *, budget: int = 5000
    ) -> list[tuple[str, Doc]] | None:
        """Every record of the still-unparsed interactions whose JSON line ``pattern``
        matches (a search of the bytes) and that passes ``keep``, with the changes since
        the snapshot that pass ``keep``; newest first. None if the snapshot is not in the
        line layout or more than ``budget`` lines match: the caller parses the table."""
        lazy = self.lazy_tables.get(LAZY_TABLE)
        return None if lazy is None else lazy.matching(pattern, keep, budget=budget)

    def lazy_last(self, today: str = "9999-12-31") -> dict[str, str] | None:
        """Each person's latest interaction date on or before ``today`` (a plan is not a last
        contact), from the snapshot's record of it and the changes since; None if that cannot
        be known without parsing (a change since the snapshot replaced or deleted one of its
        records, or it has no such record).

        A record changed since the snapshot is new to it if it was created in this process,
        or after the snapshot was written (its ``created`` stamp); else its bytes are
        searched for it (a few times at most: each is a pass over them)."""
        lazy = self.lazy_tables.get(LAZY_TABLE)
        return None if lazy is None else lazy.last_as_of(today)

    def put_new(self, table: str, key: str, doc: Doc) -> None:
        """Save a brand-new record (a freshly minted id) into a table that is still bytes,
        without parsing it: the change is logged durably and applied when it is parsed."""
        lazy = self.lazy_tables[table]
        op: Op = (table, key, doc)
        if self._pending is not None:
            self.queue([op])
        else:
            self.commit([op])
        lazy.deferred.append((key, doc))
        lazy.fresh.add(key)

    @property
    def data(self) -> Data | None:
        """The tables in memory (None before a load); those still in bytes are not in it."""
        return self._data

    def set_data(self, data: Data) -> None:
        self._data = data

    # --- the TinyDB Storage interface --------------------------------------------
    def read(self) -> Data | None:
        """Every table (TinyDB's interface): parses the interactions if still bytes."""
        if self._data is None:
            self.load()
        for name in list(self.lazy_tables):
            self._materialise(name, None)
        return self._data

    def write(self, data: dict[str, dict[str, Any]]) -> None:
        """A whole-database write (TinyDB's drop_tables and friends): replace and compact."""
        self.lazy_tables = {}
        self._data = data
        self.compact()

    def close(self) -> None:
        self.log.close()

    # --- durable changes ------------------------------------------------------------
    def remember(self, table: str, originals: dict[str, Any]) -> None:
        """Keep what the open transaction changed, to roll it back: the first state seen of
        each record (one dict per table, so a big import costs an entry per record)."""
        kept = self._undo_log.setdefault(table, {})
        for key, old in originals.items():
            kept.setdefault(key, old)

    def queue(self, ops: list[Op]) -> None:
        """Add ``ops`` to the open transaction; a big one is appended ahead in part lines of
        PART_OPS ops (durable, not committed: see :meth:`commit`), so its JSON is never made
        all at once."""
        assert self._pending is not None
        self._pending.extend(ops)
        if len(self._pending) >= PART_OPS:
            if self.readonly:
                raise StoreError(f"{self.path} is open read-only")
            part, self._pending = self._pending, []
            if self._part_mark is None:
                self._part_mark = self.log.mark()
            self.log.append(orjson.dumps({"ops": part, "part": True}))

    def discard_parts(self) -> None:
        """A transaction that wrote part lines failed: cut them off (if that fails too, they
        are ignored by every reader and cut by the next append: they are never committed)."""
        mark, self._part_mark = self._part_mark, None
        if mark is not None:
            self.log.cut(mark)

    def commit(self, ops: list[Op]) -> None:
        """Make ``ops`` durable: one line appended and fsynced; it commits the part lines of the
        transaction before it, if any. Raises StoreError on failure (the log is then as it
        was before, parts aside: the caller discards them)."""
        if not ops and self._part_mark is None:
            return
        if self.readonly:
            raise StoreError(f"{self.path} is open read-only")
        self.log.append(orjson.dumps({"ops": ops}))
        self._part_mark = None

    def compact(self, *, keep_bytes: bool = True) -> bytes | None:
        """Fold the log into a new snapshot (see folding.fold)."""
        return folding.fold(self, keep_bytes=keep_bytes)

    def fold_streamed(self, data: Data, tails: dict[str, Tail]) -> None:
        """Replace the snapshot with ``data`` and ``tails`` made elsewhere (see folding.fold_streamed)."""
        folding.fold_streamed(self, data, tails)
