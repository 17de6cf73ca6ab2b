"""Clashes as the app shows them: a field two devices changed without seeing each other's
change (a journal shared between devices, ``Journal.clashes()``), the value shown and the
other value(s), each with its device and time.

No Textual here. The main screen keeps one :class:`Clashes` per journal revision (finding
them walks every record's version) and hands each widget what it shows of them: the people
list the ids to mark, the card and the contact's detail a person's clashes, a form its
record's. Everything said is plain text, user text cleaned (never markup).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from netjournal.domain.text import clean_line, isolate

if TYPE_CHECKING:
    from netjournal.store.devicewiring import Clash
    from netjournal.store.journal import Journal

MARK = "⚠"  # beside a person with a clash in the people list, and before each clash said
VALUE_CELLS = 60  # a longer value (notes) is cut to this many characters, ending with "…"


class Clashes:
    """The journal's clashes at one revision, by record."""

    def __init__(self, found: Iterable[Clash] = (), revision: int = -1) -> None:
        self.revision = revision
        self._by: dict[tuple[str, str], tuple[Clash, ...]] = {}
        for clash in found:
            key = (clash.table, clash.rid)
            self._by[key] = (*self._by.get(key, ()), clash)
        self.people = frozenset(rid for table, rid in self._by if table == "contacts")

    def of(self, table: str, rid: str | None) -> tuple[Clash, ...]:
        """The clashes of one record (none for a record not saved yet)."""
        return self._by.get((table, rid), ()) if rid else ()

    def __bool__(self) -> bool:
        return bool(self._by)


def current(journal: Journal, known: Clashes) -> Clashes:
    """``known`` if it is of the journal's revision, else the clashes found again. (Another
    device's change can make a clash without changing a record: on JournalChanged the screen
    forgets what it knew, ``Clashes()``.)"""
    if known.revision == journal.revision:
        return known
    if journal.device is None:  # one device: nothing to walk
        return Clashes(revision=journal.revision)
    return Clashes(journal.clashes(), journal.revision)


def shown_value(value: Any) -> str:
    """A field's value as one short, safe line (a list joined with commas, "(empty)" for none)."""
    if value is None or value == "" or value == []:
        return "(empty)"  # (not quoted: it is not what was typed)
    if isinstance(value, list | tuple):
        value = ", ".join(str(v) for v in value)
    text = clean_line(str(value)).strip()
    if len(text) > VALUE_CELLS:
        text = text[: VALUE_CELLS - 1].rstrip() + "…"
    return "“" + isolate(text) + "”"


def field_name(field: str) -> str:
    return field.replace("_", " ")


def clash_value(clash: Clash) -> str:
    """The value shown, then each other one with the device that wrote it and when (UTC)."""
    others = "; ".join(
        f"{shown_value(value)} from {isolate(clean_line(device))}, {when} UTC" for value, device, when in clash.others
    )
    return f"shows {shown_value(clash.shown)}; also {others}"


def clash_rows(clashes: Sequence[Clash]) -> list[tuple[str, str]]:
    """(label, text) for each clash: the card's rows, the label the field's name."""
    return [(f"{MARK} {field_name(c.field)}", f"changed on two devices at once: {clash_value(c)}") for c in clashes]


def clash_lines(clashes: Sequence[Clash]) -> list[str]:
    """One line for each clash, what matters first (the contact's detail cuts a long line):
    the contact's detail, the entry, a form."""
    return [f"{MARK} {field_name(c.field)}: {clash_value(c)} (changed on two devices at once)" for c in clashes]
