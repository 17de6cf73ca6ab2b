"""The words and tags of the interactions, for a search as you type (see domain/query.py).

Each distinct folded word of the texts (:func:`netjournal.domain.query.words`) has its
postings, the ids of the interactions that hold it; a sorted list of the words answers a
prefix by bisection ("pric" -> pricing, prices...), and the union of their postings is the
set of matches (100,000 interactions: a few milliseconds for a prefix most texts hold). The
tags have postings of their own. Built once (a pass over the texts, under a second at
100,000), then kept up to date from each change (:meth:`update`): only the words a change
adds or removes are touched.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Mapping
from typing import Any

from netjournal.domain.query import WORD, folded, tag_key

Doc = Mapping[str, Any]
_TOP = "\U0010ffff"
MAX_CHANGES = 1000  # after this many changes a rebuild costs less than more updates (see Indexes)


def _words(doc: Doc) -> set[str]:
    text = doc.get("text")
    return set(WORD.findall(folded(text))) if isinstance(text, str) and text else set()


def _tags(doc: Doc) -> set[str]:
    return {k for t in doc.get("tags") or () if isinstance(t, str) and (k := tag_key(t))}


def _add(postings: dict[str, list[str]], keys: Iterable[str], rid: str) -> None:
    for key in keys:
        lst = postings.get(key)
        if lst is None:
            postings[key] = [rid]
        else:
            lst.append(rid)


def _remove(postings: dict[str, list[str]], keys: Iterable[str], rid: str) -> None:
    for key in keys:
        lst = postings.get(key)
        if lst is not None and rid in lst:
            lst.remove(rid)
            if not lst:
                del postings[key]


class WordIndex:
    """Postings of words and tags (see the module docstring)."""

    def __init__(self, docs: Mapping[str, Doc]) -> None:
        """``docs``: the interactions' stored documents by id."""
        self.words: dict[str, list[str]] = {}
        self.tags: dict[str, list[str]] = {}
        for rid, doc in docs.items():
            _add(self.words, _words(doc), rid)
            if doc.get("tags"):
                _add(self.tags, _tags(doc), rid)
        self._sorted: list[str] | None = None  # the words in order, made again after a new word
        self.changes = 0

    def update(self, rid: str, old: Doc | None, new: Doc | None) -> None:
        """Interaction ``rid`` went from ``old`` to ``new`` (None: absent)."""
        self.changes += 1
        old_words, new_words = (_words(old) if old else set()), (_words(new) if new else set())
        old_tags, new_tags = (_tags(old) if old else set()), (_tags(new) if new else set())
        _remove(self.words, old_words - new_words, rid)
        _remove(self.tags, old_tags - new_tags, rid)
        added = new_words - old_words
        if any(w not in self.words for w in added):
            self._sorted = None
        _add(self.words, added, rid)
        _add(self.tags, new_tags - old_tags, rid)

    def prefixed(self, prefix: str) -> set[str]:
        """Ids of the interactions with a word starting with ``prefix`` (folded)."""
        if self._sorted is None:
            self._sorted = sorted(self.words)
        keys = self._sorted
        lo = bisect.bisect_left(keys, prefix)
        hi = bisect.bisect_left(keys, prefix + _TOP, lo)
        words = self.words
        out: set[str] = set()
        for key in keys[lo:hi]:
            out.update(words.get(key, ()))  # (a word since removed is still in the sorted list)
        return out

    def tagged(self, tag: str) -> set[str]:
        """Ids of the interactions with the tag (folded, without '#')."""
        return set(self.tags.get(tag, ()))
