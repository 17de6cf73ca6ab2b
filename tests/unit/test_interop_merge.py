"""Import plans (matching, preview), contact merges (undoable) and journal merges."""

from __future__ import annotations

import dataclasses
import shutil
import string
import uuid
from collections.abc import Iterator
from pathlib import Path

import orjson
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from netjournal.domain.model import FAVOUR_KINDS, INTERACTION_KINDS, Contact, Favour, Interaction
from netjournal.errors import NetjournalError, ValidationError
from netjournal.interop.contact_files import load_contacts_file
from netjournal.interop.contact_merge import merge_contacts, plan_contact_merge
from netjournal.interop.exchange import dump, load
from netjournal.interop.import_plan import apply_import, plan_import
from netjournal.interop.journal_merge import apply_journal_merge, load_other, plan_journal_merge
from netjournal.interop.parsed import Parsed
from netjournal.store import Journal

FIX = Path(__file__).parents[1] / "fixtures" / "interop"


@pytest.fixture
def journal(tmp_path: Path) -> Iterator[Journal]:
    j = Journal.open(tmp_path / "j" / "journal.json")
    yield j
    j.close()


def parsed(*people: Contact) -> Parsed:
    return Parsed("test", "test", [(f"card {n}", c) for n, c in enumerate(people, 1)])


# ----------------------------------------------------------------------------- import
def test_reimporting_the_same_file_adds_nothing(journal: Journal) -> None:
    for name in ("google_v30.vcf", "phone_v21.vcf", "google_contacts.csv", "linkedin_connections.csv"):
        first = plan_import(journal, load_contacts_file(FIX / name))
        apply_import(journal, first)
        count = len(journal.contacts(archived=True))
        again = plan_import(journal, load_contacts_file(FIX / name))
        assert again.added == [] and again.updated == [], name
        assert again.unchanged == len(again.items)
        assert apply_import(journal, again) == 0
        assert len(journal.contacts(archived=True)) == count


def test_match_on_email_then_name_ignoring_case_and_accents(journal: Journal) -> None:
    apply_import(journal, plan_import(journal, parsed(
        Contact(name="Renée Lefèvre", emails=["renee@example.fr"]),
        Contact(name="Tomás Ferreira"),
    )))
    plan = plan_import(journal, parsed(
        Contact(name="R. Lefevre", emails=["RENEE@example.fr"], phones=["+33 1 44"]),  # same email, other name
        Contact(name="  tomas   FERREIRA ", org="Ferreira, Lda"),  # same name, folded
        Contact(name="Someone New"),
    ))
    assert [c.name for c in plan.added] == ["Someone New"]
    updates = {after.name: after for _, after in plan.updated}
    assert updates["Renée Lefèvre"].aliases == ["R. Lefevre"] and updates["Renée Lefèvre"].phones == ["+33 1 44"]
    assert updates["Tomás Ferreira"].org == "Ferreira, Lda"


def test_preview_writes_nothing_and_apply_is_one_undoable_change(journal: Journal) -> None:
    journal.add_contact(Contact(name="Ana Silva", emails=["ana@example.com"], org="Old Org"))
    before = dump_sorted(journal)
    plan = plan_import(journal, load_contacts_file(FIX / "google_v30.vcf"))
    assert dump_sorted(journal) == before
    assert [c.name for c in plan.added] == ["Chidi Okafor"]
    ((old, new),) = plan.updated
    assert old.org == "Old Org" and new.org == "Old Org"  # the journal's value is never overwritten
    assert "ana.old@example.org" in new.emails and new.aliases == ["Aninha", "Nana"]
    assert "Loves hiking" in new.notes
    apply_import(journal, plan)
    assert len(journal.contacts()) == 2
    assert journal.undo() == "import of google_v30.vcf"
    assert dump_sorted(journal) == before


def test_a_name_shared_by_two_contacts_is_ambiguous_and_left_alone(journal: Journal) -> None:
    journal.add_contact(Contact(name="Sam Lee", org="A"))
    journal.add_contact(Contact(name="Sam Lee", org="B"))
    plan = plan_import(journal, parsed(Contact(name="sam lee", phones=["123"])))
    assert plan.added == [] and plan.updated == []
    (item,) = plan.ambiguous
    assert sorted(c.org for c in item.candidates) == ["A", "B"]


