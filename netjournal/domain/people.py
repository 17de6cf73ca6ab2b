"""Finding a person from what was typed: one resolver for the capture line, the shell and the forms.

A reference names a person by id, full name, slug (``ana-silva``, ``ольга-петрова``), alias,
or first word (``ana``, ``Ольга``, ``प्रिया``) when that word is theirs alone, in any script,
ignoring case and accents (:func:`netjournal.domain.text.fold`). The steps, first hit wins:

1. the id;
2. the full name, folded (``@"ana silva"``), then its slug (``@ana-silva``);
3. an alias, folded or as a slug;
4. the first word of the name, or a slug prefix ending at a hyphen (``@ana``, ``@ana-silva``
   of "Ana Silva Costa").

Live people win over archived ones. More than one person at a step is ambiguous: the answer
lists them (up to five), a shared name told apart by the id, which always resolves. No one
is "not found", with the closest names (similar full names, aliases or single words, then
names containing the reference).

Names in messages are isolated (:func:`netjournal.domain.text.isolate`): a right-to-left
name keeps its order among the English words around it.

Mention tokens (``@name``) are made of letters, marks and digits in any script, joined by
``-``, ``'``, ``’``, ``.``, ``_``, ``·``, the Hebrew geresh and gershayim and the zero-width
(non-)joiners; :func:`mention_ref` cuts a raw token to that.
"""

from __future__ import annotations

import difflib
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

from netjournal.domain.model import Contact
from netjournal.domain.text import fold, isolate, slug, told_apart, unique

_T = TypeVar("_T")
SHOWN = 5  # candidates listed in an ambiguity message
JOINERS = frozenset("-'’._·\u05f3\u05f4\u200c\u200d")
_TRAILING = ".'’-·\u200c\u200d"


def mention_ref(raw: str) -> str:
    """The name in a raw ``@`` token: letters, marks, digits and joiners up to the first other
    character, without a trailing joiner or possessive ("ana's," -> "ana"; "प्रिया," -> "प्रिया")."""
    end = 0
    for ch in raw:
        if ch.isalnum() or ch in JOINERS or unicodedata.category(ch)[0] == "M":
            end += 1
        else:
            break
    ref = raw[:end]
    if ref[-2:] in ("'s", "’s"):
        ref = ref[:-2]
    return ref.rstrip(_TRAILING)


def name_key(text: str) -> str:
    """A name folded, its spaces collapsed: what two spellings of one name share."""
    folded = text.lower() if text.isascii() else fold(text)
    return " ".join(folded.split())


@dataclass(frozen=True, slots=True)
class Resolution:
    """What a reference names: a person, or the candidates (labels to show) and why not."""

    contact: Contact | None
    candidates: tuple[str, ...] = ()  # closest names (unknown) or the possible people (ambiguous), isolated
    ambiguous: bool = False
    shared: bool = False  # some of those people share a name (told apart by id)
    ids: tuple[str, ...] = ()  # every person it could be (ambiguous), in the order shown


Resolver = Callable[[str], Resolution]


