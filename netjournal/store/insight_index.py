"""The index the insight views are computed from, kept up to date change by change.

It mirrors the journal in light indexes: interactions by date and by person (as small tuples,
never full records), their folded text for who-knows-what, follow-ups, favours by date, and the
parsed contacts. When ``journal.revision`` has moved, the journal tells what changed since the
revision it last saw (``Journal.changes_since``: each change's table, id and new document);
only those records are re-read. Everything is read the first time, and when the journal's feed
no longer reaches back that far (a change of thousands of records). The views over it, cached
per revision, are in ``views.py``.
"""

from __future__ import annotations

import bisect
import operator
import threading
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, NamedTuple, TypeVar

from netjournal.domain import insights as ins
from netjournal.domain.model import Contact
from netjournal.domain.settings import Settings
from netjournal.errors import ValidationError

if TYPE_CHECKING:
    from netjournal.store.journal import Journal

V = TypeVar("V")
_ID = operator.itemgetter("id")
_MAX = "\uffff"


class InteractionFact(NamedTuple):
    """What the views need of an interaction (satisfies ``InteractionLike``)."""

    id: str
    date: str
    contact_ids: Sequence[str]
    minutes: int
    follow_up: str
    text: str
    tags: Sequence[str]
    asks: Sequence[str]


class FavourFact(NamedTuple):
    id: str
    date: str
    contact_id: str
    direction: str
    weight: int


def _interaction_fact(d: dict[str, Any]) -> InteractionFact:
    return InteractionFact(
        d.get("id", ""), d.get("date", ""), tuple(d.get("contact_ids") or ()), d.get("minutes") or 0,
        d.get("follow_up") or "", d.get("text") or "", tuple(d.get("tags") or ()), tuple(d.get("asks") or ()),
    )




def _favour_fact(d: dict[str, Any]) -> FavourFact:
    return FavourFact(d.get("id", ""), d.get("date", ""), d.get("contact_id", ""), d.get("direction", ""),
                      d.get("weight") or 0)


def _rid(doc: dict[str, Any]) -> str:
    rid: str = doc.get("id", "")
    return rid


def _ids(docs: list[dict[str, Any]]) -> list[str]:
    try:
        return list(map(_ID, docs))
    except KeyError:
        return [_rid(d) for d in docs]


