"""A table of the snapshot kept as its JSON bytes until something needs it parsed.

The interactions and the favours (years of journal) are each one :class:`LazyTable` right
after an open: a view of the snapshot's bytes in the line layout (``history``: one record per
line, by date) and the changes made to the table since the snapshot (from the change log, or
saved since), applied in order when it is parsed. Until then it answers the common questions
from the bytes: whether it holds an id, a person's newest records, the newest records that
hold a word. ``storage.JournalStorage`` owns one per table still in bytes.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any, NamedTuple

import orjson

from netjournal.store import dated_lines

Doc = dict[str, Any]
Keep = Callable[[str, Doc], bool]
MISSING = object()  # a record's state before a change: it did not exist


class Opened(NamedTuple):
    """A table's bytes once opened: ``size`` bytes at ``at`` in ``src``; ``as_written``:
    False when they turned out not to be as netjournal wrote them (then only parsing reads
    them: see sealed_head)."""

    src: bytes
    at: int
    size: int
    as_written: bool


Source = Callable[[str], Opened]  # opens a table's bytes on first use (given the table's name)


class LazyTable:
    """The table's JSON: ``size`` bytes at ``at`` in the snapshot's bytes, ``source`` (the
    bytes, or what opens them on first use: an encrypted journal's history, see
    sealed_head); ``layout``: dated_lines.LAYOUT if it is in the line layout (else only
    parsing reads it)."""

    def __init__(self, name: str, source: bytes | Source, at: int, size: int, layout: str | None) -> None:
        self.name = name
        self._source = source
        self._view: memoryview | None = None
        self.at = at
        self.size = size
        self.layout = layout
        self.deferred: list[tuple[str, Doc | None]] = []  # the changes since, in order (None: deleted)
        self.mark = 0  # the first change of the open transaction (see transaction.Transaction)
        self.fresh: set[str] = set()  # ids of changes known to be new records (minted here)
        self._lower: bytes | None = None  # the snapshot lower-cased, once made (for text searches)
        # What the snapshot recorded of the table (the interactions' only; see dated_lines.TableFacts).
        self.last: dict[str, str] | None = None
        self.plans: Any = None
        self.written = ""  # when the snapshot was written (UTC timestamp)
        self.summary: Any = None  # what it recorded for the morning views (summaries.py)

    @property
    def src(self) -> bytes:
        """The snapshot's bytes (opened now if they are not yet: may raise JournalDamaged)."""
        if not isinstance(self._source, bytes):
            opened = self._source(self.name)
            self._source, self.at, self.size = opened.src, opened.at, opened.size
            if not opened.as_written:
                self.layout, self.last = None, None
        return self._source

    @property
    def view(self) -> memoryview:
        """The table's JSON (the same view each time: a parse made of it is known by it)."""
        if self._view is None:
            self._view = memoryview(self.src)[self.at : self.at + self.size]
        return self._view

    @property
    def bounds(self) -> tuple[int, int]:
        self.src  # noqa: B018  (opened first: where the table lies is known then)
        return self.at, self.at + self.size

    def holds(self, key: str) -> bool:
        """Whether the snapshot's bytes hold a record ``key`` (an unescaped ``"id":{`` can
        only be a record's key in the table)."""
        start, end = self.bounds
        return self.src.find(orjson.dumps(key) + b":{", start, end) >= 0

    def contains(self, key: str) -> bool:
        """Whether the table holds ``key`` now: its latest change since, else the bytes."""
        for k, doc in reversed(self.deferred):
            if k == key:
                return doc is not None
        return self.holds(key)

    def apply(self, table: dict[str, Doc], before_change: Callable[[str, Any], None] | None = None) -> dict[str, Doc]:
        """``table`` (parsed from :attr:`view`) with the changes since applied;
        ``before_change(key, old)`` is told what each change of the open transaction replaced."""
        for n, (key, doc) in enumerate(self.deferred):
            if before_change is not None and n >= self.mark:
                before_change(key, table.get(key, MISSING))
            if doc is None:
                table.pop(key, None)
            else:
                table[key] = doc
        return table

    def newest(
        self, keep: Keep, *, needle: bytes | None, exact: bool, limit: int | None, budget: int, since: str
    ) -> list[tuple[str, Doc]] | None:
        """See :meth:`storage.JournalStorage.lazy_newest`."""
        start, end = self.bounds  # (first: opening the bytes may find them not in the layout)
        if self.layout is None:
            return None
        hay: bytes | None = None
        if needle is not None:
            if exact:
                hay = self.src
            else:
                if self._lower is None:
                    self._lower = self.src.lower() if self.src[start:end].isascii() else b""
                hay = self._lower or None
        latest = dict(self.deferred)
        lines = dated_lines.newest_lines(self.src, start, end, needle, hay)
        found = dated_lines.newest_docs(lines, keep, latest, limit, budget, since)
        return None if found is None else dated_lines.with_changes(found, latest, keep, limit)

    def matching(self, pattern: re.Pattern[bytes], keep: Keep, *, budget: int) -> list[tuple[str, Doc]] | None:
        """Every record whose line ``pattern`` matches and ``keep`` keeps, with the changes
        since that ``keep`` keeps, newest first; None past ``budget`` lines (then parse)."""
        start, end = self.bounds  # (first: opening the bytes may find them not in the layout)
        if self.layout is None:
            return None
        latest = dict(self.deferred)
        lines = dated_lines.lines_matching(self.src, start, end, pattern)
        found = dated_lines.newest_docs(lines, keep, latest, None, budget)
        return None if found is None else dated_lines.with_changes(found, latest, keep, None)

    def holding(self, needle: bytes, keep: Keep) -> list[tuple[str, Doc]] | None:
        """Every record whose line holds ``needle`` (exact bytes) and ``keep`` keeps, with
        the changes since, newest first; None if a line does not read (then parse)."""
        start, end = self.bounds
        if self.layout is None:
            return None
        latest = dict(self.deferred)
        lines = dated_lines.newest_lines(self.src, start, end, needle, self.src)
        found = dated_lines.newest_docs(lines, keep, latest, None, 1 << 30)
        return None if found is None else dated_lines.with_changes(found, latest, keep, None)

    def last_as_of(self, today: str) -> dict[str, str] | None:
        """(The interactions.) Each person's latest date on or before ``today`` (a plan is
        not a last contact), from the snapshot's record of it and the changes since; None if
        that cannot be known without parsing (see JournalStorage.lazy_last)."""
        if self.last is None:
            return None
        final: dict[str, Doc | None] = dict(self.deferred)
        last = dated_lines.last_as_of(self.last, self.plans, today)
        if last is None:
            return None
        looked = 0
        for key, doc in final.items():
            created = doc.get("created") if doc is not None else None
            new = key in self.fresh or (type(created) is str and bool(self.written) and created > self.written)
            if not new:
                looked += 1
                if looked > 4 or self.holds(key):
                    return None
            if doc is None:
                continue  # made and deleted since the snapshot
            day = dated_lines.day_of(doc)
            if day[:10] > today:
                continue  # a plan
            for cid in doc.get("contact_ids") or ():
                if type(cid) is str and day > last.get(cid, ""):
                    last[cid] = day
        return last
