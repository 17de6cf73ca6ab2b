"""What the main screen shows, read from the Journal in one go (in a worker thread)."""

from __future__ import annotations

from dataclasses import dataclass, field

from netjournal.domain.model import Contact
from netjournal.store.journal import Journal


@dataclass(frozen=True)
class People:
    contacts: list[Contact] = field(default_factory=list)  # active people, sorted by name
    names: dict[str, str] = field(default_factory=dict)  # every id (archived too) -> name
    last_seen: dict[str, str] = field(default_factory=dict)  # id -> date of the latest interaction ("" never)


def read_people(journal: Journal) -> People:
    """Contacts, names and last-seen dates (right after an open, without parsing the
    interactions: the snapshot keeps everyone's last date)."""
    everyone = journal.contacts(archived=True)
    names = {c.id: c.name for c in everyone}
    last = journal.last_contacts()
    last_seen = {c.id: last.get(c.id, "") for c in everyone}
    active = [c for c in everyone if not c.archived]
    if active:
        # The first screen selects the first person: read their interactions and favours here
        # (the favour index is built by the first call), not on the UI thread.
        journal.interaction_count(active[0].id)
        journal.favours(active[0].id)
    return People(active, names, last_seen)
