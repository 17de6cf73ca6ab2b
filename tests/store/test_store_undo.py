"""Undo and redo in the Journal: one step per change, each named; redo puts it back; a step
whose records changed since is refused, naming the record, instead of overwriting."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import pytest

from netjournal.domain.model import Contact, Favour, Interaction
from netjournal.store import Journal
from netjournal.store.undo import UNDO_DEPTH, UndoConflict


def state(j: Journal) -> dict[str, list[dict[str, Any]]]:
    return j.all_records()


def ana(j: Journal) -> Contact:
    return j.resolve_contact("ana")


def test_every_kind_of_change_is_one_named_step_undone_newest_first(journal: Journal) -> None:
    """Adds and edits of each record type are steps too (form saves were not: u skipped them)."""
    journal.undo(), journal.undo()  # the fixture's two people
    assert journal.undo_label() is None
    states = [state(journal)]
    expected: list[str] = []

    def did(label: str) -> None:
        states.append(state(journal))
        expected.append(label)

    person = journal.add_contact(Contact(name="Ana Silva"))
    did("new contact Ana Silva")
    person = journal.update_contact(dataclasses.replace(person, role="Designer"))
    did("edit of Ana Silva")
    meal = journal.add_interaction(Interaction(date="2026-11-01", contact_ids=[person.id], kind="meal"))
    did("new meal with Ana Silva on 2026-11-01")
    journal.update_interaction(dataclasses.replace(meal, text="Lunch"))
    did("edit of the meal with Ana Silva on 2026-11-01")
    fav = journal.add_favour(Favour(date="2026-11-02", contact_id=person.id, direction="received"))
    did("new favour received from Ana Silva on 2026-11-02")
    journal.update_favour(dataclasses.replace(fav, direction="given"))
    did("edit of the favour given to Ana Silva on 2026-11-02")
    journal.delete_interaction(meal.id)
    did("deletion of the meal with Ana Silva on 2026-11-01")
    journal.delete_contact(person.id)
    did("deletion of Ana Silva")

    for label in reversed(expected):
        assert journal.undo_label() == label
        assert journal.undo() == label
        states.pop()
        assert state(journal) == states[-1]
    assert journal.undo() is None


def test_redo_puts_back_each_undone_step_and_a_new_change_clears_it(journal: Journal, journal_path: Path) -> None:
    person = ana(journal)
    journal.update_contact(dataclasses.replace(person, role="Designer"))
    edited = state(journal)
    meal = journal.add_interaction(Interaction(date="2026-11-01", contact_ids=[person.id], kind="call"))
    logged = state(journal)
    assert journal.redo() is None  # nothing undone yet
    assert journal.undo() == "new call with Ana Silva on 2026-11-01"
    assert journal.undo() == "edit of Ana Silva"
    assert journal.redo_label() == "edit of Ana Silva"
    assert journal.redo() == "edit of Ana Silva"
    assert state(journal) == edited
    assert journal.redo() == "new call with Ana Silva on 2026-11-01"
    assert state(journal) == logged
    assert journal.redo() is None
    assert journal.undo() == "new call with Ana Silva on 2026-11-01"
    journal.add_contact(Contact(name="Carla Dias"))  # a new change: the call cannot come back
    assert journal.redo_label() is None and journal.redo() is None
    journal.close()
    with Journal.open(journal_path, readonly=True) as again:  # each undo and redo was saved
        assert meal.id not in again.interaction_ids()
        assert again.contact(person.id).role == "Designer"


def test_undo_refuses_a_step_whose_record_changed_since_and_names_it(journal: Journal) -> None:
    person = ana(journal)
    journal.update_contact(dataclasses.replace(person, role="Designer"))
    bruno = journal.resolve_contact("bruno")
    journal.update_contact(dataclasses.replace(bruno, org="Lumen"))
    # A change that is not on the stack (made with no undo label): the edit of Ana is overtaken.
    later = dataclasses.replace(journal.contact(person.id), role="Director").stamped()
    journal.apply([later])
    assert journal.undo() == "edit of Bruno Costa"
    before = state(journal)
    with pytest.raises(UndoConflict) as refused:
        journal.undo()
    assert str(refused.value) == "Not undone: edit of Ana Silva (Ana Silva was changed since; left as it is)"
    assert state(journal) == before  # the later edit is kept
    assert journal.contact(person.id).role == "Director"
    assert journal.undo() == "new contact Bruno Costa"  # the refused step is dropped: u goes on


def test_undo_refuses_when_a_record_was_deleted_since(journal: Journal) -> None:
    person = ana(journal)
    meal = journal.add_interaction(Interaction(date="2026-11-01", contact_ids=[person.id], kind="meal"))
    journal.apply(deletes=[("interactions", meal.id)])  # not on the stack
    with pytest.raises(UndoConflict, match=r"the meal with Ana Silva on 2026-11-01 was changed since"):
        journal.undo()
    assert meal.id not in journal.interaction_ids()


def test_a_change_made_off_the_stack_clears_redo_too(journal: Journal) -> None:
    person = ana(journal)
    journal.update_contact(dataclasses.replace(person, role="Designer"))
    assert journal.undo() == "edit of Ana Silva"
    journal.apply([dataclasses.replace(journal.contact(person.id), org="Acme").stamped()])  # not on the stack
    assert journal.redo_label() is None  # a change after an undo clears the redo stack
    assert journal.undo() == "new contact Bruno Costa"
    # Redo of Bruno's step is fine (Bruno was not touched since); Ana's never comes back.
    assert journal.redo() == "new contact Bruno Costa"
    assert journal.contact(person.id).org == "Acme"


def test_redo_refuses_a_step_whose_record_changed_since(journal: Journal) -> None:
    person = ana(journal)
    journal.update_contact(dataclasses.replace(person, role="Designer"))
    assert journal.undo() == "edit of Ana Silva"
    # Something writes behind the stack's back, without clearing it (a raw write).
    journal._put(dataclasses.replace(journal.contact(person.id), org="Acme").stamped())
    assert journal.redo_label() == "edit of Ana Silva"
    with pytest.raises(UndoConflict, match=r"^Not redone: edit of Ana Silva \(Ana Silva was changed since"):
        journal.redo()
    assert journal.contact(person.id).org == "Acme" and journal.contact(person.id).role == ""


def test_a_long_chain_is_kept_up_to_the_depth(journal: Journal) -> None:
    person = ana(journal)
    for n in range(UNDO_DEPTH + 5):
        person = journal.update_contact(dataclasses.replace(person, role=f"role {n}"))
    undone = 0
    while journal.undo() is not None:
        undone += 1
    assert undone == UNDO_DEPTH >= 100
    assert journal.contact(person.id).role == "role 4"
    assert journal.undo_dropped


def test_a_change_inside_a_labelled_transaction_is_one_step(journal: Journal) -> None:
    person = ana(journal)
    with journal.transaction(undo_label="snooze of Ana Silva"):
        journal.update_contact(dataclasses.replace(person, snoozed_until="2026-12-01"))
        journal.update_contact(dataclasses.replace(journal.contact(person.id), role="x"))
    assert journal.undo() == "snooze of Ana Silva"
    assert journal.contact(person.id) == person


def test_an_interaction_of_kind_other_is_called_an_interaction(journal: Journal) -> None:
    people = [ana(journal).id, journal.resolve_contact("bruno").id, journal.add_contact(Contact(name="Carla")).id]
    journal.add_interaction(Interaction(date="2026-11-01T09:30", contact_ids=people, kind="other"))
    assert journal.undo_label() == "new interaction with Ana Silva and 2 others on 2026-11-01 09:30"


def test_a_right_to_left_name_in_a_label_is_isolated(journal: Journal) -> None:
    journal.add_contact(Contact(name="ليلى حداد"))
    assert journal.undo_label() == "new contact \u2068ليلى حداد\u2069"


def test_a_journal_opened_without_undo_keeps_no_steps_but_still_rolls_back(journal_path: Path) -> None:
    """The shell opens its journal so (a command ends before anything could be undone): a big
    import then does not also hold every record it replaced. A failed change still writes nothing."""
    with Journal.open(journal_path, undo=False) as j:
        j.add_contact(Contact(name="Ana Silva"))
        assert j.undo_label() is None and j.undo() is None
        with pytest.raises(RuntimeError), j.transaction(undo_label="import of people.vcf"):
            j.add_contact(Contact(name="Half an import"))
            raise RuntimeError("cut")
        assert [c.name for c in j.contacts()] == ["Ana Silva"]
    with Journal.open(journal_path, readonly=True) as j:
        assert [c.name for c in j.contacts()] == ["Ana Silva"]
