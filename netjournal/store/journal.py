"""The Journal: the one service every screen and command goes through, a facade over the
store's rooms (ARCHITECTURE.md): the open files (keeper.py), the reads (queries.py), the
changes (edits.py, writes.py) with their undo, and the feed of changes (feed.py) that the
indexes and the insights' cache follow instead of reading the tables again.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from filelock import FileLock

from netjournal.domain.model import RECORD_TYPES, Contact, Favour, Interaction, Record
from netjournal.sealing import Keys, unlocking
from netjournal.store import bulk, devicemode, lifecycle, opening, sharing
from netjournal.store.edits import Edits
from netjournal.store.errors import StoreError
from netjournal.store.feed import Feed
from netjournal.store.history_loader import HistoryLoader
from netjournal.store.indexes import Indexes
from netjournal.store.keeper import Keeper
from netjournal.store.queries import Queries, locked
from netjournal.store.reads import Reads
from netjournal.store.search import Search
from netjournal.store.storage import LAZY_TABLE, Codec, JournalStorage
from netjournal.store.tinydb_bridge import open_db
from netjournal.store.writes import Change, Writes

if TYPE_CHECKING:
    from netjournal.store.devicekeys import Taken
    from netjournal.store.devicewiring import Clash

R = TypeVar("R", bound=Record)

TABLE_OF: dict[type[Record], str] = {v: k for k, v in RECORD_TYPES.items()}


class Journal(Queries):
    """Open with :meth:`Journal.open`; use as a context manager or call :meth:`close`.

    Records returned by the Journal are copies: changing one changes nothing until it is
    passed to an ``update_*`` method (``contacts()`` shares its cached objects between calls,
    so treat those as read-only)."""

    def __init__(self, path: Path, storage: JournalStorage, lock: FileLock | None) -> None:
        self.path = path
        self.storage = storage
        self.readonly = lock is None
        self.db = open_db(storage)
        self._tables = {name: self.db.table(name) for name in RECORD_TYPES}
        self._feed = Feed()
        self._ix = Indexes(self._raw)
        self._search = Search(storage, self._raw, self._ix)
        self._reads = Reads(storage, self._raw, self._ix)
        self.closed = False
        self.device: str | None = None  # this device's name, for a journal shared between devices
        self.shared_path: Path | None = None  # then: the shared journal (``path`` is this device's own)
        self._mutex = threading.RLock()
        self._loader = HistoryLoader(storage, self._mutex, self._ix, self._reads)
        self._writes = Writes(
            path, storage, self._tables, self._raw, self._ix, self._reads,
            self._feed.publish, self._name_of, self._mutex,
        )
        self._writes.versions = self.db.table("_versions")  # (tombstones; versions when shared)
        # Other processes write this journal too: each write holds its lock, caught up first.
        self._sharing = sharing.Sharing(storage, self._writes, lock, storage.notices)
        if lock is not None:
            self._writes.guard = self._sharing.writing
        self._files = Keeper(path, storage, self._sharing, lambda: self._raw(LAZY_TABLE))
        self._edits = Edits(self._raw, self._writes, self._ix, self._reads)

    @classmethod
    def open(
        cls,
        path: str | Path,
        *,
        readonly: bool = False,
        codec: Codec | None = None,
        keys: Keys | None = None,
        today: date | None = None,
        undo: bool = True,
        device: str | Callable[[], str] | None = None,
    ) -> Journal:
        """Open (creating if missing) the journal at ``path``. ``undo=False``: no undo history
        is kept (a shell command ends before anyone could undo; a big import then does not
        hold what it replaced).

        Nothing is locked while it is open: other processes may write it too (sharing.py).
        A writer's first steps (temp files a killed process left swept, a fold when due, the
        day's backup) hold the write lock. A read-only open never writes anything (a
        missing journal reads as an empty one). A damaged file is refused and left byte for
        byte as it was. An encrypted journal is opened with ``codec``, or
        unlocked with ``keys``: refused before anything is touched if they do not fit.

        A journal shared between devices (store/devicemode.py) is this device's own journal
        in its devices' folder, with every other device's changes folded in: ``device`` is
        this device's name (or what gives it, asked only then)."""
        path = lifecycle.resolve(Path(path))
        where, name = devicemode.located(path, device, take_key=not readonly)
        codec = codec or unlocked(where, keys, shared=name is not None)
        newer_key: Taken | None = getattr(codec, "to_take", None)  # (another device's key to take)
        lock = None if readonly else sharing.write_lock(where)
        opened = opening.read(where, writer=lock is not None, codec=codec)
        try:
            journal = cls(where, opened.storage, lock)
            if name is not None:
                from netjournal.store.devicewiring import attach

                attach(path, name, journal._raw, journal._writes, journal._sharing, journal.db)
                journal.device, journal.shared_path = name, path
            journal.keeps_undo = undo
            journal.notices.extend(opened.notices)
            if lock is not None:
                shared = journal._sharing
                with journal._mutex, shared.before_devices(), shared.writing():  # (caught up with others' changes)
                    sharing.first_steps(shared, opened)
                    if not opened.new:
                        journal._files.after_open(opened.raw, today or date.today(), force_fold=opened.must_fold)
            if name is not None:
                journal.catch_up()  # (the other devices' changes: after a fold, in its new log)
            if name is not None and lock is not None and journal.encrypted:
                from netjournal.store.devicekeys import take

                take(journal, newer_key)  # (the newest key, and what is not sealed with it yet)
        except BaseException:
            opened.storage.close()
            raise
        return journal

    @locked
    def clashes(self) -> list[Clash]:
        """The fields two devices changed without seeing each other's change (a journal
        shared between devices; none otherwise): the value shown and the others."""
        if self._writes.merger is None:
            return []
        from netjournal.store.devicewiring import clashes

        return clashes(self._writes.merger)

    @locked
    def tombstones(self) -> list[tuple[str, str, str]]:
        """The records deleted (and not put back), with when: (table, id, "YYYY-MM-DDTHH:MM:SSZ")."""
        versions = self.storage.table("_versions")
        if not versions:
            return []
        from netjournal.store.devicewiring import tombstones

        return tombstones(versions)

    @property
    def encrypted(self) -> bool:
        """Whether the journal is sealed on disk (encrypted with age)."""
        return self.storage.codec.encrypted

    @property
    def notices(self) -> list[str]:
        """One-line messages for the person about the files (a fold postponed, a file changed
        outside netjournal); the shell prints them, the app shows them (and takes them off)."""
        return self._files.notices

    @locked
    def close(self) -> None:
        """Close the files. The change log is folded into the snapshot first when that is
        worth it; either way every saved change is already durable, so a fold that cannot be
        done now (a full disk) is postponed with a notice, not an error."""
        if not self.closed:
            self.closed = True
            self._files.close(writer=not self.readonly)

    def __enter__(self) -> Journal:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @locked
    def compact(self) -> None:
        """Fold the change log into the snapshot now."""
        self._files.compact()

    @locked
    def maybe_compact(self) -> bool:
        """Fold if the log has grown; the app calls this when idle. A fold that cannot be
        done now is postponed (a notice), never an error: the changes are in the log."""
        return self._files.fold_if_due()

    def changed_elsewhere(self) -> bool:
        """Whether another process may have changed the journal since this one last looked
        (two ``stat`` calls, no lock; then :meth:`catch_up`)."""
        return not self.closed and self._sharing.changed()

    @property
    def news(self) -> int:
        """A count that moves whenever other processes' changes are applied here (by
        :meth:`catch_up`, or by a write of this process, which catches up first)."""
        return self._sharing.news

    @locked
    def catch_up(self) -> bool:
        """Apply what other processes wrote since this one last looked (the app polls it);
        True if anything changed. Two ``stat`` calls when nothing did."""
        return False if self.closed else self._sharing.catch_up()

    def _raw(self, table: str) -> dict[str, dict[str, Any]]:
        if table == LAZY_TABLE and self.storage.lazy:
            self._loader.install()
        return self.storage.table(table)

    def load_history(self) -> None:
        """Parse the interactions and the favours and build their indexes now (for a worker
        thread after an open), without holding the journal's lock (store/history_loader.py)."""
        self._loader.load()

    @property
    def history_loaded(self) -> bool:
        """True once the interactions and favours are parsed (see :meth:`load_history`)."""
        return self._loader.loaded

    @property
    def revision(self) -> int:
        """Moves on with every committed change."""
        return self._feed.revision

    @locked
    def changes_since(self, revision: int) -> list[Change] | None:
        """What changed after ``revision``, oldest first ((table, id, new document or None),
        the documents themselves: read-only), for a cache that follows the journal (the
        insights); None if the feed no longer reaches back that far (then read everything)."""
        return self._feed.since(revision)

    def _name_of(self, contact_id: str) -> str:
        return self._edits.name_of(contact_id)

    @contextmanager
    def transaction(self, undo_label: str | None = None) -> Iterator[None]:
        """Every change inside is saved as one unit (all or nothing); with ``undo_label`` it
        is one step that :meth:`undo` reverts. Any change clears what :meth:`redo` could
        put back.

        A transaction opened inside another (by the same thread) joins it: everything is
        saved, or not, with the outer one, as the outer one's step (an outer transaction
        with no label takes the label of what joined it)."""
        with self._writes.recorded(undo_label, replay=False):
            yield

    @property
    def keeps_undo(self) -> bool:
        """False for a one-shot command (its undo would end with it): no steps are kept."""
        return self._writes.keeps_undo

    @keeps_undo.setter
    def keeps_undo(self, keep: bool) -> None:
        self._writes.keeps_undo = keep

    def _put(self, record: R, *, fresh: bool = False) -> R:
        return self._writes.put(record, fresh=fresh)

    @locked
    def put_documents(self, table: str, docs: Iterable[dict[str, Any]]) -> int:
        """Store documents already in their stored form (``to_stored()`` of a record), keeping
        the dicts themselves: a big import then holds each person once. Each is checked as a
        record (``from_dict``); one that would read back otherwise is stored as it reads back.
        One all-or-nothing change (join it to a larger one with :meth:`transaction`)."""
        return self._writes.put_documents(table, docs)

    @locked
    def add_contact(self, contact: Contact, *, undo_label: str | None = None) -> Contact:
        return self._edits.add_contact(contact, undo_label)

    @locked
    def update_contact(
        self, contact: Contact, *, undo_label: str | None = None, base: Contact | None = None
    ) -> Contact:
        """Save an edit of a person (one undo step, "edit of Ana Silva" unless named). ``base``:
        the person as the editor read them (a form): only the fields changed since are saved,
        over what another window or device saved meanwhile (store/edits.py: rebased)."""
        return self._edits.update_contact(contact, undo_label, base)

    @locked
    def delete_contact(self, contact_id: str) -> Contact:
        """Delete a person, their favours, and their part in interactions (an interaction
        left with nobody goes too). Undoable with :meth:`undo`."""
        return self._edits.delete_contact(contact_id)

    @locked
    def add_interaction(self, interaction: Interaction, *, undo_label: str | None = None) -> Interaction:
        return self._edits.add_interaction(interaction, undo_label)

    @locked
    def update_interaction(
        self, interaction: Interaction, *, undo_label: str | None = None, base: Interaction | None = None
    ) -> Interaction:
        """Replace an interaction. A new day moves the favours recorded with it (their
        ``interaction_id``) to that day too, in the same change (one undo step). ``base``:
        as for :meth:`update_contact`."""
        return self._edits.update_interaction(interaction, undo_label, base)

    @locked
    def delete_interaction(self, interaction_id: str) -> Interaction:
        return self._edits.delete_interaction(interaction_id)

    @locked
    def add_favour(self, favour: Favour, *, undo_label: str | None = None) -> Favour:
        return self._edits.add_favour(favour, undo_label)

    @locked
    def update_favour(self, favour: Favour, *, undo_label: str | None = None, base: Favour | None = None) -> Favour:
        return self._edits.update_favour(favour, undo_label, base)

    @locked
    def delete_favour(self, favour_id: str) -> Favour:
        return self._edits.delete_favour(favour_id)

    @locked
    def put_many(self, records: Iterable[Record], undo_label: str | None = None) -> int:
        """Add or replace many records as one change (import, merge): all or nothing."""
        return self._edits.apply(records, (), undo_label)

    @locked
    def restore_streamed(self, records: Iterable[Record]) -> int:
        """Add or replace many records (a big restore; each id at most once) by writing them
        straight into the next snapshot, never holding them (store/bulk.py): all or nothing,
        and not undoable. The journal is closed afterwards (open it again to read it)."""
        if self.readonly:
            raise StoreError(f"{self.path} is open read-only")
        with self._sharing.writing():  # (caught up first: a reload leaves the history unparsed)
            self._raw(LAZY_TABLE)  # (a parse running in load_history is waited for, not repeated)
            n = bulk.write_snapshot(self.storage, records)
        self.close()
        return n

    def undo_label(self) -> str | None:
        """What :meth:`undo` would undo now ("edit of Ana Silva"), or None."""
        steps = self._writes.history.undo
        return steps[-1].label if steps else None

    def redo_label(self) -> str | None:
        """What :meth:`redo` would put back now, or None."""
        steps = self._writes.history.redo
        return steps[-1].label if steps else None

    @property
    def undo_dropped(self) -> bool:
        """Whether old steps went past the depth (:data:`UNDO_DEPTH`) this session."""
        return self._writes.history.dropped

    @locked
    def apply(
        self,
        puts: Iterable[Record] = (),
        deletes: Iterable[tuple[str, str]] = (),
        undo_label: str | None = None,
        *,
        new: bool = False,
    ) -> None:
        """Put records and delete (table, id) pairs as one durable, all-or-nothing change.

        Records are stored as given (ids and timestamps kept); stamp them first if they are
        new edits. With ``undo_label`` the change can be reverted with :meth:`undo`; without
        one it is not on the undo stack. ``new``: every record put was made just now (its id
        minted by the caller), so none is looked for among the journal's years of history."""
        self._edits.apply(puts, deletes, undo_label, new=new)

    @locked
    def undo(self) -> str | None:
        """Undo the newest step; returns its label (None: nothing to undo). Raises
        :class:`UndoConflict` if one of its records changed since (nothing is changed then,
        and the step is dropped: the next undo goes on to the step before)."""
        return self._writes.undo()

    @locked
    def redo(self) -> str | None:
        """Put back the step :meth:`undo` took most recently; returns its label (None:
        nothing to redo). Raises :class:`UndoConflict` as :meth:`undo` does."""
        return self._writes.redo()



def unlocked(where: Path, keys: Keys | None, *, shared: bool, sealed: bool | None = None) -> Codec:
    """The codec that opens this device's journal at ``where`` (``shared``: its own journal in a
    journal shared between devices: a key changed on another device is taken, see devicekeys);
    SealingError in one line if the key given does not open it. ``sealed``: whether it is
    encrypted, if known otherwise (doctor, for a missing journal's backups)."""
    if sealed is None:  # (a device joining an encrypted shared journal has the key file, not yet a snapshot)
        sealed = unlocking.sealed_on_disk(where) or (shared and unlocking.key_path(where).exists())
    if sealed and shared:
        from netjournal.store.devicekeys import device_codec

        return device_codec(where, keys)
    return unlocking.codec_for(where, keys, sealed=sealed)