def test_two_cards_of_one_person_in_one_file_become_one_contact(journal: Journal) -> None:
    plan = plan_import(journal, parsed(
        Contact(name="Ana Silva", emails=["ana@example.com"]),
        Contact(name="Ana S.", emails=["ana@example.com"], phones=["1"]),
    ))
    (ana,) = plan.added
    assert ana.aliases == ["Ana S."] and ana.phones == ["1"]


def test_a_netjournal_id_from_an_export_is_kept(journal: Journal) -> None:
    plan = plan_import(journal, parsed(Contact(id="c-0123456789abcdef", name="Ana")))
    assert plan.added[0].id == "c-0123456789abcdef"


# ----------------------------------------------------------------------------- contact merge
def _two_duplicates(journal: Journal) -> tuple[Contact, Contact, Contact]:
    keep = journal.add_contact(Contact(name="Robert Stone", emails=["bob@stone.example"], org="Stone Ltd",
                                       tags=["climbing"], circle="active", notes="Keep notes."))
    dup = journal.add_contact(Contact(name="Bob Stone", aliases=["Bobby"], emails=["BOB@stone.example", "b@home.example"],
                                      org="Freelance", phones=["+1 555"], birthday="1980-05-01", tags=["Climbing", "music"],
                                      circle="close", notes="Dup notes.", asks=["a drummer"]))
    third = journal.add_contact(Contact(name="Cleo"))
    journal.add_interaction(Interaction(date="2024-01-02", contact_ids=[dup.id, third.id], kind="meal", text="Lunch"))
    journal.add_interaction(Interaction(date="2024-01-03", contact_ids=[keep.id, dup.id], kind="call"))
    journal.add_favour(Favour(date="2024-01-04", contact_id=dup.id, direction="given", kind="advice"))
    return keep, dup, third


def test_merge_contacts_moves_everything_and_loses_nothing(journal: Journal) -> None:
    keep, dup, third = _two_duplicates(journal)
    merge_contacts(journal, keep.id, dup.id)
    assert [c.name for c in journal.contacts()] == ["Cleo", "Robert Stone"]
    s = journal.contact(keep.id)
    assert s.aliases == ["Bob Stone", "Bobby"]
    assert s.emails == ["bob@stone.example", "b@home.example"]
    assert s.phones == ["+1 555"] and s.birthday == "1980-05-01" and s.asks == ["a drummer"]
    assert s.tags == ["climbing", "music"]
    assert s.org == "Stone Ltd" and "org: Freelance" in s.notes  # the other value is kept in the notes
    assert "Keep notes." in s.notes and "Dup notes." in s.notes
    assert s.circle == "close"  # the closer circle
    assert s.created == min(keep.created, dup.created)
    assert journal.interaction_count(keep.id) == 2
    assert sorted(i.contact_ids for i in journal.interactions(keep.id)) == [[keep.id], [keep.id, third.id]]
    assert [f.contact_id for f in journal.favours()] == [keep.id]


def test_merge_contacts_is_undoable(journal: Journal) -> None:
    keep, dup, _ = _two_duplicates(journal)
    before = dump_sorted(journal)
    plan = plan_contact_merge(journal, keep.id, dup.id)
    assert dump_sorted(journal) == before  # the preview writes nothing
    assert len(plan.interactions) == 2 and len(plan.favours) == 1
    merge_contacts(journal, keep.id, dup.id)
    assert journal.undo() == "merge of Bob Stone into Robert Stone"
    assert dump_sorted(journal) == before


def test_a_contact_cannot_be_merged_with_itself(journal: Journal) -> None:
    keep, _, _ = _two_duplicates(journal)
    with pytest.raises(ValidationError, match="itself"):
        merge_contacts(journal, keep.id, keep.id)


# ----------------------------------------------------------------------------- journal merge
def _bundle(journal: Journal) -> object:
    return load(dump(journal.all_records()))


def _copy(tmp_path: Path, journal: Journal, name: str) -> Journal:
    journal.compact()
    folder = tmp_path / name
    folder.mkdir()
    shutil.copy(journal.path, folder / "journal.json")
    return Journal.open(folder / "journal.json")