class InsightIndex:
    """What the insight views are computed from, kept up to date with ``journal``: the
    views themselves are :class:`netjournal.store.views.Insights`."""

    TABLES: tuple[str, ...] = ("contacts", "interactions", "favours")  # the tables it mirrors

    def __init__(self, journal: Journal, settings: Settings | None = None) -> None:
        self.journal = journal
        self.settings = settings or Settings()
        self._lock = threading.RLock()
        self._revision = -1
        self._contacts: dict[str, Contact] = {}
        self._sorted_contacts: list[Contact] | None = None
        self._inter: dict[str, dict[str, Any]] = {}  # the stored documents, by id (never copied)
        self._inter_by_date: list[tuple[str, str]] = []
        self._inter_by_contact: dict[str, list[tuple[str, str]]] = {}
        self._follow: dict[str, InteractionFact] = {}
        self._with_asks: dict[str, InteractionFact] = {}
        self._days: dict[str, ins.DayTime | None] = {}  # minutes per day, filled as asked
        self._circle_of: dict[str, str] | None = None  # each person's circle (for the days' sums)
        self._mentions: dict[str, dict[str, int]] = {}  # per query word: mentions per person
        self._hay: dict[str, str] | None = None  # folded text per interaction, built on the first search
        self._favs: dict[str, FavourFact] = {}
        self._fav_by_date: list[tuple[str, str]] = []
        self._fav_by_contact: dict[str, list[tuple[str, str]]] = {}
        self._cache: dict[tuple[Any, ...], Any] = {}
        self._depth = 0
        # Per-person results (ledger, keep-in-touch status, folded text) survive a change;
        # only the people it touched are recomputed.
        self._per_person: dict[tuple[Any, ...], dict[str, Any]] = {}
        self._texts: dict[str, str] = {}
        self._dirty: set[str] = set()

    # ------------------------------------------------------------------ keeping up
    def refresh(self) -> bool:
        """Catch up with the journal; True if anything changed. Every view calls it. The
        journal tells what changed since the revision last seen (Journal.changes_since): only
        those records are applied; everything is read only the first time (or when the
        journal's feed no longer reaches back that far: a change of thousands of records)."""
        with self._lock:
            rev = self.journal.revision
            if rev == self._revision or self._depth:  # a view built from others sees one revision
                return False
            changes = self.journal.changes_since(self._revision) if self._revision >= 0 else None
            if changes is None:
                self._read_everything()
            else:
                self._apply(changes)
            for cid in self._dirty:
                self._texts.pop(cid, None)
                for values in self._per_person.values():
                    values.pop(cid, None)
                for counts in self._mentions.values():
                    counts.pop(cid, None)
            self._dirty.clear()
            self._revision = rev
            self._cache.clear()
            return True

    def _read_everything(self) -> None:
        # list() of a dict view runs without releasing the GIL: a consistent snapshot.
        self._contacts = {}
        for table, apply in self._appliers():
            apply(list(self.journal.raw_documents(table)), [], True)
        self._per_person.clear()
        self._texts.clear()

    def _apply(self, changes: list[tuple[str, str, dict[str, Any] | None]]) -> None:
        """The journal's changes since the last revision seen, each record's last state."""
        final: dict[str, dict[str, dict[str, Any] | None]] = {}
        for table, rid, doc in changes:
            final.setdefault(table, {})[rid] = doc
        for table, apply in self._appliers():
            docs = final.get(table, {})
            changed = [doc for doc in docs.values() if doc is not None]
            apply(changed, [rid for rid, doc in docs.items() if doc is None], False)

    def _appliers(self) -> list[tuple[str, Callable[[list[dict[str, Any]], list[str], bool], None]]]:
        appliers = [
            ("contacts", self._apply_contacts),
            ("interactions", self._apply_interactions),
            ("favours", self._apply_favours),
        ]
        return [(table, apply) for table, apply in appliers if table in self.TABLES]

    def _apply_contacts(self, changed: list[dict[str, Any]], removed: list[str], first: bool) -> None:
        self._dirty.update(removed)
        self._dirty.update(d.get("id", "") for d in changed)
        if changed or removed:
            self._days.clear()  # a circle may have changed
            self._circle_of = None
        for rid in removed:
            self._contacts.pop(rid, None)
        for doc in changed:
            try:
                c = Contact.from_dict(doc)
            except ValidationError:  # a damaged record: `netjournal doctor` reports it
                self._contacts.pop(doc.get("id", ""), None)
                continue
            self._contacts[c.id] = c
        if changed or removed:
            self._sorted_contacts = None

    def _apply_interactions(self, changed: list[dict[str, Any]], removed: list[str], first: bool) -> None:
        if first:
            self._build_interactions(changed)
            return
        for rid in removed:
            self._drop_interaction(rid)
        for doc in changed:
            fact = _interaction_fact(doc)
            self._dirty.update(fact.contact_ids)
            self._drop_interaction(fact.id)
            self._inter[fact.id] = doc
            key = (fact.date[:10], fact.id)
            bisect.insort(self._inter_by_date, key)
            for cid in fact.contact_ids:
                bisect.insort(self._inter_by_contact.setdefault(cid, []), key)
            if fact.follow_up:
                self._follow[fact.id] = fact
            if fact.asks:
                self._with_asks[fact.id] = fact
            self._days.pop(fact.date[:10], None)
            if self._hay is not None:
                self._hay[fact.id] = ins.interaction_haystack(fact)

    def _build_interactions(self, docs: list[dict[str, Any]]) -> None:
        """The first pass over every interaction: plain tuples and dicts, no record objects."""
        self._inter = inter = dict(zip(_ids(docs), docs, strict=True))
        self._inter_by_date = sorted([(d.get("date", "")[:10], rid) for rid, d in inter.items()])
        by_contact: dict[str, list[tuple[str, str]]] = {}
        for key in self._inter_by_date:
            for cid in inter[key[1]].get("contact_ids") or ():
                by_contact.setdefault(cid, []).append(key)  # already in order
        self._inter_by_contact = by_contact
        self._follow = {rid: _interaction_fact(d) for rid, d in inter.items() if d.get("follow_up")}
        self._with_asks = {rid: _interaction_fact(d) for rid, d in inter.items() if d.get("asks")}
        self._days = {}
        self._mentions = {}
        self._hay = None

    def _drop_interaction(self, rid: str) -> None:
        doc = self._inter.pop(rid, None)
        if doc is None:
            return
        old = _interaction_fact(doc)
        self._dirty.update(old.contact_ids)
        key = (old.date[:10], rid)
        _remove_sorted(self._inter_by_date, key)
        for cid in old.contact_ids:
            _remove_sorted(self._inter_by_contact.get(cid, []), key)
        self._follow.pop(rid, None)
        self._with_asks.pop(rid, None)
        self._days.pop(old.date[:10], None)
        if self._hay is not None:
            self._hay.pop(rid, None)

    def _apply_favours(self, changed: list[dict[str, Any]], removed: list[str], first: bool) -> None:
        if first:
            self._favs = {f.id: f for f in map(_favour_fact, changed)}
            self._fav_by_date = sorted((f.date[:10], f.id) for f in self._favs.values())
            by_contact: dict[str, list[tuple[str, str]]] = {}
            for key in self._fav_by_date:
                by_contact.setdefault(self._favs[key[1]].contact_id, []).append(key)
            self._fav_by_contact = by_contact
            return
        for rid in removed + [d.get("id", "") for d in changed]:
            old = self._favs.pop(rid, None)
            if old is not None:
                self._dirty.add(old.contact_id)
                _remove_sorted(self._fav_by_date, (old.date[:10], old.id))
                _remove_sorted(self._fav_by_contact.get(old.contact_id, []), (old.date[:10], old.id))
        for doc in changed:
            f = _favour_fact(doc)
            self._dirty.add(f.contact_id)
            self._favs[f.id] = f
            bisect.insort(self._fav_by_date, (f.date[:10], f.id))
            bisect.insort(self._fav_by_contact.setdefault(f.contact_id, []), (f.date[:10], f.id))

    def _cached(self, key: tuple[Any, ...], compute: Callable[[], V]) -> V:
        with self._lock:
            self.refresh()
            if key not in self._cache:
                self._depth += 1
                try:
                    self._cache[key] = compute()
                finally:
                    self._depth -= 1
            value: V = self._cache[key]
            return value

    # ------------------------------------------------------------------ basics


def _remove_sorted(lst: list[tuple[str, str]], key: tuple[str, str]) -> None:
    i = bisect.bisect_left(lst, key)
    if i < len(lst) and lst[i] == key:
        del lst[i]
