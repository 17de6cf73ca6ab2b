"""The Journal: the one service every screen and command goes through.

It owns the file (lock, load, backups, migrations, compaction) and the in-memory indexes
that keep queries fast on a journal of years (100,000 interactions): interactions by date
and by person, the last contact with each person, favours by person. Indexes are built on
first use and kept up to date change by change, never rebuilt on each query.
"""

from __future__ import annotations

import bisect
import functools
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any, TypeVar

from filelock import FileLock

from netjournal.domain.model import RECORD_TYPES, Contact, Favour, Interaction, Record, complete
from netjournal.domain.people import ContactIndex, ambiguous_message, contact_haystack, not_found_message, quoted
from netjournal.domain.text import fold
from netjournal.errors import AmbiguousError, NotFoundError
from netjournal.store import backup, bulk, folding, lifecycle, opening
from netjournal.store.edits import Edits
from netjournal.store.errors import StoreError
from netjournal.store.indexes import Indexes
from netjournal.store.reads import Reads
from netjournal.store.search import Search
from netjournal.store.storage import LAZY_TABLE, Codec, JournalStorage
from netjournal.store.tinydb_bridge import open_db
from netjournal.store.writes import FEED_LIMIT, Change, Writes

R = TypeVar("R", bound=Record)

TABLE_OF: dict[type[Record], str] = {v: k for k, v in RECORD_TYPES.items()}
F = TypeVar("F", bound=Callable[..., Any])


def _locked(method: F) -> F:
    """Serialise access: the app reads from worker threads while the UI thread writes."""

    @functools.wraps(method)
    def wrapper(self: Journal, *args: Any, **kwargs: Any) -> Any:
        with self._mutex:
            return method(self, *args, **kwargs)

    return wrapper  # type: ignore[return-value]




