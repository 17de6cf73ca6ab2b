"""The Journal's indexes: built on first need, then kept up to date change by change.

Each change the Journal makes is published here as (table, id, old document, new document)
(:meth:`Indexes.apply`), so nothing is rebuilt or diffed after a save: the interactions by
(date, id) and by person, the favours by person, the words of the interactions' texts
(a blob for substrings, postings for word prefixes and tags), the
people sorted by name and their name index for resolving mentions.
"""

from __future__ import annotations

import bisect
import gc
from collections.abc import Callable
from typing import Any

from netjournal.domain.model import Contact
from netjournal.domain.people import ContactIndex
from netjournal.domain.text import fold
from netjournal.store.textindex import TextIndex
from netjournal.store.wordindex import MAX_CHANGES, WordIndex

Doc = dict[str, Any]


def date_of(doc: Doc) -> str:
    d = doc.get("date", "")
    return d if type(d) is str else ""


def remove_sorted(lst: list[tuple[str, str]], key: tuple[str, str]) -> None:
    i = bisect.bisect_left(lst, key)
    if i < len(lst) and lst[i] == key:
        del lst[i]


class Indexes:
    """``raw(table)``: the live table (the Journal's, parsed on first use)."""

    def __init__(self, raw: Callable[[str], dict[str, Doc]]) -> None:
        self._raw = raw
        # Interactions sorted by (date, id), as two parallel lists (sorting strings is ~4x
        # faster than sorting tuples); by person: ids in the same order.
        self.ids: list[str] | None = None
        self.dates: list[str] = []
        self.by_contact: dict[str, list[str]] | None = None
        self.favours_by_contact: dict[str, list[tuple[str, str]]] | None = None
        self.text: TextIndex | None = None
        self.words: WordIndex | None = None  # words and tags, for a search as you type
        self.contacts: list[Contact] | None = None  # everyone, sorted by name
        self.people: tuple[int, ContactIndex] | None = None  # (revision, index) for resolving names

    def reset(self) -> None:
        self.ids, self.dates, self.by_contact = None, [], None
        self.favours_by_contact = None
        self.text = None
        self.words = None
        self.contacts = None
        self.people = None

    def build_interactions(self) -> None:
        """Both interaction indexes in one pass over the records (memory-bound: each record
        is visited once, in storage order), then C-speed string sorts."""
        raw = self._raw("interactions")
        dates: dict[str, str] = {}
        by_contact: dict[str, list[str]] = {}
        for rid, doc in raw.items():
            day = doc.get("date", "")
            dates[rid] = day if type(day) is str else ""
            for cid in doc.get("contact_ids") or ():
                lst = by_contact.get(cid)
                if lst is None:
                    by_contact[cid] = [rid]
                else:
                    lst.append(rid)
        key = dates.__getitem__
        ids = sorted(raw)
        ids.sort(key=key)  # stable: (date, id) order
        for lst in by_contact.values():
            lst.sort()
            lst.sort(key=key)
        self.ids = ids
        self.dates = list(map(key, ids))
        self.by_contact = by_contact

    def build_favours(self) -> None:
        by_contact: dict[str, list[tuple[str, str]]] = {}
        for rid, doc in self._raw("favours").items():
            by_contact.setdefault(doc.get("contact_id", ""), []).append((date_of(doc), rid))
        for lst in by_contact.values():
            lst.sort()
        self.favours_by_contact = by_contact

    def build(self) -> None:
        """Every index of the history not built yet (a worker does this after an open)."""
        if self.ids is None or self.by_contact is None:
            self.build_interactions()
        if self.favours_by_contact is None:
            self.build_favours()

    def interaction_ids(self, contact_id: str | None = None) -> list[str]:
        """Interaction ids, oldest first (by date, then id): for everyone or one person."""
        if self.ids is None or self.by_contact is None:
            self.build_interactions()
        assert self.ids is not None and self.by_contact is not None
        if contact_id is None:
            return self.ids
        return self.by_contact.get(contact_id, [])

    def text_index(self) -> TextIndex:
        if self.text is None or self.text.worn:
            self.text = TextIndex((rid, doc.get("text", "")) for rid, doc in self._raw("interactions").items())
        return self.text

    def word_index(self) -> WordIndex:
        if self.words is None:
            # Lists and sets of strings, no cycles: the collector is paused while they are made
            # and they are moved out of its full passes (as the parsed history is: dated_lines).
            enabled = gc.isenabled()
            gc.disable()
            try:
                self.words = WordIndex(self._raw("interactions"), self.interaction_ids())
                gc.freeze()
            finally:
                if enabled:
                    gc.enable()
        return self.words

    def _key(self, rid: str) -> tuple[str, str]:
        return (date_of(self._raw("interactions")[rid]), rid)

    def _position(self, day: str, rid: str) -> int:
        assert self.ids is not None
        lo = bisect.bisect_left(self.dates, day)
        hi = bisect.bisect_right(self.dates, day, lo)
        return bisect.bisect_left(self.ids, rid, lo, hi)

    def apply(self, table: str, rid: str, old: Doc | None, new: Doc | None) -> None:
        """One change, as the Journal made it: record ``rid`` of ``table`` went from ``old`` to
        ``new`` (None: absent)."""
        if table == "contacts":
            self.contacts = None
            self.people = None
        elif table == "interactions":
            self._apply_interaction(rid, old, new)
        elif table == "favours" and self.favours_by_contact is not None:
            if old is not None:
                remove_sorted(self.favours_by_contact.get(old.get("contact_id", ""), []), (date_of(old), rid))
            if new is not None:
                bisect.insort(self.favours_by_contact.setdefault(new.get("contact_id", ""), []), (date_of(new), rid))

    def _apply_interaction(self, rid: str, old: Doc | None, new: Doc | None) -> None:
        if self.text is not None:
            self.text.update(rid, new.get("text", "") if new is not None else None)
        if self.words is not None:
            if self.words.changes >= MAX_CHANGES:
                self.words = None  # a big import, years of history deleted: rebuilt on the next search
            else:
                self.words.update(rid, old, new)
        if self.ids is not None:
            ids, dates = self.ids, self.dates
            if old is not None:
                i = self._position(date_of(old), rid)
                if i < len(ids) and ids[i] == rid:
                    del ids[i]
                    del dates[i]
            if new is not None:
                i = self._position(date_of(new), rid)
                ids.insert(i, rid)
                dates.insert(i, date_of(new))
        if self.by_contact is not None:
            by_contact = self.by_contact
            for cid in old.get("contact_ids", ()) if old is not None else ():
                lst = by_contact.get(cid)
                if lst is not None and rid in lst:
                    lst.remove(rid)
            for cid in new.get("contact_ids", ()) if new is not None else ():
                bisect.insort(by_contact.setdefault(cid, []), rid, key=self._key)

    def sorted_contacts(self) -> list[Contact]:
        """Everyone (archived too) sorted by name, accent- and case-insensitively."""
        if self.contacts is None:
            people = [Contact.from_dict(d) for d in self._raw("contacts").values()]
            people.sort(key=lambda c: (fold(c.name), c.id))
            self.contacts = people
        return self.contacts

    def people_index(self, revision: int) -> ContactIndex:
        """Everyone (archived too) indexed for resolving names; built once per revision."""
        if self.people is None or self.people[0] != revision:
            self.people = (revision, ContactIndex(list(self._raw("contacts").values())))
        return self.people[1]
