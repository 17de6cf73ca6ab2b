"""Every change to the journal's records goes through here.

A record is put or deleted inside a transaction (all or nothing: one line of the change log,
see ``transaction.Transaction``); each change is published to the indexes as (table, id, old,
new) and recorded for undo (``undo.Recorder``); undo and redo replay recorded steps, refusing
one whose records changed since. The Journal holds its lock around all of it.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from netjournal.domain.model import RECORD_TYPES, Record
from netjournal.errors import NotFoundError, ValidationError
from netjournal.store import tinydb_bridge
from netjournal.store.errors import StoreError
from netjournal.store.indexes import Indexes
from netjournal.store.reads import Reads
from netjournal.store.storage import JournalStorage
from netjournal.store.transaction import Transaction
from netjournal.store.undo import Recorder, UndoConflict, UndoHistory, UndoStep, conflict, describe, targets

if TYPE_CHECKING:
    from netjournal.store.devicemerge import Merger

R = TypeVar("R", bound=Record)
Doc = dict[str, Any]
Change = tuple[str, str, "Doc | None"]  # (table, id, the new document; None: deleted)
# Changes kept for the followers of the journal (the insights); a bigger change (an import of
# thousands of people) is told as "too many" and they read everything again.
FEED_LIMIT = 50_000
TABLE_OF: dict[type[Record], str] = {v: k for k, v in RECORD_TYPES.items()}


class Writes:
    """``tables``: TinyDB's tables (written through ``tinydb_bridge``); ``raw(table)``: the
    live tables; ``changed(changes)``: called once per change made, with what it changed
    ((table, id, new document or None) each; None: more than FEED_LIMIT), for the Journal's
    revision and its feed."""

    def __init__(
        self,
        path: Path,
        storage: JournalStorage,
        tables: dict[str, Any],
        raw: Callable[[str], dict[str, Doc]],
        indexes: Indexes,
        reads: Reads,
        changed: Callable[[list[Change] | None], None],
        name_of: Callable[[str], str],
        mutex: threading.RLock,
    ) -> None:
        self.path, self.storage, self._tables, self._raw = path, storage, tables, raw
        self._ix, self._reads, self._changed, self._name_of, self._mutex = indexes, reads, changed, name_of, mutex
        self.recording: Recorder | None = None
        self._made: list[Change] = []  # what the open transaction changed so far
        self.history = UndoHistory()
        self.keeps_undo = True  # False for a one-shot command: its undo would end with it
        # Around every write: the journal's write lock, with what other processes wrote
        # applied first (sharing.Sharing.writing; none for a journal no other process shares).
        self.guard: Callable[[], AbstractContextManager[object]] = nullcontext
        # A journal shared between devices (devicemode.py): each change's records stamped
        # with their versions (in ``versions``, the table ``_versions``), in the same line.
        self.merger: Merger | None = None
        self.versions: Any = None
        self.cursors: Any = None  # (the table of what was read of the other devices' files)
        self._absorbing = False  # (other devices' changes being kept: not stamped as this one's)
        self._clock: Any = None  # (a journal of one device: the clock of its tombstones, made at its first)
        self._touched: dict[tuple[str, str], tuple[Doc | None, Doc | None]] = {}

    def _writable(self) -> None:
        if self.storage.readonly:
            raise StoreError(f"{self.path} is open read-only")

    @contextmanager
    def recorded(self, undo_label: str | None, *, replay: bool) -> Iterator[None]:
        """(See Journal.transaction.) ``replay``: an undo or redo, which is no new step."""
        self._writable()
        with self._mutex:
            if self.recording is not None:
                if undo_label:
                    self.recording.labels.append(undo_label)
                yield
                return
            recorder = Recorder(keep=self.keeps_undo)
            with self.guard():  # (waits for another process's write; theirs are applied first)
                self.recording = recorder
                self._made = []
                self._touched = {}
                try:
                    with Transaction(self.storage):
                        yield
                        if self._touched:
                            self._stamp(undoing=replay) if self.merger is not None else self._tombstones()
                except BaseException:
                    self._ix.reset()
                    self._reads.forget()
                    raise
                finally:
                    self.recording = None
                    made, self._made = self._made, []
                step = None if replay else recorder.step(undo_label)
                if step is not None:
                    self.history.push(step)
                if not replay and recorder.changed:
                    self.history.redo.clear()
                self._changed(made if len(made) <= FEED_LIMIT else None)

    def put(self, record: R, *, fresh: bool = False) -> R:
        """Store ``record`` (insert or replace). ``fresh``: its id was minted just now, so it
        cannot be stored yet (saves a look for it in interactions not parsed yet)."""
        self._writable()
        self._reads.forget()
        # Store the record exactly as it reads back (lists cleaned as from_dict cleans them),
        # so that a reload or an undo gives back what the caller got.
        record = type(record).from_dict(record.to_dict())
        self.store(TABLE_OF[type(record)], record.id, record.to_stored(), fresh)
        return record

    def store(self, table: str, rid: str, doc: Doc, fresh: bool) -> None:
        """Keep ``doc`` (this very dict: it is not copied) as the document of ``rid``."""
        lazy = self.storage.lazy_tables.get(table)
        if lazy is not None and (fresh or not lazy.contains(rid)):
            # A new interaction or favour while that table is still unparsed: save it without
            # parsing it (its indexes do not exist yet, so there is nothing to update).
            self.storage.put_new(table, rid, doc)
            self._publish(table, rid, None, doc, indexed=False)
            return
        old = self._raw(table).get(rid)
        tinydb_bridge.put(self._tables[table], rid, doc)
        self._publish(table, rid, old, doc)

    def _stamp(self, *, undoing: bool) -> None:
        """(Device mode, inside the transaction.) Each changed record's new version, written
        in the same line."""
        assert self.merger is not None
        touched, self._touched = self._touched, {}
        for table, rid, packed, dead in self.merger.stamp(touched, undoing=undoing):
            tinydb_bridge.put(self.versions, f"{table}:{rid}", packed)
            if dead:  # (another device deleted it: it stays deleted)
                old = self._raw(table).get(rid)
                tinydb_bridge.remove(self._tables[table], rid)
                self._publish(table, rid, old, None)

    def _tombstoned(self, table: str, rid: str, new: Doc | None) -> bool:
        """(A journal of one device.) Whether a change concerns a tombstone: a deletion leaves
        one; a record put back (an undo, an import) takes its tombstone away."""
        return new is None or f"{table}:{rid}" in self.storage.table("_versions")

    def _tombstones(self) -> None:
        """(A journal of one device, inside the transaction.) Each deletion leaves a tombstone
        in ``_versions``, with the record's values (``netjournal merge`` never brings a
        deleted record back, and an export carries them); a record put back loses its own."""
        from netjournal.domain.hlc import Clock
        from netjournal.domain.versionpack import HERE, pack, written

        touched, self._touched = self._touched, {}
        if self._clock is None:
            self._clock = Clock(HERE, lambda: time.time_ns() // 1_000_000)
        stamp = self._clock.stamp()
        for (table, rid), (old, new) in touched.items():
            key = f"{table}:{rid}"
            if new is None and old is not None:
                tinydb_bridge.put(self.versions, key, pack(written(None, old, None, stamp), None))
            elif new is not None and key in self.storage.table("_versions"):
                tinydb_bridge.remove(self.versions, key)

    def _publish(self, table: str, rid: str, old: Doc | None, new: Doc | None, *, indexed: bool = True) -> None:
        """One change made: to the undo recorder, the indexes, the revision and its feed."""
        if (
            self.recording is not None
            and not self._absorbing
            and (self.merger is not None or self._tombstoned(table, rid, new))
        ):
            first = self._touched.get((table, rid))
            self._touched[(table, rid)] = (old if first is None else first[0], new)
        if self.recording is not None:
            self.recording.touch(table, rid, old, new)
            if len(self._made) <= FEED_LIMIT:  # (past it, only "too many" is told)
                self._made.append((table, rid, new))
        if indexed:
            self._ix.apply(table, rid, old, new)
        if self.recording is None:
            self._changed([(table, rid, new)])

    def put_documents(self, table: str, docs: Iterable[Doc]) -> int:
        """See Journal.put_documents."""
        rtype = RECORD_TYPES[table]
        n = 0
        with self.recorded(None, replay=False):
            self._reads.forget()
            for doc in docs:
                stored = rtype.from_dict(doc).to_stored()
                if not stored["id"]:
                    raise ValidationError({"id": "a stored document needs its id"})
                self.store(table, stored["id"], doc if stored == doc else stored, False)
                n += 1
        return n

    def delete(self, table: str, rid: str) -> Doc:
        self._writable()
        self._reads.forget()
        old = self._raw(table).get(rid)
        if old is None:
            raise NotFoundError(f"nothing to delete: no record {rid!r}")
        tinydb_bridge.remove(self._tables[table], rid)
        self._publish(table, rid, old, None)
        return dict(old)

    def undo(self) -> str | None:
        """See Journal.undo."""
        return self._move(undo=True)

    def redo(self) -> str | None:
        """See Journal.redo."""
        return self._move(undo=False)

    def _move(self, *, undo: bool) -> str | None:
        """Take the newest step off the undo (or redo) stack, replay it, and put it on the
        other; its label, or None when there was nothing to take."""
        steps = self.history.undo if undo else self.history.redo
        if not steps:
            return None
        with self.guard():  # (what other processes changed since is known before the check)
            step = steps.pop()
            self._replay(step, undo=undo)
        if undo:
            self.history.redo.append(step)
        else:
            self.history.push(step)
        return step.label

    def _still_named(self, step: UndoStep, *, undo: bool) -> UndoConflict | None:
        """The refusal if ``step`` would delete a person whom a record outside it names (a
        lunch logged with them since, by another process or by a change not on the undo
        stack): that record would name nobody."""
        put = {(table, rid): doc for table, rid, doc in targets(step, undo=undo)}
        for (table, cid), doc in put.items():
            if table != "contacts" or doc is not None or cid not in self._raw("contacts"):
                continue
            naming = [("interactions", iid) for iid in self._ix.interaction_ids(cid)]
            naming += [("favours", fav.id) for fav in self._reads.favours(cid)]
            if any(key not in put for key in naming):
                person = describe("contacts", self._raw("contacts")[cid], self._name_of)
                return UndoConflict("undone" if undo else "redone", step.label, person)
        return None

    def _deleted_elsewhere(self, step: UndoStep, *, undo: bool) -> UndoConflict | None:
        """(Device mode.) The refusal if ``step`` would put back a record another device
        deleted meanwhile: it stays deleted there, so it does here."""
        assert self.merger is not None
        for table, rid, doc in targets(step, undo=undo):
            if doc is not None and rid not in self._raw(table) and self.merger.stays_deleted(table, rid):
                verb, who = "undone" if undo else "redone", describe(table, doc, self._name_of)
                return UndoConflict(verb, step.label, who, "was deleted on another device")
        return None

    def follow(self, ops: list[Change]) -> None:
        """Apply changes another process made (read from the log, see sharing): to the
        tables, the indexes, the revision and its feed, not to this process's undo history
        (an undo of a record changed since is refused: see undo.conflict)."""
        for table, rid, doc in ops:
            lazy = self.storage.lazy_tables.get(table)
            if lazy is not None:  # still bytes: applied when parsed, like the log at open
                lazy.deferred.append((rid, doc))
                continue
            raw = self._raw(table)
            old = raw.get(rid)
            if doc is None:
                raw.pop(rid, None)
            else:
                raw[rid] = doc
            self._ix.apply(table, rid, old, doc)
        self.forget_caches()
        self._changed(ops if len(ops) <= FEED_LIMIT else None)

    def absorb(self, ops: list[Change]) -> None:
        """Apply what merging other devices' changes gave (devicemerge.Merger.merge): the
        versions to their table, the records as :meth:`follow` applies them. In memory only:
        the sources are read again from what the last fold remembered (devices.py)."""
        versions = self.storage.table("_versions")
        records = []
        for table, rid, doc in ops:
            if table == "_versions":
                if doc is None:
                    versions.pop(rid, None)
                else:
                    versions[rid] = doc
            else:
                records.append((table, rid, doc))
        if records:
            self.follow(records)

    def absorb_durably(self, ops: list[Change], cursors: dict[str, Any]) -> None:
        """(Holding the write lock.) :meth:`absorb`, kept: one line of this device's log with
        the records, their versions and what was read of each of the other devices' files,
        so that no later open reads them again. Not a step of this window's undo."""
        self._absorbing = True
        try:
            with self.recorded(None, replay=True):
                for table, rid, doc in ops:
                    if table == "_versions":
                        if doc is not None:
                            tinydb_bridge.put(self.versions, rid, doc)
                        elif rid in self.storage.table("_versions"):
                            tinydb_bridge.remove(self.versions, rid)
                    elif doc is not None:
                        self.store(table, rid, doc, (table, rid) in self.merger.fresh)  # type: ignore[union-attr]
                    elif table not in self.storage.lazy_tables or self.storage.lazy_tables[table].contains(rid):
                        if rid in self._raw(table):
                            self.delete(table, rid)
                for name, cursor in cursors.items():
                    tinydb_bridge.put(self.cursors, name, cursor)
        finally:
            self._absorbing = False

    def replaced(self) -> None:
        """The whole journal was read again (see sharing.Sharing.reload): every index and
        cache is rebuilt on its next use, and the followers read everything."""
        self._ix.reset()
        self.forget_caches()
        self._changed(None)

    def forget_caches(self) -> None:
        """TinyDB's query caches and the reads from the lines (the tables changed under them)."""
        self._reads.forget()
        for table in self._tables.values():
            table.clear_cache()

    def _replay(self, step: UndoStep, *, undo: bool) -> None:
        """Store the documents that undo (or redo) ``step``, all or nothing; the step is
        put back on its stack if the write fails, and dropped if it conflicts."""
        raw = self._raw
        refused = conflict(step, lambda table, rid: raw(table).get(rid), undo=undo, name_of=self._name_of)
        if refused is None:
            refused = self._still_named(step, undo=undo)
        if refused is None and self.merger is not None:
            refused = self._deleted_elsewhere(step, undo=undo)
        if refused is not None:
            raise refused
        try:
            with self.recorded(None, replay=True):
                for table, rid, doc in targets(step, undo=undo):
                    if doc is None:
                        if rid in self._raw(table):
                            self.delete(table, rid)
                    else:
                        self.put(RECORD_TYPES[table].from_dict(doc))
        except BaseException:
            (self.history.undo if undo else self.history.redo).append(step)
            raise
