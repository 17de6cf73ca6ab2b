"""The Journal and its storage: what a person would notice if it went wrong."""

from __future__ import annotations

import dataclasses
import os
from pathlib import Path

import orjson
import pytest
from tinydb.storages import JSONStorage

from netjournal.domain.model import Contact, Favour, Interaction
from netjournal.errors import AmbiguousError, NotFoundError, ValidationError
from netjournal.store import Journal, StoreError


def person(j: Journal, name: str) -> Contact:
    return j.resolve_contact(name)


def log_lines(path: Path) -> list[bytes]:
    """The change lines of the journal's log (its header line, naming the generation, aside)."""
    log = path.with_name(path.name + ".log")
    lines = log.read_bytes().splitlines() if log.exists() else []
    return [line for line in lines if not line.startswith(b'{"log"')]


def snapshot(path: Path) -> dict:
    return orjson.loads(path.read_bytes())


# ------------------------------------------------------------------ records survive
def test_a_new_journal_is_created_with_its_folder(journal_path: Path) -> None:
    assert not journal_path.parent.exists()
    with Journal.open(journal_path) as j:
        assert j.count("contacts") == 0
    assert snapshot(journal_path)["_meta"]["schema"]["version"] == 2


def test_records_come_back_field_for_field_after_reopening(journal: Journal, journal_path: Path) -> None:
    ana = person(journal, "ana")
    inter = journal.add_interaction(
        Interaction(date="2024-03-05T15:30", contact_ids=[ana.id], kind="meal", text="Lunch *déjà vu*",
                    minutes=60, follow_up="2024-04-01", tags=["food"])
    )
    fav = journal.add_favour(Favour(date="2024-03-06", contact_id=ana.id, direction="received", kind="advice",
                                    text="CV review", weight=4, interaction_id=inter.id))
    journal.close()
    with Journal.open(journal_path, readonly=True) as j:
        assert j.interaction(inter.id) == inter
        assert j.favour(fav.id) == fav
        assert j.contact(ana.id) == ana
        assert [c.name for c in j.contacts()] == ["Ana Silva", "Bruno Costa"]


def test_each_change_is_one_appended_log_line_not_a_rewrite(journal: Journal, journal_path: Path) -> None:
    before = journal_path.read_bytes()
    n = len(log_lines(journal_path))
    ana = person(journal, "ana")
    journal.add_interaction(Interaction(date="2024-01-01", contact_ids=[ana.id], text="a"))
    journal.update_contact(dataclasses.replace(ana, org="Acme"))
    assert journal_path.read_bytes() == before  # the snapshot is not rewritten per change
    lines = log_lines(journal_path)
    assert len(lines) == n + 2
    ops = orjson.loads(lines[-1])["ops"]
    assert ops == [["contacts", ana.id, journal.contact(ana.id).to_stored()]]  # empty fields left out


def test_close_folds_the_log_into_a_snapshot_tinydb_can_read(journal: Journal, journal_path: Path) -> None:
    ana = person(journal, "ana")
    journal.close()
    assert log_lines(journal_path) == []
    storage = JSONStorage(str(journal_path), access_mode="r")  # TinyDB's stock reader
    try:
        tables = storage.read()
    finally:
        storage.close()
    assert tables is not None and tables["contacts"][ana.id]["name"] == "Ana Silva"


def test_update_replaces_the_whole_record_and_keeps_created(journal: Journal) -> None:
    ana = person(journal, "ana")
    saved = journal.update_contact(dataclasses.replace(ana, aliases=[], org="Acme"))
    doc = journal.document("contacts", ana.id)
    assert doc is not None and doc["aliases"] == [] and doc["org"] == "Acme"
    assert saved.created == ana.created and saved.updated >= ana.updated


def test_updating_a_missing_record_is_refused(journal: Journal) -> None:
    with pytest.raises(NotFoundError):
        journal.update_contact(Contact(id="c-nobody", name="Nobody"))
    assert journal.count("contacts") == 2


