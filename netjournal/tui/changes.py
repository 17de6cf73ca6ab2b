"""Undo (``u``) and redo (``U`` / ``ctrl+r``) of any change made in the app, and archiving.

Every change the app makes is one step of the journal's undo stack (see
:mod:`netjournal.store.undo`); ``u`` undoes the newest and says which ("Undid: edit of Ana
Silva"), redo puts it back and says so. The notification after each change names the key
(:func:`with_undo`). No Textual here beyond what the screens pass in.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from netjournal.domain.text import clean_line, isolate
from netjournal.errors import NetjournalError
from netjournal.store.undo import UNDO_DEPTH, UndoConflict

if TYPE_CHECKING:
    from netjournal.domain.model import Contact
    from netjournal.store.journal import Journal
    from netjournal.tui.screens.main import MainScreen

UNDO_KEY = "u"
REDO_KEY = "U"  # (ctrl+r too)


def with_undo(message: str) -> str:
    """The notification after a change: "Saved Ana Silva — u to undo"."""
    return f"{message} — {UNDO_KEY} to undo"


def step(main: MainScreen, *, redo: bool = False) -> bool:
    """Undo the newest change (or redo the newest undone one), redraw, and say which; True if
    one was. A step whose record changed since is refused, naming the record."""
    journal = main.writable()
    if journal is None:
        return False
    try:
        label = journal.redo() if redo else journal.undo()
    except UndoConflict as exc:
        after = "the one after" if redo else "the change before"
        main.notify(f"{clean_line(str(exc))} — {REDO_KEY if redo else UNDO_KEY} goes on to {after}", severity="warning", markup=False)
        return False
    except NetjournalError as exc:
        main.notify(clean_line(str(exc)), title="Not redone" if redo else "Not undone", severity="error", markup=False)
        return False
    if label is None:
        main.notify(_nothing(journal, redo), markup=False)
        return False
    main.reload(keep=True)
    if redo:
        main.notify(f"Redid: {clean_line(label)} — {UNDO_KEY} to undo", markup=False)
    else:
        main.notify(f"Undid: {clean_line(label)} — {REDO_KEY} to redo", markup=False)
    return True


def _nothing(journal: Journal, redo: bool) -> str:
    if redo:
        return "Nothing to redo"
    if journal.undo_dropped:
        return f"Nothing more to undo ({UNDO_KEY} goes back {UNDO_DEPTH} changes at most)"
    return "Nothing to undo"


def archive(main: MainScreen, person: Contact | None) -> None:
    """Hide the selected person from the lists (nothing is deleted; u brings them back)."""
    journal = main.writable()
    if journal is None:
        return
    if person is None:
        main.notify("Select a contact to archive first (in the contacts pane)", severity="warning")
        return
    try:
        saved = archive_contact(journal, person.id)
    except NetjournalError as exc:
        main.notify(str(exc), title="Not archived", severity="error", markup=False)
        return
    main.reload(keep=True)
    main.notify(with_undo(f"Archived {isolate(clean_line(saved.name))} (hidden from the lists)"), markup=False)


def archive_contact(journal: Journal, contact_id: str) -> Contact:
    person = journal.contact(contact_id)
    person.archived = True
    return journal.update_contact(person, undo_label=f"archiving of {isolate(clean_line(person.name))}")
