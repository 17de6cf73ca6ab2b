"""Text helpers: accent- and case-insensitive folding, slugs, tag words."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_NON_SLUG = re.compile(r"[^0-9a-z]+")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


@lru_cache(maxsize=65536)
def fold(text: str) -> str:
    """Lower-case ``text`` and strip accents, so "Éva" matches "eva"."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def slug(text: str) -> str:
    """"Ana Silva" -> "ana-silva"."""
    return _NON_SLUG.sub("-", fold(text)).strip("-")


def clean_line(text: str) -> str:
    """Drop control characters (tabs and newlines become spaces): safe for one-line display."""
    return _CONTROL.sub("", text.replace("\t", " ").replace("\n", " ").replace("\r", " "))


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
