"""Bringing people and journals together: import plans, contact merges, journal merges.

Three operations share one rule set (the README's "Moving data in and out" states it):

* **Import** (vCard, CSV): each incoming person is matched to a contact of the journal by
  id (a vCard UID or CSV id written by netjournal), else by email, else by name (case- and
  accent-insensitive, aliases included). A match is *updated* by :func:`fold_into` (fills
  empty fields, adds new emails, phones, aliases and tags; never overwrites what the journal
  holds); no match is *added*; several matches are *ambiguous* and left alone.
  :func:`plan_import` computes all this without writing (the preview); :func:`apply_import`
  writes it as one undoable change.
* **Contact merge** (duplicates): :func:`plan_contact_merge` / :func:`merge_contacts` fold one
  contact into another, move their interactions and favours, and lose nothing.
* **Journal merge**: :func:`load_other` reads another copy (an export or a journal file);
  :func:`plan_journal_merge` compares it record by record by stable id and ``updated``
  timestamp; :func:`apply_journal_merge` writes the result as one undoable change.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Container, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO, TypeVar

from netjournal.domain.model import CIRCLES, Contact, Favour, Interaction, Record, new_id, utc_now
from netjournal.domain.text import clean_line, fold, isolate
from netjournal.errors import NetjournalError, ValidationError
from netjournal.interop import read_input

R = TypeVar("R", bound=Record)
_OUR_ID = re.compile(r"^c-[0-9a-f]{16}$")
_PHONE_NOISE = re.compile(r"[^\d+]")
LIST_FIELDS = ("aliases", "emails", "phones", "tags", "asks")
TEXT_FIELDS = ("org", "role", "how_met")


# ----------------------------------------------------------------------------- parsing results
@dataclass
class Problem:
    """A card or row that could not be read: where it is and what is wrong."""

    where: str
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"


@dataclass
class Parsed:
    """What a vCard or CSV file holds: people (each with where it came from) and bad entries."""

    source: str
    kind: str  # "vCard", "Google Contacts CSV", ...
    people: list[tuple[str, Contact]] = field(default_factory=list)
    skipped: list[Problem] = field(default_factory=list)
    # Instead of ``people``: the people as they are read from the file (a big file is never
    # held whole). Bad entries land in ``skipped`` (or raise) as the reading reaches them.
    stream: Iterator[tuple[str, Contact]] | None = None

    def entries(self) -> Iterator[tuple[str, Contact]]:
        """The people, read from the file as they are consumed if streamed (then only once)."""
        if self.stream is not None:
            stream, self.stream = self.stream, None
            return stream
        return iter(self.people)

    def fail_or_skip(self, problem: Problem, skip_bad: bool) -> None:
        """A damaged entry: by default the whole file is refused, naming the entry."""
        if not skip_bad:
            raise NetjournalError(
                clean_line(f"{self.source}: {problem} (nothing was imported; --skip-bad imports the good entries)")
            )
        self.skipped.append(problem)


def load_contacts_file(path: Path, *, fmt: str | None = None, skip_bad: bool = False, stream: bool = False) -> Parsed:
    """Read a vCard (.vcf/.vcard) or CSV file; raises NetjournalError with one clear line.
    With ``stream``, a vCard file is opened here and read card by card as ``entries()`` are
    consumed (its damaged cards are then met, and refused, while they are)."""
    kind = (fmt or path.suffix.lstrip(".")).lower()
    if stream and kind in ("vcf", "vcard"):
        from netjournal.interop.stream import open_input, text_lines
        from netjournal.interop.vcard import iter_vcards

        f = open_input(path)
        parsed = Parsed(path.name, "vCard")
        parsed.stream = _closing(f, iter_vcards(text_lines(f, path.name), parsed, skip_bad=skip_bad))
        return parsed
    raw = read_input(path)
    return parse_contacts(raw, kind, source=path.name, skip_bad=skip_bad)


def _closing(f: BinaryIO, entries: Iterator[tuple[str, Contact]]) -> Iterator[tuple[str, Contact]]:
    with f:
        yield from entries


def parse_contacts(raw: bytes, kind: str, *, source: str, skip_bad: bool = False) -> Parsed:
    if kind in ("vcf", "vcard"):
        from netjournal.interop.vcard import parse_vcards

        return parse_vcards(raw, source=source, skip_bad=skip_bad)
    if kind == "csv":
        from netjournal.interop.csvio import parse_contacts_csv

        return parse_contacts_csv(raw, source=source, skip_bad=skip_bad)
    raise NetjournalError(f"cannot read contacts from a .{kind} file (known: vcf, csv)")


# ----------------------------------------------------------------------------- matching
def name_key(name: str) -> str:
    """"  Éva  MÜLLER " -> "eva muller": how names are compared."""
    return " ".join(fold(name).split())


def email_key(email: str) -> str:
    return email.strip().casefold()


def phone_key(phone: str) -> str:
    return _PHONE_NOISE.sub("", phone) or phone.strip().casefold()


class Matcher:
    """Finds the contacts an incoming person may be: by id, else email, else name or alias.

    An index maps a key to one id (a str) or, when several people share it, a list of ids:
    an import of 600,000 people keeps two keys each, so no list per key (~64 bytes each)."""

    def __init__(self, contacts: Iterable[Contact] = (), *, ids: Container[str] | None = None) -> None:
        """``ids``: where the ids of every contact added are already kept (else a set here)."""
        self._own_ids: set[str] | None = set() if ids is None else None
        self.ids: Container[str] = self._own_ids if self._own_ids is not None else ids  # type: ignore[assignment]
        self.by_email: dict[str, str | list[str]] = {}
        self.by_name: dict[str, str | list[str]] = {}
        for c in contacts:
            self.add(c)

    def add(self, c: Contact) -> None:
        if self._own_ids is not None:
            self._own_ids.add(c.id)
        for e in c.emails:
            key = email_key(e)
            _index(self.by_email, e if key == e else key, c.id)  # (the address itself, when it can be)
        for n in (c.name, *c.aliases):
            _index(self.by_name, name_key(n), c.id)

    def find(self, c: Contact) -> list[str]:
        if c.id and c.id in self.ids:
            return [c.id]
        found: list[str] = []
        for e in c.emails:
            for cid in _ids(self.by_email, email_key(e)):
                _append_once(found, cid)
        if found:
            return found
        return _ids(self.by_name, name_key(c.name))


def _index(index: dict[str, str | list[str]], key: str, cid: str) -> None:
    have = index.get(key)
    if have is None:
        index[key] = cid
    elif isinstance(have, str):
        if have != cid:
            index[key] = [have, cid]
    else:
        _append_once(have, cid)


def _ids(index: dict[str, str | list[str]], key: str) -> list[str]:
    have = index.get(key)
    return [] if have is None else [have] if isinstance(have, str) else list(have)


def _append_once(items: list[str], value: str) -> None:
    if value not in items:
        items.append(value)


# ----------------------------------------------------------------------------- combining
def _union(base: list[str], extra: Iterable[str], key: Any) -> list[str]:
    out = list(base)
    seen = {key(v) for v in out}
    for v in extra:
        k = key(v)
        if v.strip() and k not in seen:
            seen.add(k)
            out.append(v)
    return out


def _better_birthday(mine: str, theirs: str) -> str:
    """Keep ours, but a full date beats the same day without a year."""
    if not mine:
        return theirs
    if mine.startswith("--") and theirs and not theirs.startswith("--") and theirs[4:] == mine[1:]:
        return theirs
    return mine


def fold_into(base: Contact, incoming: Contact) -> Contact:
    """``base`` completed with what ``incoming`` adds. Never overwrites a value ``base`` has.

    Another name becomes an alias; emails, phones, aliases, tags and asks are united (without
    duplicates); empty fields are filled; notes that are new are appended."""
    out = dataclasses.replace(base)
    for f in LIST_FIELDS:
        setattr(out, f, list(getattr(base, f)))
    names = [incoming.name, *incoming.aliases]
    out.aliases = _union(out.aliases, [n for n in names if name_key(n) != name_key(out.name)], name_key)
    out.emails = _union(out.emails, incoming.emails, email_key)
    out.phones = _union(out.phones, incoming.phones, phone_key)
    out.tags = _union(out.tags, incoming.tags, fold)
    out.asks = _union(out.asks, incoming.asks, name_key)
    for f in TEXT_FIELDS:
        if not getattr(out, f).strip() and getattr(incoming, f).strip():
            setattr(out, f, getattr(incoming, f))
    out.birthday = _better_birthday(out.birthday, incoming.birthday)
    out.notes = _append_text(out.notes, incoming.notes)
    if not out.cadence_days and incoming.cadence_days:
        out.cadence_days = incoming.cadence_days
    return out


def _append_text(mine: str, theirs: str) -> str:
    if not theirs.strip() or name_key(theirs) in name_key(mine):
        return mine
    if not mine.strip():
        return theirs
    return f"{mine.rstrip()}\n\n{theirs.strip()}"


def content(record: Record) -> dict[str, Any]:
    """A record's fields without its timestamps: what "unchanged" compares."""
    d = record.to_dict()
    d.pop("created", None)
    d.pop("updated", None)
    return d


