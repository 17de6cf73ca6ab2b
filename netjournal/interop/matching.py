"""Matching an incoming person to the journal's contacts: by id, else email, else name or alias."""

from __future__ import annotations

import re
from collections.abc import Container, Iterable

from netjournal.domain.model import Contact

# How names are compared ("  Éva  MÜLLER " -> "eva muller"): the resolver's own key, so an
# import matches a person by name exactly as the capture line and the shell find them.
from netjournal.domain.people import name_key

_PHONE_NOISE = re.compile(r"[^\d+]")


def email_key(email: str) -> str:
    return email.strip().casefold()


def phone_key(phone: str) -> str:
    return _PHONE_NOISE.sub("", phone) or phone.strip().casefold()


class Matcher:
    """Finds the contacts an incoming person may be: by id, else email, else name or alias.

    An index maps a key to one id (a str) or, when several people share it, a list of ids:
    an import of 600,000 people keeps two keys each, and a list per key would cost more than the key."""

    def __init__(self, contacts: Iterable[Contact] = (), *, ids: Container[str] | None = None) -> None:
        """``ids``: where the ids of every contact added are already kept (else a set here)."""
        self._own_ids: set[str] | None = set() if ids is None else None
        self.ids: Container[str] = self._own_ids if self._own_ids is not None else ids  # type: ignore[assignment]
        self.by_email: dict[str, str | list[str]] = {}
        self.by_name: dict[str, str | list[str]] = {}
        for c in contacts:
            self.add(c)

    def add(self, c: Contact) -> None:
        if self._own_ids is not None:
            self._own_ids.add(c.id)
        for e in c.emails:
            key = email_key(e)
            _index(self.by_email, e if key == e else key, c.id)  # (the address itself, when it can be)
        for n in (c.name, *c.aliases):
            _index(self.by_name, name_key(n), c.id)

    def find(self, c: Contact) -> list[str]:
        if c.id and c.id in self.ids:
            return [c.id]
        found: list[str] = []
        for e in c.emails:
            for cid in _ids(self.by_email, email_key(e)):
                _append_once(found, cid)
        if found:
            return found
        return _ids(self.by_name, name_key(c.name))


def _index(index: dict[str, str | list[str]], key: str, cid: str) -> None:
    have = index.get(key)
    if have is None:
        index[key] = cid
    elif isinstance(have, str):
        if have != cid:
            index[key] = [have, cid]
    else:
        _append_once(have, cid)


def _ids(index: dict[str, str | list[str]], key: str) -> list[str]:
    have = index.get(key)
    return [] if have is None else [have] if isinstance(have, str) else list(have)


def _append_once(items: list[str], value: str) -> None:
    if value not in items:
        items.append(value)
