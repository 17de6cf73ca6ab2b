"""Searching the interactions: by text (case- and accent-insensitive), dates, tag and person.

While the interactions are still bytes, a search with a limit reads only the snapshot's lines
that can hold a match, newest first (``LazyTable.newest``); otherwise the first text search
scans the texts once (cheaper than building the word index for a one-off command), a second
one builds and uses the index (``Indexes.text_index``), and other filters walk the (date, id)
index backwards.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Iterable
from typing import Any, TypedDict

import orjson

from netjournal.domain.query import Query
from netjournal.domain.text import fold
from netjournal.store.finding import find_indexed, find_scanning
from netjournal.store.indexes import Indexes, date_of
from netjournal.store.storage import JournalStorage

Doc = dict[str, Any]


def scan_texts(raw: dict[str, Doc], needle: str) -> list[str]:
    """Ids whose text contains ``needle`` (folded), by one tight pass over the records."""
    out = []
    for rid, doc in raw.items():
        t = doc.get("text")
        if type(t) is str and needle in (t.lower() if t.isascii() else fold(t)):
            out.append(rid)
    return out


def has_tag(doc: Doc, tag_key: str) -> bool:
    return any(isinstance(t, str) and fold(t) == tag_key for t in doc.get("tags", ()))


def passes(doc: Doc, needle: str, date_from: str, high: str, tag_key: str, contact_id: str | None) -> bool:
    """A stored interaction against the search's filters ("" or None: no such filter): folded
    text holding ``needle``, a date in ``date_from``..``high``, the tag, the person."""
    if date_from or high:
        day = date_of(doc)
        if (date_from and day < date_from) or (high and day >= high):
            return False
    if contact_id is not None and contact_id not in (doc.get("contact_ids") or ()):
        return False
    if tag_key and not has_tag(doc, tag_key):
        return False
    if needle:
        body = doc.get("text", "")
        return type(body) is str and needle in fold(body)
    return True


class Filters(TypedDict, total=False):
    """What a search is narrowed by (see Journal.search); a filter left out narrows nothing."""

    date_from: str
    date_to: str
    tag: str
    contact_id: str | None
    limit: int | None


class Search:
    """The Journal's search (it holds the Journal's lock while this runs)."""

    def __init__(self, storage: JournalStorage, raw: Callable[[str], dict[str, Doc]], indexes: Indexes) -> None:
        self.storage = storage
        self._raw = raw
        self._ix = indexes
        self.searched = False  # has a text search run yet (see _ids)

    def find(self, query: Query, limit: int | None, indexed: bool) -> list[str]:
        """Ids of the interactions ``query`` finds, newest first (see Journal.find)."""
        if indexed:
            return find_indexed(self._ix, query, limit)
        return [rid for rid, _ in self.found(query, limit)]

    def found(self, query: Query, limit: int | None) -> list[tuple[str, Doc]]:
        """(id, stored document) of the interactions ``query`` finds, newest first, by a scan (a
        one-off: while the interactions are unparsed, only the lines that can match are read)."""
        return find_scanning(self.storage, self._raw, self._ix, query, limit)

    def docs(self, text: str, filters: Filters) -> list[tuple[str, Doc]]:
        """(id, stored document) of the matches, newest first (see Journal.search)."""
        date_from, date_to, tag = filters.get("date_from", ""), filters.get("date_to", ""), filters.get("tag", "")
        contact_id, limit = filters.get("contact_id"), filters.get("limit")
        needle = fold(text.strip())
        tag_key = fold(tag.lstrip("#")) if tag else ""
        high = date_to + "\uffff" if date_to else ""
        lazy = self._lazy(needle, date_from, high, tag_key, contact_id, limit)
        if lazy is not None:
            return lazy
        raw = self._raw("interactions")
        return [(rid, raw[rid]) for rid in self._ids(needle, date_from, high, tag_key, contact_id, limit)]

    def _lazy(
        self, needle: str, date_from: str, high: str, tag_key: str, contact_id: str | None, limit: int | None
    ) -> list[tuple[str, Doc]] | None:
        """(While the interactions are unparsed) the newest ``limit`` matches, read from the
        snapshot's lines that can hold them (see history); None if that is not possible."""
        if not self.storage.lazy or limit is None:
            return None
        if needle:
            if not (needle.isascii() and needle.isprintable()) or '"' in needle or "\\" in needle:
                return None  # would not show verbatim in the JSON: parse instead
            probe, exact = needle.encode(), False
        elif contact_id is not None:
            probe, exact = orjson.dumps(contact_id), True
        else:
            return None

        def keep(_rid: str, doc: Doc) -> bool:
            return passes(doc, needle, date_from, high, tag_key, contact_id)

        return self.storage.lazy_newest(keep, needle=probe, exact=exact, limit=limit)

    def _ids(
        self, needle: str, date_from: str, high: str, tag_key: str, contact_id: str | None, limit: int | None
    ) -> list[str]:
        raw = self._raw("interactions")
        hits: Iterable[str] | None = None
        if needle and contact_id is None:
            if self._ix.text is None and not self.searched:
                # The first search scans the texts directly (a one-off `netjournal search`
                # costs less than building the index); a second one builds the index.
                self.searched = True
                hits = scan_texts(raw, needle)
            else:
                hits = self._ix.text_index().find(needle)
        if hits is not None:
            # Text first (one C-speed pass over a folded blob), then the other filters.
            keyed = []
            for rid in hits:
                doc = raw[rid]
                if passes(doc, "", date_from, high, tag_key, None):  # the text matched already
                    keyed.append((date_of(doc), rid))
            keyed.sort(reverse=True)
            chosen = keyed if limit is None else keyed[:limit]
            return [rid for _, rid in chosen]
        return self._walk(needle, date_from, high, tag_key, contact_id, limit)

    def _walk(
        self, needle: str, date_from: str, high: str, tag_key: str, contact_id: str | None, limit: int | None
    ) -> list[str]:
        """The (date, id) index walked backwards (everyone's, between the dates; or a person's)."""
        raw = self._raw("interactions")
        ids = self._ix.interaction_ids(contact_id)
        if contact_id is None:
            lo = bisect.bisect_left(self._ix.dates, date_from) if date_from else 0
            hi = bisect.bisect_left(self._ix.dates, high) if high else len(ids)
            date_from = high = ""  # the bisection has applied the dates
        else:
            lo, hi = 0, len(ids)
        out: list[str] = []
        for i in range(hi - 1, lo - 1, -1):
            rid = ids[i]
            if not passes(raw[rid], needle, date_from, high, tag_key, None):  # (ids are the person's)
                continue
            out.append(rid)
            if limit is not None and len(out) >= limit:
                break
        return out
