"""People with their last dates: what the main screen's contacts pane and the shell's
``contact list`` show."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from netjournal.domain.model import Contact

if TYPE_CHECKING:
    from netjournal.store.journal import Journal


@dataclass(frozen=True)
class People:
    contacts: list[Contact] = field(default_factory=list)  # active people, sorted by name
    names: dict[str, str] = field(default_factory=dict)  # every id (archived too) -> name
    last_seen: dict[str, str] = field(default_factory=dict)  # id -> date of the latest interaction ("" never)


def last_dates(journal: Journal, people: Iterable[Contact], today: date | None = None) -> dict[str, str]:
    """Each person's latest interaction date on or before ``today`` ("" never met; a plan
    is not a last contact), everyone read at once (right after an open, from the snapshot)."""
    last = journal.last_contacts(today)
    return {c.id: last.get(c.id, "") for c in people}


def read_people(journal: Journal, today: date | None = None) -> People:
    """Contacts, names and last-seen dates as of ``today``."""
    everyone = journal.contacts(archived=True)
    names = {c.id: c.name for c in everyone}
    last_seen = last_dates(journal, everyone, today)
    active = [c for c in everyone if not c.archived]
    if active:
        # The first screen selects the first person: read their interactions and favours here
        # (the favour index is built by the first call), not on the UI thread.
        journal.interaction_count(active[0].id)
        journal.favours(active[0].id)
    return People(active, names, last_seen)
