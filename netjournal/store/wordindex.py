"""The words and tags of the interactions, for a search as you type (see domain/query.py).

Each interaction has a slot (a number); each distinct folded word of the texts
(:func:`netjournal.domain.query.words`) and each tag has its postings, the slots of the
interactions holding it. A sorted list of the words answers a prefix by bisection ("pric" ->
pricing, prices...). A search's answer is a bit mask over the slots: the union of a prefix's
words is an OR, the parts of a query are ANDed, all at C speed. Postings are kept as a list of
slots for a rare word and as a mask for a common one (a mask of 100,000 slots is 12.5 kB, less
than a list of more than a thirty-second of them), so one letter that starts a word of nearly
every text costs an OR of a few masks, not a set of 90,000 ids. The answer turns back into ids
with one ``itertools.compress`` over the slots.

Built once (a pass over the texts, about a second at 100,000), then kept up to date from each
change (:meth:`update`): only the words a change adds or removes are touched; after
MAX_CHANGES changes the owner (Indexes) drops it and the next search builds it again.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Mapping
from itertools import compress
from typing import Any, cast

from netjournal.domain.query import WORD, folded, tag_key

Doc = Mapping[str, Any]
Postings = list[int] | int  # slots (a rare key), or a mask of them (a common one)
_TOP = "\U0010ffff"
MAX_CHANGES = 1000  # after this many changes a rebuild costs less than more updates (see Indexes)
_DIGITS = bytes.maketrans(b"\x00\x01", b"01")
_BITS = bytes.maketrans(b"01", b"\x00\x01")


def _words(doc: Doc) -> set[str]:
    text = doc.get("text")
    return set(WORD.findall(folded(text))) if isinstance(text, str) and text else set()


def _tags(doc: Doc) -> set[str]:
    return {k for t in doc.get("tags") or () if isinstance(t, str) and (k := tag_key(t))}


def mask_of(slots: Iterable[int]) -> int:
    """The mask with these slots' bits set (one C-speed conversion, not an OR per slot)."""
    slots = list(slots)
    if not slots:
        return 0
    flags = bytearray(max(slots) + 1)
    for slot in slots:
        flags[slot] = 1
    return int(flags[::-1].translate(_DIGITS), 2)


def _add(postings: dict[str, Postings], keys: Iterable[str], slot: int) -> None:
    for key in keys:
        held = postings.get(key)
        if held is None:
            postings[key] = [slot]
        elif isinstance(held, int):
            postings[key] = held | (1 << slot)
        else:
            held.append(slot)


def _remove(postings: dict[str, Postings], keys: Iterable[str], slot: int) -> None:
    for key in keys:
        held = postings.get(key)
        if isinstance(held, int):
            postings[key] = held & ~(1 << slot)
        elif held is not None and slot in held:
            held.remove(slot)


def _day(doc: Doc) -> str:
    day = doc.get("date", "")
    return day if type(day) is str else ""


