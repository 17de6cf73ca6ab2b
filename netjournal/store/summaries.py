"""What the morning views need of the history, recorded in the snapshot when it is written.

``netjournal who`` counts, per person, the words of their interactions that are a query word
or a form of it; ``today`` and ``asks`` need the interactions with a follow-up or a need. Both
would parse 100,000 interactions. So each snapshot records, in ``_meta.snapshot.summary``
(written with the interactions' bytes it describes, and rewritten at every fold: a netjournal
that does not know it leaves it out of the next snapshot):

* ``people`` and ``words``: every word of every person's interactions (text and tags, folded
  as who-knows-what folds them: :func:`haystack`) with its count,
  as text: one line per word, ``word<TAB>person:count,person:count``, a person being their
  position in ``people``. A query word's candidates (the words starting with its stem less
  its last letter: :func:`netjournal.domain.words.prefix`) are found by one search of that
  text, and counted as :func:`netjournal.domain.words.count` counts them in the full text;
* ``flagged``: where each line holding a follow-up or a need starts in the interactions' bytes.

Readers apply the change log's newer lines: a record changed since the snapshot counts as
it is now, less what its version in the snapshot counted (found by a search of the bytes, a
few at most). A snapshot without a summary (written by an older netjournal, or by a big
import's streamed fold, which never holds the table), or one changed outside netjournal (read
whole), is answered by the full views.

:func:`favours_since` reads the favours of a window (the reciprocity's) from their lines.
"""

from __future__ import annotations

import gc
import re
from collections import Counter
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, NamedTuple

import orjson

from netjournal.domain import words
from netjournal.store import dated_lines

if TYPE_CHECKING:
    from netjournal.store.lazytable import LazyTable

VERSION = 1
LOOKUPS = 8  # records changed since the snapshot whose old version is searched for, at most
Doc = dict[str, Any]
_FLAGGED = re.compile(rb'"follow_up":"[^"]|"asks":\[[^\]]')  # a set follow-up, or a non-empty list of asks
# ASCII text as who-knows-what reads it: letters lower-cased, letters and digits kept, the rest separates.
_ASCII_WORDS = bytes(
    c + 32 if 65 <= c <= 90 else c if (97 <= c <= 122 or 48 <= c <= 57) else 32 for c in range(256)
)


# --- writing -------------------------------------------------------------------------------------


def haystack(d: Doc) -> str:
    """What who-knows-what reads of an interaction (its text and tags), folded."""
    tags = d.get("tags") or ()
    return words.folded(" ".join([d.get("text") or "", *tags]) if tags else d.get("text") or "")


def record(table: dict[str, Doc], tail: bytes) -> dict[str, Any]:
    """The summary of ``table`` (the interactions), whose bytes in the snapshot are ``tail``."""
    people, text = word_index(table)
    return {"version": VERSION, "people": people, "words": text, "flagged": flagged_lines(tail)}


def _bag(hays: list[str]) -> Counter[str]:
    """The words of a person's interactions, counted (``words.WORD`` in each folded text)."""
    text = "\n".join(hays)
    if text.isascii():  # (folded: lower-cased; words: runs of letters and digits)
        found = Counter(text.encode().translate(_ASCII_WORDS).split())
        return Counter({w.decode(): n for w, n in found.items()})
    return Counter(words.WORD.findall("\n".join(map(words.folded, hays))))


def word_index(table: dict[str, Doc]) -> tuple[list[str], str]:
    """(people, words) as the summary keeps them (see the module's docstring)."""
    enabled = gc.isenabled()
    gc.disable()  # (only acyclic strings and lists are made: see storage.deserialise)
    try:
        hays: dict[str, list[str]] = {}
        for d in table.values():
            tags, text = d.get("tags"), d.get("text") or ""
            hay = " ".join([text, *tags]) if tags else text  # (haystack, before folding)
            for cid in d.get("contact_ids") or ():
                if type(cid) is str:
                    found = hays.get(cid)
                    if found is None:
                        hays[cid] = [hay]
                    else:
                        found.append(hay)
        people = list(hays)
        postings: dict[str, list[str]] = {}
        for n, cid in enumerate(people):
            for w, count in _bag(hays[cid]).items():
                postings.setdefault(w, []).append(f"{n}:{count}")
        return people, "\n".join(f"{w}\t{','.join(p)}" for w, p in sorted(postings.items()))
    finally:
        if enabled:
            gc.enable()


def flagged_lines(tail: bytes) -> list[int]:
    """Where each line of ``tail`` (a table in the line layout) with a follow-up or asks starts."""
    out: list[int] = []
    pos, end = 2, len(tail) - 2
    while pos < end:
        hit = _FLAGGED.search(tail, pos, end)
        if hit is None:
            break
        out.append(max(tail.rfind(b"\n", 2, hit.start()) + 1, 2))
        stop = tail.find(b"\n", hit.end(), end)
        if stop < 0:
            break
        pos = stop + 1
    return out


# --- reading -------------------------------------------------------------------------------------


