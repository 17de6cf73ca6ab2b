"""Answers read from the snapshot's interaction lines equal the answers of the parsed table.

Right after an open the interactions are still bytes (one record per line, by date); a text
search with a limit, a person's interactions and everyone's latest dates are read from those
lines without parsing the rest. Whatever the journal holds (accents, capitals, quotes, new
lines, times of day, changes since the snapshot), a person must get exactly what the parsed
table gives.
"""

from __future__ import annotations

import json
import threading
import time
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from netjournal.domain.model import Contact, Interaction
from netjournal.store import Journal, dated_lines
from netjournal.store import folding as journal_module
from netjournal.store import snapshot as snapshot_module
from netjournal.store.storage import LAZY_TABLE

WORDS = ["Pricing", "pricing", "PRICÍNG", "café", "Cafe", 'say "hi"', "back\\slash", "new\nline", "chess", "Ünïcode", "日本"]
NEEDLES = ["pricing", "cafe", "café", '"hi"', "hi", "slash", "\\", "line", "ess", "unicode", "日本", "zzz", "e"]
DAYS = ["2024-01-05", "2024-01-05T09:30", "2024-03-01", "2025-07-14", "2025-07-14T18:00", "2026-02-28"]

texts = st.lists(st.sampled_from(WORDS), min_size=0, max_size=4).map(" ".join)
entries = st.lists(
    st.tuples(texts, st.sampled_from(DAYS), st.sets(st.integers(0, 3), min_size=1, max_size=2), st.booleans()),
    min_size=0,
    max_size=25,
)
changes = st.lists(
    st.tuples(st.sampled_from(["add", "edit", "delete"]), st.integers(0, 100), texts, st.sampled_from(DAYS)),
    max_size=4,
)


def _build(path: Path, rows: list[tuple[str, str, set[int], bool]], later: list[tuple[str, int, str, str]]) -> list[str]:
    """A compacted journal with ``rows``, then ``later`` changes left in the change log."""
    with Journal.open(path) as j:
        people = [j.add_contact(Contact(name=n)).id for n in ["Ana", "Bruno", "Carla", "Dev"]]
        for text, day, who, tagged in rows:
            j.add_interaction(
                Interaction(date=day, contact_ids=[people[i] for i in sorted(who)], text=text, tags=["work"] if tagged else [])
            )
        j.compact()
        for what, n, text, day in later:
            ids = j.interaction_ids()
            if what == "add" or not ids:
                j.add_interaction(Interaction(date=day, contact_ids=[people[n % 4]], text=text))
            elif what == "edit":
                old = j.interaction(ids[n % len(ids)])
                j.update_interaction(Interaction(**{**old.to_dict(), "date": day, "text": text, "contact_ids": [people[n % 4]]}))
            else:
                j.delete_interaction(ids[n % len(ids)])
    return people


def _parsed(path: Path) -> Journal:
    j = Journal.open(path, readonly=True)
    j.interaction_count()  # everyone's: parses the table
    assert not j.storage.lazy
    return j


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=entries, later=changes, needle=st.sampled_from(NEEDLES), limit=st.integers(1, 6), who=st.integers(0, 4))
def test_a_search_before_parsing_finds_what_the_parsed_table_finds(
    tmp_path_factory: pytest.TempPathFactory,
    rows: list[tuple[str, str, set[int], bool]],
    later: list[tuple[str, int, str, str]],
    needle: str,
    limit: int,
    who: int,
) -> None:
    path = tmp_path_factory.mktemp("h") / "journal.json"
    people = _build(path, rows, later)
    contact = people[who] if who < 4 else None
    for kwargs in (
        {"limit": limit},
        {"limit": limit, "contact_id": contact},
        {"limit": limit, "tag": "work", "date_from": "2024-02-01"},
        {"limit": limit, "date_to": "2025-07-14"},
        {"limit": limit, "contact_id": contact, "date_from": "2024-02-01", "date_to": "2025-07-14"},
    ):
        with Journal.open(path, readonly=True) as lazy, _parsed(path) as full:
            got = lazy.search(needle, **kwargs)  # type: ignore[arg-type]
            assert [i.to_dict() for i in got] == [i.to_dict() for i in full.search(needle, **kwargs)]  # type: ignore[arg-type]
            assert lazy.search_ids(needle, **kwargs) == full.search_ids(needle, **kwargs)  # type: ignore[arg-type]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=entries, later=changes)
