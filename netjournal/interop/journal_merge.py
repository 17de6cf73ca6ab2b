"""Merging another copy of the journal (an export or a journal file), record by record."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Sequence
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

READER = "~reader"  # who reads another copy shared between devices, when this journal is not shared


def load_other(path: Path, device: Callable[[], str] | None = None) -> Bundle:
    """Another copy of a journal: an export (``format: netjournal``) or a journal file
    (snapshot, with its ``.log`` beside it if there is one; a journal shared between devices
    read as ``device`` would read it), opened read-only as the journal opens its own file;
    with the records it deleted."""
    raw = read_input(path)
    try:
        head = orjson.loads(raw)
    except orjson.JSONDecodeError:
        raise NetjournalError(f"{path.name} is not valid JSON (not an export or a journal file)") from None
    if isinstance(head, dict) and "format" in head:
        return load(raw, source=path.name)
    if not isinstance(head, dict) or not any(t in head for t in ("contacts", "interactions", "favours", "_meta")):
        raise NetjournalError(f"{path.name} is neither a netjournal export nor a journal file")
    with Journal.open(path, readonly=True, device=device or (lambda: READER)) as other:
        exported: dict[str, Any] = {"format": "netjournal", "version": 1, **other.all_records()}
        deleted = other.tombstones()
    bundle = load(orjson.dumps(exported), source=path.name)
    bundle.deleted = deleted
    return bundle


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
    kept_deleted: list[Record] = field(default_factory=list)  # theirs, deleted here: they stay deleted
    deletions: list[tuple[str, Record]] = field(default_factory=list)  # (table, ours): deleted there

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
            "kept_deleted": count(self.kept_deleted),
            "deleted": count(r for _, r in self.deletions),
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
    Deletions travel and nothing deleted comes back:

    * a record deleted here (its tombstone, ``Journal.tombstones``) stays deleted, and a
      person deleted here is left out of the other copy's interactions and favours;
    * a record the other copy deleted (its ``deleted`` list) is deleted here."""
    gone_here = {(table, rid) for table, rid, _ in journal.tombstones()}
    other = _without_deleted(other, gone_here)
    mine = journal.all_records()
    plan = JournalMerge(source=source, since="")
    plan.kept_deleted = [r for r in other.records() if (_table_of(r), r.id) in gone_here]
    pairs = _compare(plan, mine, other, gone_here)
    for table, ours, theirs in pairs:
        both_changed = min(ours.updated, theirs.updated) > plan.since
        if ours.updated == theirs.updated:
            plan.conflicts.append(Conflict(table, ours, theirs, "ours"))
        elif both_changed:
            plan.conflicts.append(Conflict(table, ours, theirs, "theirs" if theirs.updated > ours.updated else "ours"))
        elif theirs.updated > ours.updated:
            plan.updated.append((ours, theirs))
        else:
            plan.kept.append((ours, theirs))
    gone_there = {(table, rid) for table, rid, _ in other.deleted}
    for table in RECORD_TYPES:
        for doc in mine.get(table, []):
            if (table, doc["id"]) in gone_there:
                plan.deletions.append((table, RECORD_TYPES[table].from_dict(doc)))
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


def _compare(
    plan: JournalMerge, mine: dict[str, list[dict[str, Any]]], other: Bundle, gone_here: set[tuple[str, str]]
) -> list[tuple[str, Record, Record]]:
    """Each record of the other copy against ours (one deleted here is left out): the added
    and the unchanged go into ``plan`` (with ``plan.since``), the differing pairs are returned."""
    pairs: list[tuple[str, Record, Record]] = []
    since = ""
    theirs_by_table: dict[str, Sequence[Record]] = {
        "contacts": other.contacts, "interactions": other.interactions, "favours": other.favours,
    }
    for table, rtype in RECORD_TYPES.items():
        ours_docs = {d["id"]: d for d in mine.get(table, [])}
        for theirs in theirs_by_table[table]:
            if (table, theirs.id) in gone_here:
                continue
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
    return pairs


def _check_merge_references(plan: JournalMerge, ours: set[str]) -> None:
    known = ours | {r.id for r in plan.added if isinstance(r, Contact)}
    for rec in plan.records():
        ids = rec.contact_ids if isinstance(rec, Interaction) else [rec.contact_id] if isinstance(rec, Favour) else []
        for cid in ids:
            if cid not in known:
                raise NetjournalError(f"{_label('', rec)} names an unknown contact {cid!r}: nothing was merged")


def apply_journal_merge(journal: Journal, plan: JournalMerge) -> int:
    """Write a journal merge as one all-or-nothing, undoable change (a person deleted there
    is deleted here as ``delete_contact`` does: out of interactions, their favours gone)."""
    records = plan.records()
    if not records and not plan.deletions:
        return 0
    with journal.transaction(f"merge of {plan.source}"):
        if records:
            journal.apply(puts=records)
        for table, record in plan.deletions:
            if table == "contacts":
                journal.delete_contact(record.id)
        others = [(t, r.id) for t, r in plan.deletions if t != "contacts"]
        present = {(t, d["id"]) for t, docs in journal.all_records().items() for d in docs} if others else set()
        journal.apply(deletes=[key for key in others if key in present])
    return len(records) + len(plan.deletions)


def _table_of(record: Record) -> str:
    return {Contact: "contacts", Interaction: "interactions", Favour: "favours"}[type(record)]


def _without_deleted(other: Bundle, gone: set[tuple[str, str]]) -> Bundle:
    """The other copy without the people deleted here in its interactions and favours (an
    interaction left with nobody, a favour with nobody, is left out)."""
    people = {rid for table, rid in gone if table == "contacts"}
    if not people:
        return other
    interactions = []
    for rec in other.interactions:
        kept = [cid for cid in rec.contact_ids if cid not in people]
        if kept:
            same = len(kept) == len(rec.contact_ids)
            interactions.append(rec if same else dataclasses.replace(rec, contact_ids=kept))
    favours = [f for f in other.favours if f.contact_id not in people]
    return Bundle(other.contacts, interactions, favours, other.deleted)
