"""The Journal's reads: people, their histories, favours, search, and the stored documents
for the insights and exports. Every read holds the Journal's lock (see :func:`locked`); what
it returns is a copy unless said otherwise.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable
from datetime import date
from typing import Any, TypeVar, Unpack

from netjournal.domain.model import RECORD_TYPES, Contact, Favour, Interaction, complete
from netjournal.domain.people import ContactIndex
from netjournal.domain.query import Query
from netjournal.store import names
from netjournal.store.edits import Edits
from netjournal.store.feed import Feed
from netjournal.store.indexes import Indexes
from netjournal.store.reads import Reads
from netjournal.store.search import Filters, Search

F = TypeVar("F", bound=Callable[..., Any])


def locked(method: F) -> F:
    """Serialise access: the app reads from worker threads while the UI thread writes."""

    @functools.wraps(method)
    def wrapper(self: Queries, *args: Any, **kwargs: Any) -> Any:
        with self._mutex:
            return method(self, *args, **kwargs)

    return wrapper  # type: ignore[return-value]


_locked = locked


class Queries:
    """What the Journal reads; the Journal (journal.py) builds the rooms named here."""

    _mutex: threading.RLock
    _feed: Feed
    _ix: Indexes
    _reads: Reads
    _search: Search
    _edits: Edits
    _raw: Callable[[str], dict[str, dict[str, Any]]]

    @_locked
    def document(self, table: str, rid: str) -> dict[str, Any] | None:
        """The stored document of a record, as a copy with every field (None if absent): a
        contact's stored document leaves out its empty fields (model.SPARSE_FIELDS)."""
        doc = self._raw(table).get(rid)
        return complete(table, doc) if doc is not None else None

    @_locked
    def count(self, table: str) -> int:
        return len(self._raw(table))

    @_locked
    def contacts(self, *, archived: bool = False) -> list[Contact]:
        """People sorted by name (accent- and case-insensitive). The objects are shared
        between calls: copy one (or use :meth:`contact`) before changing it."""
        people = self._ix.sorted_contacts()
        return list(people) if archived else [c for c in people if not c.archived]

    @_locked
    def contact(self, contact_id: str) -> Contact:
        return self._edits.get(Contact, contact_id)

    @_locked
    def find_contacts(self, text: str, *, archived: bool = False) -> list[Contact]:
        """Filter as you type: name, aliases, organisation and tags contain ``text``."""
        return names.filtered(self.contacts(archived=archived), text)

    @_locked
    def resolve_contact(self, ref: str) -> Contact:
        """A person by id, name, alias, slug or unique first word, in any script, ignoring case
        and accents (the domain's one resolver, as the capture line uses it); a fresh copy.

        Raises NotFoundError with the closest names, or AmbiguousError listing candidates."""
        return names.resolve(self._raw("contacts"), self.people_index, ref)

    @_locked
    def people_index(self) -> ContactIndex:
        """Everyone (archived too) indexed for resolving names; built once per revision."""
        return self._ix.people_index(self._feed.revision)

    @_locked
    def interaction(self, interaction_id: str) -> Interaction:
        return self._edits.get(Interaction, interaction_id)

    @_locked
    def linked_favours(self, interaction_id: str) -> list[Favour]:
        """The favours recorded with an interaction (their ``interaction_id``), oldest id first."""
        return self._edits.linked_favours(interaction_id)

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
    def search_ids(self, text: str = "", **filters: Unpack[Filters]) -> list[str]:
        """Like :meth:`search`, but only the ids (no record is built): for views that draw
        only the visible rows of a long result."""
        return [rid for rid, _ in self._search.docs(text, filters)]

    @_locked
    def search(self, text: str = "", **filters: Unpack[Filters]) -> list[Interaction]:
        """Interactions whose text contains ``text`` (case- and accent-insensitive), newest
        first, within ``date_from``..``date_to`` (inclusive), with ``tag``, with a person
        (``contact_id``), at most ``limit``."""
        return [Interaction.from_dict(doc) for _, doc in self._search.docs(text, filters)]

    @_locked
    def find(self, query: Query, *, limit: int | None = None, indexed: bool = True) -> list[str]:
        """Ids of the interactions ``query`` (domain/query.py) finds, newest first: through the word
        index (built on first use; a search as you type) or, not ``indexed``, by a scan (a one-off)."""
        return self._search.find(query, limit, indexed)

    @_locked
    def search_query(self, query: Query, *, limit: int | None = None) -> list[Interaction]:
        """The interactions ``query`` finds, newest first, by a one-off scan (while the history is
        unparsed, only the lines that can match are read): for ``netjournal search``."""
        return [Interaction.from_dict(doc) for _, doc in self._search.found(query, limit)]

    @_locked
    def favour(self, favour_id: str) -> Favour:
        return self._edits.get(Favour, favour_id)

    @_locked
    def favours(self, contact_id: str | None = None) -> list[Favour]:
        """Favours newest first, for one person or everyone."""
        return self._reads.favours(contact_id)

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
