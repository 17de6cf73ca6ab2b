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
    """Contacts, names and last-seen dates; builds the journal's indexes on first call."""
    everyone = journal.contacts(archived=True)
    names = {c.id: c.name for c in everyone}
    last_seen = {c.id: journal.last_contact(c.id) for c in everyone}
    return People([c for c in everyone if not c.archived], names, last_seen)