def test_an_interaction_must_name_known_people(journal: Journal) -> None:
    with pytest.raises(ValidationError, match="contact_ids"):
        journal.add_interaction(Interaction(date="2024-01-01", contact_ids=["c-ghost"]))
    assert journal.count("interactions") == 0


def test_returned_records_are_copies(journal: Journal) -> None:
    ana = person(journal, "ana")
    ana.name = "Changed"
    ana.tags.append("changed")
    assert person(journal, "ana silva").name == "Ana Silva"
    assert journal.contact(ana.id).tags == ["python"]


# ------------------------------------------------------------------ deletes, cascade, undo
def test_delete_interaction_takes_its_favours_and_undo_brings_both_back(journal: Journal, journal_path: Path) -> None:
    ana = person(journal, "ana")
    inter = journal.add_interaction(Interaction(date="2024-01-01", contact_ids=[ana.id], text="intro"))
    fav = journal.add_favour(Favour(date="2024-01-01", contact_id=ana.id, interaction_id=inter.id))
    other = journal.add_favour(Favour(date="2024-01-02", contact_id=ana.id))
    journal.delete_interaction(inter.id)
    assert journal.count("interactions") == 0
    assert [f.id for f in journal.favours(ana.id)] == [other.id]
    assert journal.undo_label() is not None
    journal.undo()
    assert journal.interaction(inter.id) == inter and journal.favour(fav.id) == fav
    journal.close()
    with Journal.open(journal_path, readonly=True) as j:
        assert j.interaction(inter.id) == inter and j.favour(fav.id) == fav


def test_a_new_date_for_an_interaction_moves_its_favours_in_the_same_change(journal: Journal, journal_path: Path) -> None:
    ana = person(journal, "ana")
    inter = journal.add_interaction(Interaction(date="2024-01-10T12:30", contact_ids=[ana.id], text="lunch"))
    fav = journal.add_favour(Favour(date="2024-01-10", contact_id=ana.id, interaction_id=inter.id))
    other = journal.add_favour(Favour(date="2024-01-10", contact_id=ana.id))
    journal.update_interaction(Interaction(**{**inter.to_dict(), "date": "2024-01-08T12:30"}))
    assert journal.favour(fav.id).date == "2024-01-08"
    assert journal.favour(other.id).date == "2024-01-10"  # not recorded with it
    journal.update_interaction(Interaction(**{**journal.interaction(inter.id).to_dict(), "date": "2024-01-08", "text": "x"}))
    assert journal.favour(fav.id).date == "2024-01-08"
    journal.undo()  # the last edit (the text): the day stays
    assert journal.favour(fav.id).date == "2024-01-08"
    journal.undo()  # the move, favour and all, in one step
    assert journal.interaction(inter.id).date == "2024-01-10T12:30" and journal.favour(fav.id).date == "2024-01-10"
    journal.redo()
    journal.close()
    with Journal.open(journal_path, readonly=True) as j:
        assert j.favour(fav.id).date == "2024-01-08" and j.interaction(inter.id).date == "2024-01-08T12:30"


def test_deleting_a_person_cascades_and_undo_restores_everything(journal: Journal, journal_path: Path) -> None:
    ana, bruno = person(journal, "ana"), person(journal, "bruno")
    alone = journal.add_interaction(Interaction(date="2024-01-01", contact_ids=[ana.id], text="just ana"))
    shared = journal.add_interaction(Interaction(date="2024-01-02", contact_ids=[ana.id, bruno.id], text="both"))
    fav = journal.add_favour(Favour(date="2024-01-03", contact_id=ana.id))
    bruno_fav = journal.add_favour(Favour(date="2024-01-03", contact_id=bruno.id))
    journal.delete_contact(ana.id)
    with pytest.raises(NotFoundError):
        journal.contact(ana.id)
    with pytest.raises(NotFoundError):
        journal.interaction(alone.id)
    assert journal.interaction(shared.id).contact_ids == [bruno.id]
    assert journal.interaction_ids(bruno.id) == [shared.id]
    assert journal.interaction_ids(ana.id) == []
    assert [f.id for f in journal.favours()] == [bruno_fav.id]
    journal.close()
    with Journal.open(journal_path) as j:  # the cascade was saved as one unit
        assert j.count("interactions") == 1 and j.count("contacts") == 1
    with Journal.open(journal_path) as j:
        assert j.undo() is None  # undo history is per session
    journal = Journal.open(journal_path)
    try:
        ana2 = journal.add_contact(Contact(name="Ana Silva"))
        journal.delete_contact(ana2.id)
        assert journal.undo() == "deletion of Ana Silva"
        assert journal.contact(ana2.id).name == "Ana Silva"
    finally:
        journal.close()
    del fav


