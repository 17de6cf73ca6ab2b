"""A Hypothesis state machine drives the Journal (add, update, delete, undo, redo, reopen,
crash, compact) against a plain in-memory model and checks they agree after every step: records,
listings in order, and search. Another Journal on the same file (another process: a window
left open) adds people and logs with them at random moments, and folds; the first follows it
(issue #14), and its undo refuses to delete a person the other has since logged with."""

from __future__ import annotations

import copy
import dataclasses
import shutil
import tempfile
from pathlib import Path
from typing import Any

import hypothesis.strategies as st
import pytest
from hypothesis import HealthCheck, settings
from hypothesis.stateful import Bundle, RuleBasedStateMachine, consumes, invariant, precondition, rule

from netjournal.domain.model import Contact, Favour, Interaction
from netjournal.domain.text import fold
from netjournal.store import Journal
from netjournal.store.undo import UNDO_DEPTH, UndoConflict

Model = dict[str, dict[str, dict[str, Any]]]
Step = dict[tuple[str, str], tuple[dict[str, Any] | None, dict[str, Any] | None]]  # (before, after) by record
TABLES = ("contacts", "interactions", "favours")

words = st.text(alphabet="abcAB éÉ\u00df", max_size=14)
days = st.builds(
    lambda d, t: d.isoformat() + (f"T{t:02}:30" if t is not None else ""),
    st.dates(min_value=__import__("datetime").date(2020, 1, 1), max_value=__import__("datetime").date(2020, 1, 20)),
    st.one_of(st.none(), st.integers(0, 23)),
)


def strip_updated(doc: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in doc.items() if k != "updated"}