def test_a_persons_interactions_and_everyones_last_dates_before_parsing(
    tmp_path_factory: pytest.TempPathFactory, rows: list[tuple[str, str, set[int], bool]], later: list[tuple[str, int, str, str]]
) -> None:
    path = tmp_path_factory.mktemp("h") / "journal.json"
    people = _build(path, rows, later)
    with Journal.open(path, readonly=True) as lazy, _parsed(path) as full:
        assert lazy.last_contacts() == full.last_contacts()
        for cid in people:
            assert lazy.interaction_ids(cid) == full.interaction_ids(cid)
            assert lazy.interaction_count(cid) == full.interaction_count(cid)
            assert lazy.last_contact(cid) == full.last_contact(cid)
            assert [i.to_dict() for i in lazy.interactions(cid, limit=3)] == [i.to_dict() for i in full.interactions(cid, limit=3)]
            if full.interaction_count(cid):
                assert lazy.interaction_at(0, cid) == full.interaction_at(0, cid)


PLAN_DAYS = [*DAYS, "2026-07-01", "2026-09-30T12:00", "2027-01-02"]
TODAYS = [date(2025, 7, 14), date(2026, 6, 1), date(2026, 7, 1), date(2026, 10, 1), date(2027, 5, 5)]
planned = st.lists(
    st.tuples(texts, st.sampled_from(PLAN_DAYS), st.sets(st.integers(0, 3), min_size=1, max_size=2), st.booleans()),
    max_size=25,
)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=planned, later=st.lists(st.tuples(st.sampled_from(["add", "edit", "delete"]), st.integers(0, 100), texts,
                                              st.sampled_from(PLAN_DAYS)), max_size=4), today=st.sampled_from(TODAYS))
def test_a_plan_is_not_a_last_contact_before_its_day_read_lazily_or_parsed(
    tmp_path_factory: pytest.TempPathFactory,
    rows: list[tuple[str, str, set[int], bool]],
    later: list[tuple[str, int, str, str]],
    today: date,
) -> None:
    """The snapshot was written on 1 June 2026 with entries after it (plans); read on other
    days, each person's last contact is their latest entry on or before that day, whichever
    way it is read."""
    path = tmp_path_factory.mktemp("h") / "journal.json"
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(snapshot_module, "snapshot_day", lambda: "2026-06-01")
        people = _build(path, rows, later)
    every = [(day, set(who)) for _, day, who, _ in rows]
    with Journal.open(path, readonly=True) as lazy, _parsed(path) as full:
        lazy_last = lazy.last_contacts(today)
        assert lazy_last == full.last_contacts(today)
        assert all(day[:10] <= today.isoformat() for day in lazy_last.values())
        for cid in people:
            assert lazy.last_contact(cid, today) == full.last_contact(cid, today) == lazy_last.get(cid, "")
        if not later:
            for n, cid in enumerate(people):
                seen = [day for day, who in every if n in who and day[:10] <= today.isoformat()]
                assert lazy_last.get(cid, "") == max(seen, default="")