class _Lazy(NamedTuple):
    """The unparsed interactions of an open journal, their summary and the changes since."""

    table: LazyTable
    src: bytes
    start: int  # where the table starts in ``src``
    end: int
    latest: dict[str, Doc | None]  # each record changed since the snapshot: as it is now (None: deleted)
    summary: dict[str, Any]


def _lazy(table: LazyTable | None) -> _Lazy | None:
    summary = table.summary if table is not None else None
    if table is None or table.layout is None or type(summary) is not dict or summary.get("version") != VERSION:
        return None
    start, end = table.bounds
    return _Lazy(table, table.src, start, end, dict(table.deferred), summary)


def _is_new(lz: _Lazy, key: str, doc: Doc | None) -> bool:
    """A record made since the snapshot (as ``JournalStorage.lazy_last`` tells them)."""
    created = doc.get("created") if doc is not None else None
    written = lz.table.written
    return key in lz.table.fresh or (type(created) is str and bool(written) and created > written)


def _line_at(lz: _Lazy, at: int) -> bytes:
    stop = lz.src.find(b"\n", at, lz.end)
    return lz.src[at : lz.end if stop < 0 else stop]


def _old_versions(lz: _Lazy) -> dict[str, Doc] | None:
    """The snapshot's version of each record changed since (new ones have none); None if more
    than LOOKUPS had to be searched for, or a line does not read."""
    old: dict[str, Doc] = {}
    looked = 0
    for key, doc in lz.latest.items():
        if _is_new(lz, key, doc):
            continue
        looked += 1
        if looked > LOOKUPS:
            return None
        at = lz.src.find(orjson.dumps(key) + b":{", lz.start, lz.end)  # (only a record's key reads so)
        if at < 0:
            continue
        parsed = dated_lines.parse_line(_line_at(lz, max(lz.src.rfind(b"\n", lz.start, at) + 1, lz.start)))
        if parsed is None or parsed[0] != key:
            return None
        old[key] = parsed[1]
    return old


def _term_counts(summary: dict[str, Any], term: str) -> Counter[str]:
    """Per person id, the words of the snapshot's interactions that are ``term`` or a form of it."""
    people: list[str] = summary["people"]
    text: str = summary["words"]
    root = words.stem(term)
    counts: Counter[str] = Counter()
    # (a literal after the newline: the search skips to it at C speed, where "^" tries every place)
    for m in re.finditer(f"\n({re.escape(words.prefix(term))}[^\t\n]*)\t([^\n]*)", "\n" + text):
        w = m.group(1)
        if w == term or words.stem(w) == root:
            for item in m.group(2).split(","):
                n, count = item.split(":")
                counts[people[int(n)]] += int(count)
    return counts


def _add(counts: Counter[str], term: str, doc: Doc, sign: int) -> None:
    n = words.count(term, haystack(doc))
    if n:
        for cid in doc.get("contact_ids") or ():
            counts[cid] += sign * n


def mention_counts(table: LazyTable | None, terms: Sequence[str]) -> dict[str, Counter[str]] | None:
    """For each folded query word, per person id, how many words of their interactions are it
    or a form of it (zero counts may be kept); None if the summary cannot tell."""
    lz = _lazy(table)
    old = _old_versions(lz) if lz is not None else None
    if lz is None or old is None:
        return None
    out: dict[str, Counter[str]] = {}
    try:
        for term in terms:
            counts = _term_counts(lz.summary, term)
            for doc in old.values():
                _add(counts, term, doc, -1)
            for now in lz.latest.values():
                if now is not None:
                    _add(counts, term, now, 1)
            out[term] = counts
    except (KeyError, IndexError, TypeError, ValueError):  # not a summary this netjournal wrote
        return None
    return out


def flagged(table: LazyTable | None, keep: Callable[[str, Doc], bool], budget: int) -> list[tuple[str, Doc]] | None:
    """The interactions with a follow-up or asks that pass ``keep`` (the snapshot's, from the
    lines the summary points at, and the changes since), newest first; None if the summary
    cannot tell or more than ``budget`` lines would be read."""
    lz = _lazy(table)
    offsets = lz.summary.get("flagged") if lz is not None else None
    if lz is None or type(offsets) is not list or len(offsets) > budget:
        return None
    if not all(type(at) is int and 2 <= at < lz.end - lz.start for at in offsets):
        return None
    lines = (_line_at(lz, lz.start + at) for at in offsets)
    found = dated_lines.newest_docs(lines, keep, lz.latest, None, budget)
    return None if found is None else dated_lines.with_changes(found, lz.latest, keep, None)


def favours_since(table: LazyTable | None, since: str, budget: int) -> list[Doc] | None:
    """The favours dated on or after ``since`` (with every favour changed since the snapshot),
    from their unparsed lines; None if they are parsed already or more than ``budget`` lines
    would be read."""
    if table is None or table.layout is None:
        return None
    start, end = table.bounds
    latest: dict[str, Doc | None] = dict(table.deferred)
    lines = dated_lines.newest_lines(table.src, start, end)
    found = dated_lines.newest_docs(lines, _any, latest, None, budget, since)
    return None if found is None else [doc for _, doc in dated_lines.with_changes(found, latest, _any, None)]


def _any(_key: str, _doc: Doc) -> bool:
    return True