def test_journal_merge_adds_updates_and_reports_conflicts(tmp_path: Path, journal: Journal) -> None:
    ana = journal.add_contact(Contact(name="Ana"))
    bo = journal.add_contact(Contact(name="Bo"))
    cy = journal.add_contact(Contact(name="Cy"))
    journal.add_interaction(Interaction(date="2024-01-01", contact_ids=[ana.id], kind="call"))
    laptop = _copy(tmp_path, journal, "laptop")
    # after the copies split: each side edits; Cy is edited on both sides
    journal.update_contact(dataclasses.replace(journal.contact(ana.id), org="Here Org"))
    journal.update_contact(dataclasses.replace(journal.contact(cy.id), role="here"))
    laptop.update_contact(dataclasses.replace(laptop.contact(bo.id), org="Laptop Org"))
    laptop.update_contact(dataclasses.replace(laptop.contact(cy.id), role="laptop"))
    dee = laptop.add_contact(Contact(name="Dee"))
    laptop.add_interaction(Interaction(date="2024-02-01", contact_ids=[dee.id, bo.id], kind="meal"))
    other = _bundle(laptop)
    laptop.close()
    plan = plan_journal_merge(journal, other)
    assert sorted(type(r).__name__ for r in plan.added) == ["Contact", "Interaction"]
    assert [theirs.org for _, theirs in plan.updated] == ["Laptop Org"]
    assert [ours.org for ours, _ in plan.kept] == ["Here Org"]
    (conflict,) = plan.conflicts
    assert conflict.winner == "theirs" and conflict.ours.role == "here" and conflict.theirs.role == "laptop"
    assert "dropped role" in conflict.describe()
    assert plan.unchanged == 1  # the interaction both copies have
    apply_journal_merge(journal, plan)
    assert [c.name for c in journal.contacts()] == ["Ana", "Bo", "Cy", "Dee"]
    assert journal.contact(ana.id).org == "Here Org" and journal.contact(bo.id).org == "Laptop Org"
    assert journal.contact(cy.id).role == "laptop"
    # merging the same copy again changes nothing
    again = plan_journal_merge(journal, other)
    assert again.records() == []


def test_journal_merge_is_undoable(tmp_path: Path, journal: Journal) -> None:
    journal.add_contact(Contact(name="Ana"))
    laptop = _copy(tmp_path, journal, "laptop")
    laptop.add_contact(Contact(name="Bo"))
    other = _bundle(laptop)
    laptop.close()
    before = dump_sorted(journal)
    plan = plan_journal_merge(journal, other)
    plan.source = "laptop.json"
    apply_journal_merge(journal, plan)
    assert journal.undo() == "merge of laptop.json"
    assert dump_sorted(journal) == before


def test_the_same_person_added_on_both_sides_is_flagged(tmp_path: Path, journal: Journal) -> None:
    laptop = _copy(tmp_path, journal, "laptop")
    journal.add_contact(Contact(name="Eva Nowak", emails=["eva@example.pl"]))
    laptop.add_contact(Contact(name="Éva Nowak"))
    other = _bundle(laptop)
    laptop.close()
    plan = plan_journal_merge(journal, other)
    ((theirs, ours),) = plan.duplicates
    assert theirs.name == "Éva Nowak" and ours.name == "Eva Nowak"


def test_load_other_reads_a_journal_file_with_its_log(tmp_path: Path, journal: Journal) -> None:
    journal.add_contact(Contact(name="Ana"))
    journal.compact()
    journal.add_contact(Contact(name="Bo"))  # still only in the change log
    folder = tmp_path / "copy"
    folder.mkdir()
    shutil.copy(journal.path, folder / "journal.json")
    shutil.copy(journal.storage.log_path, folder / "journal.json.log")
    other = load_other(folder / "journal.json")
    assert sorted(c.name for c in other.contacts) == ["Ana", "Bo"]


