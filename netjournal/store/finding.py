"""The interactions a query finds (the grammar: :mod:`netjournal.domain.query`), newest first.

Two ways, for two uses:

- indexed, for a search as you type (the app): each word prefix and tag is a bit mask from
  the word index (:mod:`.wordindex`, built on first use), a word in a script without spaces
  one from the substring index (:mod:`.textindex`), a person one of their interactions; the
  masks are ANDed and the index gives the interactions back by date, within the period;
- a one-off (the shell): while the interactions are still bytes and there is a limit, only
  the snapshot's lines that can hold a match are read, newest first; otherwise candidates
  come from one pass over the texts for the longest word (a word prefix is a substring), and
  each is checked against the whole query. Building the index would cost more than that.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable
from typing import Any

import orjson

from netjournal.domain.query import Query, folded, spaceless
from netjournal.store.indexes import Indexes, date_of
from netjournal.store.storage import JournalStorage

Doc = dict[str, Any]
Raw = Callable[[str], dict[str, Doc]]
_TOP = "\uffff"


def find_indexed(ix: Indexes, query: Query, limit: int | None) -> list[str]:
    """Ids of the matches, newest first, through the indexes (see the module docstring)."""
    masks: list[int] = []
    index = ix.word_index()
    for word in query.words:
        if spaceless(word):
            masks.append(index.mask_of_ids(ix.text_index().find(word) or ()))  # (None only for a word holding NUL)
        else:
            masks.append(index.prefixed(word))
    masks += [index.tagged(tag) for tag in query.tags]
    masks += [index.mask_of_ids(ix.interaction_ids(cid)) for cid in query.people]
    if not masks:  # everyone, within the period: a slice of the (date, id) index
        ids, dates = ix.interaction_ids(None), ix.dates
        lo = bisect.bisect_left(dates, query.date_from) if query.date_from else 0
        hi = bisect.bisect_left(dates, query.date_to + _TOP) if query.date_to else len(ids)
        return ids[lo:hi][::-1][:limit]
    mask = masks[0]
    for other in masks[1:]:
        mask &= other
    found = index.ordered(mask, query.date_from, query.date_to) if mask else []
    found.reverse()
    return found[:limit]


def find_scanning(
    storage: JournalStorage, raw: Raw, ix: Indexes, query: Query, limit: int | None
) -> list[tuple[str, Doc]]:
    """(id, stored document) of the matches, newest first, without building the word index (a
    one-off command)."""
    keep: Callable[[str, Doc], bool] = lambda _rid, doc: query.matches(doc)  # noqa: E731
    probe = _probe(query)
    if storage.lazy and limit is not None and probe is not None:
        found = storage.lazy_newest(keep, needle=probe[0], exact=probe[1], limit=limit, since=query.date_from)
        if found is not None:
            return found
    docs = raw("interactions")
    plain = [w for w in query.words if not spaceless(w)]
    if plain:
        needle = max(plain, key=len)  # a word prefix is a substring: one C-speed pass, then the whole query
        candidates = [rid for rid, doc in docs.items() if needle in _folded_text(doc) and query.matches(doc)]
        keyed = sorted(((date_of(docs[rid]), rid) for rid in candidates), reverse=True)
        return [(rid, docs[rid]) for _, rid in (keyed if limit is None else keyed[:limit])]
    out: list[tuple[str, Doc]] = []
    for rid in reversed(ix.interaction_ids(query.people[0] if query.people else None)):
        if query.matches(docs[rid]):
            out.append((rid, docs[rid]))
            if limit is not None and len(out) >= limit:
                break
    return out


def _folded_text(doc: Doc) -> str:
    t = doc.get("text")
    return folded(t) if type(t) is str else ""


def _probe(query: Query) -> tuple[bytes, bool] | None:
    """What every matching record's JSON line holds: its longest plain ASCII word (found
    case-insensitively), else a person's id (exactly); None if nothing is sure."""
    ascii_words = [w for w in query.words if w.isascii() and w.isprintable()]
    if ascii_words:
        return max(ascii_words, key=len).encode(), False
    if query.people:
        return orjson.dumps(query.people[0]), True
    return None
