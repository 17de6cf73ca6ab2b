"""Years of interactions are parsed only when something needs them.

A snapshot keeps the interactions table last, with its length and checksum at the front, so an
open parses the people and favours first; adding a new interaction (``netjournal log``) saves it
without parsing the rest. These tests check that nothing is lost or mixed up on that path.
"""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest

from netjournal.domain.model import Contact, Favour, Interaction
from netjournal.errors import ValidationError
from netjournal.store import Journal, JournalDamaged
from netjournal.store.storage import split_snapshot


def _seed(path: Path, n: int = 30) -> tuple[str, list[str]]:
    with Journal.open(path) as j:
        ana = j.add_contact(Contact(name="Ana"))
        ids = [
            j.add_interaction(Interaction(date=f"2024-01-{d % 28 + 1:02d}", contact_ids=[ana.id], text=f"note {d}")).id
            for d in range(n)
        ]
        j.compact()
    return ana.id, ids


def test_an_open_leaves_interactions_unparsed_until_needed(journal_path: Path) -> None:
    ana, ids = _seed(journal_path)
    with Journal.open(journal_path, readonly=True) as j:
        assert j.storage.lazy
        assert [c.name for c in j.contacts()] == ["Ana"]
        assert j.storage.lazy  # people alone do not need the interactions
        # One person's interactions are read from the snapshot's lines, still unparsed.
        assert j.interaction_count(ana) == 30
        assert j.storage.lazy
        assert j.interaction_count() == 30  # everyone's: parsed now
        assert not j.storage.lazy


def test_a_new_interaction_is_saved_without_parsing_and_kept(journal_path: Path) -> None:
    ana, ids = _seed(journal_path)
    with Journal.open(journal_path) as j:
        new = j.add_interaction(Interaction(date="2024-02-01", contact_ids=[ana], text="lazy lunch"))
        fav = j.add_favour(Favour(date="2024-02-01", contact_id=ana, direction="given", interaction_id=new.id))
        assert j.storage.lazy
        # Read back in the same session: parsed now, with the new record in place.
        assert j.interaction_ids(ana)[0] == new.id
        assert j.interaction(new.id).text == "lazy lunch"
        assert j.favours(ana)[0].id == fav.id
    with Journal.open(journal_path, readonly=True) as j:
        assert j.interaction_count() == 31
        assert j.interaction(new.id).text == "lazy lunch"


def test_changes_from_the_log_apply_over_the_unparsed_table(journal_path: Path) -> None:
    ana, ids = _seed(journal_path)
    j = Journal.open(journal_path)
    j.delete_interaction(ids[0])
    changed = j.interaction(ids[1])
    changed.text = "edited"
    j.update_interaction(changed)
    added = j.add_interaction(Interaction(date="2024-03-01", contact_ids=[ana], text="added"))
    assert j.storage.log_bytes > 0
    # As if the process died: no compaction, the changes live only in the log.
    j.storage.close()
    j._lock.release()  # type: ignore[union-attr]
    j.closed = True
    with Journal.open(journal_path, readonly=True) as j:
        assert j.storage.lazy and j.storage.log_bytes > 0
        got = {i.id: i.text for i in j.interactions(ana)}
        assert ids[0] not in got
        assert got[ids[1]] == "edited"
        assert got[added.id] == "added"
        assert len(got) == 30


def test_a_failed_batch_leaves_no_trace_of_its_unparsed_insert(journal_path: Path) -> None:
    ana, ids = _seed(journal_path)
    with Journal.open(journal_path) as j:
        good = Interaction(date="2024-02-01", contact_ids=[ana], text="half of a batch").stamped()
        bad = Favour(date="2024-02-01", contact_id=ana, direction="sideways").stamped()
        with pytest.raises(ValidationError):
            j.apply([good, bad])
        assert j.storage.log_bytes == 0
        assert good.id not in j.interaction_ids()
    with Journal.open(journal_path, readonly=True) as j:
        assert j.interaction_count() == 30


def test_updating_an_existing_interaction_parses_first(journal_path: Path) -> None:
    ana, ids = _seed(journal_path)
    with Journal.open(journal_path) as j:
        rec = Interaction.from_dict(orjson.loads(orjson.dumps({"id": ids[5], "date": "2024-05-05", "contact_ids": [ana]})))
        j.apply([rec])  # an import of a record we already have: must replace, not duplicate
        assert j.interaction_count() == 30
        assert j.interaction(ids[5]).date == "2024-05-05"


def test_a_record_id_that_looks_like_a_table_name_does_not_confuse_the_split(journal_path: Path) -> None:
    with Journal.open(journal_path) as j:
        j.apply([Contact(id="interactions", name="Odd").stamped()])
        j.add_interaction(Interaction(date="2024-01-01", contact_ids=["interactions"], text="x"))
        j.compact()
    with Journal.open(journal_path, readonly=True) as j:
        assert j.contact("interactions").name == "Odd"
        assert j.interaction_count("interactions") == 1


def test_a_snapshot_edited_by_hand_is_parsed_whole(journal_path: Path) -> None:
    ana, ids = _seed(journal_path)
    raw = journal_path.read_bytes()
    edited = raw.replace(b"note 3", b"NOTE 3")  # same length: only the checksum tells
    assert split_snapshot(edited) is None
    journal_path.write_bytes(edited)
    with Journal.open(journal_path, readonly=True) as j:
        assert not j.storage.lazy
        assert any(i.text == "NOTE 3" for i in j.interactions())


def test_damage_inside_the_interactions_is_refused_at_open(journal_path: Path) -> None:
    _seed(journal_path)
    raw = journal_path.read_bytes()
    at = raw.index(b"note 7")
    damaged = raw[:at] + b'"}}{' + raw[at + 4 :]
    journal_path.write_bytes(damaged)
    with pytest.raises(JournalDamaged):
        Journal.open(journal_path, readonly=True)
    assert journal_path.read_bytes() == damaged
