"""Adding, changing and deleting records as a person does: each record checked and stamped,
each change one undoable step named as a person reads it ("new contact Ana Silva", "edit of
Ana Silva"), and what follows from it done in the same step (a deleted person leaves the
interactions they shared with others; an interaction moved to another day moves the favours
recorded with it). The Journal holds its lock around all of it, and each change is made
holding the journal's write lock, with what other processes wrote applied first (a person
deleted elsewhere a moment ago is not there to be named).
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from netjournal.domain.model import Contact, Favour, Interaction, Record
from netjournal.domain.text import clean_line, isolate
from netjournal.errors import NotFoundError, ValidationError
from netjournal.store.indexes import Indexes
from netjournal.store.reads import Reads
from netjournal.store.undo import delete_label, edit_label, new_label
from netjournal.store.writes import TABLE_OF, Writes

R = TypeVar("R", bound=Record)
Doc = dict[str, Any]
F = TypeVar("F", bound=Callable[..., Any])


def _guarded(method: F) -> F:
    """Check and make the change holding the write lock, caught up with other processes."""

    @functools.wraps(method)
    def wrapper(self: Edits, *args: Any, **kwargs: Any) -> Any:
        with self._writes.guard():
            return method(self, *args, **kwargs)

    return wrapper  # type: ignore[return-value]


def rebased(current: R, base: R | None, edited: R) -> R:
    """``edited`` (a copy of ``base`` a person edited, in a form) made on ``current``, the
    record as it is now: the fields the person changed take their new values, the others
    keep what another window or device saved meanwhile (None ``base``: ``edited`` as it is)."""
    if base is None or base == current:
        return edited
    changes = {
        f.name: getattr(edited, f.name)
        for f in dataclasses.fields(edited)
        if f.name not in ("id", "created", "updated") and getattr(edited, f.name) != getattr(base, f.name)
    }
    return dataclasses.replace(current, **changes)


class Edits:
    def __init__(self, raw: Callable[[str], dict[str, Doc]], writes: Writes, indexes: Indexes, reads: Reads) -> None:
        self._raw, self._writes, self._ix, self._reads = raw, writes, indexes, reads

    def get(self, rtype: type[R], rid: str) -> R:
        doc = self._raw(TABLE_OF[rtype]).get(rid)
        if doc is None:
            raise NotFoundError(f"no {rtype.__name__.lower()} with id {rid!r}")
        return rtype.from_dict(doc)

    def name_of(self, contact_id: str) -> str:
        """A person's name for an undo label ("someone" if unknown)."""
        doc = self._raw("contacts").get(contact_id)
        name = doc.get("name") if doc is not None else None
        return isolate(clean_line(name)) if isinstance(name, str) and name.strip() else "someone"

    def save(self, record: R, *, new: bool, undo_label: str | None, fresh: bool = False) -> R:
        """Store a checked record as one undoable step: "new contact Ana Silva", "edit of
        Ana Silva" unless ``undo_label`` names it otherwise."""
        if undo_label is None:
            label = new_label if new else edit_label
            undo_label = label(TABLE_OF[type(record)], record.to_dict(), self.name_of)
        with self._writes.recorded(undo_label, replay=False):
            return self._writes.put(record, fresh=fresh)

    def deleting(self, record: Record) -> Any:
        """The step in which ``record`` is deleted (a context manager)."""
        label = delete_label(TABLE_OF[type(record)], record.to_dict(), self.name_of)
        return self._writes.recorded(label, replay=False)

    def check_people(self, ids: Iterable[str]) -> None:
        raw = self._raw("contacts")
        for cid in ids:
            if cid not in raw:
                raise ValidationError({"contact_ids": f"no contact with id {cid!r}"})

    # ------------------------------------------------------------------ people
    @_guarded
    def add_contact(self, contact: Contact, undo_label: str | None) -> Contact:
        if contact.id and contact.id in self._raw("contacts"):
            raise ValidationError({"id": f"a contact with id {contact.id} already exists"})
        record = contact.stamped()
        record.validate()
        return self.save(record, new=True, undo_label=undo_label)

    @_guarded
    def update_contact(self, contact: Contact, undo_label: str | None, base: Contact | None = None) -> Contact:
        contact = rebased(self.get(Contact, contact.id), base, contact)
        record = contact.stamped()
        record.validate()
        return self.save(record, new=False, undo_label=undo_label)

    @_guarded
    def delete_contact(self, contact_id: str) -> Contact:
        person = self.get(Contact, contact_id)
        with self.deleting(person):
            for iid in list(self._ix.interaction_ids(contact_id)):
                inter = self.get(Interaction, iid)
                rest = [c for c in inter.contact_ids if c != contact_id]
                if rest:
                    self._writes.put(dataclasses.replace(inter, contact_ids=rest).stamped())
                else:
                    self._writes.delete("interactions", iid)
            for fav in self._reads.favours(contact_id):
                self._writes.delete("favours", fav.id)
            self._writes.delete("contacts", contact_id)
        return person

    # ------------------------------------------------------------------ interactions
    @_guarded
    def add_interaction(self, interaction: Interaction, undo_label: str | None) -> Interaction:
        record = interaction.stamped()
        record.validate()
        self.check_people(record.contact_ids)
        return self.save(record, new=True, undo_label=undo_label, fresh=not interaction.id)

    @_guarded
    def update_interaction(
        self, interaction: Interaction, undo_label: str | None, base: Interaction | None = None
    ) -> Interaction:
        old = self.get(Interaction, interaction.id)
        record = rebased(old, base, interaction).stamped()
        record.validate()
        self.check_people(record.contact_ids)
        day = record.date[:10]
        if old.date[:10] == day:
            return self.save(record, new=False, undo_label=undo_label)
        with self._writes.recorded(undo_label, replay=False):
            saved = self.save(record, new=False, undo_label=undo_label)
            for fav in self.linked_favours(record.id):
                if fav.date != day:
                    self._writes.put(dataclasses.replace(fav, date=day).stamped(now=record.updated))
            return saved

    def linked_favours(self, interaction_id: str) -> list[Favour]:
        docs = [d for d in self._raw("favours").values() if d.get("interaction_id") == interaction_id]
        return [Favour.from_dict(d) for d in sorted(docs, key=lambda d: d.get("id", ""))]

    def delete_interaction(self, interaction_id: str) -> Interaction:
        inter = self.get(Interaction, interaction_id)
        with self.deleting(inter):
            for rid, doc in list(self._raw("favours").items()):
                if doc.get("interaction_id") == interaction_id:
                    self._writes.delete("favours", rid)
            self._writes.delete("interactions", interaction_id)
        return inter

    # ------------------------------------------------------------------ favours
    @_guarded
    def add_favour(self, favour: Favour, undo_label: str | None) -> Favour:
        record = favour.stamped()
        record.validate()
        self.check_people([record.contact_id])
        return self.save(record, new=True, undo_label=undo_label)

    @_guarded
    def update_favour(self, favour: Favour, undo_label: str | None, base: Favour | None = None) -> Favour:
        record = rebased(self.get(Favour, favour.id), base, favour).stamped()
        record.validate()
        self.check_people([record.contact_id])
        return self.save(record, new=False, undo_label=undo_label)

    @_guarded
    def delete_favour(self, favour_id: str) -> Favour:
        fav = self.get(Favour, favour_id)
        with self.deleting(fav):
            self._writes.delete("favours", favour_id)
        return fav

    # ------------------------------------------------------------------ batches
    @_guarded
    def apply(
        self, puts: Iterable[Record], deletes: Iterable[tuple[str, str]], undo_label: str | None, *, new: bool = False
    ) -> int:
        n = 0
        with self._writes.recorded(undo_label, replay=False):
            for record in puts:
                record.validate()
                self._writes.put(record, fresh=new)
                n += 1
            for table, rid in deletes:
                self._writes.delete(table, rid)
        return n