def differences(before: Record, after: Record) -> dict[str, tuple[Any, Any]]:
    """Field -> (old, new) for every field that differs (timestamps aside)."""
    a, b = content(before), content(after)
    return {k: (a[k], b[k]) for k in a if a[k] != b.get(k)}


def describe_change(before: Record, after: Record) -> str:
    """"emails +ana@new.org; org: 'Acme'" — what an update adds, for previews."""
    parts: list[str] = []
    for name, (old, new) in differences(before, after).items():
        if isinstance(old, list) and isinstance(new, list):
            added = [v for v in new if v not in old]
            removed = [v for v in old if v not in new]
            bits = [f"+{v}" for v in added] + [f"-{v}" for v in removed]
            parts.append(f"{name} {' '.join(bits)}")
        elif old in ("", 0, None):
            parts.append(f"{name}: {new!r}")
        else:
            parts.append(f"{name}: {old!r} -> {new!r}")
    return "; ".join(parts)


# ----------------------------------------------------------------------------- import plans
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
            "updated": [{"name": after.name, "changes": describe_change(before, after)} for before, after in self.updated],
            "unchanged": self.unchanged,
            "ambiguous": [
                {"name": i.incoming.name, "where": i.where, "matches": [c.name for c in i.candidates]} for i in self.ambiguous
            ],
            "skipped": [str(p) for p in self.skipped],
        }


