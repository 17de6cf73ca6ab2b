"""One record as several devices changed it: merged field by field, deletions kept as
tombstones, the same result whatever the order the changes arrive in.

Every field value carries the stamp of the change that wrote it (domain/hlc.py) and the stamp
of the value it replaced (``seen``: what that device had when it wrote). Merging two versions
of a record keeps, per field, every value no other value was written over (a value whose
stamp is at most another's ``seen`` was seen and replaced); of those, the one with the latest
stamp is the field's value, on every device alike, and the others stay visible as conflicts
(two devices changed the same field without seeing each other's change). Concurrent changes
of different fields both survive, since each field is merged on its own.

A deletion is a tombstone: its stamp joins the record's ``deleted``. It is never undone by an
edit, wherever and whenever made (no deleted record comes back); only the undo of that very
deletion (its stamp joins ``undone``) takes it back, and the record lives again only if no
other deletion stands (another device deleted it too: it stays deleted). Both are sets that
only grow, so they merge like everything else.

:func:`merge` is commutative, associative and idempotent (a join): devices that have seen the
same changes hold the same version, however the changes travelled. Pure: no I/O.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from netjournal.domain.hlc import ZERO, Stamp


@dataclass(frozen=True, order=True, slots=True)
class Value:
    """One field's value as one change wrote it."""

    stamp: Stamp  # the change that wrote it
    seen: Stamp  # the stamp of the value it replaced (ZERO: none)
    value: Any = field(compare=False)


@dataclass(frozen=True)
class Version:
    """A record: each field's values not written over (``fields``), and its tombstone."""

    fields: Mapping[str, frozenset[Value]] = field(default_factory=dict)
    deleted: frozenset[Stamp] = frozenset()  # every deletion's stamp
    undone: frozenset[Stamp] = frozenset()  # the deletions taken back by an undo

    @property
    def alive(self) -> bool:
        return self.deleted <= self.undone

    def winner(self, name: str) -> Value | None:
        values = self.fields.get(name)
        return max(values) if values else None

    def document(self) -> dict[str, Any]:
        """The record as a person sees it: each field's latest value."""
        return {name: max(values).value for name, values in self.fields.items() if values}

    def conflicts(self) -> dict[str, list[Value]]:
        """The fields two devices changed without seeing each other's change: the values
        that lost (newest first), by field."""
        out = {}
        for name, values in self.fields.items():
            if len(values) > 1:
                out[name] = sorted(values, reverse=True)[1:]
        return out

    @property
    def newest(self) -> Stamp:
        """The latest stamp this version holds."""
        stamps = [v.stamp for values in self.fields.values() for v in values]
        return max([ZERO, *self.deleted, *stamps])


def frontier(values: Iterable[Value]) -> frozenset[Value]:
    """The values no other value was written over (the later one saw it)."""
    pool = set(values)
    if len(pool) < 2:
        return frozenset(pool)
    latest_seen = max(v.seen for v in pool)
    return frozenset(v for v in pool if v.stamp > latest_seen or not _replaced(v, pool))


def _replaced(value: Value, pool: set[Value]) -> bool:
    return any(other.seen >= value.stamp for other in pool if other is not value)


def merge(a: Version, b: Version) -> Version:
    """What a device holds once it has seen both versions' changes."""
    names = set(a.fields) | set(b.fields)
    fields = {n: frontier(a.fields.get(n, frozenset()) | b.fields.get(n, frozenset())) for n in names}
    return Version(fields, a.deleted | b.deleted, a.undone | b.undone)


def edit(version: Version, changes: Mapping[str, Any], stamp: Stamp) -> Version:
    """``version`` with ``changes`` made at ``stamp`` by a device that holds ``version``:
    each new value replaces what that device saw (every value it holds of the field)."""
    fields = dict(version.fields)
    for name, value in changes.items():
        held = version.fields.get(name, frozenset())
        seen = max((v.stamp for v in held), default=ZERO)
        fields[name] = frozenset({Value(stamp, seen, value)})
    return Version(fields, version.deleted, version.undone)


def delete(version: Version, stamp: Stamp) -> Version:
    return Version(version.fields, version.deleted | {stamp}, version.undone)


def undelete(version: Version, deletion: Stamp) -> Version:
    """The undo of the deletion made at ``deletion``: the record is back unless another
    deletion stands."""
    return Version(version.fields, version.deleted, version.undone | {deletion})