def test_undo_in_the_same_session_restores_the_cascade(journal: Journal) -> None:
    ana, bruno = person(journal, "ana"), person(journal, "bruno")
    alone = journal.add_interaction(Interaction(date="2024-01-01", contact_ids=[ana.id], text="just ana"))
    shared = journal.add_interaction(Interaction(date="2024-01-02", contact_ids=[ana.id, bruno.id], text="both"))
    fav = journal.add_favour(Favour(date="2024-01-03", contact_id=ana.id))
    journal.delete_contact(ana.id)
    assert journal.undo() == "deletion of Ana Silva"
    assert journal.contact(ana.id) == ana
    assert journal.interaction(alone.id) == alone
    assert journal.interaction(shared.id) == shared
    assert journal.favour(fav.id) == fav
    assert journal.interaction_ids(ana.id) == [shared.id, alone.id]
    assert journal.undo() == "new favour given to Ana Silva on 2024-01-03"  # the adds are steps too


def test_deleting_a_missing_record_is_a_clear_error(journal: Journal) -> None:
    with pytest.raises(NotFoundError):
        journal.delete_interaction("i-nothing")
    with pytest.raises(NotFoundError):
        journal.delete_contact("c-nothing")


# ------------------------------------------------------------------ resolve_contact
def test_resolve_contact_by_id_name_alias_slug_and_first_name(journal: Journal) -> None:
    ana = person(journal, "Ana Silva")
    journal.add_contact(Contact(name="Éva Nagy"))
    assert person(journal, ana.id).id == ana.id
    assert person(journal, "ANA SILVA").id == ana.id
    assert person(journal, "annie").id == ana.id
    assert person(journal, "ana-silva").id == ana.id
    assert person(journal, "@ana").id == ana.id
    assert person(journal, "eva nagy").name == "Éva Nagy"


def test_resolve_contact_ambiguous_and_not_found(journal: Journal) -> None:
    journal.add_contact(Contact(name="Ana Costa"))
    with pytest.raises(AmbiguousError) as exc:
        person(journal, "ana")
    assert {c.name for c in exc.value.candidates} == {"Ana Silva", "Ana Costa"}  # type: ignore[attr-defined]
    with pytest.raises(NotFoundError, match="did you mean Bruno Costa"):
        person(journal, "bruno costta")
    with pytest.raises(NotFoundError):
        person(journal, "  ")


def test_an_archived_namesake_does_not_make_a_name_ambiguous(journal: Journal) -> None:
    old = journal.add_contact(Contact(name="Ana Silva", archived=True))
    assert person(journal, "ana silva").id != old.id
    assert [c.name for c in journal.contacts()] == ["Ana Silva", "Bruno Costa"]
    assert len(journal.contacts(archived=True)) == 3


# ------------------------------------------------------------------ listing and search
@pytest.fixture
def timeline(journal: Journal) -> dict[str, Interaction]:
    ana, bruno = person(journal, "ana"), person(journal, "bruno")
    recs = {
        "old": Interaction(date="2023-12-31", contact_ids=[ana.id], kind="call", text="Talked about Python", tags=["Work"]),
        "mid": Interaction(date="2024-01-15T09:00", contact_ids=[bruno.id], text="Café au lait, PYTHON again"),
        "mid2": Interaction(date="2024-01-15", contact_ids=[ana.id, bruno.id], text="Résumé review", tags=["work"]),
        "new": Interaction(date="2024-02-01", contact_ids=[bruno.id], text="Nothing to see"),
    }
    return {k: journal.add_interaction(v) for k, v in recs.items()}