def plan_import(journal: Any, parsed: Parsed, *, now: str | None = None, lean: bool = False) -> ImportPlan:
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
            plan.items.append(PlanItem(where, incoming, "ambiguous", candidates=[plan._get(i) or existing[i] for i in ids]))
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


def apply_import(journal: Any, plan: ImportPlan, *, release: bool = False) -> int:
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


# ----------------------------------------------------------------------------- contact merges
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
        if getattr(other, f).strip() and getattr(out, f) != getattr(other, f) and name_key(getattr(other, f)) != name_key(getattr(out, f))
    ]
    if kept_aside:
        out.notes = _append_text(out.notes, f"From the merged duplicate {other.name}: " + "; ".join(kept_aside) + ".")
    if other.circle in CIRCLES and keep.circle in CIRCLES and CIRCLES.index(other.circle) < CIRCLES.index(keep.circle):
        out.circle = other.circle
    if other.snoozed_until and not keep.snoozed_until:
        out.snoozed_until = other.snoozed_until
    out.archived = keep.archived and other.archived
    if other.created and (not keep.created or other.created < keep.created):
        out.created = other.created
    return out


def plan_contact_merge(journal: Any, keep_id: str, other_id: str, *, now: str | None = None) -> ContactMerge:
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


def merge_contacts(journal: Any, keep_id: str, other_id: str) -> ContactMerge:
    """Merge ``other_id`` into ``keep_id`` as one change; ``journal.undo()`` reverts it."""
    plan = plan_contact_merge(journal, keep_id, other_id)
    journal.apply(
        puts=[plan.survivor, *plan.interactions, *plan.favours],
        deletes=[("contacts", other_id)],
        undo_label=plan.label,
    )
    return plan


