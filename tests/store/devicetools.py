"""Helpers for the tests of a journal shared between devices (test_devices_*.py): a device's
process environment, the people a journal holds, and what was acknowledged to the devices."""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import os
from collections.abc import Iterator
from pathlib import Path

from netjournal.domain.model import Contact
from netjournal.store import Journal

FIELDS = ("org", "notes", "role")


@contextlib.contextmanager
def acting_as(root: Path, device: str) -> Iterator[None]:
    """The process environment of ``device``: its name, its own user state folder."""
    saved = {key: os.environ.get(key) for key in ("NETJOURNAL_DEVICE", "XDG_STATE_HOME")}
    os.environ["NETJOURNAL_DEVICE"] = device
    os.environ["XDG_STATE_HOME"] = str(root / f"state-{device}")
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def people(journal: Journal) -> dict[str, dict[str, str]]:
    """Every person (archived ones too), caught up first: id -> name and the edited fields."""
    journal.catch_up()
    return {c.id: {"name": c.name, **{f: getattr(c, f) for f in FIELDS}} for c in journal.contacts(archived=True)}


def hashes(folder: Path) -> dict[str, str]:
    return {str(p): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.rglob("*")) if p.is_file()}


@dataclasses.dataclass
class Acknowledged:
    """What the devices were told was saved: people added, deleted, and each field's values."""

    added: set[str] = dataclasses.field(default_factory=set)
    deleted: set[str] = dataclasses.field(default_factory=set)
    written: dict[tuple[str, str], set[str]] = dataclasses.field(default_factory=dict)

    def know(self, seen: dict[str, dict[str, str]]) -> None:
        """People there before the devices' steps, as they are."""
        for rid, fields in seen.items():
            self.added.add(rid)
            for f in FIELDS:
                self.written.setdefault((rid, f), set()).add(fields[f])

    def add(self, journal: Journal, name: str) -> str:
        c = journal.add_contact(Contact(name=name))
        self.added.add(c.id)
        for f in FIELDS:
            self.written.setdefault((c.id, f), set()).add("")
        return c.id

    def edit(self, journal: Journal, pick: int, value: str) -> None:
        alive = sorted(people(journal))
        if alive:
            c = journal.contact(alive[pick % len(alive)])
            f = FIELDS[pick % len(FIELDS)]
            journal.update_contact(dataclasses.replace(c, **{f: value}))
            self.written.setdefault((c.id, f), set()).add(value)

    def delete(self, journal: Journal, pick: int) -> None:
        alive = sorted(people(journal))
        if alive:
            rid = alive[pick % len(alive)]
            journal.delete_contact(rid)
            self.deleted.add(rid)

    def check(self, seen: dict[str, dict[str, str]]) -> None:
        """``seen`` (one device's people, the same on every device) holds every acknowledged
        add not deleted, no deleted person, and in each field a value some device wrote."""
        for rid in self.added:
            dead = rid in self.deleted
            assert (rid in seen) != dead, f"{rid}: {'deleted, yet back' if dead else 'acknowledged, yet lost'}"
        for rid, fields in seen.items():
            for f in FIELDS:
                assert fields[f] in self.written.get((rid, f), set()), f"{rid}.{f}: {fields[f]!r} never written"
