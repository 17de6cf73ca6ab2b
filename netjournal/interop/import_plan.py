"""Planning an import of contacts (the preview) and writing it as one undoable change."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Container, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from netjournal.domain.model import Contact, new_id, utc_now
from netjournal.domain.text import clean_line
from netjournal.errors import NetjournalError
from netjournal.interop.combine import content, describe_change, fold_into
from netjournal.interop.matching import Matcher
from netjournal.interop.parsed import Parsed, Problem

if TYPE_CHECKING:
    from netjournal.store.journal import Journal

_OUR_ID = re.compile(r"^c-[0-9a-f]{16}$")


@dataclass
class PlanItem:
    where: str
    incoming: Contact
    action: str  # "add", "update", "same", "ambiguous"
    before: Contact | None = None
    after: Contact | None = None
    candidates: list[Contact] = field(default_factory=list)


@dataclass
class ImportPlan:
    """The preview of an import: nothing is written until :func:`apply_import`."""

    source: str
    kind: str
    items: list[PlanItem] = field(default_factory=list)  # lean plans keep only updates and ambiguous ones
    skipped: list[Problem] = field(default_factory=list)
    # The contacts as the import leaves them, by id; a lean plan keeps them as the documents
    # the journal will store (Contact.to_stored(): no empty lists), handed over as they are.
    _final: dict[str, Contact | dict[str, Any]] = field(default_factory=dict)
    _old: Container[str] = field(default_factory=set)  # the ids of the journal's contacts
    _same: int = 0

    def _new(self, cid: str) -> bool:
        return cid not in self._old

    def __contains__(self, cid: object) -> bool:  # an id the journal or the plan holds
        return cid in self._old or cid in self._final

    def _get(self, cid: str) -> Contact | None:
        found = self._final.get(cid)
        return Contact(**found) if isinstance(found, dict) else found

    def _put(self, record: Contact, lean: bool) -> None:
        self._final[record.id] = record.to_stored() if lean else record

    def _name(self, cid: str) -> str:
        found = self._final[cid]
        return str(found["name"]) if isinstance(found, dict) else found.name

    @property
    def added(self) -> list[Contact]:
        return [self._get(c) for c in self._final if self._new(c)]  # type: ignore[misc]

    @property
    def updated(self) -> list[tuple[Contact, Contact]]:
        """(as in the journal, as it will be) for every contact the import changes."""
        out: list[tuple[Contact, Contact]] = []
        seen: set[str] = set()
        for item in self.items:
            if item.action == "update" and item.before is not None and not self._new(item.before.id):
                after = self._get(item.before.id)
                assert after is not None
                if after.id not in seen and content(after) != content(item.before):
                    seen.add(after.id)
                    out.append((item.before, after))
        return out

    @property
    def unchanged(self) -> int:
        return self._same

    @property
    def ambiguous(self) -> list[PlanItem]:
        return [i for i in self.items if i.action == "ambiguous"]

    def records(self) -> list[Contact]:
        """What :func:`apply_import` writes."""
        return [*self.added, *(after for _, after in self.updated)]

    def summary(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "kind": self.kind,
            "added": [self._name(c) for c in self._final if self._new(c)],
            "updated": [
                {"name": after.name, "changes": describe_change(before, after)} for before, after in self.updated
            ],
            "unchanged": self.unchanged,
            "ambiguous": [
                {"name": i.incoming.name, "where": i.where, "matches": [c.name for c in i.candidates]}
                for i in self.ambiguous
            ],
            "skipped": [str(p) for p in self.skipped],
        }


def plan_import(journal: Journal, parsed: Parsed, *, now: str | None = None, lean: bool = False) -> ImportPlan:
    """What importing ``parsed`` would add and update; writes nothing (the preview).

    ``lean`` (a big import from the shell): ``items`` keeps only what the report names (the
    updates of people already in the journal and the ambiguous ones), not an item per person."""
    now = now or utc_now()
    existing = {c.id: c for c in journal.contacts(archived=True)}
    plan = ImportPlan(parsed.source, parsed.kind, skipped=parsed.skipped, _old=existing)
    matcher = Matcher(existing.values(), ids=plan)
    for where, incoming in parsed.entries():
        ids = matcher.find(incoming)
        if len(ids) > 1:
            candidates = [plan._get(i) or existing[i] for i in ids]
            plan.items.append(PlanItem(where, incoming, "ambiguous", candidates=candidates))
            continue
        if not ids:
            rid = incoming.id if _OUR_ID.match(incoming.id) and incoming.id not in existing else new_id("c")
            record = dataclasses.replace(incoming, id=rid, created=now, updated=now)
            plan._put(record, lean)
            matcher.add(record)
            if not lean:
                plan.items.append(PlanItem(where, incoming, "add", after=record))
            continue
        cid = ids[0]
        base = plan._get(cid) or existing[cid]
        merged = fold_into(base, incoming)
        if content(merged) == content(base):
            plan._same += 1
            if not lean:
                plan.items.append(PlanItem(where, incoming, "same", before=existing.get(cid), after=base))
            continue
        merged.updated = now
        plan._put(merged, lean)
        matcher.add(merged)
        if not lean or cid in existing:
            plan.items.append(PlanItem(where, incoming, "update", before=existing.get(cid) or base, after=merged))
    for cid in plan._final:
        final = plan._get(cid)
        assert final is not None
        problems = final.problems()
        if problems:
            detail = "; ".join(f"{k}: {v}" for k, v in problems.items())
            raise NetjournalError(clean_line(f"{parsed.source}: {final.name}: {detail} (nothing was imported)"))
    return plan


def apply_import(journal: Journal, plan: ImportPlan, *, release: bool = False) -> int:
    """Write a plan as one all-or-nothing, undoable change. Returns the records written.

    ``release``: the plan hands each record over as it is written (a big import then holds
    its records once, in the journal); the plan is spent (take its summary first)."""
    if not release:
        records = plan.records()
        if records:
            journal.apply(puts=records, undo_label=f"import of {plan.source}")
        return len(records)
    updated = [after for _, after in plan.updated]
    count = sum(1 for cid in plan._final if plan._new(cid)) + len(updated)
    plan.items.clear()
    if count:
        with journal.transaction(undo_label=f"import of {plan.source}"):
            journal.put_documents("contacts", _handed_over(plan))
            journal.apply(puts=updated)
    return count


def _handed_over(plan: ImportPlan) -> Iterator[dict[str, Any]]:
    """The added people's documents, each dropped by the plan as the journal takes it."""
    final = plan._final
    while final:
        cid, record = final.popitem()
        if plan._new(cid):
            yield record if isinstance(record, dict) else record.to_stored()
    plan._final = {}
