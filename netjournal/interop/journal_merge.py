"""Merging another copy of the journal (an export or a journal file), record by record."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson

from netjournal.domain.model import RECORD_TYPES, Contact, Favour, Interaction, Record
from netjournal.errors import NetjournalError
from netjournal.interop import read_input
from netjournal.interop.combine import content, describe_change
from netjournal.interop.exchange import Bundle, load
from netjournal.interop.matching import Matcher
from netjournal.store.journal import Journal


def load_other(path: Path) -> Bundle:
    """Another copy of a journal: an export (``format: netjournal``) or a journal file
    (snapshot, with its ``.log`` beside it if there is one), opened read-only as the
    journal opens its own file."""
    raw = read_input(path)
    try:
        head = orjson.loads(raw)
    except orjson.JSONDecodeError:
        raise NetjournalError(f"{path.name} is not valid JSON (not an export or a journal file)") from None
    if isinstance(head, dict) and "format" in head:
        return load(raw, source=path.name)
    if not isinstance(head, dict) or not any(t in head for t in ("contacts", "interactions", "favours", "_meta")):
        raise NetjournalError(f"{path.name} is neither a netjournal export nor a journal file")
    with Journal.open(path, readonly=True) as other:
        exported: dict[str, Any] = {"format": "netjournal", "version": 1, **other.all_records()}
    return load(orjson.dumps(exported), source=path.name)


@dataclass
class Conflict:
    table: str
    ours: Record
    theirs: Record
    winner: str  # "ours" or "theirs"

    def describe(self) -> str:
        lost = self.theirs if self.winner == "ours" else self.ours
        kept = self.ours if self.winner == "ours" else self.theirs
        dropped = f"dropped {describe_change(kept, lost)} ({lost.updated})"
        return f"{_label(self.table, kept)}: kept {self.winner} ({kept.updated}); {dropped}"


def _label(table: str, record: Record) -> str:
    if isinstance(record, Contact):
        return record.name
    if isinstance(record, Interaction):
        return f"the {record.kind} of {record.date} ({record.id})"
    if isinstance(record, Favour):
        return f"the favour of {record.date} ({record.id})"
    return f"{table} {record.id}"


@dataclass
class JournalMerge:
    """The preview of a journal merge (see the module docstring for the rules)."""

    source: str
    since: str  # the last moment both copies agreed ("" if they share no record)
    added: list[Record] = field(default_factory=list)
    updated: list[tuple[Record, Record]] = field(default_factory=list)  # (ours, theirs): theirs is newer
    kept: list[tuple[Record, Record]] = field(default_factory=list)  # (ours, theirs): ours is newer
    conflicts: list[Conflict] = field(default_factory=list)
    unchanged: int = 0
    duplicates: list[tuple[Contact, Contact]] = field(default_factory=list)  # (theirs new, ours)

    def records(self) -> list[Record]:
        puts: list[Record] = list(self.added)
        puts += [theirs for _, theirs in self.updated]
        puts += [c.theirs for c in self.conflicts if c.winner == "theirs"]
        order = {Contact: 0, Interaction: 1, Favour: 2}
        return sorted(puts, key=lambda r: order.get(type(r), 3))

    def summary(self) -> dict[str, Any]:
        def count(records: Iterable[Record]) -> dict[str, int]:
            out = {"contacts": 0, "interactions": 0, "favours": 0}
            for r in records:
                out[{Contact: "contacts", Interaction: "interactions", Favour: "favours"}[type(r)]] += 1
            return out

        return {
            "source": self.source,
            "agreed_until": self.since or None,
            "added": count(self.added),
            "updated": count(t for _, t in self.updated),
            "kept_newer_here": count(o for o, _ in self.kept),
            "unchanged": self.unchanged,
            "conflicts": [c.describe() for c in self.conflicts],
            "possible_duplicates": [f"{t.name} ({t.id}) may be {o.name} ({o.id})" for t, o in self.duplicates],
        }


def plan_journal_merge(journal: Journal, other: Bundle, *, source: str = "") -> JournalMerge:
    """Compare another copy (a Bundle) with the journal, record by record; writes nothing.

    * an id only in the other copy: added;
    * same id, same fields: unchanged;
    * same id, different fields: the newer ``updated`` wins. It is a *conflict* when both
      versions were changed after the last moment the copies agreed (the newest ``updated``
      among records identical in both): both sides edited it, and the older edit is dropped
      (the report names it). Equal timestamps with different fields: a conflict, ours kept.
    Deletions do not travel: a record deleted here but present there comes back as added."""
    mine = journal.all_records()
    pairs: list[tuple[str, Record, Record]] = []
    plan = JournalMerge(source=source, since="")
    since = ""
    theirs_by_table: dict[str, Sequence[Record]] = {
        "contacts": other.contacts, "interactions": other.interactions, "favours": other.favours,
    }
    for table, rtype in RECORD_TYPES.items():
        ours_docs = {d["id"]: d for d in mine.get(table, [])}
        for theirs in theirs_by_table[table]:
            doc = ours_docs.get(theirs.id)
            if doc is None:
                plan.added.append(theirs)
                continue
            theirs_doc = theirs.to_dict()
            if all(theirs_doc[k] == doc.get(k) for k in theirs_doc if k not in ("created", "updated")):
                plan.unchanged += 1
                since = max(since, doc.get("updated", ""), theirs.updated)
                continue
            ours = rtype.from_dict(doc)
            if content(ours) == content(theirs):  # the same once defaults are filled in
                plan.unchanged += 1
                since = max(since, ours.updated, theirs.updated)
            else:
                pairs.append((table, ours, theirs))
    plan.since = since
    for table, ours, theirs in pairs:
        both_changed = min(ours.updated, theirs.updated) > since
        if ours.updated == theirs.updated:
            plan.conflicts.append(Conflict(table, ours, theirs, "ours"))
        elif both_changed:
            plan.conflicts.append(Conflict(table, ours, theirs, "theirs" if theirs.updated > ours.updated else "ours"))
        elif theirs.updated > ours.updated:
            plan.updated.append((ours, theirs))
        else:
            plan.kept.append((ours, theirs))
    _check_merge_references(plan, {d["id"] for d in mine.get("contacts", [])})
    ours_contacts = [Contact.from_dict(d) for d in mine.get("contacts", [])]
    matcher = Matcher(ours_contacts)
    by_id = {c.id: c for c in ours_contacts}
    for rec in plan.added:
        if isinstance(rec, Contact):
            found = matcher.find(dataclasses.replace(rec, id=""))
            if found:
                plan.duplicates.append((rec, by_id[found[0]]))
    return plan


def _check_merge_references(plan: JournalMerge, ours: set[str]) -> None:
    known = ours | {r.id for r in plan.added if isinstance(r, Contact)}
    for rec in plan.records():
        ids = rec.contact_ids if isinstance(rec, Interaction) else [rec.contact_id] if isinstance(rec, Favour) else []
        for cid in ids:
            if cid not in known:
                raise NetjournalError(f"{_label('', rec)} names an unknown contact {cid!r}: nothing was merged")


def apply_journal_merge(journal: Journal, plan: JournalMerge) -> int:
    """Write a journal merge as one all-or-nothing, undoable change."""
    records = plan.records()
    if records:
        journal.apply(puts=records, undo_label=f"merge of {plan.source}")
    return len(records)
