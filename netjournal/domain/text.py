"""Text helpers: accent- and case-insensitive folding, slugs, tag words, isolating right-to-left names."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache
from typing import TypeVar

from netjournal.domain.safe import printable

_NON_SLUG = re.compile(r"[^0-9a-z]+")

# Folding strips accents: the combining marks on Latin, Greek and Cyrillic letters, and the
# optional vowel marks of Hebrew and Arabic. The marks of other scripts are parts of their
# letters (Devanagari's virama and vowel signs, Thai's tone marks) and stay, and so does the
# breve of Cyrillic й, ў, ӑ... (letters of their own). Format characters (joiners, direction
# marks and isolates, soft hyphens) go. The search index folds every interaction's text: the
# work is C-speed scans, with Python only where a mark is.
_LGC_MARKS = (
    "\u0300-\u036f\u0483-\u0489\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\u2de0-\u2dff\ua66f-\ua67d\ua69e\ua69f"
    "\ufe20-\ufe2f"
)
_ALWAYS = (  # Hebrew and Arabic vowel marks; format characters
    "\u0591-\u05c7\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06dc\u06df-\u06e4\u06e7\u06e8\u06ea-\u06ed"
    "\u00ad\u0600-\u0605\u061c\u06dd\u070f\u08e2\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f"
    "\ufeff\ufff9-\ufffb\U000110bd\U000110cd\U00013430-\U00013438\U0001bca0-\U0001bca3\U0001d173-\U0001d17a"
    "\U000e0001\U000e0020-\U000e007f"
)
_FOLDABLE = re.compile(f"[{_LGC_MARKS}{_ALWAYS}]+")
_ALWAYS_FOLDED = re.compile(f"[{_ALWAYS}]+")
_BREVE = "\u0306"


def _accented_base(ch: str) -> bool:
    """Is ``ch`` a Latin, Greek or Cyrillic letter (or an ASCII or Latin-1 sign), whose marks fold?"""
    cp = ord(ch)
    return (
        cp < 0x0530
        or 0x1C80 <= cp <= 0x1C8F
        or 0x1D00 <= cp <= 0x1FFF
        or 0x2C60 <= cp <= 0x2C7F
        or 0xA640 <= cp <= 0xA69F
        or 0xA720 <= cp <= 0xA7FF
        or 0xAB30 <= cp <= 0xAB6F
    )


def _strip_accents(text: str) -> str:
    """``text`` (decomposed) without its foldable marks: one scan, Python only where marks are."""
    pieces: list[str] = []
    last = 0
    for m in _FOLDABLE.finditer(text):
        start, run = m.start(), m.group()
        base = text[start - 1] if start else ""
        if base and not _accented_base(base):
            kept = _ALWAYS_FOLDED.sub("", run)  # a mark on a letter of another script is part of it
        elif run[0] == _BREVE and base and 0x0400 <= ord(base) <= 0x052F:
            start -= 1  # й, ў: letters of their own, composed here
            kept = unicodedata.normalize("NFC", base + _BREVE)
        else:
            kept = ""
        pieces += [text[last:start], kept]
        last = m.end()
    if not pieces:
        return text
    pieces.append(text[last:])
    return "".join(pieces)


@lru_cache(maxsize=65536)
def fold(text: str) -> str:
    """Lower-case ``text`` and strip accents, so "Éva" matches "eva" and "Νίκος" "ΝΙΚΟΣ"; the
    letters of other scripts stay as they are ("प्रिया", "김민준")."""
    if text.isascii():
        return text.lower()
    # Case-fold the compatibility decomposition, and decompose again: "𝘈" is "A" only once decomposed.
    decomposed = unicodedata.normalize("NFKD", unicodedata.normalize("NFKD", text).casefold())
    return unicodedata.normalize("NFC", _strip_accents(decomposed))


_FINAL_SIGMA = re.compile("(?<=[\u0370-\u03ff\u1f00-\u1fff])σ(?![\u0370-\u03ff\u1f00-\u1fff])")


@lru_cache(maxsize=65536)
def slug(text: str) -> str:
    """"Ana Silva" -> "ana-silva", "Ольга Петрова" -> "ольга-петрова", "王小明" -> "王小明": the
    folded letters, digits and marks, every other run of characters one hyphen. A name with no
    letters or digits has none ("")."""
    if text.isascii():
        return _NON_SLUG.sub("-", text.lower()).strip("-")
    out: list[str] = []
    for ch in fold(text):
        kind = unicodedata.category(ch)[0]
        if kind in "LN" or (kind == "M" and out and out[-1] != "-"):
            out.append(ch)
        elif out and out[-1] != "-":
            out.append("-")
    return _FINAL_SIGMA.sub("ς", "".join(out).strip("-"))  # folding made every sigma σ


# Unicode isolates: a right-to-left name among left-to-right text (a message, a column) is
# shown in its own order without reordering the text around it. Both are zero cells wide.
FSI = "\u2068"  # first strong isolate
PDI = "\u2069"  # pop directional isolate
_ISOLATES = re.compile("[\u2066-\u2069]")


_RTL_OR_EMBEDDING = ("R", "AL", "RLE", "RLO", "LRE", "LRO", "RLI", "LRI", "FSI", "PDI")


def right_to_left(text: str) -> bool:
    """Does ``text`` hold a right-to-left letter (Hebrew, Arabic...) or a direction control?"""
    if text.isascii():
        return False
    return any(unicodedata.bidirectional(ch) in _RTL_OR_EMBEDDING for ch in text)


def isolate(text: str) -> str:
    """``text`` between FSI and PDI if it is right to left (or holds direction controls), else as
    it is. Isolate controls inside it are dropped, so it cannot close its isolate early."""
    if not right_to_left(text):
        return text
    return f"{FSI}{_ISOLATES.sub('', text)}{PDI}"


def clean_line(text: str) -> str:
    """One line, safe to show: tabs and line breaks become spaces, other control characters
    visible stand-ins, bidi overrides and unbalanced isolates go (see
    :func:`netjournal.domain.safe.printable`)."""
    if "\t" in text or "\n" in text or "\r" in text:
        text = text.replace("\t", " ").replace("\n", " ").replace("\r", " ")
    return printable(text, keep="")


def split_tags(text: str) -> list[str]:
    """Tags typed as words: "#python, design  ux" -> ["python", "design", "ux"]."""
    out: list[str] = []
    for word in re.split(r"[\s,]+", text):
        word = word.strip().lstrip("#")
        if word and word not in out:
            out.append(word)
    return out


def first_line(text: str) -> str:
    for line in text.splitlines():
        if line.strip():
            return line.strip()
    return ""


_MARKS = re.compile(r"^(?:#{1,6}(?:\s+|$)|>\s*|[-*+]\s+(?:\[[ xX]\]\s+)?|\d+[.)]\s+)+")
_EMPHASIS = re.compile(r"(\*\*|__|`)")


def first_words(text: str) -> str:
    """The first line of a Markdown note as words: without heading, quote or list marks and
    emphasis ("## Lunch with **Ana**" -> "Lunch with Ana")."""
    for line in text.splitlines():
        words = _EMPHASIS.sub("", _MARKS.sub("", line.strip())).strip()
        if words:
            return words
    return ""


def told_apart(people: list[tuple[str, str, str]]) -> list[str]:
    """How to name each of (id, name, organisation) in a list where some may share a name:
    the name alone, or for a name that repeats (ignoring case, accents and spacing) the name
    with the id, which resolves, and the organisation: "Ana Silva (c-1a2b…, Acme)"."""
    keys = [fold(" ".join(name.split())) for _, name, _ in people]
    return [
        f"{name} ({', '.join(filter(None, [rid, org]))})" if keys.count(key) > 1 else name
        for (rid, name, org), key in zip(people, keys, strict=True)
    ]


_MANY = {"person": "people", "entry": "entries", "reply": "replies"}


def counted(n: int, word: str, many: str = "") -> str:
    """``n`` and the word, singular for exactly one: "1 interaction", "2 interactions",
    "1 person", "3 people", "1,200 favours"."""
    if n == 1:
        return f"1 {word}"
    return f"{n:,} {many or _MANY.get(word) or word + 's'}"


def record_counts(c: dict[str, int]) -> str:
    """"2 contacts, 1 interaction, 0 favours" from counts by table."""
    return ", ".join(counted(c.get(t, 0), t[:-1]) for t in ("contacts", "interactions", "favours"))


_T = TypeVar("_T")


def unique(items: Iterable[_T]) -> list[_T]:
    """``items`` in order, each once (by equality: records need not be hashable)."""
    out: list[_T] = []
    for item in items:
        if item not in out:
            out.append(item)
    return out
