"""Reading the history: a person's interactions and favours, and everyone's last contact.

Right after an open the interactions and favours are still the snapshot's bytes (see
``lazytable``). The first few people asked about (the app's first screen, a shell command) are
read from the lines that name them, without parsing the rest; past :data:`PERSON_SCANS` people
(a listing of everyone, an export person by person) the table is parsed once instead, and the
indexes (``indexes``) answer. The Journal holds its lock while any of this runs.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import orjson

from netjournal.domain.model import Favour, Interaction
from netjournal.store.indexes import Indexes, date_of
from netjournal.store.storage import LAZY_TABLE, JournalStorage

Doc = dict[str, Any]
# One person's interactions (or favours) read from the snapshot's lines cost a pass over them;
# parsing the whole table costs ~25 of those (bench/results/code_notes.md). A caller that asks
# for more people than this gets the table parsed instead of one pass per person.
PERSON_SCANS = 12


def last_of(ids: list[str], raw: Mapping[str, Doc], day: str) -> str:
    """The latest date on or before ``day`` of ``ids`` (oldest first: plans are at the end)."""
    for rid in reversed(ids):
        found = date_of(raw[rid])
        if found[:10] <= day:
            return found
    return ""


class Reads:
    def __init__(self, storage: JournalStorage, raw: Callable[[str], dict[str, Doc]], indexes: Indexes) -> None:
        self.storage = storage
        self._raw = raw
        self._ix = indexes
        self.people: dict[str, list[tuple[str, Doc]]] = {}  # each person read from the lines, newest first
        self._scans: dict[str, int] = {}  # people read that way so far, by table

    def forget(self) -> None:
        """After any change: what was read from the lines may be stale."""
        self.people.clear()

    def _may_read_lines(self, table: str) -> bool:
        self._scans[table] = self._scans.get(table, 0) + 1
        return self._scans[table] <= PERSON_SCANS

    def from_lines(self, contact_id: str) -> list[tuple[str, Doc]] | None:
        """(While the interactions are unparsed) one person's (id, document) pairs, newest
        first, read from the snapshot's lines without parsing the rest; None if that is not
        possible (the caller parses the table)."""
        if not self.storage.lazy:
            return None
        found = self.people.get(contact_id)
        if found is None:
            if not self._may_read_lines(LAZY_TABLE):
                return None
            found = self.storage.lazy_newest(
                lambda _rid, doc: contact_id in (doc.get("contact_ids") or ()),
                needle=orjson.dumps(contact_id),
                exact=True,
            )
            if found is None:
                return None
            if len(self.people) > 64:
                self.people.clear()
            self.people[contact_id] = found
        return found

    def _lines_of(self, contact_id: str | None) -> list[tuple[str, Doc]] | None:
        return self.from_lines(contact_id) if contact_id is not None else None

    def interaction_ids(self, contact_id: str | None) -> list[str]:
        lines = self._lines_of(contact_id)
        if lines is not None:
            return [rid for rid, _ in lines]
        return self._ix.interaction_ids(contact_id)[::-1]

    def interaction_count(self, contact_id: str | None) -> int:
        lines = self._lines_of(contact_id)
        return len(lines) if lines is not None else len(self._ix.interaction_ids(contact_id))

    def interaction_at(self, position: int, contact_id: str | None) -> Interaction:
        lines = self._lines_of(contact_id)
        if lines is not None:
            return Interaction.from_dict(lines[position][1])
        ids = self._ix.interaction_ids(contact_id)
        return Interaction.from_dict(self._raw("interactions")[ids[len(ids) - 1 - position]])

    def interactions(self, contact_id: str | None, limit: int | None) -> list[Interaction]:
        lines = self._lines_of(contact_id)
        if lines is not None:
            chosen = lines if limit is None else lines[:limit] if limit else []
            return [Interaction.from_dict(doc) for _, doc in chosen]
        ids = self._ix.interaction_ids(contact_id)
        raw = self._raw("interactions")
        picked = ids if limit is None else ids[-limit:] if limit else []
        return [Interaction.from_dict(raw[rid]) for rid in reversed(picked)]

    def last_contact(self, contact_id: str, day: str) -> str:
        lines = self.from_lines(contact_id)
        if lines is not None:
            return next((d for _, doc in lines if (d := date_of(doc))[:10] <= day), "")
        return last_of(self._ix.interaction_ids(contact_id), self._raw("interactions"), day)

    def last_contacts(self, day: str) -> dict[str, str]:
        if self.storage.lazy:
            last = self.storage.lazy_last(day)
            if last is not None:
                return last
        self._ix.interaction_ids()
        assert self._ix.by_contact is not None
        raw = self._raw("interactions")
        found = ((cid, last_of(ids, raw, day)) for cid, ids in self._ix.by_contact.items())
        return {cid: last for cid, last in found if last}

    def favours(self, contact_id: str | None) -> list[Favour]:
        by_contact = self._ix.favours_by_contact
        lazy = by_contact is None and self.storage.favours_lazy
        if contact_id is not None and lazy and self._may_read_lines("favours"):
            # The first screen and a shell command ask for one person: their lines only.
            found = self.storage.lazy_favours_of(contact_id)
            if found is not None:
                return [Favour.from_dict(doc) for _, doc in found]
        raw = self._raw("favours")
        if contact_id is None:
            docs = sorted(raw.values(), key=lambda d: (date_of(d), d.get("id", "")), reverse=True)
            return [Favour.from_dict(d) for d in docs]
        if by_contact is None:
            # One pass (a few milliseconds) until load_history builds the index.
            keyed = sorted(
                ((date_of(d), rid) for rid, d in raw.items() if d.get("contact_id") == contact_id), reverse=True
            )
            return [Favour.from_dict(raw[rid]) for _, rid in keyed]
        return [Favour.from_dict(raw[rid]) for _, rid in reversed(by_contact.get(contact_id, []))]
