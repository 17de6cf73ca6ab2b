"""The journal written out: the JSON backup, vCard, CSV and Markdown, as ``netjournal export``
and the app's palette both make them (one way to make each file), and the checks of a typed
path. Writing the file (atomically, 0600) is :func:`netjournal.services.writing.write_private`:
interop reaches the store only through the Journal.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from netjournal.domain.model import Contact, Favour, Interaction
from netjournal.errors import NetjournalError, ValidationError
from netjournal.interop.export_records import select_contacts, stored_records

if TYPE_CHECKING:
    from netjournal.store.journal import Journal

FORMATS = ("json", "vcf", "csv", "md")
FORMAT_ALIASES = {"vcard": "vcf", "markdown": "md"}
CSV_WHAT = ("contacts", "interactions", "favours")


@dataclass(frozen=True, slots=True)
class Selection:
    """What an export covers: named people and people with any of ``tags`` (everyone if
    neither; the JSON backup is always the whole journal), and for CSV which records."""

    contacts: Sequence[str] = ()
    tags: Sequence[str] = ()
    what: str | None = None

    @property
    def limited(self) -> bool:
        return bool(self.contacts or self.tags)


EVERYTHING = Selection()


def export_format(name: str) -> str:
    """``name`` as one of FORMATS ("vcard" -> "vcf"), or a ValidationError naming the known ones."""
    fmt = FORMAT_ALIASES.get(name.lower(), name.lower())
    if fmt not in FORMATS:
        raise ValidationError(f"unknown export format {name!r} (known: {', '.join(FORMATS)})", field="format")
    return fmt


def selected(journal: Journal, selection: Selection) -> list[Contact]:
    return select_contacts(journal, selection.contacts, selection.tags)


def interactions_of(journal: Journal, people: list[Contact], selection: Selection) -> list[Interaction]:
    """Newest first: all of them, or those with any of the selected people."""
    if not selection.limited:
            return sorted(stored_records(journal, Interaction), key=lambda i: (i.date, i.id), reverse=True)
    seen: dict[str, Interaction] = {}
    for c in people:
        for i in journal.interactions(c.id):
            seen.setdefault(i.id, i)
    return sorted(seen.values(), key=lambda i: (i.date, i.id), reverse=True)


def favours_of(journal: Journal, people: list[Contact], selection: Selection) -> list[Favour]:
    if not selection.limited:
            return sorted(stored_records(journal, Favour), key=lambda f: (f.date, f.id), reverse=True)
    out = [f for c in people for f in journal.favours(c.id)]
    return sorted(out, key=lambda f: (f.date, f.id), reverse=True)


def _csv(journal: Journal, selection: Selection) -> bytes:
    from netjournal.interop import csvio

    what = selection.what or "contacts"
    people = selected(journal, selection)
    if what == "contacts":
        return csvio.dump_contacts_csv(people)
    names = {c.id: c.name for c in journal.contacts(archived=True)}
    if what == "interactions":
        return csvio.dump_interactions_csv(reversed(interactions_of(journal, people, selection)), names)
    return csvio.dump_favours_csv(reversed(favours_of(journal, people, selection)), names)


def _markdown(journal: Journal, selection: Selection, today: date) -> bytes:
    from netjournal.interop.markdown import journal_document

    people = selected(journal, selection)
    names = {c.id: c.name for c in journal.contacts(archived=True)}
    text = journal_document(
        people, interactions_of(journal, people, selection), favours_of(journal, people, selection),
        today=today, names=names,
    )
    return text.encode("utf-8")


def export_bytes(journal: Journal, fmt: str, today: date, selection: Selection = EVERYTHING) -> bytes:
    """The file's bytes: ``fmt`` is one of FORMATS (see :func:`export_format`)."""
    if fmt == "json":
        from netjournal.interop.exchange import dump

        return dump(journal.all_records(), journal.tombstones())
    if fmt == "vcf":
        from netjournal.interop.vcard import dump_vcards

        return dump_vcards(selected(journal, selection))
    if fmt == "csv":
        return _csv(journal, selection)
    return _markdown(journal, selection, today)


def export_target(typed: str) -> Path:
    """The file a typed path names (``~`` expanded), or one line saying why it cannot be written."""
    text = typed.strip()
    if not text:
        raise NetjournalError("type the path of the file to write")
    target = Path(text).expanduser()
    if target.is_dir():
        raise NetjournalError(f"{target} is a folder: add a file name (netjournal.json, contacts.vcf...)")
    if not target.parent.is_dir():
        raise NetjournalError(f"cannot write {target}: there is no folder {target.parent}")
    return target
