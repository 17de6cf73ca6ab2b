"""What the capture line reads as, and the change ``enter`` asks for (no Textual here).

A line is read once per version of it: the preview's reading (made in a worker as the
person types) is the one ``enter`` saves, unless the line changed since. ``ctrl+n`` reads it
once more, with the unknown @people it creates.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from netjournal.domain.capture import Capture, capture_records, parse_capture
from netjournal.domain.model import Contact
from netjournal.domain.people import ContactIndex, Resolution, Resolver
from netjournal.domain.text import fold, isolate
from netjournal.store.undo import describe
from netjournal.tui.writes import SaveCapture, with_undo


@dataclass(frozen=True)
class Reading:
    """A line as read: the capture, and what ``ctrl+n`` would create (and whether the line
    is then fine)."""

    capture: Capture
    creatable: tuple[list[str], bool]


class LineReader:
    """Reads capture lines against one journal's people as of one day."""

    def __init__(self, index: ContactIndex, today: date, dayfirst: bool) -> None:
        self.index, self.today, self.dayfirst = index, today, dayfirst

    def parse(self, line: str, extra: dict[str, Contact] | None = None) -> Capture:
        """Read ``line``; ``extra`` resolves unknown refs to people about to be created."""
        resolver: Resolver = self.index if not extra else _with_new_people(self.index, extra)
        now = datetime(self.today.year, self.today.month, self.today.day)
        return parse_capture(line, now=now, resolve=resolver, dayfirst=self.dayfirst)

    def read(self, line: str) -> Reading:
        """The preview's reading of ``line``."""
        capture = self.parse(line)
        new = new_people(capture)
        if not new:
            return Reading(capture, ([], False))
        after = self.parse(capture.line, new)
        return Reading(capture, ([c.name for c in unique_people(new)], after.ok))

    def with_new_people(self, capture: Capture) -> tuple[Capture, list[Contact]]:
        """``capture`` read again with its unknown @people created (each given an id)."""
        stamped = {ref: c.stamped() for ref, c in _stamp_once(new_people(capture)).items()}
        return self.parse(capture.line, stamped), unique_people(stamped)


def capture_change(capture: Capture, created: list[Contact]) -> SaveCapture:
    """The change that saves a capture (``capture.ok``) and the people it creates."""
    records = capture_records(capture)
    names = {c.id: c.name for c in [*created, *capture.people]}
    label = "capture of " + describe(
        "interactions", records.interaction.to_dict(), lambda cid: names.get(cid, "someone")
    )
    people = ", ".join(isolate(c.name) for c in capture.people)
    favours = len(records.favours)
    extra = f" and {favours} favour{'s' if favours != 1 else ''}" if favours else ""
    made = (
        f"; new contact{'s' if len(created) != 1 else ''} {', '.join(isolate(c.name) for c in created)}"
        if created
        else ""
    )
    notice = with_undo(f"Saved the {records.interaction.kind} with {people}{extra}{made}")
    return SaveCapture([*created, *records.all], label, notice, records.interaction)


# ---------------------------------------------------------------------- new people
def new_people(capture: Capture) -> dict[str, Contact]:
    """Unknown (not ambiguous) mentions -> the contact ctrl+n would create (one per folded name)."""
    by_name: dict[str, Contact] = {}
    out: dict[str, Contact] = {}
    for m in capture.unresolved:
        if m.ambiguous or not m.new_name:
            continue
        person = by_name.setdefault(fold(m.new_name), Contact(name=m.new_name))
        out[m.ref] = person
    return out


def _stamp_once(people: dict[str, Contact]) -> dict[str, Contact]:
    """Stamp each distinct person once (several refs may name the same new person)."""
    stamped: dict[int, Contact] = {}
    return {ref: stamped.setdefault(id(c), c.stamped()) for ref, c in people.items()}


def unique_people(people: dict[str, Contact]) -> list[Contact]:
    out: list[Contact] = []
    for c in people.values():
        if all(c is not o for o in out):
            out.append(c)
    return out


def _with_new_people(index: ContactIndex, extra: dict[str, Contact]) -> Resolver:
    def resolve(ref: str) -> Resolution:
        found = index(ref)
        if found.contact is None and not found.ambiguous and ref.strip() in extra:
            return Resolution(extra[ref.strip()])
        return found

    return resolve