# ----------------------------------------------------------------------------- journal merges
def load_other(path: Path) -> Any:
    """Another copy of a journal: an export (``format: netjournal``) or a journal file
    (snapshot, with its ``.log`` beside it if there is one). Returns an exchange Bundle."""
    import orjson

    from netjournal.interop.exchange import load

    raw = read_input(path)
    try:
        head = orjson.loads(raw)
    except orjson.JSONDecodeError:
        raise NetjournalError(f"{path.name} is not valid JSON (not an export or a journal file)") from None
    if isinstance(head, dict) and "format" in head:
        return load(raw, source=path.name)
    if not isinstance(head, dict) or not any(t in head for t in ("contacts", "interactions", "favours", "_meta")):
        raise NetjournalError(f"{path.name} is neither a netjournal export nor a journal file")
    from netjournal.store import migrate
    from netjournal.store.storage import JournalStorage

    storage = JournalStorage(path, readonly=True)
    data = storage.load()
    migrate.needs_upgrade(data, path.name)
    data = migrate.upgrade(data)
    exported: dict[str, Any] = {"format": "netjournal", "version": 1}
    for table in ("contacts", "interactions", "favours"):
        rows = data.get(table, {})
        exported[table] = list(rows.values()) if isinstance(rows, dict) else rows
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
        return f"{_label(self.table, kept)}: kept {self.winner} ({kept.updated}); dropped {describe_change(kept, lost)} ({lost.updated})"


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
                out[{Contact: "contacts", Interaction: "interactions", Favour: "favours"}[type(r)]] += 1  # type: ignore[index]
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


def plan_journal_merge(journal: Any, other: Any, *, source: str = "") -> JournalMerge:
    """Compare another copy (a Bundle) with the journal, record by record; writes nothing.

    * an id only in the other copy: added;
    * same id, same fields: unchanged;
    * same id, different fields: the newer ``updated`` wins. It is a *conflict* when both
      versions were changed after the last moment the copies agreed (the newest ``updated``
      among records identical in both): both sides edited it, and the older edit is dropped
      (the report names it). Equal timestamps with different fields: a conflict, ours kept.
    Deletions do not travel: a record deleted here but present there comes back as added."""
    from netjournal.domain.model import RECORD_TYPES

    mine = journal.all_records()
    pairs: list[tuple[str, Record, Record]] = []
    plan = JournalMerge(source=source, since="")
    since = ""
    theirs_by_table: dict[str, list[Record]] = {"contacts": other.contacts, "interactions": other.interactions, "favours": other.favours}
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


def apply_journal_merge(journal: Any, plan: JournalMerge) -> int:
    """Write a journal merge as one all-or-nothing, undoable change."""
    records = plan.records()
    if records:
        journal.apply(puts=records, undo_label=f"merge of {plan.source}")
    return len(records)


def stored_records(journal: Any, rtype: type[R]) -> list[R]:
    """Records built from stored documents without validating them again (they were validated
    when saved): exports of 100,000 interactions read in a fraction of the time. The records
    share their lists with the store: read them, never change them."""
    names = {f.name for f in dataclasses.fields(rtype)}
    table = {Contact: "contacts", Interaction: "interactions", Favour: "favours"}[rtype]  # type: ignore[index]
    out: list[R] = []
    for doc in journal.raw_documents(table):
        try:
            out.append(rtype(**doc))
        except TypeError:  # a document with a key the record does not know
            out.append(rtype(**{k: v for k, v in doc.items() if k in names and v is not None}))
    return out


def select_contacts(journal: Any, names: Sequence[str] = (), tags: Sequence[str] = ()) -> list[Contact]:
    """The contacts an export covers: named ones and those with any of ``tags``; all if neither."""
    people = journal.contacts(archived=True)
    if not names and not tags:
        return list(people)
    chosen: dict[str, Contact] = {}
    for n in names:
        c = journal.resolve_contact(n)
        chosen[c.id] = c
    wanted = {fold(t.lstrip("#")) for t in tags}
    for c in people:
        if wanted & {fold(t) for t in c.tags}:
            chosen.setdefault(c.id, c)
    if not chosen:
        raise NetjournalError(f"no contact has the tag {', '.join('#' + t.lstrip('#') for t in tags)}")
    return sorted(chosen.values(), key=lambda c: (name_key(c.name), c.id))
