"""Folding other devices' changes into this device's journal, and stamping this device's own
(a journal shared between devices: devicemode.py).

Each record's version (domain/versionpack.py) is kept in the table ``_versions`` beside the
records, written in the same change line as the record. A change made here is stamped with
this device's hybrid logical clock (domain/hlc.py): the fields that changed get the stamp
and remember what they replaced; a deletion is a tombstone. A record read from another
device (or from a line another process of this device wrote) is never copied over: its
version is merged with the one held here (domain/versions.py: a join, so the order of
arrival and reading a thing twice do not matter) and the record becomes what the merge
says: concurrent edits of different fields both survive, of one field the later one wins
on every device alike and the other stays visible (:meth:`Merger.clashes`); a deletion is
never undone by an edit.

What a person sees of a record also depends on the others: an interaction or a favour that
names a person whom another device deleted meanwhile shows without them (and an interaction
left with nobody, or a favour with nobody, is not shown). Its version keeps what was written,
so if that deletion is undone the names come back.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from netjournal.domain import versionpack
from netjournal.domain.hlc import Clock, Stamp
from netjournal.domain.versions import Version, merge
from netjournal.store.devicesources import VERSIONS, Incoming, version_key

Doc = dict[str, Any]
Op = tuple[str, str, "Doc | None"]
Touched = dict[tuple[str, str], tuple["Doc | None", "Doc | None"]]  # (table, id) -> (old, new)


def _now_ms() -> int:
    return time.time_ns() // 1_000_000


class Merger:
    """``doc_of(table, id)``: the record held here now (None: none); ``versions``: the live
    ``_versions`` table; ``alive_person(id)``: whether a person is in the journal now."""

    def __init__(
        self,
        device: str,
        doc_of: Callable[[str, str], Doc | None],
        versions: Callable[[], dict[str, Any]],
        alive_person: Callable[[str], bool],
        dependents: Callable[[str], Iterable[tuple[str, str]]],
        now_ms: Callable[[], int] = _now_ms,
    ) -> None:
        """``dependents(id)``: the records shown that name the person ``id``."""
        self.device = device
        self.clock = Clock(device, now_ms)
        self._doc_of, self._versions, self._alive = doc_of, versions, alive_person
        self._dependents = dependents
        self.tell: Callable[[str], None] = lambda message: None  # (what cannot be merged: the reader's)
        self._taken_people: set[str] = set()  # (the people new here in the merge under way)
        self.fresh: set[tuple[str, str]] = set()  # the records new here in the last merge

    def held(self, table: str, rid: str, doc: Doc | None) -> Version | None:
        packed = self._versions().get(version_key(table, rid))
        if doc is None and packed is None:
            return None
        return versionpack.unpack(doc, packed)

    # --- this device's changes ---------------------------------------------------------
    def stamp(self, touched: Touched, *, undoing: bool = False) -> list[tuple[str, str, Doc, bool]]:
        """(table, id, packed version, whether it stays deleted) for the changes of one
        transaction (``touched``: each record's document before it and after it). A record
        put back stays deleted (nothing deleted comes back), unless ``undoing`` takes back
        this device's own deletion of it and no other device deleted it too."""
        held = {key: self.held(*key, old) for key, (old, new) in touched.items() if old != new}
        for version in held.values():  # (a wall clock set back never stamps before what is held)
            if version is not None:
                self.clock.see(version.newest)
        stamp = self.clock.stamp()
        out = []
        for (table, rid), version in held.items():
            old, new = touched[(table, rid)]
            version = versionpack.written(version, old, new, stamp, undoing=undoing)
            dead = new is not None and not version.alive
            out.append((table, rid, versionpack.pack(version, None if dead else new), dead))
        return out

    def stays_deleted(self, table: str, rid: str) -> bool:
        """Whether putting back the record ``rid`` (not in the journal now) would leave it
        deleted: another device deleted it too."""
        version = self.held(table, rid, None)
        return version is not None and versionpack.stays_deleted(version, self.device)

    # --- the others' changes -------------------------------------------------------------
    def merge(self, news: Iterable[Incoming]) -> list[Op]:
        """The changes that fold ``news`` in: each record's new document (None: not shown)
        and, under ``_versions``, its merged version. Only what changes is returned.

        A record held here exactly as it comes costs a comparison; one new here, plainly
        written, is taken as it comes; only the others are merged field by field (a whole
        snapshot of another device, 120,000 records, is mostly the former two)."""
        grouped: dict[tuple[str, str], list[tuple[Doc | None, Doc | None]]] = {}
        for table, rid, doc, packed in news:
            items = grouped.setdefault((table, rid), [])
            if (doc, packed) not in items:  # (the same record in two files: merged once)
                items.append((doc, packed))
        versions = self._versions()
        merged: dict[tuple[str, str], Version] = {}
        before: dict[tuple[str, str], tuple[Doc | None, Version | None]] = {}
        taken: list[Op] = []
        self._taken_people = set()
        self.fresh = set()
        newest = ""
        for key in sorted(grouped, key=lambda k: k[0] != "contacts"):  # (the people first)
            try:
                newest = max(
                    newest, self._one(key, grouped[key], versions.get(version_key(*key)), taken, merged, before)
                )
            except (ValueError, TypeError, KeyError, AttributeError) as exc:  # (another device's: told, skipped)
                self.tell(f"{key[0]} {key[1]} from another device cannot be merged ({exc}); it is skipped")
        if newest:
            self.clock.see(Stamp.parse(newest))
        self._touch_dependents(merged, before)
        return taken + self._ops(merged, before)

    def _one(
        self,
        key: tuple[str, str],
        items: list[tuple[Doc | None, Doc | None]],
        mine_packed: Doc | None,
        taken: list[Op],
        merged: dict[tuple[str, str], Version],
        before: dict[tuple[str, str], tuple[Doc | None, Version | None]],
    ) -> str:
        """Fold one record's news in (into ``taken`` as it comes, or ``merged``); the newest
        stamp it holds, as text ("" if none)."""
        table, rid = key
        if mine_packed is not None and all(packed == mine_packed for _, packed in items):
            return ""  # (one version: the same record, shown alike; an echo of what this device holds)
        made_since = mine_packed is None and all(_made_since(packed) for _, packed in items)
        mine_doc = None if made_since else self._doc_of(table, rid)
        if len(items) == 1:
            doc, packed = items[0]
            if doc == mine_doc and packed == mine_packed:
                return ""
            if mine_doc is None and mine_packed is None and self._plain(table, doc, packed):
                newest = _newest_text(packed) if packed is not None else ""
                taken += [(table, rid, doc), (VERSIONS, version_key(table, rid), packed)]
                self.fresh.add(key)
                if table == "contacts":
                    self._taken_people.add(rid)
                return newest
        held = None if mine_doc is None and mine_packed is None else versionpack.unpack(mine_doc, mine_packed)
        mine = held
        for doc, packed in items:
            theirs = versionpack.unpack(doc, packed)
            mine = theirs if mine is None else merge(mine, theirs)
        assert mine is not None
        before[key], merged[key] = (mine_doc, held), mine
        return mine.newest.text()

    def _plain(self, table: str, doc: Doc | None, packed: Doc | None) -> bool:
        """Whether a record new here can be taken as it comes: shown whole, no deletion,
        every person it names in the journal."""
        if doc is None or (packed is not None and ("d" in packed or "v" in packed)):
            return False
        if table == "interactions":
            return all(self._is_person(cid) for cid in doc.get("contact_ids") or ())
        if table == "favours":
            return not doc.get("contact_id") or self._is_person(doc["contact_id"])
        return True

    def _is_person(self, cid: str) -> bool:
        return cid in self._taken_people or self._alive(cid)

    def _touch_dependents(self, merged: dict[tuple[str, str], Version], before: dict[tuple[str, str], Any]) -> None:
        """Records naming a person who comes or goes with this merge are shown again."""
        gone: set[str] = set()
        back: set[str] = set()
        for (table, rid), version in list(merged.items()):
            if table == "contacts" and (before[(table, rid)][0] is not None) != version.alive:
                (back if version.alive else gone).add(rid)
        keys = [key for cid in gone for key in self._dependents(cid)]
        if back:
            keys += [_split(key) for key in self._hidden_naming(back)]
        for key in keys:
            if key not in merged:
                doc = self._doc_of(*key)
                held = self.held(key[0], key[1], doc)
                if held is not None:
                    before[key] = (doc, held)
                    merged[key] = held

    def _hidden_naming(self, people: set[str]) -> list[str]:
        """The ``_versions`` keys of records not shown in full that name one of ``people``."""
        out = []
        for key, packed in self._versions().items():
            hidden = packed.get("v") if type(packed) is dict else None
            if hidden and ("d" not in packed or set(packed.get("u") or ()) >= set(packed["d"])):
                named = hidden.get("contact_ids") or [hidden.get("contact_id")]
                if people.intersection(n for n in named if isinstance(n, str)):
                    out.append(key)
        return out

    def _ops(self, merged: Mapping[tuple[str, str], Version], before: Mapping[tuple[str, str], Any]) -> list[Op]:
        ops: list[Op] = []
        dead = {rid for (table, rid), v in merged.items() if table == "contacts" and not v.alive}
        born = {rid for (table, rid), v in merged.items() if table == "contacts" and v.alive}
        alive = lambda cid: cid in born or (cid not in dead and self._is_person(cid))  # noqa: E731
        for key in sorted(merged, key=lambda k: k[0] != "contacts"):  # (the people first)
            table, rid = key
            version = merged[key]
            old_doc, old_version = before[key]
            shown = shown_document(table, version, alive)
            if old_version is not None and version == old_version and shown == old_doc:
                continue
            ops.append((table, rid, shown))
            ops.append((VERSIONS, version_key(table, rid), versionpack.kept(version, shown)))
        return ops

    def clashes(self) -> list[tuple[str, str, Version]]:
        """The records whose fields two devices changed without seeing each other's change."""
        out = []
        for key, packed in self._versions().items():
            if type(packed) is dict and "c" in packed:
                table, _, rid = key.partition(":")
                version = self.held(table, rid, self._doc_of(table, rid))
                if version is not None and versionpack.clashes(version):
                    out.append((table, rid, version))
        return out


def _made_since(packed: Doc | None) -> bool:
    """Whether a record was made since the journal was shared (its fields first written by a
    device, not :data:`versionpack.LEGACY`): then it is here only if its version is (every
    record made or merged since keeps one), and the bytes of a table not parsed yet need not
    be searched for it."""
    base = packed.get("s") if packed is not None else None
    return isinstance(base, str) and not base.endswith("." + versionpack.LEGACY)


def _newest_text(packed: Doc) -> str:
    """The newest stamp a packed version holds, as text (stamps' texts sort as they do)."""
    stamps = [packed.get("s") or ""] + [pair[0] for pair in (packed.get("f") or {}).values()]
    if not all(type(s) is str for s in stamps):
        raise ValueError("not a version netjournal writes")
    return max(stamps)


def _split(key: str) -> tuple[str, str]:
    table, _, rid = key.partition(":")
    return table, rid


def shown_document(table: str, version: Version, alive: Callable[[str], bool]) -> Doc | None:
    """What a person sees of a record: its document, without the people who are not in the
    journal (an interaction or favour left with nobody is not shown)."""
    doc = versionpack.document(version)
    if doc is None:
        return None
    if table == "interactions":
        named = doc.get("contact_ids") or []
        kept = [cid for cid in named if alive(cid)]
        if not kept:
            return None
        if len(kept) != len(named):
            doc = {**doc, "contact_ids": kept}
    elif table == "favours" and doc.get("contact_id") and not alive(doc["contact_id"]):
        return None
    return doc