def test_everyones_last_contact_as_of_a_day_after_the_snapshot_needs_no_parse(
    journal_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A plan (next month's lunch) recorded in the snapshot: until its day the last contact is
    the one before; from its day on, the plan is. Read from the snapshot, not parsed."""
    monkeypatch.setattr(snapshot_module, "snapshot_day", lambda: "2026-06-01")
    people = _build(journal_path, [("met", "2026-05-20", {0}, False), ("lunch", "2026-07-01", {0, 1}, False)], [])
    for today, expected in (
        (date(2026, 6, 1), {people[0]: "2026-05-20"}),
        (date(2026, 7, 1), {people[0]: "2026-07-01", people[1]: "2026-07-01"}),
    ):
        with Journal.open(journal_path, readonly=True) as j:
            assert j.last_contacts(today) == expected
            assert j.storage.lazy


def test_they_are_answered_without_parsing_the_table(journal_path: Path) -> None:
    people = _build(journal_path, [("Pricing talk", "2024-01-05", {0}, False), ("chess", "2025-07-14", {1}, True)], [])
    with Journal.open(journal_path, readonly=True) as j:
        assert [i.text for i in j.search("pricing", limit=5)] == ["Pricing talk"]
        assert j.last_contacts() == {people[0]: "2024-01-05", people[1]: "2025-07-14"}
        assert j.interaction_count(people[1]) == 1
        assert j.storage.lazy  # none of that needed the whole table
        assert len(j.search("pricing")) == 1  # no limit: parses it
        assert not j.storage.lazy


def test_the_snapshot_stays_plain_json_by_date(journal_path: Path) -> None:
    _build(journal_path, [("late", "2026-02-28", {0}, False), ("early", "2024-01-05", {1}, False)], [])
    data = json.loads(journal_path.read_text(encoding="utf-8"))
    assert [d["text"] for d in data[LAZY_TABLE].values()] == ["early", "late"]
    assert journal_path.read_bytes().count(b"\n") >= 3  # one line per interaction


def test_a_new_entry_since_the_snapshot_moves_the_last_date(journal_path: Path) -> None:
    people = _build(journal_path, [("old", "2024-01-05", {0}, False)], [])
    with Journal.open(journal_path) as j:
        j.add_interaction(Interaction(date="2026-02-28", contact_ids=[people[0]], text="new"))
    with Journal.open(journal_path, readonly=True) as j:
        assert j.last_contacts() == {people[0]: "2026-02-28"}
        assert j.storage.lazy


def test_history_loads_in_a_worker_while_a_reader_reads(journal_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(dated_lines, "CHUNK", 512)  # parse in many chunks, as a big journal is
    rows = [(f"note {n}", DAYS[n % len(DAYS)], {n % 4}, False) for n in range(300)]
    people = _build(journal_path, rows, [])
    with Journal.open(journal_path) as j:
        seen: list[int] = []
        worker = threading.Thread(target=j.load_history)
        worker.start()
        for _ in range(20):
            seen.append(j.interaction_count(people[0]))
        added = j.add_interaction(Interaction(date="2026-03-01", contact_ids=[people[0]], text="during"))
        worker.join()
        assert j.history_loaded
        assert set(seen) == {75}
        assert j.interaction_count(people[0]) == 76
        assert j.interaction_ids(people[0])[0] == added.id
        assert j.interaction_count() == 301
        assert sorted(i.text for i in j.interactions(people[1])) == sorted(f"note {n}" for n in range(1, 300, 4))


def test_a_snapshot_written_before_the_line_layout_still_answers(journal_path: Path) -> None:
    """Journals saved by the first version keep the interactions on one line, undated order."""
    import zlib

    import orjson

    people = _build(journal_path, [("Pricing talk", "2024-01-05", {0}, False), ("chess", "2025-07-14", {1}, True)], [])
    data = orjson.loads(journal_path.read_bytes())
    generation = data["_meta"].pop("snapshot")["generation"]  # (the change log beside it extends it)
    del data["_check"]
    tail = orjson.dumps(dict(reversed(list(data.pop(LAZY_TABLE).items()))))
    data["_meta"]["snapshot"] = {"table": LAZY_TABLE, "bytes": len(tail), "adler32": zlib.adler32(tail),
                                 "generation": generation}
    journal_path.write_bytes(orjson.dumps(data)[:-1] + b',"interactions":' + tail + b"}")
    with Journal.open(journal_path, readonly=True) as j:
        assert j.storage.lazy
        assert [i.text for i in j.search("pricing", limit=5)] == ["Pricing talk"]
        assert j.last_contacts() == {people[0]: "2024-01-05", people[1]: "2025-07-14"}
        assert j.interaction_ids(people[1]) == [i.id for i in j.interactions(people[1])]


def test_entries_logged_from_the_shell_since_the_snapshot_keep_the_first_frame_cheap(
    journal_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A day of `netjournal log` (each its own process) leaves new records in the change log:
    everyone's last date is still known without parsing the interactions."""
    monkeypatch.setattr(journal_module, "SMALL_SNAPSHOT", 0)  # as a big journal: the log is kept
    monkeypatch.setattr(journal_module, "COMPACT_LOG_FRACTION", 0)
    people = _build(journal_path, [("old", "2024-01-05", {0}, False), ("older", "2023-01-05", {1}, False)], [])
    for n in range(8):
        with Journal.open(journal_path) as j:
            j.add_interaction(Interaction(date=f"2026-03-{n + 1:02d}", contact_ids=[people[n % 2]], text=f"log {n}"))
    with Journal.open(journal_path, readonly=True) as j, _parsed(journal_path) as full:
        assert j.storage.log_lines == 8
        assert j.last_contacts() == full.last_contacts() == {people[0]: "2026-03-07", people[1]: "2026-03-08"}
        assert j.storage.lazy
    with Journal.open(journal_path) as j:  # an edit of a record from the snapshot: parse to know
        old = j.interactions(people[1])[-1]
        j.update_interaction(Interaction(**{**old.to_dict(), "contact_ids": [people[0]]}))
    with Journal.open(journal_path, readonly=True) as j, _parsed(journal_path) as full:
        assert j.last_contacts() == full.last_contacts()


def test_a_reader_holding_the_journal_while_the_worker_starts_does_not_deadlock(journal_path: Path) -> None:
    """The worker must not hold the parse lock while it waits for the journal's lock: a reader
    holding the journal's lock waits for the parse lock (lock order)."""
    rows = [(f"note {n}", DAYS[n % len(DAYS)], {n % 4}, False) for n in range(50)]
    _build(journal_path, rows, [])
    j = Journal.open(journal_path, readonly=True)  # (not closed on a deadlock: close would wait too)
    worker = threading.Thread(target=j.load_history, daemon=True)
    reader_done = threading.Event()

    def reader() -> None:
        with j._mutex:  # a reader in the middle of a call when the worker starts
            worker.start()
            time.sleep(0.2)  # the worker is now waiting for the journal's lock
            j.interaction_count()  # everyone's: needs the parsed table
        reader_done.set()

    threading.Thread(target=reader, daemon=True).start()
    assert reader_done.wait(10), "deadlock: the reader and the worker wait for each other"
    worker.join(10)
    assert not worker.is_alive() and j.history_loaded
    assert j.interaction_count() == 50
    j.close()


def test_one_persons_search_keeps_to_the_dates(journal_path: Path) -> None:
    rows = [("call", "2024-01-05", {0}, False), ("call", "2025-07-14", {0}, False), ("call", "2026-02-28", {0}, False)]
    people = _build(journal_path, rows, [])
    for j in (Journal.open(journal_path, readonly=True), _parsed(journal_path)):
        with j:
            found = j.search("", contact_id=people[0], date_from="2025-01-01", date_to="2025-12-31")
            assert [i.date for i in found] == ["2025-07-14"]
            found = j.search("call", contact_id=people[0], date_from="2025-01-01", limit=5)
            assert [i.date for i in found] == ["2026-02-28", "2025-07-14"]
