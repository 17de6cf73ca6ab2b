"""Combining two versions of a person, and saying what changed between two records.

The one rule of every import and merge: what the journal holds is never overwritten; what
the other side adds (a new email, an empty field filled) is kept.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from typing import Any

from netjournal.domain.model import Contact, Record
from netjournal.domain.people import name_key
from netjournal.domain.text import fold
from netjournal.interop.matching import email_key, phone_key

LIST_FIELDS = ("aliases", "emails", "phones", "tags", "asks")
TEXT_FIELDS = ("org", "role", "how_met")


def _union(base: list[str], extra: Iterable[str], key: Any) -> list[str]:
    out = list(base)
    seen = {key(v) for v in out}
    for v in extra:
        k = key(v)
        if v.strip() and k not in seen:
            seen.add(k)
            out.append(v)
    return out


def _better_birthday(mine: str, theirs: str) -> str:
    """Keep ours, but a full date beats the same day without a year."""
    if not mine:
        return theirs
    if mine.startswith("--") and theirs and not theirs.startswith("--") and theirs[4:] == mine[1:]:
        return theirs
    return mine


def fold_into(base: Contact, incoming: Contact) -> Contact:
    """``base`` completed with what ``incoming`` adds. Never overwrites a value ``base`` has.

    Another name becomes an alias; emails, phones, aliases, tags and asks are united (without
    duplicates); empty fields are filled; notes that are new are appended."""
    out = dataclasses.replace(base)
    for f in LIST_FIELDS:
        setattr(out, f, list(getattr(base, f)))
    names = [incoming.name, *incoming.aliases]
    out.aliases = _union(out.aliases, [n for n in names if name_key(n) != name_key(out.name)], name_key)
    out.emails = _union(out.emails, incoming.emails, email_key)
    out.phones = _union(out.phones, incoming.phones, phone_key)
    out.tags = _union(out.tags, incoming.tags, fold)
    out.asks = _union(out.asks, incoming.asks, name_key)
    for f in TEXT_FIELDS:
        if not getattr(out, f).strip() and getattr(incoming, f).strip():
            setattr(out, f, getattr(incoming, f))
    out.birthday = _better_birthday(out.birthday, incoming.birthday)
    out.notes = append_text(out.notes, incoming.notes)
    if not out.cadence_days and incoming.cadence_days:
        out.cadence_days = incoming.cadence_days
    return out


def append_text(mine: str, theirs: str) -> str:
    if not theirs.strip() or name_key(theirs) in name_key(mine):
        return mine
    if not mine.strip():
        return theirs
    return f"{mine.rstrip()}\n\n{theirs.strip()}"


def content(record: Record) -> dict[str, Any]:
    """A record's fields without its timestamps: what "unchanged" compares."""
    d = record.to_dict()
    d.pop("created", None)
    d.pop("updated", None)
    return d


def differences(before: Record, after: Record) -> dict[str, tuple[Any, Any]]:
    """Field -> (old, new) for every field that differs (timestamps aside)."""
    a, b = content(before), content(after)
    return {k: (a[k], b[k]) for k in a if a[k] != b.get(k)}


def describe_change(before: Record, after: Record) -> str:
    """"emails +ana@new.org; org: 'Acme'" — what an update adds, for previews."""
    parts: list[str] = []
    for name, (old, new) in differences(before, after).items():
        if isinstance(old, list) and isinstance(new, list):
            added = [v for v in new if v not in old]
            removed = [v for v in old if v not in new]
            bits = [f"+{v}" for v in added] + [f"-{v}" for v in removed]
            parts.append(f"{name} {' '.join(bits)}")
        elif old in ("", 0, None):
            parts.append(f"{name}: {new!r}")
        else:
            parts.append(f"{name}: {old!r} -> {new!r}")
    return "; ".join(parts)