class ContactIndex:
    """Resolves references against a list of contacts (see the module docstring). Build it once
    per journal revision; it caches answers.

    ``contacts`` may be Contact records or their stored documents (dicts): documents are
    turned into records only when they match, which keeps a one-shot command fast."""

    def __init__(self, contacts: Iterable[Contact | Mapping[str, Any]]) -> None:
        self._names: dict[str, str] = {}
        self._aliases: dict[str, tuple[str, ...]] = {}
        self._archived: set[str] = set()
        self._made: dict[str, Contact] = {}
        self._docs: dict[str, Mapping[str, Any]] = {}
        self._tables: tuple[dict[str, list[str]], ...] = ({}, {}, {}, {})  # name, slug, alias, prefix
        self._words: dict[str, list[str]] | None = None
        for c in contacts:
            if isinstance(c, Contact):
                cid, name, aliases, archived = c.id, c.name, tuple(c.aliases), c.archived
                self._made[cid] = c
            else:
                cid, name = str(c.get("id", "")), str(c.get("name", ""))
                aliases, archived = tuple(c.get("aliases") or ()), bool(c.get("archived"))
                self._docs[cid] = c
            self._names[cid] = name
            self._aliases[cid] = aliases
            if archived:
                self._archived.add(cid)
            self._add(cid, name, aliases)
        self._cache: dict[str, Resolution] = {}

    def _add(self, cid: str, name: str, aliases: tuple[str, ...]) -> None:
        by_name, by_slug, by_alias, by_prefix = self._tables
        key, name_slug = name_key(name), slug(name)
        # An empty key (a name with no letters has no slug) must not match every other such name.
        if key:
            by_name.setdefault(key, []).append(cid)
            by_prefix.setdefault(key.split(" ", 1)[0], []).append(cid)
        if name_slug:
            by_slug.setdefault(name_slug, []).append(cid)
            at = name_slug.find("-")
            while at > 0:
                by_prefix.setdefault(name_slug[:at], []).append(cid)
                at = name_slug.find("-", at + 1)
        for alias in aliases:
            for k in {name_key(alias), slug(alias)}:
                if k:
                    by_alias.setdefault(k, []).append(cid)

    def contact(self, cid: str) -> Contact:
        made = self._made.get(cid)
        if made is None:
            made = self._made[cid] = Contact.from_dict(dict(self._docs[cid]))
        return made

    def __call__(self, ref: str) -> Resolution:
        ref = ref.strip()
        hit = self._cache.get(ref)
        if hit is None:
            hit = self._cache[ref] = self._resolve(ref)
        return hit

    def _resolve(self, ref: str) -> Resolution:
        if not ref:
            return Resolution(None)
        if ref in self._names:
            return Resolution(self.contact(ref))
        key, skey = name_key(ref), slug(ref)
        by_name, by_slug, by_alias, by_prefix = self._tables
        steps = ([by_name.get(key, [])], [by_slug.get(skey, [])], [by_alias.get(key, []), by_alias.get(skey, [])],
                 [by_prefix.get(key, []), by_prefix.get(skey, [])])
        for found in (unique(cid for hits in step for cid in hits) for step in steps):
            if found:
                return self._answer(found)
        return Resolution(None, tuple(isolate(name) for name in self.closest(ref)))

    def _answer(self, found: list[str]) -> Resolution:
        live = [cid for cid in found if cid not in self._archived] or found
        if len(live) == 1:
            return Resolution(self.contact(live[0]))
        live.sort(key=lambda cid: (name_key(self._names[cid]), cid))
        labels = self._labels(live)
        shared = labels != tuple(isolate(self._names[cid]) for cid in live)
        return Resolution(None, labels[:SHOWN], ambiguous=True, shared=shared, ids=tuple(live))

    def _labels(self, ids: list[str]) -> tuple[str, ...]:
        """Their names, a shared one told apart by the id (which a mention takes: ``@c-...``)."""
        return tuple(told_apart([(cid, isolate(self._names[cid]), self._org(cid)) for cid in ids]))

    def _org(self, cid: str) -> str:
        made = self._made.get(cid)
        return made.org if made is not None else str(self._docs[cid].get("org") or "")

    def closest(self, ref: str, n: int = 3) -> list[str]:
        """Names near ``ref``: similar full names, aliases or single words of a name, then names containing it."""
        if self._words is None:
            self._words = {}
            for cid, name in self._names.items():
                key = name_key(name)
                for k in {key, *key.split(), *(name_key(a) for a in self._aliases[cid])}:
                    self._words.setdefault(k, []).append(name)
        words = self._words
        key = name_key(ref)
        found = [name for m in difflib.get_close_matches(key, list(words), n=n * 2, cutoff=0.6) for name in words[m]]
        if key:
            found += [name for name in self._names.values() if key in name_key(name)]
        return unique(found)[:n]


def ambiguous_message(label: str, found: Resolution, hint: str) -> str:
    """``label`` could be A, B, C[ and N more]: be more specific[ (``hint``, for a shared name)]."""
    more = f" and {len(found.ids) - len(found.candidates)} more" if len(found.ids) > len(found.candidates) else ""
    shared = f" ({hint})" if found.shared else ""
    return f"{label} could be {', '.join(found.candidates)}{more}: be more specific{shared}"


def not_found_message(ref: str, found: Resolution) -> str:
    """no contact named 'ref'[ (did you mean A, B?)]."""
    hint = f" (did you mean {', '.join(found.candidates)}?)" if found.candidates else ""
    return f"no contact named {quoted(ref)}{hint}"


def quoted(text: str) -> str:
    """``repr(text)`` (quotes, escapes), its inside isolated when it is right to left."""
    shown = repr(text)
    return f"{shown[0]}{isolate(shown[1:-1])}{shown[-1]}"


def contact_haystack(c: Contact) -> str:
    """What filtering people as you type looks in: name, aliases, organisation, tags (folded)."""
    return fold(" ".join([c.name, *c.aliases, c.org, *c.tags]))
