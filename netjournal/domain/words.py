"""Whole words and their forms: how who-knows-what and the pairing of open asks match text.

A word is a run of letters and digits in the folded text (case and accents ignored: see
:func:`folded`). A query word matches a word of a text when the two are the same word or
share their English stem (the Snowball "english" stemmer: design, designs, designer and
designing all stem to "design"). So "ai" never matches inside "fundraising", "go" inside
"negotiation" or "co" (of "co-founder") inside "coffee"; "partner" is not "partnerships".
Words that are not plain ASCII letters (other scripts, words with digits) match only
themselves: the stemmer knows English only.

Searching a long text stays in C: every word that can share a stem with the query word
starts with that stem less its last letter (Snowball only ever rewrites the stem's last
letter: happy/happi, hope/hoping, possible/possibility), so a regular expression beginning
with that literal finds the candidates and only they are stemmed (each distinct word once).
"""

from __future__ import annotations

import re
import threading
from functools import lru_cache
from typing import Any

from netjournal.domain.text import fold

WORD = re.compile(r"[^\W_]+")

_lock = threading.Lock()


def folded(text: str) -> str:
    """Case and accents ignored ("Éva" -> "eva"), fast for plain ASCII."""
    return text.lower() if text.isascii() else fold(text)


def words(text: str) -> list[str]:
    """The folded words of ``text``, in order ("Co-founder, UX" -> co, founder, ux)."""
    return WORD.findall(folded(text))


@lru_cache(maxsize=1)
def _stemmer() -> Any:
    import snowballstemmer  # imported on first use: commands that match no words start faster

    return snowballstemmer.stemmer("english")


def _stemmable(word: str) -> bool:
    return len(word) > 2 and word.isascii() and word.isalpha()


@lru_cache(maxsize=1 << 16)
def stem(word: str) -> str:
    """The English stem of a folded word ("designing" -> "design"); words of one or two
    letters and words that are not plain ASCII letters are their own stem."""
    if not _stemmable(word):
        return word
    with _lock:  # the pure-Python stemmer keeps its state on the object
        out: str = _stemmer().stemWord(word)
    return out


def same_word(a: str, b: str) -> bool:
    """Two folded words are the same word or forms of one ("design", "designers")."""
    return a == b or stem(a) == stem(b)


def prefix(term: str) -> str:
    """What every word that may be a form of ``term`` starts with (its stem less the last letter)."""
    root = stem(term)
    return root[:-1] if _stemmable(term) and len(root) > 1 else root


@lru_cache(maxsize=512)
def _candidates(term: str) -> re.Pattern[str]:
    """Whole words of a folded text that may be forms of ``term``."""
    lit = re.escape(prefix(term))
    # The literal comes first so the search for it runs at C speed; the look-behind after
    # it checks that it starts a word.
    return re.compile(f"{lit}(?<![^\\W_]{lit})[^\\W_]*")


def count(term: str, text: str) -> int:
    """How many words of the folded ``text`` are ``term`` or a form of it."""
    root = stem(term)
    n = 0
    for w in _candidates(term).findall(text):
        if w == term or stem(w) == root:
            n += 1
    return n


def found(term: str, text: str) -> bool:
    """True if a word of the folded ``text`` is ``term`` or a form of it."""
    root = stem(term)
    return any(w == term or stem(w) == root for w in _candidates(term).findall(text))
