"""The one place the app writes the journal.

A screen or widget that wants a change posts :class:`netjournal.tui.messages.Write` with one
of the changes below; the app hands it to :func:`perform` and posts the :class:`Outcome`
back as :class:`netjournal.tui.messages.Written` (to whoever asked, and to the screens that
show the journal). Every change is one step of the journal's undo stack (see
:mod:`netjournal.store.undo`): ``u`` undoes the newest and says which ("Undid: edit of Ana
Silva"), redo puts it back; the notification after each change names the key
(:func:`with_undo`). No Textual here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any, Literal

from netjournal.domain.model import Contact, Favour, Interaction
from netjournal.domain.text import clean_line, counted, isolate
from netjournal.errors import NetjournalError, ValidationError
from netjournal.services.snooze import snooze_for
from netjournal.store.undo import UNDO_DEPTH, UndoConflict

if TYPE_CHECKING:
    from netjournal.store.journal import Journal

UNDO_KEY = "u"
REDO_KEY = "U"  # (ctrl+r too)

Record = Contact | Interaction | Favour
Severity = Literal["information", "warning", "error"]


def with_undo(message: str) -> str:
    """The notification after a change: "Saved Ana Silva — u to undo"."""
    return f"{message} — {UNDO_KEY} to undo"


# ---------------------------------------------------------------------- the changes
@dataclass(frozen=True)
class SaveRecord:
    """A form's record: added if it has no id yet, else updated (``base``: the record the
    form opened with: only what the person changed is saved over what changed meanwhile)."""

    record: Record
    base: Record | None = None


@dataclass(frozen=True)
class SaveCapture:
    """The capture line's records (new people first) as one change."""

    records: list[Record]
    label: str  # the undo stack's name for it
    notice: str  # what is said once it is saved
    entry: Interaction  # the interaction the panes then select


@dataclass(frozen=True)
class Delete:
    table: Literal["contacts", "interactions", "favours"]
    record_id: str
    question: str  # "Delete Ana Silva?": the notice says it back as done


@dataclass(frozen=True)
class Undo:
    redo: bool = False


@dataclass(frozen=True)
class Archive:
    contact_id: str


@dataclass(frozen=True)
class Snooze:
    contact_id: str
    today: date


@dataclass(frozen=True)
class ImportFile:
    kind: Literal["contacts", "journal"]
    plan: Any  # interop.merge's ImportPlan or JournalMerge
    notice: str


@dataclass(frozen=True)
class MergeContacts:
    keep_id: str
    removed_id: str


Change = SaveRecord | SaveCapture | Delete | Undo | Archive | Snooze | ImportFile | MergeContacts


@dataclass(frozen=True)
class Outcome:
    """What became of a change: what to say, and for the panes, what to select."""

    change: Change
    ok: bool = True
    notice: str = ""
    severity: Severity = "information"
    title: str = ""
    saved: Any = None  # the record as saved (save, archive, snooze)
    errors: dict[str, str] = field(default_factory=dict)  # a form's fields the journal refused
    changed: bool = True  # False: nothing was written (a refusal, nothing to undo)


def _refused(change: Change, exc: NetjournalError, title: str) -> Outcome:
    return Outcome(change, ok=False, notice=str(exc), severity="error", title=title, changed=False)


# ---------------------------------------------------------------------- writing
def perform(journal: Journal, change: Change) -> Outcome:
    """Make ``change`` in ``journal`` (writable); a refusal is an Outcome, never raised."""
    match change:
        case SaveRecord():
            return _save(journal, change)
        case SaveCapture():
            try:
                journal.apply(list(change.records), undo_label=change.label)
            except NetjournalError as exc:
                return _refused(change, exc, "Not saved")
            return Outcome(change, notice=change.notice, saved=change.entry)
        case Delete():
            return _delete(journal, change)
        case Undo():
            return _undo(journal, change)
        case Archive():
            try:
                person = journal.contact(change.contact_id)
                person.archived = True
                name = isolate(clean_line(person.name))
                saved = journal.update_contact(person, undo_label=f"archiving of {name}")
            except NetjournalError as exc:
                return _refused(change, exc, "Not archived")
            return Outcome(change, notice=with_undo(f"Archived {name} (hidden from the lists)"), saved=saved)
        case Snooze():
            try:
                saved = snooze_for(journal, change.contact_id, change.today)
            except NetjournalError as exc:
                return _refused(change, exc, "Not snoozed")
            notice = with_undo(f"Snoozed {clean_line(saved.name)} until {saved.snoozed_until}")
            return Outcome(change, notice=notice, saved=saved)
        case ImportFile():
            return _import(journal, change)
        case MergeContacts():
            return _merge(journal, change)