def test_interactions_are_listed_newest_first(journal: Journal, timeline: dict[str, Interaction]) -> None:
    t = timeline
    ids = journal.interaction_ids()
    assert ids == [t["new"].id, t["mid"].id, t["mid2"].id, t["old"].id]  # a time sorts after its bare day
    assert journal.interaction_at(0) == t["new"]
    assert [i.id for i in journal.interactions(limit=2)] == ids[:2]
    bruno = person(journal, "bruno")
    assert journal.interaction_ids(bruno.id) == [t["new"].id, t["mid"].id, t["mid2"].id]
    assert journal.interaction_count(bruno.id) == 3
    assert journal.last_contact(bruno.id) == "2024-02-01"
    assert journal.last_contact(person(journal, "ana").id) == "2024-01-15"


def test_changing_a_date_moves_the_interaction_in_every_listing(journal: Journal, timeline: dict[str, Interaction]) -> None:
    t = timeline
    journal.interaction_ids()  # build the indexes first: they must follow the change
    moved = journal.update_interaction(dataclasses.replace(t["old"], date="2025-01-01"))
    ana = person(journal, "ana")
    assert journal.interaction_ids()[0] == moved.id
    assert journal.interaction_ids(ana.id) == [moved.id, t["mid2"].id]
    assert journal.last_contact(ana.id) == "2025-01-01"


def test_search_ignores_case_and_accents_and_returns_newest_first(journal: Journal, timeline: dict[str, Interaction]) -> None:
    t = timeline
    assert [i.id for i in journal.search("python")] == [t["mid"].id, t["old"].id]
    assert [i.id for i in journal.search("CAFE")] == [t["mid"].id]
    assert [i.id for i in journal.search("resume")] == [t["mid2"].id]
    assert [i.id for i in journal.search("résumé review")] == [t["mid2"].id]
    assert journal.search("no such words") == []
    assert len(journal.search("")) == 4


def test_search_filters_by_dates_tag_person_and_limit(journal: Journal, timeline: dict[str, Interaction]) -> None:
    t = timeline
    bruno = person(journal, "bruno")
    assert [i.id for i in journal.search("python", date_from="2024-01-01")] == [t["mid"].id]
    assert [i.id for i in journal.search("python", date_to="2024-01-15")] == [t["mid"].id, t["old"].id]
    assert [i.id for i in journal.search(date_from="2024-01-15", date_to="2024-01-15")] == [t["mid"].id, t["mid2"].id]
    assert [i.id for i in journal.search(tag="#WORK")] == [t["mid2"].id, t["old"].id]
    assert [i.id for i in journal.search("python", contact_id=bruno.id)] == [t["mid"].id]
    assert [i.id for i in journal.search("e", limit=2)] == [t["new"].id, t["mid"].id]
    assert journal.search_ids("python") == [t["mid"].id, t["old"].id]


def test_search_follows_updates_deletes_and_rollbacks(journal: Journal, timeline: dict[str, Interaction]) -> None:
    t = timeline
    assert journal.search("python")  # builds the text index
    journal.update_interaction(dataclasses.replace(t["old"], text="Talked about Rust"))
    journal.delete_interaction(t["mid"].id)
    assert journal.search("python") == []
    assert [i.id for i in journal.search("rust")] == [t["old"].id]
    added = journal.add_interaction(Interaction(date="2020-01-01", contact_ids=[person(journal, "ana").id], text="PYTHON"))
    assert [i.id for i in journal.search("python")] == [added.id]
    with pytest.raises(RuntimeError), journal.transaction():
        journal.update_interaction(dataclasses.replace(added, text="gone"))
        raise RuntimeError("abandon")
    assert [i.id for i in journal.search("python")] == [added.id]
    assert journal.search("gone") == []


