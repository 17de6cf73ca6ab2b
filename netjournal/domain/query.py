"""The search grammar, shared by ``netjournal search`` and the app's ``/`` in the interactions pane.

A query is terms separated by spaces; an interaction must match every term:

- a word (``pric``, ``résumé``): a word of its text starts with it, case and accents ignored
  ("pric" finds "Pricing", "resume" finds "Résumé"; "ricing" finds nothing). In scripts
  written without spaces between words (Chinese, Japanese, Thai, Lao, Khmer, Myanmar,
  Tibetan) a word is found anywhere in the text;
- ``@name``, ``@ana-silva`` or ``@"Ana Silva"``: with that person (the one resolver of names,
  :mod:`netjournal.domain.people`: any script, first name, slug, alias or id);
- ``#tag``: has that tag (case and accents ignored);
- a period: ``2026``-style years, months (``2026-03``) or days (``2026-03-05``) joined by
  ``..``: ``2026-03..2026-05`` (March to May), ``2026-03..`` (since March), ``..2025``
  (until the end of 2025). A month or a day alone (``2026-03``) is that month or day.

Words are split like the texts (:func:`words`): ``follow-up`` is the words "follow" and "up".
The parser is pure: people are resolved by the :class:`Resolver` it is given; a problem (an
unknown or ambiguous person, a date that does not exist) is one line in :attr:`Query.error`.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from netjournal.domain.people import Resolver, ambiguous_message, mention_ref, not_found_message
from netjournal.domain.text import fold, isolate

# A word: letters and digits in any script with the marks that belong to them (Devanagari's
# vowel signs and virama, Arabic's...) and the zero-width (non-)joiners inside Indic words.
_MARKS = (
    "\u0300-\u036f\u0483-\u0489\u0591-\u05c7\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed"
    "\u0900-\u0963\u0966-\u0dff\u1ab0-\u1aff\u1dc0-\u1dff\u200c\u200d\u20d0-\u20ff\ufe20-\ufe2f"
)
WORD = re.compile(f"(?:[^\\W_]|[{_MARKS}])+")
# Scripts written without spaces between words: a query word in them is found anywhere.
_SPACELESS = re.compile(
    "[\u0e00-\u0eff\u0f00-\u0fff\u1000-\u109f\u1780-\u17ff\u2e80-\u2fdf\u3040-\u30ff\u3100-\u31ff"
    "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]"
)
_TERM = re.compile(r'@"(?P<quoted>[^"]*)(?P<close>"?)|(?P<raw>\S+)')
_DAY = r"\d{4}(?:-\d{1,2}(?:-\d{1,2})?)?"
_PERIOD = re.compile(f"(?P<start>{_DAY})?\\.\\.(?P<end>{_DAY})?|(?P<alone>\\d{{4}}-\\d{{1,2}}(?:-\\d{{1,2}})?)")

QUERY_HELP: list[tuple[str, str]] = [
    ("pric résumé", "Words: each starts a word of the text (case and accents ignored)"),
    ('@ana  @"Ana Silva"', "With that person (name, slug, alias or id; quote a name with spaces)"),
    ("#design", "With that tag"),
    ("2026-03..2026-05", "A period: years, months or days; 2026-03.. since, ..2025 until; 2026-03 one month"),
]
PLACEHOLDER = "/ search: words, @person, #tag, 2026-03..2026-05"


@lru_cache(maxsize=256)
def _word_start(word: str) -> re.Pattern[str]:
    """``word`` where a word starts (no letter, digit or mark before it)."""
    return re.compile(f"(?<![^\\W_])(?<![{_MARKS}]){re.escape(word)}")


def folded(text: str) -> str:
    return text.lower() if text.isascii() else fold(text)


def words(text: str) -> list[str]:
    """The folded words of ``text``, in order ("Follow-up, Résumé" -> follow, up, resume)."""
    return WORD.findall(folded(text))


def tag_key(text: str) -> str:
    """A tag as a search compares it: "#Design," -> "design"."""
    return folded(text.strip().lstrip("#").rstrip(",.;:!?"))


def spaceless(word: str) -> bool:
    """Is ``word`` (partly) in a script written without spaces between words?"""
    return word.isascii() is False and _SPACELESS.search(word) is not None


@dataclass(frozen=True)
class Query:
    """What a search asks for (every part must match); ``error``: why it cannot run."""

    text: str = ""
    words: tuple[str, ...] = ()  # folded, each a word prefix (or a substring: see spaceless)
    people: tuple[str, ...] = ()  # contact ids
    tags: tuple[str, ...] = ()  # folded, without '#'
    date_from: str = ""  # "YYYY-MM-DD", inclusive ("" open)
    date_to: str = ""
    error: str = ""
    names: tuple[str, ...] = field(default=(), compare=False)  # the people as written, for messages

    @property
    def empty(self) -> bool:
        """Nothing to filter on: every interaction matches."""
        return not (self.words or self.people or self.tags or self.date_from or self.date_to)

    def matches_text(self, text: str) -> bool:
        """Does ``text`` hold every word (as a word prefix, or anywhere for a spaceless one)?"""
        if not self.words:
            return True
        body = folded(text)
        return all((w in body) if spaceless(w) else _word_start(w).search(body) is not None for w in self.words)

    def matches(self, doc: Mapping[str, Any]) -> bool:
        """Does a stored interaction (its document) match every part?"""
        day = doc.get("date")
        day = day[:10] if isinstance(day, str) else ""
        if (self.date_from and day < self.date_from) or (self.date_to and day > self.date_to):
            return False
        ids = doc.get("contact_ids") or ()
        if any(p not in ids for p in self.people):
            return False
        if self.tags:
            have = {folded(t) for t in doc.get("tags") or () if isinstance(t, str)}
            if any(t not in have for t in self.tags):
                return False
        text = doc.get("text")
        return self.matches_text(text if isinstance(text, str) else "")


def parse_query(text: str, resolve: Resolver | None = None) -> Query:
    """Read ``text`` (see the module docstring). ``resolve`` finds people; without it an
    ``@name`` is an error. Also for a bad period: the first problem, as one line."""
    found_words: list[str] = []
    people: list[str] = []
    names: list[str] = []
    tags: list[str] = []
    period: tuple[str, str] | None = None
    for m in _TERM.finditer(text):
        raw = m.group("raw")
        problem = ""
        if raw is None:  # @"a quoted name"
            ref = " ".join(m.group("quoted").split())
            if not m.group("close") or not ref:
                problem = f'{m.group(0)}: close the quote, as in @"Ana Silva"'
            else:
                problem = _person(ref, f'@"{ref}"', resolve, people, names)
        elif raw.startswith("@"):
            ref = mention_ref(raw[1:])
            problem = _person(ref, f"@{ref}", resolve, people, names) if ref else ""
        elif raw.startswith("#"):
            key = tag_key(raw)
            if key and key not in tags:
                tags.append(key)
        elif (pm := _PERIOD.fullmatch(raw)) is not None:
            if period is not None:
                problem = f"one period at a time ({raw} is a second one): 2026-03..2026-05"
            else:
                period, problem = _period(pm)
        else:
            found_words.extend(w for w in words(raw) if w not in found_words)
        if problem:
            return Query(text, error=problem)
    start, end = period or ("", "")
    return Query(text, tuple(found_words), tuple(people), tuple(tags), start, end, names=tuple(names))


def _person(ref: str, label: str, resolve: Resolver | None, people: list[str], names: list[str]) -> str:
    if resolve is None:
        return f"{label}: no people to search by"
    found = resolve(ref)
    if found.contact is not None:
        if found.contact.id not in people:
            people.append(found.contact.id)
            names.append(found.contact.name)
        return ""
    if found.ambiguous:
        return ambiguous_message(isolate(label), found, "a shared name: write @ and the id")
    return not_found_message(ref, found)


def _period(m: re.Match[str]) -> tuple[tuple[str, str] | None, str]:
    """(first day, last day) of a period, or (None, the problem)."""
    alone = m.group("alone")
    start_raw, end_raw = (alone, alone) if alone else (m.group("start"), m.group("end"))
    if not start_raw and not end_raw:
        return None, "a period needs a date on one side at least: 2026-03.., ..2025, 2026-03..2026-05"
    try:
        start = _day(start_raw, first=True) if start_raw else ""
        end = _day(end_raw, first=False) if end_raw else ""
    except ValueError as exc:
        return None, str(exc)
    if start and end and start > end:
        return None, f"{m.group(0)}: the period ends before it starts"
    return (start, end), ""


def _day(raw: str, *, first: bool) -> str:
    """The first (or last) day of a year, month or day written as digits ("2026-02" -> 2026-02-28)."""
    parts = [int(p) for p in raw.split("-")]
    year, month = parts[0], parts[1] if len(parts) > 1 else (1 if first else 12)
    if year < 1:
        raise ValueError(f"no such date: {raw}")
    if not 1 <= month <= 12:
        raise ValueError(f"no such month: {raw}")
    last = calendar.monthrange(year, month)[1]
    day = parts[2] if len(parts) > 2 else (1 if first else last)
    if not 1 <= day <= last:
        raise ValueError(f"no such date: {raw}")
    return f"{year:04d}-{month:02d}-{day:02d}"


def combine(query: Query, *, people: Iterable[str] = (), tags: Iterable[str] = (), date_from: str = "",
            date_to: str = "", names: Sequence[str] = ()) -> Query:
    """``query`` narrowed by filters given apart (the shell's ``--with``, ``--tag``, ``--from``, ``--to``)."""
    all_people = tuple(dict.fromkeys([*query.people, *people]))
    all_tags = tuple(dict.fromkeys([*query.tags, *filter(None, map(tag_key, tags))]))
    start = max(query.date_from, date_from)
    ends = [d for d in (query.date_to, date_to) if d]
    return Query(query.text, query.words, all_people, all_tags, start, min(ends) if ends else "", query.error,
                 names=(*query.names, *names))


def match_spans(line: str, query: Query) -> list[tuple[int, int]]:
    """Where ``line`` (as shown) holds the query's words: (start, end) of each matching word
    (the whole word a prefix starts; a spaceless word where it stands), in order."""
    if not query.words:
        return []
    prefixes = [w for w in query.words if not spaceless(w)]
    inside = [w for w in query.words if spaceless(w)]
    spans: list[tuple[int, int]] = []
    for m in WORD.finditer(line):
        token = m.group()
        key = folded(token)
        if any(key.startswith(w) for w in prefixes):
            spans.append(m.span())
            continue
        for w in inside:
            spans.extend(_inside(token, key, w, m.start()))
    return sorted(spans)


def _inside(token: str, key: str, word: str, offset: int) -> list[tuple[int, int]]:
    if word not in key:
        return []
    if len(key) != len(token):  # folding changed the length: the whole word, not a part
        return [(offset, offset + len(token))]
    out, at = [], key.find(word)
    while at != -1:
        out.append((offset + at, offset + at + len(word)))
        at = key.find(word, at + len(word))
    return out
