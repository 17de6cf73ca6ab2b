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


def told_apart(people: list[tuple[str, str, str]]) -> list[str]:
    """How to name each of (id, name, organisation) in a list where some may share a name:
    the name alone, or for a name that repeats (ignoring case, accents and spacing) the name
    with the id, which resolves, and the organisation: "Ana Silva (c-1a2b…, Acme)"."""
    keys = [fold(" ".join(name.split())) for _, name, _ in people]
    return [
        f"{name} ({', '.join(filter(None, [rid, org]))})" if keys.count(key) > 1 else name
        for (rid, name, org), key in zip(people, keys, strict=True)
    ]