def _save(journal: Journal, change: SaveRecord) -> Outcome:
    record, base = change.record, change.base
    try:
        if isinstance(record, Contact):
            saved: Record = (
                journal.update_contact(record, base=base if isinstance(base, Contact) else None)
                if record.id
                else journal.add_contact(record)
            )
        elif isinstance(record, Interaction):
            saved = (
                journal.update_interaction(record, base=base if isinstance(base, Interaction) else None)
                if record.id
                else journal.add_interaction(record)
            )
        else:
            assert isinstance(record, Favour)
            saved = (
                journal.update_favour(record, base=base if isinstance(base, Favour) else None)
                if record.id
                else journal.add_favour(record)
            )
    except ValidationError as exc:
        return Outcome(change, ok=False, errors=dict(exc.errors), changed=False)
    except NetjournalError as exc:
        return _refused(change, exc, "Not saved")
    if isinstance(saved, Contact):
        notice = f"Saved {saved.name}"
    elif isinstance(saved, Interaction):
        notice = f"Saved the {saved.kind} of {saved.date}"
    else:
        notice = f"Saved the favour {saved.direction} on {saved.date}"
    return Outcome(change, notice=with_undo(notice), saved=saved)


def _delete(journal: Journal, change: Delete) -> Outcome:
    try:
        if change.table == "contacts":
            journal.delete_contact(change.record_id)
        elif change.table == "interactions":
            journal.delete_interaction(change.record_id)
        else:
            journal.delete_favour(change.record_id)
    except NetjournalError as exc:
        return _refused(change, exc, "Not deleted")
    return Outcome(change, notice=with_undo(change.question[:-1].replace("Delete", "Deleted", 1)))


def _undo(journal: Journal, change: Undo) -> Outcome:
    """Undo the newest change (or redo the newest undone one); a step whose record changed
    since is refused, naming the record."""
    redo = change.redo
    try:
        label = journal.redo() if redo else journal.undo()
    except UndoConflict as exc:
        after = "the one after" if redo else "the change before"
        notice = f"{clean_line(str(exc))} — {REDO_KEY if redo else UNDO_KEY} goes on to {after}"
        return Outcome(change, ok=False, notice=notice, severity="warning", changed=False)
    except NetjournalError as exc:
        title = "Not redone" if redo else "Not undone"
        return Outcome(change, ok=False, notice=clean_line(str(exc)), severity="error", title=title, changed=False)
    if label is None:
        return Outcome(change, ok=False, notice=_nothing(journal, redo), changed=False)
    if redo:
        return Outcome(change, notice=f"Redid: {clean_line(label)} — {UNDO_KEY} to undo")
    return Outcome(change, notice=f"Undid: {clean_line(label)} — {REDO_KEY} to redo")


def _nothing(journal: Journal, redo: bool) -> str:
    if redo:
        return "Nothing to redo"
    if journal.undo_dropped:
        return f"Nothing more to undo ({UNDO_KEY} goes back {UNDO_DEPTH} changes at most)"
    return "Nothing to undo"


def _import(journal: Journal, change: ImportFile) -> Outcome:
    from netjournal.interop import merge  # loaded with the dialog's first import

    try:
        if change.kind == "contacts":
            merge.apply_import(journal, change.plan)
        else:
            merge.apply_journal_merge(journal, change.plan)
    except NetjournalError as exc:
        return Outcome(change, ok=False, notice=f"Nothing was imported: {exc}", severity="error", changed=False)
    return Outcome(change, notice=change.notice)


def _merge(journal: Journal, change: MergeContacts) -> Outcome:
    from netjournal.interop.merge import merge_contacts

    try:
        done = merge_contacts(journal, change.keep_id, change.removed_id)
    except NetjournalError as exc:
        return Outcome(change, ok=False, notice=f"Not merged: {clean_line(str(exc))}", severity="error", changed=False)
    moved = len(done.interactions) + len(done.favours)
    notice = with_undo(f"Merged {done.removed.name} into {done.keep.name}: {counted(moved, 'record')} moved")
    return Outcome(change, notice=notice, saved=done.keep)
