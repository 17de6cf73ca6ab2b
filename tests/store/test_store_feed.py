"""The Journal publishes each change it makes, (table, id, new document), so that what follows
it (the insights' cache) applies the change instead of comparing tables to find it."""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest

import netjournal.store.feed as feed_module
import netjournal.store.writes as writes_module
from netjournal.domain.model import Contact, Interaction
from netjournal.store import Journal
from netjournal.store.views import Insights


def test_each_change_is_told_once_with_its_documents(journal: Journal) -> None:
    start = journal.revision
    ana = journal.add_contact(Contact(name="Ana Feed"))
    met = journal.add_interaction(Interaction(date="2026-11-30", contact_ids=[ana.id], text="coffee"))
    assert [(t, rid) for t, rid, _ in journal.changes_since(start) or []] == [
        ("contacts", ana.id),
        ("interactions", met.id),
    ]
    middle = journal.revision
    journal.update_contact(dataclasses.replace(ana, role="Designer"))
    journal.delete_interaction(met.id)
    changes = journal.changes_since(middle)
    assert changes is not None
    assert [(t, rid, doc["role"] if doc else None) for t, rid, doc in changes] == [
        ("contacts", ana.id, "Designer"),
        ("interactions", met.id, None),
    ]
    assert journal.changes_since(journal.revision) == []
    assert journal.undo() is not None  # an undo is a change like any other
    assert [(t, rid) for t, rid, doc in journal.changes_since(journal.revision - 1) or [] if doc] == [
        ("interactions", met.id)
    ]


def test_a_change_that_fails_tells_nothing(journal: Journal) -> None:
    start = journal.revision
    with pytest.raises(RuntimeError), journal.transaction(undo_label="half"):
        journal.add_contact(Contact(name="Never Saved"))
        raise RuntimeError("cut")
    assert journal.revision == start and journal.changes_since(start) == []


def test_a_follower_too_far_behind_is_told_to_read_everything(journal: Journal, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(writes_module, "FEED_LIMIT", 3)
    monkeypatch.setattr(feed_module, "FEED_LIMIT", 3)
    start = journal.revision
    journal.put_many([Contact(name=f"Person {n}").stamped() for n in range(5)])  # more than the feed keeps
    assert journal.changes_since(start) is None
    after = journal.revision
    journal.add_contact(Contact(name="One More"))
    assert [t for t, _, _ in journal.changes_since(after) or []] == ["contacts"]
    for n in range(4):  # the feed drops its oldest changes: a follower from before them reads everything
        journal.add_contact(Contact(name=f"Later {n}"))
    assert journal.changes_since(after) is None
    assert len(journal.changes_since(journal.revision - 2) or []) == 2


def test_the_insights_apply_each_change_without_reading_the_tables_again(
    journal: Journal, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What the feed is for: after its first read, the insights' cache takes each change from
    the journal as it was made (it used to compare every table with its copy to find it)."""
    today = date(2026, 12, 5)
    insights = Insights(journal)
    ana = journal.resolve_contact("ana")
    assert insights.last_contact(ana.id, today) is None  # the first read: every table
    reads: list[str] = []
    real = journal.raw_documents
    monkeypatch.setattr(journal, "raw_documents", lambda table: reads.append(table) or real(table))
    met = journal.add_interaction(
        Interaction(date="2026-12-01", contact_ids=[ana.id], text="design chat", follow_up="2026-12-08")
    )
    assert insights.last_contact(ana.id, today) == date(2026, 12, 1)
    assert [f.interaction_id for f in insights.follow_ups(today)] == [met.id]
    assert [m.name for m in insights.who("design", today)] == ["Ana Silva"]
    journal.delete_interaction(met.id)
    assert insights.last_contact(ana.id, today) is None and insights.follow_ups(today) == []
    assert reads == []
    monkeypatch.setattr(writes_module, "FEED_LIMIT", 3)  # a change bigger than the feed: read again
    journal.put_many([Contact(name=f"Person {n}").stamped() for n in range(5)])
    assert len(insights.contacts()) == 7 and set(reads) == {"contacts", "interactions", "favours"}


def test_a_person_asked_for_by_id_is_found_without_indexing_everyone(
    journal: Journal, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``netjournal show ID`` read every name into the resolver's index first (found by the
    rebuild's benchmark: 1.25x the time of before); an id needs no index."""
    person = journal.add_contact(Contact(name="Ана Иванова"))

    def no_index(*_: object) -> None:
        raise AssertionError("the people index was built for an id")

    monkeypatch.setattr(journal._ix, "people_index", no_index)
    assert journal.resolve_contact(person.id).name == "Ана Иванова"
    assert journal.resolve_contact(f"@{person.id}").id == person.id
