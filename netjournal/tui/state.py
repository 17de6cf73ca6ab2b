"""What the main screen shows, read from the Journal in one go (in a worker thread)."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from netjournal.domain.model import Contact
from netjournal.errors import NetjournalError
from netjournal.store.journal import Journal


@dataclass(frozen=True)
class People:
    contacts: list[Contact] = field(default_factory=list)  # active people, sorted by name
    names: dict[str, str] = field(default_factory=dict)  # every id (archived too) -> name
    last_seen: dict[str, str] = field(default_factory=dict)  # id -> date of the latest interaction ("" never)


def read_people(journal: Journal, today: date | None = None) -> People:
    """Contacts, names and last-seen dates as of ``today`` (a plan is not a last contact;
    right after an open, without parsing the interactions: the snapshot keeps everyone's
    last date)."""
    everyone = journal.contacts(archived=True)
    names = {c.id: c.name for c in everyone}
    last = journal.last_contacts(today)
    last_seen = {c.id: last.get(c.id, "") for c in everyone}
    active = [c for c in everyone if not c.archived]
    if active:
        # The first screen selects the first person: read their interactions and favours here
        # (the favour index is built by the first call), not on the UI thread.
        journal.interaction_count(active[0].id)
        journal.favours(active[0].id)
    return People(active, names, last_seen)


def open_journal(path: Path, today: date) -> tuple[Journal, People] | str:
    """Open the journal and read what the first screen shows; a problem as one line."""
    try:
        journal = Journal.open(path, today=today)
    except NetjournalError as exc:
        return str(exc)
    except OSError as exc:
        return f"cannot open {path}: {exc.strerror or exc}"
    try:
        return journal, read_people(journal, today)
    except NetjournalError as exc:
        journal.close()
        return str(exc)


class EarlyOpen:
    """``open_journal`` in a thread started before the app's modules are imported (the
    command does it): reading the file overlaps the imports, and the app's first frame can
    show the data at once instead of drawing an empty screen first."""

    def __init__(self, path: Path, today: date) -> None:
        self.path, self.today = path, today
        self._result: tuple[Journal, People] | str = "the journal was not opened"
        self._thread = threading.Thread(target=self._run, name="netjournal-open", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        self._result = open_journal(self.path, self.today)

    def wait(self) -> tuple[Journal, People] | str:
        self._thread.join()
        return self._result
