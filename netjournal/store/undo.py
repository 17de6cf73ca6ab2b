"""Undo and redo: one stack of named steps for every change, and what each step is called.

A step is the change one transaction made: for each record it touched, the stored document
before and after (None: absent). Undo puts the "before" documents back, redo the "after"
ones; both first check that every record is still as the step left it (undo: its "after";
redo: its "before") and refuse, naming the record, when something changed it since, so a
later change is never overwritten. A refused step is dropped (it can never apply again), so
the next undo goes on to the step before. A new change clears the redo stack, as in every
editor. Steps live for the session, up to :data:`UNDO_DEPTH`.

Labels are noun phrases ("edit of Ana Silva"), read after "Undid: " and "Redid: "; a
right-to-left name in them is isolated (see domain.text.isolate), so it reads right in a line.
Pure: no I/O; the Journal owns the stacks and applies the documents.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable
from typing import Any

from netjournal.domain.text import clean_line, isolate
from netjournal.errors import NetjournalError

UNDO_DEPTH = 100  # steps kept for undo; the oldest go first

Doc = dict[str, Any]
NameOf = Callable[[str], str]  # a contact id -> the person's name


class UndoConflict(NetjournalError):
    """A step's record changed since the step: it was not undone (or redone) and is dropped."""

    def __init__(self, verb: str, label: str, record: str, why: str = "was changed since") -> None:
        self.label, self.record = label, record
        super().__init__(f"Not {verb}: {label} ({record} {why}; left as it is)")


@dataclasses.dataclass(slots=True)
class Change:
    table: str
    rid: str
    before: Doc | None  # the stored document before the step (None: it did not exist)
    after: Doc | None  # ... and after it (None: deleted)


@dataclasses.dataclass(slots=True)
class UndoStep:
    label: str
    changes: list[Change]


class Recorder:
    """What one transaction changes: the first "before" and the last "after" of each record,
    and the labels of the transactions that joined it."""

    def __init__(self, *, keep: bool = True) -> None:
        self.changes: dict[tuple[str, str], Change] = {}
        self.labels: list[str] = []
        self.keep = keep  # False: nothing is undone later (a shell command), only "changed" is kept
        self.changed = False

    def touch(self, table: str, rid: str, before: Doc | None, after: Doc | None) -> None:
        # The documents themselves, not copies: the store replaces a record's document whole
        # and never edits one in place, so these stay as they were (a big import touches
        # 605,000 records: a copy of each cost ~200 MB).
        self.changed = True
        if not self.keep:
            return
        found = self.changes.get((table, rid))
        if found is None:
            self.changes[(table, rid)] = Change(table, rid, before, after)
        else:
            found.after = after

    def step(self, label: str | None) -> UndoStep | None:
        """The step to remember: with ``label``, else the label of the one change that
        joined (several: the first and a count); None if nothing changed or nothing was named."""
        changes = [c for c in self.changes.values() if c.before != c.after]
        if not changes:
            return None
        if label is None and self.labels:
            more = len(self.labels) - 1
            label = self.labels[0] + (f" and {more} more change{'s' if more != 1 else ''}" if more else "")
        return UndoStep(label, changes) if label else None


class UndoHistory:
    """The two stacks of a session."""

    def __init__(self, depth: int = UNDO_DEPTH) -> None:
        self.depth = depth
        self.undo: list[UndoStep] = []
        self.redo: list[UndoStep] = []
        self.dropped = False  # have old steps gone past the depth?

    def push(self, step: UndoStep) -> None:
        self.undo.append(step)
        if len(self.undo) > self.depth:
            del self.undo[: -self.depth]
            self.dropped = True


def conflict(
    step: UndoStep, current: Callable[[str, str], Doc | None], *, undo: bool, name_of: NameOf
) -> UndoConflict | None:
    """The refusal if a record of ``step`` is no longer as the step left it (undo) or as the
    undo left it (redo); None if every record is."""
    for change in step.changes:
        expected = change.after if undo else change.before
        now = current(change.table, change.rid)
        if now != expected:
            shown = now if now is not None else expected
            assert shown is not None
            return UndoConflict("undone" if undo else "redone", step.label, describe(change.table, shown, name_of))
    return None


def targets(step: UndoStep, *, undo: bool) -> Iterable[tuple[str, str, Doc | None]]:
    """(table, id, document to store or None to delete) that undo (or redo) ``step``."""
    changes = reversed(step.changes) if undo else step.changes
    for change in changes:
        yield change.table, change.rid, change.before if undo else change.after


# ---------------------------------------------------------------------- labels
def people(ids: Iterable[str], name_of: NameOf) -> str:
    names = [name_of(cid) for cid in ids]
    if len(names) <= 2:
        return " and ".join(names)
    return f"{names[0]} and {len(names) - 1} others"


def _when(doc: Doc) -> str:
    day = doc.get("date", "")
    return day.replace("T", " ") if isinstance(day, str) else ""


def describe(table: str, doc: Doc, name_of: NameOf) -> str:
    """How a person calls a record: "Ana Silva", "the meal with Ana Silva on 2026-11-01",
    "the favour given to Ana Silva on 2026-11-02"."""
    if table == "contacts":
        return isolate(clean_line(str(doc.get("name", ""))))
    return f"the {_what(table, doc, name_of)}"


def _what(table: str, doc: Doc, name_of: NameOf) -> str:
    if table == "interactions":
        kind = doc.get("kind")
        kind = kind if isinstance(kind, str) and kind not in ("", "other") else "interaction"
        return f"{kind} with {people(doc.get('contact_ids') or (), name_of)} on {_when(doc)}"
    given = doc.get("direction") == "given"
    who = name_of(str(doc.get("contact_id", "")))
    return f"favour {'given to' if given else 'received from'} {who} on {_when(doc)}"


def new_label(table: str, doc: Doc, name_of: NameOf) -> str:
    """"new contact Ana Silva", "new meal with Ana Silva on 2026-11-01"."""
    if table == "contacts":
        return f"new contact {describe(table, doc, name_of)}"
    return f"new {_what(table, doc, name_of)}"


def edit_label(table: str, doc: Doc, name_of: NameOf) -> str:
    return f"edit of {describe(table, doc, name_of)}"


def delete_label(table: str, doc: Doc, name_of: NameOf) -> str:
    return f"deletion of {describe(table, doc, name_of)}"
