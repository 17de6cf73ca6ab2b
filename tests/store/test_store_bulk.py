"""A big restore written straight into the next snapshot (store/bulk.py): it stores exactly
what the ordinary path stores, writes nothing when it fails anywhere, and leaves no spool."""

from __future__ import annotations

import dataclasses
import errno
import shutil
import subprocess
import sys
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import orjson
import pytest
from test_faults import temp_files
from test_store_fault_points import KILL_HOOK, each_fault

import netjournal.store.folding as jm
from netjournal.domain.model import Contact, Favour, Interaction, Record
from netjournal.errors import ValidationError
from netjournal.store import Journal

TODAY = date.today()


def _day(offset: int) -> str:
    return (TODAY + timedelta(days=offset)).isoformat()


def seed(path: Path) -> list[Record]:
    """A journal with a snapshot and changes in its log; returns a restore's records for it:
    new, newer and unchanged versions, plans dated ahead, a moved date, and new people."""
    people = [Contact(name=f"Person {n}").stamped() for n in range(6)]
    inters = [Interaction(date=_day(-n * 3), contact_ids=[people[n % 6].id], text=f"met {n}").stamped() for n in range(30)]
    favours = [Favour(date=_day(-n), contact_id=people[n % 6].id, text=f"helped {n}").stamped() for n in range(10)]
    with Journal.open(path) as j:
        j.apply([*people, *inters, *favours])
        j.compact()
    small, jm.SMALL_SNAPSHOT = jm.SMALL_SNAPSHOT, 0  # keep the next changes in the log
    try:
        with Journal.open(path) as j:
            j.add_interaction(Interaction(date=_day(-1), contact_ids=[people[0].id], text="logged, not folded"))
            j.update_contact(dataclasses.replace(people[1], role="logged role"))
    finally:
        jm.SMALL_SNAPSHOT = small
    newcomer = Contact(name="Ольга Иванова").stamped()
    later = "2999-01-01T00:00:00.000000Z"
    return [
        newcomer,
        dataclasses.replace(people[2], org="Newer Org", updated=later),
        *[Interaction(date=_day(-n), contact_ids=[newcomer.id, people[n % 6].id], text=f"new {n}").stamped() for n in range(40)],
        Interaction(date=_day(9), contact_ids=[people[3].id], text="lunch ahead").stamped(),
        dataclasses.replace(inters[4], date=_day(-200), text="moved back", updated=later),
        dataclasses.replace(inters[5], date=_day(12), text="now a plan", updated=later),
        Favour(date=_day(-2), contact_id=newcomer.id, direction="received", text="intro").stamped(),
        dataclasses.replace(favours[3], text="rewritten", updated=later),
    ]


def snapshot_meta(path: Path) -> dict[str, object]:
    meta = orjson.loads(path.read_bytes())["_meta"]["snapshot"]
    return {k: meta[k] for k in ("last", "plans", "table", "layout")}


def test_a_streamed_restore_stores_what_the_ordinary_path_stores(tmp_path: Path) -> None:
    ordinary, streamed = tmp_path / "a" / "journal.json", tmp_path / "b" / "journal.json"
    records = seed(ordinary)
    shutil.copytree(ordinary.parent, streamed.parent)
    with Journal.open(ordinary) as j:
        j.put_many(records)
        j.compact()
    j = Journal.open(streamed)
    assert j.restore_streamed(iter(records)) == len(records)
    assert j.closed  # and its lock is free again:
    with Journal.open(streamed) as again, Journal.open(ordinary) as first:
        assert again.all_records() == first.all_records()
        assert again.last_contacts() == first.last_contacts()
        assert again.storage.integrity == "ok" and again.notices == []
    assert snapshot_meta(streamed) == snapshot_meta(ordinary)
    assert temp_files(streamed.parent) == []


def test_a_restore_into_a_new_journal_reads_back_whole(journal_path: Path) -> None:
    people = [Contact(name=name).stamped() for name in ("王小明", "Ana Silva", "محمد الأحمد")]
    inters = [Interaction(date=_day(-n), contact_ids=[people[n % 3].id], text=f"x{n}").stamped() for n in range(50)]
    j = Journal.open(journal_path)
    j.restore_streamed([*people, *inters])
    with Journal.open(journal_path, readonly=True) as back:
        assert sorted(c.name for c in back.contacts()) == sorted(c.name for c in people)
        assert back.interaction_count() == 50
        assert [i.text for i in back.interactions(people[0].id, limit=2)] == ["x0", "x3"]