class WordIndex:
    """Postings of words and tags over the interactions' slots (see the module docstring).

    Slots are given in the order of the (date, id) index when the index is built, so a mask's
    interactions come out by date; one added since, or moved to another date, takes a new slot
    at the end (the tail, merged by date when an answer holds some of it)."""

    def __init__(self, docs: Mapping[str, Doc], order: Iterable[str]) -> None:
        """``docs``: the interactions' stored documents by id; ``order``: their ids by (date, id)."""
        self.rids: list[str | None] = []  # by slot (None: deleted since)
        self.dates: list[str] = []  # by slot: sorted up to ``built``
        self.slots: dict[str, int] = {}
        words: dict[str, Postings] = {}
        tags: dict[str, Postings] = {}
        for rid in order:
            doc = docs[rid]
            slot = self._slot(rid, _day(doc))
            _add(words, _words(doc), slot)
            if doc.get("tags"):
                _add(tags, _tags(doc), slot)
        self.built = len(self.rids)
        common = max(64, self.built // 32)
        self.words = {k: mask_of(v) if isinstance(v, list) and len(v) > common else v for k, v in words.items()}
        self.tags = {k: mask_of(v) if isinstance(v, list) and len(v) > common else v for k, v in tags.items()}
        self._sorted: list[str] | None = None  # the words in order, made again after a new word
        self.changes = 0

    def _slot(self, rid: str, day: str) -> int:
        slot = self.slots[rid] = len(self.rids)
        self.rids.append(rid)
        self.dates.append(day)
        return slot

    def update(self, rid: str, old: Doc | None, new: Doc | None) -> None:
        """Interaction ``rid`` went from ``old`` to ``new`` (None: absent)."""
        self.changes += 1
        slot = self.slots.get(rid)
        had = (_words(old), _tags(old)) if old is not None and slot is not None else (set(), set())
        if slot is not None and (new is None or _day(new) != self.dates[slot]):
            # Gone, or moved in time: its slot is emptied (a moved one takes a new slot at the end).
            _remove(self.words, had[0], slot)
            _remove(self.tags, had[1], slot)
            self.rids[slot] = None
            del self.slots[rid]
            slot, had = None, (set(), set())
        if new is None:
            return
        if slot is None:
            slot = self._slot(rid, _day(new))
        new_words, new_tags = _words(new), _tags(new)
        _remove(self.words, had[0] - new_words, slot)
        _remove(self.tags, had[1] - new_tags, slot)
        added = new_words - had[0]
        if any(w not in self.words for w in added):
            self._sorted = None
        _add(self.words, added, slot)
        _add(self.tags, new_tags - had[1], slot)

    def prefixed(self, prefix: str) -> int:
        """The mask of the interactions with a word starting with ``prefix`` (folded)."""
        if self._sorted is None:
            self._sorted = sorted(self.words)
        keys = self._sorted
        lo = bisect.bisect_left(keys, prefix)
        hi = bisect.bisect_left(keys, prefix + _TOP, lo)
        mask, rare = 0, list[int]()
        for key in keys[lo:hi]:
            held = self.words.get(key, ())  # (a word since removed is still in the sorted list)
            if isinstance(held, int):
                mask |= held
            else:
                rare.extend(held)
        return mask | mask_of(rare)

    def tagged(self, tag: str) -> int:
        """The mask of the interactions with the tag (folded, without '#')."""
        held = self.tags.get(tag, 0)
        return held if isinstance(held, int) else mask_of(held)

    def mask_of_ids(self, rids: Iterable[str]) -> int:
        slots = self.slots
        return mask_of(slots[rid] for rid in rids if rid in slots)

    def ordered(self, mask: int, date_from: str = "", date_to: str = "") -> list[str]:
        """The ids of a mask's interactions dated ``date_from``..``date_to`` (inclusive days,
        "": open), oldest first by (date, id): C-speed selections, then the tail merged in."""
        picked = bin(mask)[:1:-1].encode().translate(_BITS)  # one byte a slot, lowest first
        built, dates = self.built, self.dates
        high = date_to + _TOP if date_to else ""
        lo = bisect.bisect_left(dates, date_from, 0, built) if date_from else 0
        hi = bisect.bisect_left(dates, high, lo, built) if high else built
        out: list[str] = list(compress(self.rids[lo:hi], picked[lo:hi]))  # type: ignore[arg-type]
        tail = [
            (dates[s], cast(str, self.rids[s])) for s in compress(range(built, len(picked)), picked[built:])
            if (not date_from or dates[s] >= date_from) and (not high or dates[s] < high)
        ]
        if tail:
            days = list(compress(dates[lo:hi], picked[lo:hi]))
            for day, rid in sorted(tail):
                at = bisect.bisect_left(days, day)
                at = bisect.bisect_left(out, rid, at, bisect.bisect_right(days, day, at))
                out.insert(at, rid)
                days.insert(at, day)
        return out