@pytest.mark.parametrize(
    "content, problem",
    [
        (b"{nope", "not valid JSON"),
        (b"[1, 2]", "neither a netjournal export nor a journal file"),
        (b'{"format": "netjournal", "version": 99}', "format version 99"),
        (b'{"_meta": {"schema": {"version": 99}}, "contacts": {}}', "newer netjournal"),
        (b'{"format": "netjournal", "version": 1, "contacts": [{"id": "c-1"}]}', "missing name"),
    ],
)
def test_load_other_refuses_what_it_cannot_read(tmp_path: Path, content: bytes, problem: str) -> None:
    path = tmp_path / "other.json"
    path.write_bytes(content)
    with pytest.raises(NetjournalError, match=problem):
        load_other(path)


def test_a_record_naming_an_unknown_contact_refuses_the_merge(tmp_path: Path, journal: Journal) -> None:
    data = {"format": "netjournal", "version": 1,
            "interactions": [{"id": "i-1", "date": "2024-01-01", "contact_ids": ["c-missing"]}]}
    path = tmp_path / "o.json"
    path.write_bytes(orjson.dumps(data))
    with pytest.raises(NetjournalError, match="unknown contact 'c-missing'"):
        plan_journal_merge(journal, load_other(path))


# ----------------------------------------------------------------------------- JSON round trip property
_text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=30)
_name = _text.map(str.strip).filter(bool)
_day = st.dates().filter(lambda d: d.year >= 1000).map(lambda d: d.isoformat())


@st.composite
def journals(draw: st.DrawFn) -> tuple[list[Contact], list[Interaction], list[Favour]]:
    people = [
        Contact(id=f"c-{n:016x}", name=draw(_name), aliases=draw(st.lists(_name, max_size=2, unique=True)),
                notes=draw(_text), emails=draw(st.lists(st.from_regex(r"[a-z0-9.]{1,8}@[a-z]{1,8}", fullmatch=True),
                                                         max_size=2, unique=True)),
                tags=draw(st.lists(st.text(string.ascii_lowercase, min_size=1, max_size=8), max_size=3, unique=True)))
        for n in range(draw(st.integers(1, 4)))
    ]
    ids = [c.id for c in people]
    ix = [
        Interaction(id=f"i-{n:016x}", date=draw(_day), contact_ids=draw(st.lists(st.sampled_from(ids), min_size=1, max_size=3, unique=True)),
                    kind=draw(st.sampled_from(INTERACTION_KINDS)), text=draw(_text), minutes=draw(st.integers(0, 1440)))
        for n in range(draw(st.integers(0, 4)))
    ]
    favs = [
        Favour(id=f"f-{n:016x}", date=draw(_day), contact_id=draw(st.sampled_from(ids)),
               direction=draw(st.sampled_from(["given", "received"])), kind=draw(st.sampled_from(FAVOUR_KINDS)),
               text=draw(_text), weight=draw(st.integers(1, 5)))
        for n in range(draw(st.integers(0, 3)))
    ]
    return [c.stamped() for c in people], [i.stamped() for i in ix], [f.stamped() for f in favs]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(journals())
def test_json_export_then_merge_into_an_empty_journal_is_identical(tmp_path: Path, data: tuple[list, list, list]) -> None:
    contacts, interactions, favours = data
    root = tmp_path / uuid.uuid4().hex  # one folder per example
    with Journal.open(root / "a.json") as a, Journal.open(root / "b.json") as b:
        a.apply(puts=[*contacts, *interactions, *favours])
        exported = dump(a.all_records())
        bundle = load(exported)
        assert sorted(orjson.dumps(r.to_dict()) for r in bundle.records()) == sorted(
            orjson.dumps(d) for rows in a.all_records().values() for d in rows
        )
        plan = plan_journal_merge(b, bundle)
        assert plan.conflicts == [] and plan.updated == []
        apply_journal_merge(b, plan)
        assert dump_sorted(b) == dump_sorted(a)
        # and merging the export into the journal it came from changes nothing
        again = plan_journal_merge(a, load(exported))
        assert again.records() == [] and again.unchanged == len(contacts) + len(interactions) + len(favours)


def dump_sorted(j: Journal) -> dict[str, list[dict[str, object]]]:
    return {t: sorted(rows, key=lambda d: str(d["id"])) for t, rows in j.all_records().items()}