class JournalMachine(RuleBasedStateMachine):
    contacts = Bundle("contacts")
    interactions = Bundle("interactions")
    favours = Bundle("favours")

    def __init__(self) -> None:
        super().__init__()
        self.folder = Path(tempfile.mkdtemp(prefix="nj-machine-"))
        self.path = self.folder / "j" / "journal.json"
        self.journal = Journal.open(self.path)
        self.other = Journal.open(self.path)  # another process, open all along
        self.model: Model = {t: {} for t in TABLES}
        self.undo: list[Step] = []
        self.redo: list[Step] = []

    def teardown(self) -> None:
        if not self.journal.closed:
            self.journal.close()
        self.other.close()
        shutil.rmtree(self.folder, ignore_errors=True)

    # --- helpers -------------------------------------------------------------------
    def alive(self, table: str, rid: str) -> bool:
        return rid in self.model[table]

    def remember_undo(self, before: Model) -> None:
        """Every change is one step: undo puts back, for every record it touched, what it
        was; redo what it became. A new change clears the redo stack."""
        touched: Step = {}
        for t in TABLES:
            for rid in set(before[t]) | set(self.model[t]):
                if before[t].get(rid) != self.model[t].get(rid):
                    touched[(t, rid)] = (copy.deepcopy(before[t].get(rid)), copy.deepcopy(self.model[t].get(rid)))
        if touched:
            self.undo.append(touched)
            del self.undo[:-UNDO_DEPTH]
            self.redo.clear()

    def put_back(self, step: Step, side: int) -> None:
        for (t, rid), docs in step.items():
            doc = docs[side]
            if doc is None:
                self.model[t].pop(rid, None)
            else:
                self.model[t][rid] = copy.deepcopy(doc)

    # --- adds ------------------------------------------------------------------------
    @rule(target=contacts, name=words.filter(lambda s: s.strip()), archived=st.booleans())
    def add_contact(self, name: str, archived: bool) -> str:
        before = copy.deepcopy(self.model)
        rec = self.journal.add_contact(Contact(name=name, archived=archived))
        self.model["contacts"][rec.id] = rec.to_dict()
        self.remember_undo(before)
        return rec.id

    @rule(target=interactions, who=st.lists(contacts, min_size=1, max_size=3, unique=True), day=days, text=words)
    def add_interaction(self, who: list[str], day: str, text: str) -> str:
        who = [c for c in who if self.alive("contacts", c)]
        if not who:
            return "i-none"
        before = copy.deepcopy(self.model)
        rec = self.journal.add_interaction(Interaction(date=day, contact_ids=who, text=text, tags=[text[:2]]))
        self.model["interactions"][rec.id] = rec.to_dict()
        self.remember_undo(before)
        return rec.id

    @rule(target=favours, who=contacts, day=days, text=words, weight=st.integers(1, 5))
    def add_favour(self, who: str, day: str, text: str, weight: int) -> str:
        if not self.alive("contacts", who):
            return "f-none"
        before = copy.deepcopy(self.model)
        rec = self.journal.add_favour(Favour(date=day, contact_id=who, text=text, weight=weight))
        self.model["favours"][rec.id] = rec.to_dict()
        self.remember_undo(before)
        return rec.id

    # --- updates ---------------------------------------------------------------------
    @rule(cid=contacts, name=words.filter(lambda s: s.strip()))
    def rename_contact(self, cid: str, name: str) -> None:
        if not self.alive("contacts", cid):
            return
        before = copy.deepcopy(self.model)
        rec = self.journal.update_contact(dataclasses.replace(self.journal.contact(cid), name=name))
        self.model["contacts"][cid] = rec.to_dict()
        self.remember_undo(before)

    @rule(iid=interactions, day=days, text=words)
    def edit_interaction(self, iid: str, day: str, text: str) -> None:
        if not self.alive("interactions", iid):
            return
        before = copy.deepcopy(self.model)
        rec = self.journal.update_interaction(dataclasses.replace(self.journal.interaction(iid), date=day, text=text))
        self.model["interactions"][iid] = rec.to_dict()
        self.remember_undo(before)

    # --- deletes and undo ---------------------------------------------------------------
    @rule(cid=consumes(contacts))
    def delete_contact(self, cid: str) -> None:
        if not self.alive("contacts", cid):
            return
        before = copy.deepcopy(self.model)
        self.journal.delete_contact(cid)
        m = self.model
        del m["contacts"][cid]
        for rid, doc in list(m["interactions"].items()):
            if cid in doc["contact_ids"]:
                rest = [c for c in doc["contact_ids"] if c != cid]
                if rest:
                    # The cascade re-stamps the record: take its new "updated" from the journal.
                    m["interactions"][rid] = {**doc, "contact_ids": rest, "updated": self.journal.document("interactions", rid)["updated"]}  # type: ignore[index]
                else:
                    del m["interactions"][rid]
        for rid, doc in list(m["favours"].items()):
            if doc["contact_id"] == cid:
                del m["favours"][rid]
        self.remember_undo(before)

    @rule(iid=consumes(interactions))
    def delete_interaction(self, iid: str) -> None:
        if not self.alive("interactions", iid):
            return
        before = copy.deepcopy(self.model)
        self.journal.delete_interaction(iid)
        del self.model["interactions"][iid]
        self.remember_undo(before)

    @rule(fid=consumes(favours))
    def delete_favour(self, fid: str) -> None:
        if not self.alive("favours", fid):
            return
        before = copy.deepcopy(self.model)
        self.journal.delete_favour(fid)
        del self.model["favours"][fid]
        self.remember_undo(before)

    def refused(self, step: Step, side: int) -> bool:
        """Whether the step would delete a person a record outside it names (logged since by
        the other process): refused, and dropped."""
        m = self.model
        for (t, rid), docs in step.items():
            if t == "contacts" and docs[side] is None and rid in m["contacts"]:
                named = [("interactions", i) for i, d in m["interactions"].items() if rid in d["contact_ids"]]
                named += [("favours", f) for f, d in m["favours"].items() if d["contact_id"] == rid]
                if any(key not in step for key in named):
                    return True
        return False

    @precondition(lambda self: bool(self.undo))
    @rule()
    def undo_last(self) -> None:
        step = self.undo.pop()
        if self.refused(step, 0):
            with pytest.raises(UndoConflict):
                self.journal.undo()
            return
        assert self.journal.undo() is not None
        self.put_back(step, 0)
        self.redo.append(step)

    @precondition(lambda self: bool(self.redo))
    @rule()
    def redo_last(self) -> None:
        step = self.redo.pop()
        if self.refused(step, 1):
            with pytest.raises(UndoConflict):
                self.journal.redo()
            return
        assert self.journal.redo() is not None
        self.put_back(step, 1)
        self.undo.append(step)

    # --- another process --------------------------------------------------------------------
    @rule(target=contacts, name=words.filter(lambda s: s.strip()), fold_after=st.booleans())
    def another_process_adds_a_person(self, name: str, fold_after: bool) -> str:
        rec = self.other.add_contact(Contact(name=name))
        if fold_after:
            self.other.compact()
        self.model["contacts"][rec.id] = rec.to_dict()
        return rec.id

    @rule(target=interactions, who=contacts, day=days, text=words, fold_after=st.booleans())
    def another_process_logs(self, who: str, day: str, text: str, fold_after: bool) -> str:
        if not self.alive("contacts", who):
            return "i-none"
        rec = self.other.add_interaction(Interaction(date=day, contact_ids=[who], text=text, tags=[text[:2]]))
        if fold_after:
            self.other.compact()
        self.model["interactions"][rec.id] = rec.to_dict()
        return rec.id

    @rule()
    def nothing_more_to_undo_or_redo(self) -> None:
        assert (self.journal.undo_label() is None) == (not self.undo)
        assert (self.journal.redo_label() is None) == (not self.redo)

    # --- the file ------------------------------------------------------------------------
    @rule(readonly_peek=st.booleans())
    def reopen(self, readonly_peek: bool) -> None:
        self.journal.close()
        if readonly_peek:
            with Journal.open(self.path, readonly=True) as j:
                self.check_against(j)
        self.journal = Journal.open(self.path)
        self.undo.clear()  # undo history belongs to a session
        self.redo.clear()

    @rule()
    def crash_and_reopen(self) -> None:
        """The process dies: nothing is folded or flushed beyond what each save did."""
        self.journal.storage.close()
        self.journal.closed = True
        self.journal = Journal.open(self.path)
        self.undo.clear()
        self.redo.clear()

    @rule()
    def compact(self) -> None:
        self.journal.compact()

    # --- agreement -----------------------------------------------------------------------
    def check_against(self, j: Journal) -> None:
        got = j.all_records()
        for t in TABLES:
            assert {d["id"]: strip_updated(d) for d in got[t]} == {k: strip_updated(v) for k, v in self.model[t].items()}
        inter = self.model["interactions"]
        newest_first = sorted(inter, key=lambda r: (inter[r]["date"], r), reverse=True)
        assert j.interaction_ids() == newest_first
        for cid in self.model["contacts"]:
            assert j.interaction_ids(cid) == [r for r in newest_first if cid in inter[r]["contact_ids"]]
            favs = [f for f in self.model["favours"].values() if f["contact_id"] == cid]
            assert {f.id for f in j.favours(cid)} == {f["id"] for f in favs}
        names = sorted((fold(c["name"]), c["id"]) for c in self.model["contacts"].values() if not c["archived"])
        assert [c.id for c in j.contacts()] == [cid for _, cid in names]

    @invariant()
    def agrees_with_the_model(self) -> None:
        self.journal.catch_up()  # (as the app does twice a second)
        self.check_against(self.journal)

    @rule(needle=st.text(alphabet="abAé É\u00df", min_size=1, max_size=3))
    def search_agrees(self, needle: str) -> None:
        key = fold(needle.strip())
        inter = self.model["interactions"]
        expected = sorted(
            (r for r, d in inter.items() if key in fold(d["text"])), key=lambda r: (inter[r]["date"], r), reverse=True
        )
        assert self.journal.search_ids(needle) == expected
        assert [i.id for i in self.journal.search(needle, limit=2)] == expected[:2]


JournalMachine.TestCase.settings = settings(
    max_examples=50, stateful_step_count=30, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
TestJournalMachine = JournalMachine.TestCase
