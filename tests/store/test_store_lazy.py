"""Years of interactions are parsed only when something needs them.

A snapshot keeps the favours and then the interactions last, with their lengths and checksums at
the front, so an open parses the people first; adding a new interaction (``netjournal log``) saves it
without parsing the rest. These tests check that nothing is lost or mixed up on that path.
"""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from netjournal.domain.model import Contact, Favour, Interaction
from netjournal.errors import ValidationError
from netjournal.store import Journal, JournalDamaged
from netjournal.store.snapshot import split_snapshot


def _seed(path: Path, n: int = 30) -> tuple[str, list[str]]:
    with Journal.open(path) as j:
        ana = j.add_contact(Contact(name="Ana"))
        ids = [
            j.add_interaction(Interaction(date=f"2024-01-{d % 28 + 1:02d}", contact_ids=[ana.id], text=f"note {d}")).id
            for d in range(n)
        ]
        j.compact()
    return ana.id, ids


def _crash(j: Journal) -> None:
    """Leave as a killed process would: the changes only in the log."""
    j.storage.close()
    j.closed = True


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
    _crash(j)  # as if the process died: no compaction, the changes live only in the log
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


def _favours_seed(path: Path) -> list[str]:
    with Journal.open(path) as j:
        people = [j.add_contact(Contact(name=name)).id for name in ("Ana", "Ben", "Cy")]
        for n in range(24):
            j.add_favour(
                Favour(date=f"2024-0{n % 9 + 1}-1{n % 3}", contact_id=people[n % 3], direction="given" if n % 2 else "received", text=f"favour {n}")
            )
        j.compact()
    return people


def test_favours_stay_unparsed_while_one_persons_are_read(journal_path: Path) -> None:
    ana, ben, cy = _favours_seed(journal_path)
    with Journal.open(journal_path, readonly=True) as j:
        assert j.storage.favours_lazy
        lazy = {cid: [f.to_dict() for f in j.favours(cid)] for cid in (ana, ben, cy, "c-nobody")}
        assert j.storage.favours_lazy  # one person's favours come from their lines
        j.load_history()
        assert not j.storage.favours_lazy and j.history_loaded
        assert lazy == {cid: [f.to_dict() for f in j.favours(cid)] for cid in lazy}
        newest = j.favours(ana)
        assert {f.text for f in newest[:2]} == {"favour 6", "favour 15"}  # newest first (both of 2024-07-10)
        assert [(f.date, f.id) for f in newest] == sorted(((f.date, f.id) for f in newest), reverse=True)


def test_favour_changes_in_the_log_apply_over_the_unparsed_favours(journal_path: Path) -> None:
    ana, ben, cy = _favours_seed(journal_path)
    j = Journal.open(journal_path)
    first, second = j.favours(ana)[:2]
    j.delete_favour(first.id)
    second.text = "edited"
    j.update_favour(second)
    moved = j.favours(ben)[0]
    moved.contact_id = ana
    j.update_favour(moved)
    added = j.add_favour(Favour(date="2025-01-01", contact_id=ana, direction="given", text="added"))
    _crash(j)
    with Journal.open(journal_path, readonly=True) as j:
        assert j.storage.favours_lazy and j.storage.log_bytes > 0
        got = [f.text for f in j.favours(ana)]
        assert got[0] == "added" and "edited" in got and moved.text in got and first.text not in got
        assert moved.text not in [f.text for f in j.favours(ben)]
        lazy = {cid: j.favours(cid) for cid in (ana, ben, cy)}
        assert j.storage.favours_lazy
        j.load_history()
        assert lazy == {cid: j.favours(cid) for cid in (ana, ben, cy)}
    with Journal.open(journal_path) as j:
        assert added.id in {f.id for f in j.favours()}


def test_a_journal_from_before_the_favour_lines_opens_and_is_rewritten_with_them(journal_path: Path) -> None:
    ana, ben, cy = _favours_seed(journal_path)
    raw = journal_path.read_bytes()
    parts = split_snapshot(raw)
    assert parts is not None and parts.favours is not None
    # The older layout: the favours inside the head, the snapshot's record without them.
    head = dict(parts.head)
    head["favours"] = orjson.loads(bytes(parts.favours))
    head["_meta"] = dict(head["_meta"], snapshot={k: v for k, v in parts.info.items() if k != "favours"})
    old = orjson.dumps(head)[:-1] + b',"interactions":' + bytes(parts.tail) + b"}"
    journal_path.write_bytes(old)
    with Journal.open(journal_path) as j:
        assert j.storage.lazy and not j.storage.favours_lazy  # the interactions are still lazy
        assert len(j.favours(ana)) == 8
        j.compact()
    with Journal.open(journal_path, readonly=True) as j:
        assert j.storage.favours_lazy and len(j.favours(ana)) == 8


