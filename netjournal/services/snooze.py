"""Snoozing: hiding someone from the overdue list until a day (the shell's ``snooze`` and
Today's ``z``), as one undoable change."""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING

from netjournal.domain.text import clean_line, isolate

if TYPE_CHECKING:
    from netjournal.domain.model import Contact
    from netjournal.store.journal import Journal

SNOOZE_DAYS = 14  # Today's z, and the shell's default (2w)


def snooze(journal: Journal, contact_id: str, until: date | None) -> Contact:
    """Hide the person from the overdue list until ``until`` (None: end the snooze now)."""
    person = journal.contact(contact_id)
    person.snoozed_until = until.isoformat() if until else ""
    what = "snooze" if until else "end of the snooze"
    with journal.transaction(undo_label=f"{what} of {isolate(clean_line(person.name))}"):
        return journal.update_contact(person)


def snooze_for(journal: Journal, contact_id: str, today: date, days: int = SNOOZE_DAYS) -> Contact:
    """Hide the person for ``days`` from ``today``."""
    return snooze(journal, contact_id, today + timedelta(days=days))