def before_and_after(path: Path, records: list[Record]) -> tuple[object, object]:
    """The journal's records as they are, and after ``records`` (put on a copy)."""
    with Journal.open(path, readonly=True) as j:
        before = j.all_records()
    copy = path.parent.with_name("copy") / path.name
    shutil.copytree(path.parent, copy.parent)
    with Journal.open(copy) as j:
        j.put_many(records)
        after = j.all_records()
    shutil.rmtree(copy.parent)
    return before, after


def _then_fail(records: list[Record]) -> Iterator[Record]:
    yield from records
    raise ValidationError("backup.json: interactions #41: missing date", field="file")


def test_a_bad_record_half_way_writes_nothing_and_the_journal_stays_usable(journal_path: Path) -> None:
    records = seed(journal_path)
    before = {p.name: p.read_bytes() for p in journal_path.parent.iterdir() if p.is_file()}
    j = Journal.open(journal_path)
    with pytest.raises(ValidationError, match="interactions #41"):
        j.restore_streamed(_then_fail(records))
    assert not j.closed
    assert "Ольга Иванова" not in {c.name for c in j.contacts()}
    j.add_contact(Contact(name="After the failed import"))
    j.close()
    with Journal.open(journal_path, readonly=True) as back:
        names = {c.name for c in back.contacts()}
    assert "After the failed import" in names and "Ольга Иванова" not in names
    assert temp_files(journal_path.parent) == []
    assert {p.name: p.read_bytes() for p in journal_path.parent.iterdir() if p.is_file()}.keys() >= before.keys()


@pytest.mark.parametrize("code", [errno.ENOSPC, errno.EIO])
@pytest.mark.parametrize("name", ["write", "fsync", "replace", "pread", "open"])
def test_a_fault_anywhere_in_a_streamed_restore_writes_all_or_nothing(
    journal_path: Path, monkeypatch: pytest.MonkeyPatch, name: str, code: int
) -> None:
    records = seed(journal_path)
    saved = journal_path.parent.with_name("saved")
    shutil.copytree(journal_path.parent, saved)
    before, after = before_and_after(journal_path, records)
    def restore() -> None:
        j = Journal.open(journal_path)
        try:
            j.restore_streamed(iter(records))
        finally:
            j.close()

    def check(error: BaseException | None) -> None:
        if error is not None:
            assert "\n" not in str(error) and "Traceback" not in str(error)
        with Journal.open(journal_path, readonly=True) as j:
            now = j.all_records()
        assert now in (before, after)
        assert temp_files(journal_path.parent) == []
        shutil.rmtree(journal_path.parent)
        shutil.copytree(saved, journal_path.parent)

    tried = each_fault(restore, name, code, monkeypatch, check, limit=400)
    assert tried > 0


KILLER = KILL_HOOK + r"""
import orjson
from netjournal.domain.model import RECORD_TYPES
from netjournal.store import Journal

path, records = sys.argv[1], sys.argv[2]
rows = orjson.loads(open(records, "rb").read())
j = Journal.open(path)
setattr(os, name, hook)
j.restore_streamed(RECORD_TYPES[t].from_dict(d) for t, d in rows)
print("done", count)
"""


@pytest.mark.slow
@pytest.mark.parametrize("name", ["write", "fsync", "replace", "unlink"])
def test_a_kill_anywhere_in_a_streamed_restore_writes_all_or_nothing(journal_path: Path, tmp_path: Path, name: str) -> None:
    records = seed(journal_path)
    saved = tmp_path / "saved"
    shutil.copytree(journal_path.parent, saved)
    before, after = before_and_after(journal_path, records)
    table_of = {Contact: "contacts", Interaction: "interactions", Favour: "favours"}
    rows = tmp_path / "rows.json"
    rows.write_bytes(orjson.dumps([[table_of[type(r)], r.to_dict()] for r in records]))
    def run(nth: int) -> str:
        shutil.rmtree(journal_path.parent)
        shutil.copytree(saved, journal_path.parent)
        r = subprocess.run([sys.executable, "-c", KILLER, str(journal_path), str(rows), name, str(nth)],
                           capture_output=True, text=True, timeout=60)
        assert "Traceback" not in r.stderr, r.stderr
        with Journal.open(journal_path) as j:  # a writer opens it (and sweeps what the kill left)
            assert j.all_records() in (before, after), f"killed at {name} #{nth}"
        assert temp_files(journal_path.parent) == []
        return r.stdout

    calls = int(run(10**9).split()[1])  # not killed: how many calls the restore makes
    assert calls > 0
    # The first calls, one in the middle, and the last ten (the snapshot's own writes and renames).
    for nth in sorted({0, 1, 2, calls // 2, *range(max(0, calls - 10), calls)} & set(range(calls))):
        assert "done" not in run(nth), f"not killed at {name} #{nth}"
