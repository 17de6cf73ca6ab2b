"""Merging two contacts (duplicates) into one, their interactions and favours moved, nothing lost."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from netjournal.domain.model import CIRCLES, Contact, Favour, Interaction, utc_now
from netjournal.domain.people import name_key
from netjournal.domain.text import isolate
from netjournal.errors import ValidationError
from netjournal.interop.combine import append_text, describe_change, fold_into

if TYPE_CHECKING:
    from netjournal.store.journal import Journal


@dataclass
class ContactMerge:
    """A merge of ``removed`` into ``survivor`` (before it is applied: the preview)."""

    keep: Contact
    removed: Contact
    survivor: Contact
    interactions: list[Interaction]
    favours: list[Favour]

    @property
    def label(self) -> str:
        return f"merge of {isolate(self.removed.name)} into {isolate(self.keep.name)}"

    def summary(self) -> dict[str, Any]:
        return {
            "survivor": self.survivor.to_dict(),
            "removed": self.removed.to_dict(),
            "changes": describe_change(self.keep, self.survivor),
            "interactions_moved": len(self.interactions),
            "favours_moved": len(self.favours),
        }


def combine_duplicates(keep: Contact, other: Contact) -> Contact:
    """``keep`` with everything ``other`` knows: :func:`fold_into`, plus the closer circle,
    the earlier ``created``, and a note line for any value of ``other`` that differs from one
    ``keep`` has (so nothing is lost)."""
    out = fold_into(keep, other)
    kept_aside = [
        f"{label}: {getattr(other, f)}"
        for f, label in (("org", "org"), ("role", "role"), ("how_met", "how met"), ("birthday", "birthday"))
        if getattr(other, f).strip()
        and getattr(out, f) != getattr(other, f)
        and name_key(getattr(other, f)) != name_key(getattr(out, f))
    ]
    if kept_aside:
        out.notes = append_text(out.notes, f"From the merged duplicate {other.name}: " + "; ".join(kept_aside) + ".")
    if other.circle in CIRCLES and keep.circle in CIRCLES and CIRCLES.index(other.circle) < CIRCLES.index(keep.circle):
        out.circle = other.circle
    if other.snoozed_until and not keep.snoozed_until:
        out.snoozed_until = other.snoozed_until
    out.archived = keep.archived and other.archived
    if other.created and (not keep.created or other.created < keep.created):
        out.created = other.created
    return out


def plan_contact_merge(journal: Journal, keep_id: str, other_id: str, *, now: str | None = None) -> ContactMerge:
    """What merging ``other_id`` into ``keep_id`` would do; writes nothing."""
    if keep_id == other_id:
        raise ValidationError("cannot merge a contact with itself: name two different people", field="merge")
    keep = journal.contact(keep_id)
    other = journal.contact(other_id)
    now = now or utc_now()
    survivor = combine_duplicates(keep, other)
    survivor.updated = now
    moved_ix: list[Interaction] = []
    for inter in journal.interactions(other_id):
        ids = [keep_id if c == other_id else c for c in inter.contact_ids]
        moved_ix.append(dataclasses.replace(inter, contact_ids=list(dict.fromkeys(ids)), updated=now))
    moved_fav = [dataclasses.replace(f, contact_id=keep_id, updated=now) for f in journal.favours(other_id)]
    return ContactMerge(keep, other, survivor, moved_ix, moved_fav)


def merge_contacts(journal: Journal, keep_id: str, other_id: str) -> ContactMerge:
    """Merge ``other_id`` into ``keep_id`` as one change; ``journal.undo()`` reverts it."""
    plan = plan_contact_merge(journal, keep_id, other_id)
    journal.apply(
        puts=[plan.survivor, *plan.interactions, *plan.favours],
        deletes=[("contacts", other_id)],
        undo_label=plan.label,
    )
    return plan