# ------------------------------------------------------------------ transactions
def test_apply_is_all_or_nothing_in_memory_and_on_disk(journal: Journal, journal_path: Path) -> None:
    ana = person(journal, "ana")
    good = Interaction(date="2024-01-01", contact_ids=[ana.id], text="good").stamped()
    bad = Interaction(date="not a date", contact_ids=[ana.id]).stamped()
    with pytest.raises(ValidationError, match="date"):
        journal.apply(puts=[good, bad], deletes=[("contacts", ana.id)])
    assert journal.count("interactions") == 0 and journal.contact(ana.id) == ana
    assert journal.interaction_ids() == []
    journal.close()
    with Journal.open(journal_path, readonly=True) as j:
        assert j.count("interactions") == 0 and j.count("contacts") == 2


def test_an_error_inside_a_transaction_rolls_everything_back(journal: Journal, journal_path: Path) -> None:
    ana = person(journal, "ana")
    lines = len(log_lines(journal_path))
    with pytest.raises(KeyError), journal.transaction():
        journal.add_interaction(Interaction(date="2024-01-01", contact_ids=[ana.id], text="x"))
        journal.update_contact(dataclasses.replace(ana, name="Renamed"))
        journal.delete_contact(person(journal, "bruno").id)  # a nested transaction joins this one
        raise KeyError("boom")
    assert len(log_lines(journal_path)) == lines
    assert journal.count("interactions") == 0
    assert [c.name for c in journal.contacts()] == ["Ana Silva", "Bruno Costa"]
    journal.close()
    with Journal.open(journal_path, readonly=True) as j:
        assert [c.name for c in j.contacts()] == ["Ana Silva", "Bruno Costa"]


def test_a_transaction_is_one_log_line(journal: Journal, journal_path: Path) -> None:
    ana = person(journal, "ana")
    lines = len(log_lines(journal_path))
    recs = [Interaction(date=f"2024-01-{d:02}", contact_ids=[ana.id], text=str(d)).stamped() for d in range(1, 11)]
    assert journal.put_many(recs, undo_label="import") == 10
    assert len(log_lines(journal_path)) == lines + 1
    assert journal.undo() == "import"
    assert journal.count("interactions") == 0