class Journal:
    """Open with :meth:`Journal.open`; use as a context manager or call :meth:`close`.

    Records returned by the Journal are copies: changing one changes nothing until it is
    passed to an ``update_*`` method (``contacts()`` shares its cached objects between calls,
    so treat those as read-only)."""

    def __init__(self, path: Path, storage: JournalStorage, lock: FileLock | None) -> None:
        self.path = path
        self.storage = storage
        self.readonly = lock is None
        self._lock = lock
        self.db = open_db(storage)
        self._tables = {name: self.db.table(name) for name in RECORD_TYPES}
        self.revision = 0
        # The changes of the latest revisions, (revision, table, id, new document), for the
        # caches that follow the journal; complete from revision _feed_from on.
        self._feed: list[tuple[int, str, str, dict[str, Any] | None]] = []
        self._feed_from = 1
        self._ix = Indexes(self._raw)
        self._search = Search(storage, self._raw, self._ix)
        self._reads = Reads(storage, self._raw, self._ix)
        self.closed = False
        # One-line messages for the person about the files (a fold postponed, a file changed
        # outside netjournal); the shell prints them, the app shows them.
        self.notices: list[str] = []
        self._fold_postponed = False  # said once per process, however often it is retried
        self._mutex = threading.RLock()
        self._writes = Writes(
            path, storage, self._tables, self._raw, self._ix, self._reads, self._changed, self._name_of, self._mutex
        )
        self._edits = Edits(self._raw, self._writes, self._ix, self._reads)
        # The hand-over of a parse done in a worker (load_history) without holding the mutex.
        self._parse_lock = threading.Lock()
        self._parsed: tuple[memoryview, Any] | None = None

    # ------------------------------------------------------------------ opening
    @classmethod
    def open(
        cls,
        path: str | Path,
        *,
        readonly: bool = False,
        codec: Codec | None = None,
        today: date | None = None,
        undo: bool = True,
    ) -> Journal:
        """Open (creating if missing) the journal at ``path``. ``undo=False``: no undo history
        is kept (a shell command ends before anyone could undo; a big import then does not
        hold what it replaced).

        Writers take an exclusive lock (released by the OS if the process dies), sweep temp
        files a killed process left, and take the day's backup. A read-only open never
        writes anything (a missing journal reads as an empty one). A damaged file is refused
        and left byte for byte as it was."""
        path = lifecycle.resolve(Path(path))
        lock = None if readonly else opening.lock(path)
        try:
            opened = opening.read(path, writer=lock is not None, codec=codec)
            journal = cls(path, opened.storage, lock)
            journal.keeps_undo = undo
            journal.notices.extend(opened.notices)
            if lock is not None and opened.new:
                lifecycle.adopt_leftover_log(opened.storage)
                opened.storage.compact()
            elif lock is not None:
                journal._after_open(opened.raw, today or date.today(), force_fold=opened.must_fold)
        except BaseException:
            if lock is not None:
                lock.release()
            raise
        return journal

    def _after_open(self, raw: bytes, today: date, *, force_fold: bool) -> None:
        """A writer's first steps: fold the log when it is worth it (or must be: an upgrade,
        a file changed outside), and take the day's backup. Neither ever blocks a save."""
        storage = self.storage
        if force_fold or self._log_wants_folding():
            with self._mutex:
                self._raw(LAZY_TABLE)
                blob, why = lifecycle.fold(storage)
            if blob is not None:
                raw = blob
            self._postponed(why)
        if not backup.has_daily(self.path, today):
            # The day's backup is the journal as it opens: the snapshot's bytes and the
            # change log's good lines (nothing is parsed or serialised for it).
            try:
                backup.take_daily(self.path, raw, today, storage.log_snapshot())
            except StoreError as exc:
                self.notices.append(f"today's backup was not taken ({exc}); it is tried again at the next open")

    def _log_wants_folding(self) -> bool:
        return folding.wants_folding(self.storage)

    def _postponed(self, why: str) -> None:
        """Say (once) that a fold was postponed; every change is durable in the log meanwhile."""
        if why and not self._fold_postponed:
            self._fold_postponed = True
            self.notices.append(why)

    @_locked
    def close(self) -> None:
        """Release the lock. The change log is folded into the snapshot first when that is
        worth it (see folding.wants_folding); either way every saved change is already durable, so a
        fold that cannot be done now (a full disk) is postponed with a notice, not an error."""
        if self.closed:
            return
        try:
            if not self.readonly and self._log_wants_folding():
                self._raw(LAZY_TABLE)  # a parse running in load_history is waited for, not repeated
                self._postponed(lifecycle.fold(self.storage, keep_bytes=False)[1])
        finally:
            self.storage.close()
            if self._lock is not None:
                self._lock.release()
            self.closed = True

    def __enter__(self) -> Journal:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @_locked
    def compact(self) -> None:
        """Fold the change log into the snapshot now."""
        self._raw(LAZY_TABLE)
        self.storage.compact()

    @_locked
    def maybe_compact(self) -> bool:
        """Compact if the log has grown; the app calls this when idle. A fold that cannot be
        done now is postponed (a notice), never an error: the changes are in the log."""
        if self._log_wants_folding():
            self._raw(LAZY_TABLE)
            blob, why = lifecycle.fold(self.storage)
            self._postponed(why)
            return blob is not None
        return False

    # ------------------------------------------------------------------ raw access
    def _raw(self, table: str) -> dict[str, dict[str, Any]]:
        if table == LAZY_TABLE and self.storage.lazy:
            self._install_parsed()
        return self.storage.table(table)

    def _install_parsed(self) -> None:
        """(Holding the mutex.) Wait for a parse running in load_history and use it."""
        with self._parse_lock:
            parsed, self._parsed = self._parsed, None
        if parsed is not None:
            self.storage.materialise(parsed)
        self._reads.forget()

    def load_history(self) -> None:
        """Parse the interactions and the favours and build their indexes now (for a worker
        thread after an open). The parse runs without the journal's lock, a megabyte at a time, so the UI
        thread keeps reading people and a person's interactions meanwhile; a reader that
        needs the whole table waits for this parse instead of starting its own."""
        with self._mutex:  # never wait for the mutex while holding _parse_lock (readers do the reverse)
            tail = self.storage.lazy_tail
            favours = self.storage.lazy_favours
        if tail is not None:
            with self._parse_lock:
                if self.storage.lazy_tail is tail:  # (a reader may have parsed it meanwhile)
                    self._parsed = (tail, self.storage.parse_lazy(tail))
        if favours is not None:  # (after the history: a reader of the whole history waits for that parse)
            parsed = (favours, self.storage.parse_favours(favours))
            with self._mutex:
                self.storage.materialise_favours(parsed)  # (unless a reader parsed them meanwhile)
        with self._mutex:
            self._ix.build()

    @property
    def history_loaded(self) -> bool:
        """True once the interactions and favours are parsed (see :meth:`load_history`)."""
        return not self.storage.lazy and not self.storage.favours_lazy

    @_locked
    def document(self, table: str, rid: str) -> dict[str, Any] | None:
        """The stored document of a record, as a copy with every field (None if absent): a
        contact's stored document leaves out its empty fields (model.SPARSE_FIELDS)."""
        doc = self._raw(table).get(rid)
        return complete(table, doc) if doc is not None else None

    @_locked
    def count(self, table: str) -> int:
        return len(self._raw(table))

    def _get(self, rtype: type[R], rid: str) -> R:
        return self._edits.get(rtype, rid)

    def _changed(self, changes: list[Change] | None) -> None:
        """A change was made (committed): the next revision, and what it changed in the feed
        (None: too much to keep; the followers then read everything)."""
        self.revision += 1
        feed = self._feed
        if changes is None:
            feed.clear()
            self._feed_from = self.revision + 1
            return
        feed.extend((self.revision, *change) for change in changes)
        if len(feed) > FEED_LIMIT:
            del feed[: len(feed) - FEED_LIMIT]
            self._feed_from = feed[0][0] + 1  # (that revision may have lost its first entries)

    @_locked
    def changes_since(self, revision: int) -> list[Change] | None:
        """What changed after ``revision``, oldest first ((table, id, new document or None),
        the documents themselves: read-only), for a cache that follows the journal (the
        insights); None if the feed no longer reaches back that far (then read everything)."""
        if revision < self._feed_from - 1:
            return None
        at = bisect.bisect_right(self._feed, revision, key=lambda entry: entry[0])
        return [entry[1:] for entry in self._feed[at:]]

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

    @_locked
    def put_documents(self, table: str, docs: Iterable[dict[str, Any]]) -> int:
        """Store documents already in their stored form (``to_stored()`` of a record), keeping
        the dicts themselves: a big import then holds each person once. Each is checked as a
        record (``from_dict``); one that would read back otherwise is stored as it reads back.
        One all-or-nothing change (join it to a larger one with :meth:`transaction`)."""
        return self._writes.put_documents(table, docs)

    # ------------------------------------------------------------------ contacts
    @_locked
    def contacts(self, *, archived: bool = False) -> list[Contact]:
        """People sorted by name (accent- and case-insensitive). The objects are shared
        between calls: copy one (or use :meth:`contact`) before changing it."""
        people = self._ix.sorted_contacts()
        return list(people) if archived else [c for c in people if not c.archived]

    @_locked
    def contact(self, contact_id: str) -> Contact:
        return self._get(Contact, contact_id)

    @_locked
    def add_contact(self, contact: Contact, *, undo_label: str | None = None) -> Contact:
        return self._edits.add_contact(contact, undo_label)

    @_locked
    def update_contact(self, contact: Contact, *, undo_label: str | None = None) -> Contact:
        """Save an edit of a person (one undo step, "edit of Ana Silva" unless named)."""
        return self._edits.update_contact(contact, undo_label)

    @_locked
    def delete_contact(self, contact_id: str) -> Contact:
        """Delete a person, their favours, and their part in interactions (an interaction
        left with nobody goes too). Undoable with :meth:`undo`."""
        return self._edits.delete_contact(contact_id)

    @_locked
    def find_contacts(self, text: str, *, archived: bool = False) -> list[Contact]:
        """Filter as you type: name, aliases, organisation and tags contain ``text``."""
        needle = fold(text.strip())
        people = self.contacts(archived=archived)
        if not needle:
            return people
        return [c for c in people if needle in contact_haystack(c)]

    @_locked
    def resolve_contact(self, ref: str) -> Contact:
        """A person by id, name, alias, slug or unique first word, in any script, ignoring case
        and accents (the domain's one resolver, as the capture line uses it); a fresh copy.

        Raises NotFoundError with the closest names, or AmbiguousError listing candidates."""
        ref = ref.strip().lstrip("@").strip('"')
        if not ref:
            raise NotFoundError("no name given")
        raw = self._raw("contacts")
        if ref in raw:
            return Contact.from_dict(raw[ref])
        found = self.people_index()(ref)
        if found.contact is not None:
            return Contact.from_dict(raw[found.contact.id])
        if found.ambiguous:
            # People share names: a repeated name is told apart by its id (which resolves),
            # and its organisation when it has one.
            message = ambiguous_message(quoted(ref), found, "a shared name: give the id instead")
            raise AmbiguousError(message, [Contact.from_dict(raw[cid]) for cid in found.ids])
        raise NotFoundError(not_found_message(ref, found))

    @_locked
    def people_index(self) -> ContactIndex:
        """Everyone (archived too) indexed for resolving names; built once per revision."""
        return self._ix.people_index(self.revision)

    # ------------------------------------------------------------------ interactions
    @_locked
    def interaction(self, interaction_id: str) -> Interaction:
        return self._get(Interaction, interaction_id)

    @_locked
    def add_interaction(self, interaction: Interaction, *, undo_label: str | None = None) -> Interaction:
        return self._edits.add_interaction(interaction, undo_label)

    @_locked
    def update_interaction(self, interaction: Interaction, *, undo_label: str | None = None) -> Interaction:
        """Replace an interaction. A new day moves the favours recorded with it (their
        ``interaction_id``) to that day too, in the same change (one undo step)."""
        return self._edits.update_interaction(interaction, undo_label)

    @_locked
    def linked_favours(self, interaction_id: str) -> list[Favour]:
        """The favours recorded with an interaction (their ``interaction_id``), oldest id first."""
        return self._edits.linked_favours(interaction_id)

    @_locked
    def delete_interaction(self, interaction_id: str) -> Interaction:
        return self._edits.delete_interaction(interaction_id)

    @_locked
    def interaction_ids(self, contact_id: str | None = None) -> list[str]:
        """Ids newest first; cheap (the index is kept sorted)."""
        return self._reads.interaction_ids(contact_id)

    @_locked
    def interaction_count(self, contact_id: str | None = None) -> int:
        return self._reads.interaction_count(contact_id)

    @_locked
    def interaction_at(self, position: int, contact_id: str | None = None) -> Interaction:
        """The ``position``-th newest interaction: for views that draw only visible rows."""
        return self._reads.interaction_at(position, contact_id)

    @_locked
    def interactions(self, contact_id: str | None = None, limit: int | None = None) -> list[Interaction]:
        return self._reads.interactions(contact_id, limit)

    @_locked
    def last_contact(self, contact_id: str, today: date | None = None) -> str:
        """The date ("YYYY-MM-DD[THH:MM]") of the latest interaction with this person on or
        before ``today`` (default: the real today), or "": a plan is not a last contact."""
        return self._reads.last_contact(contact_id, (today or date.today()).isoformat())

    @_locked
    def last_contacts(self, today: date | None = None) -> dict[str, str]:
        """Every person's latest interaction date on or before ``today`` (default: the real
        today; people never met are absent). Right after an open this comes from the
        snapshot, without parsing the interactions."""
        return self._reads.last_contacts((today or date.today()).isoformat())

    @_locked
    def search_ids(
        self,
        text: str = "",
        *,
        date_from: str = "",
        date_to: str = "",
        tag: str = "",
        contact_id: str | None = None,
        limit: int | None = None,
    ) -> list[str]:
        """Like :meth:`search`, but only the ids (no record is built): for views that draw
        only the visible rows of a long result."""
        return [rid for rid, _ in self._search.docs(text, date_from, date_to, tag, contact_id, limit)]

    @_locked
    def search(
        self,
        text: str = "",
        *,
        date_from: str = "",
        date_to: str = "",
        tag: str = "",
        contact_id: str | None = None,
        limit: int | None = None,
    ) -> list[Interaction]:
        """Interactions whose text contains ``text`` (case- and accent-insensitive), newest
        first, within ``date_from``..``date_to`` (inclusive), with ``tag``, with a person."""
        docs = self._search.docs(text, date_from, date_to, tag, contact_id, limit)
        return [Interaction.from_dict(doc) for _, doc in docs]

    # ------------------------------------------------------------------ favours
    @_locked
    def favour(self, favour_id: str) -> Favour:
        return self._get(Favour, favour_id)

    @_locked
    def add_favour(self, favour: Favour, *, undo_label: str | None = None) -> Favour:
        return self._edits.add_favour(favour, undo_label)

    @_locked
    def update_favour(self, favour: Favour, *, undo_label: str | None = None) -> Favour:
        return self._edits.update_favour(favour, undo_label)

    @_locked
    def delete_favour(self, favour_id: str) -> Favour:
        return self._edits.delete_favour(favour_id)

    @_locked
    def favours(self, contact_id: str | None = None) -> list[Favour]:
        """Favours newest first, for one person or everyone."""
        return self._reads.favours(contact_id)

    # ------------------------------------------------------------------ batches, undo
    @_locked
    def put_many(self, records: Iterable[Record], undo_label: str | None = None) -> int:
        """Add or replace many records as one change (import, merge): all or nothing."""
        return self._edits.apply(records, (), undo_label)

    @_locked
    def restore_streamed(self, records: Iterable[Record]) -> int:
        """Add or replace many records (a big restore; each id at most once) by writing them
        straight into the next snapshot, never holding them (store/bulk.py): all or nothing,
        and not undoable. The journal is closed afterwards (open it again to read it)."""
        if self.readonly:
            raise StoreError(f"{self.path} is open read-only")
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

    @_locked
    def apply(
        self, puts: Iterable[Record] = (), deletes: Iterable[tuple[str, str]] = (), undo_label: str | None = None
    ) -> None:
        """Put records and delete (table, id) pairs as one durable, all-or-nothing change.

        Records are stored as given (ids and timestamps kept); stamp them first if they are
        new edits. With ``undo_label`` the change can be reverted with :meth:`undo`; without
        one it is not on the undo stack."""
        self._edits.apply(puts, deletes, undo_label)

    @_locked
    def undo(self) -> str | None:
        """Undo the newest step; returns its label (None: nothing to undo). Raises
        :class:`UndoConflict` if one of its records changed since (nothing is changed then,
        and the step is dropped: the next undo goes on to the step before)."""
        return self._writes.undo()

    @_locked
    def redo(self) -> str | None:
        """Put back the step :meth:`undo` took most recently; returns its label (None:
        nothing to redo). Raises :class:`UndoConflict` as :meth:`undo` does."""
        return self._writes.redo()

    # ------------------------------------------------------------------ exchange
    @_locked
    def all_records(self) -> dict[str, list[dict[str, Any]]]:
        """Every record of every table, as copies with every field, in id order (the same
        for the same journal, however its tables were loaded or filled)."""
        return {table: [complete(table, d) for _, d in sorted(self._raw(table).items())] for table in RECORD_TYPES}

    def settings(self) -> dict[str, Any]:
        return dict(self._raw("_meta").get("settings", {}))

    @_locked
    def raw_documents(self, table: str) -> list[dict[str, Any]]:
        """The stored documents, read-only (for insights that scan once and cache); a field a
        document leaves out has its default (model.SPARSE_FIELDS). Taken under
        the journal's lock: the first read of a table still in bytes parses it, and a write
        from another thread must not land in a table that this parse then replaces."""
        return list(self._raw(table).values())