def test_favours_edited_by_hand_are_read_from_a_whole_parse(journal_path: Path) -> None:
    _favours_seed(journal_path)
    raw = journal_path.read_bytes()
    edited = raw.replace(b"favour 13", b"FAVOUR 13")  # same length: only the checksum tells
    assert split_snapshot(edited) is None
    journal_path.write_bytes(edited)
    with Journal.open(journal_path, readonly=True) as j:
        assert not j.storage.favours_lazy
        assert "FAVOUR 13" in [f.text for f in j.favours()]


_change = st.tuples(st.sampled_from(["add", "edit", "move", "delete"]), st.integers(0, 2), st.integers(0, 50))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(changes=st.lists(_change, max_size=12), compact_after=st.integers(0, 12))
def test_one_persons_favours_read_lazily_equal_the_parsed_table(tmp_path_factory: pytest.TempPathFactory, changes: list[tuple[str, int, int]], compact_after: int) -> None:
    path = tmp_path_factory.mktemp("fav") / "journal.json"
    people = _favours_seed(path)
    j = Journal.open(path)
    for n, (kind, who, pick) in enumerate(changes):
        if n == compact_after:
            j.compact()
        mine = j.favours(people[who])
        if kind == "add" or not mine:
            j.add_favour(Favour(date=f"2024-0{pick % 9 + 1}-0{pick % 7 + 1}", contact_id=people[who], direction="given", text=f"new {n}"))
            continue
        fav = mine[pick % len(mine)]
        if kind == "delete":
            j.delete_favour(fav.id)
        else:
            if kind == "move":
                fav.contact_id = people[(who + 1) % 3]
            fav.text, fav.date = f"changed {n}", f"2024-0{pick % 9 + 1}-1{pick % 3}"
            j.update_favour(fav)
    _crash(j)
    with Journal.open(path, readonly=True) as j:
        lazy = {cid: j.favours(cid) for cid in people}
        j.load_history()
        assert lazy == {cid: j.favours(cid) for cid in people}


def test_a_favour_saved_while_another_thread_parses_the_favours_is_kept(journal_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An insight scan in a worker parses the favours on first read; a favour saved on the UI
    thread meanwhile must not be dropped when that parse lands (found by a review: it was, and
    the next compaction made the loss permanent)."""
    import threading

    from netjournal.store.storage import JournalStorage

    ana, _, _ = _favours_seed(journal_path)
    parsing = threading.Event()
    original = JournalStorage.parse_favours

    def slow_parse(self: JournalStorage, view: memoryview) -> object:
        if threading.current_thread().name == "scan":
            parsing.set()
            threading.Event().wait(0.3)  # the UI thread saves a favour meanwhile
        return original(self, view)

    monkeypatch.setattr(JournalStorage, "parse_favours", slow_parse)
    with Journal.open(journal_path) as j:
        scan = threading.Thread(target=j.raw_documents, args=("favours",), name="scan")
        scan.start()
        assert parsing.wait(5)
        saved = j.add_favour(Favour(date="2025-05-05", contact_id=ana, direction="given", text="during the scan"))
        scan.join()
        assert saved.id in [f.id for f in j.favours(ana)]
        j.compact()
    with Journal.open(journal_path, readonly=True) as j:
        assert saved.id in [f.id for f in j.favours(ana)]


def test_asking_for_many_peoples_interactions_parses_once_instead_of_a_pass_each(journal_path: Path) -> None:
    """One person's interactions come from a pass over the snapshot's lines; a caller going
    through everyone (a listing, an export person by person) gets the table parsed once
    instead (2,000 passes took 36 s for `netjournal contact list`)."""
    from netjournal.store.reads import PERSON_SCANS as LAZY_PERSON_SCANS

    with Journal.open(journal_path) as j:
        people = [j.add_contact(Contact(name=f"Person {n}")).id for n in range(LAZY_PERSON_SCANS + 5)]
        for n, cid in enumerate(people):
            j.add_interaction(Interaction(date=f"2024-01-{n % 28 + 1:02d}", contact_ids=[cid], text=f"met {n}"))
            j.add_favour(Favour(date="2024-02-01", contact_id=cid, direction="given", text=f"gave {n}"))
        j.compact()
    with Journal.open(journal_path, readonly=True) as j:
        seen, given = {}, {}
        for n, cid in enumerate(people):
            seen[cid] = [i.text for i in j.interactions(cid)]
            given[cid] = [f.text for f in j.favours(cid)]
            if n < LAZY_PERSON_SCANS:
                assert j.storage.lazy and j.storage.favours_lazy  # the first few from their lines
        assert not j.storage.lazy and not j.storage.favours_lazy  # then each table, once
        assert seen == {cid: [f"met {n}"] for n, cid in enumerate(people)}
        assert given == {cid: [f"gave {n}"] for n, cid in enumerate(people)}