# ------------------------------------------------------------------ read-only and housekeeping
@pytest.fixture
def keep_logs(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fold the log only when it is big, as for a journal of years (tiny test journals are
    otherwise folded at every open and close)."""
    import netjournal.store.folding as jmod

    monkeypatch.setattr(jmod, "SMALL_SNAPSHOT", 0)
    monkeypatch.setattr(jmod, "COMPACT_LOG_FRACTION", 0)


def listing(folder: Path) -> dict[str, tuple[int, int]]:
    return {p.name: (p.stat().st_size, p.stat().st_mtime_ns) for p in folder.rglob("*")}


def test_a_read_only_open_writes_nothing(journal: Journal, journal_path: Path) -> None:
    journal.add_interaction(Interaction(date="2024-01-01", contact_ids=[person(journal, "ana").id]))
    journal.storage.close()  # leave the log un-folded, as after a crash
    journal.closed = True
    with open(journal_path.with_name(journal_path.name + ".log"), "ab") as f:
        f.write(b'{"ops": [["contacts"')  # a torn last line
    stray = journal_path.with_name(f".{journal_path.name}.999.tmp-netjournal")
    stray.write_bytes(b"half")
    before = listing(journal_path.parent)
    with Journal.open(journal_path, readonly=True, today=__import__("datetime").date(2031, 1, 1)) as j:
        assert j.count("interactions") == 1
        with pytest.raises(StoreError, match="read-only"):
            j.add_contact(Contact(name="Nope"))
        with pytest.raises(StoreError, match="read-only"):
            j.delete_contact(person(j, "ana").id)
        assert j.count("contacts") == 2
    assert listing(journal_path.parent) == before


def test_a_read_only_open_of_a_missing_journal_creates_nothing(journal_path: Path) -> None:
    with Journal.open(journal_path, readonly=True) as j:
        assert j.count("contacts") == 0
    assert not journal_path.parent.exists()


def test_a_writer_sweeps_temp_files_and_cuts_a_torn_log_tail(journal: Journal, journal_path: Path, keep_logs: None) -> None:
    ana = person(journal, "ana")
    journal.add_interaction(Interaction(date="2024-01-01", contact_ids=[ana.id], text="kept"))
    journal.storage.close()
    journal.closed = True
    log = journal_path.with_name(journal_path.name + ".log")
    good = log.read_bytes()
    with open(log, "ab") as f:
        f.write(b'{"ops": [["interactions", "i-torn", {"id"')
    stray = journal_path.with_name(f".{journal_path.name}.4242.tmp-netjournal")
    stray.write_bytes(b"half a journal")
    with Journal.open(journal_path) as j:
        assert not stray.exists()
        added = j.add_interaction(Interaction(date="2024-01-02", contact_ids=[ana.id], text="after"))
        data = log.read_bytes()
        assert data.startswith(good) and b"i-torn" not in data
        j.storage.close()  # simulate a crash: no folding
        j.closed = True
    with Journal.open(journal_path, readonly=True) as j:
        assert {i.text for i in j.interactions()} == {"kept", "after"}
        assert j.interaction(added.id) == added


def test_maybe_compact_waits_for_the_log_to_grow(journal: Journal, journal_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import netjournal.store.folding as jmod

    monkeypatch.setattr(jmod, "SMALL_SNAPSHOT", 0)
    monkeypatch.setattr(jmod, "COMPACT_LOG_FRACTION", 1)
    journal.compact()
    assert not journal.maybe_compact()
    monkeypatch.setattr(jmod, "COMPACT_LOG_LINES", 3)
    ana = person(journal, "ana")
    for n in range(3):
        journal.add_interaction(Interaction(date="2024-01-01", contact_ids=[ana.id], text=str(n)))
    assert journal.maybe_compact()
    assert log_lines(journal_path) == []
    assert snapshot(journal_path)["interactions"].keys() == set(journal.interaction_ids())


def test_a_big_journal_keeps_a_small_log_at_close_and_replays_it(journal_path: Path, keep_logs: None) -> None:
    with Journal.open(journal_path) as j:
        ana = j.add_contact(Contact(name="Ana"))
        j.compact()
        before = journal_path.read_bytes()
        j.add_interaction(Interaction(date="2024-01-01", contact_ids=[ana.id], text="in the log"))
    assert journal_path.read_bytes() == before  # not rewritten at close: the log is small
    assert len(log_lines(journal_path)) == 1
    with Journal.open(journal_path, readonly=True) as j:
        assert [i.text for i in j.interactions()] == ["in the log"]


def test_log_lines_replay_idempotently_over_a_newer_snapshot(journal: Journal, journal_path: Path) -> None:
    """A crash between writing the new snapshot and emptying the log loses nothing."""
    ana = person(journal, "ana")
    journal.add_interaction(Interaction(date="2024-01-01", contact_ids=[ana.id], text="one"))
    journal.update_contact(dataclasses.replace(ana, org="Acme"))
    journal.delete_contact(person(journal, "bruno").id)
    log = journal_path.with_name(journal_path.name + ".log")
    full_log = log.read_bytes()
    journal.close()
    assert log_lines(journal_path) == []
    log.write_bytes(full_log)  # as if the process died after the new snapshot, before emptying the log
    with Journal.open(journal_path, readonly=True) as j:
        assert [c.name for c in j.contacts()] == ["Ana Silva"]
        assert j.contact(ana.id).org == "Acme"
        assert j.count("interactions") == 1


def test_threads_may_read_while_another_writes(journal: Journal) -> None:
    import threading

    ana = person(journal, "ana")
    errors: list[BaseException] = []

    def reader() -> None:
        try:
            for _ in range(200):
                journal.search("x")
                journal.interaction_ids(ana.id)
        except BaseException as exc:
            errors.append(exc)

    t = threading.Thread(target=reader)
    t.start()
    for n in range(100):
        journal.add_interaction(Interaction(date=f"2024-01-{n % 28 + 1:02}", contact_ids=[ana.id], text=f"x{n}"))
    t.join()
    assert not errors
    assert len(journal.search("x")) == 100
    assert os.path.exists(journal.path)
