"""``netjournal merge OTHER.json`` with deletions (issue #14): a record deleted here never comes
back from the other copy, and a record the other copy deleted is deleted here, whether the other
copy is an export (its ``deleted`` list), a journal file (its tombstones) or a journal shared
between devices."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from netjournal.domain.model import Contact, Favour, Interaction
from netjournal.interop.exchange import load
from netjournal.interop.exports import export_bytes
from netjournal.interop.journal_merge import apply_journal_merge, load_other, plan_journal_merge
from netjournal.store import Journal, devicemode


@pytest.fixture
def here(tmp_path: Path) -> Iterator[Journal]:
    j = Journal.open(tmp_path / "here" / "journal.json")
    yield j
    j.close()


def copy_of(journal: Journal, tmp_path: Path, name: str = "other.json") -> Path:
    """An export of ``journal`` as it is now (the other copy, taken before what follows)."""
    path = tmp_path / name
    path.write_bytes(export_bytes(journal, "json", date.today()))
    return path


def merged(journal: Journal, other: Path) -> None:
    apply_journal_merge(journal, plan_journal_merge(journal, load_other(other), source=other.name))


def test_a_person_deleted_here_does_not_come_back_from_an_older_copy(here: Journal, tmp_path: Path) -> None:
    ana = here.add_contact(Contact(name="Ана Соколова"))
    bo = here.add_contact(Contact(name="Bo"))
    here.add_interaction(Interaction(date="2026-12-01", contact_ids=[ana.id, bo.id], text="lunch"))
    here.add_favour(Favour(date="2026-12-01", contact_id=ana.id, direction="given", text="intro"))
    older = copy_of(here, tmp_path)
    here.delete_contact(ana.id)
    plan = plan_journal_merge(here, load_other(older), source=older.name)
    assert [r.id for r in plan.kept_deleted] == [ana.id]
    apply_journal_merge(here, plan)
    assert [c.name for c in here.contacts()] == ["Bo"]
    (lunch,) = here.all_records()["interactions"]
    assert lunch["contact_ids"] == [bo.id]  # (Ana left out of the lunch, as when she was deleted)
    assert here.all_records()["favours"] == []


def test_a_deletion_in_the_other_copy_travels_here(here: Journal, tmp_path: Path) -> None:
    ana = here.add_contact(Contact(name="東京 Ana"))
    here.add_contact(Contact(name="Bo"))
    there_path = tmp_path / "there" / "journal.json"
    there_path.parent.mkdir()
    here.compact()
    there_path.write_bytes(Path(here.path).read_bytes())
    with Journal.open(there_path) as there:
        there.delete_contact(ana.id)
        export = copy_of(there, tmp_path, "there.json")
    assert [rid for _, rid, _ in load(export.read_bytes()).deleted] == [ana.id]
    for other in (export, there_path):  # an export, and the journal file itself
        with Journal.open(tmp_path / f"h-{other.stem}" / "journal.json") as h:
            h.put_many([Contact.from_dict(d) for d in here.all_records()["contacts"]])
            plan = plan_journal_merge(h, load_other(other), source=other.name)
            assert [r.id for _, r in plan.deletions] == [ana.id]
            merged(h, other)
            assert [c.name for c in h.contacts()] == ["Bo"], other.name
            h.undo()  # one undoable step
            assert sorted(c.name for c in h.contacts()) == ["Bo", "東京 Ana"]


def test_a_journal_shared_between_devices_merges_with_its_tombstones(here: Journal, tmp_path: Path) -> None:
    ana = here.add_contact(Contact(name="Ana"))
    here.add_contact(Contact(name="Bo"))
    here.compact()
    shared = tmp_path / "shared" / "journal.json"
    shared.parent.mkdir()
    shared.write_bytes(Path(here.path).read_bytes())
    devicemode.turn_on(shared, "laptop")
    with Journal.open(shared, device="laptop") as laptop:
        laptop.delete_contact(ana.id)
    merged(here, shared)
    assert [c.name for c in here.contacts()] == ["Bo"]
