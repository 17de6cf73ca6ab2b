"""A big change (an import) is written to the change log in bounded part lines, committed by
its last line: all of it is saved or none of it, after a failed write or a kill half way."""

from __future__ import annotations

import errno
import os
import subprocess
import sys
from pathlib import Path

import orjson
import pytest
from test_faults import Fault, on_disk

from netjournal.domain.model import Contact, new_id
from netjournal.store import Journal, StoreError, snapshot, storage


@pytest.fixture(autouse=True)
def small_parts(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(storage, "PART_OPS", 10)


def people(n: int, prefix: str = "Person") -> list[Contact]:
    return [Contact(name=f"{prefix} {i}", emails=[f"p{i}@example.org"]).stamped() for i in range(n)]


def log_lines(path: Path) -> list[dict[str, object]]:
    log = path.with_name(path.name + ".log")
    lines = log.read_bytes().splitlines() if log.exists() else []
    return [orjson.loads(line) for line in lines if not line.startswith(b'{"log"')]  # (not the header)


def test_a_big_change_is_written_in_parts_and_saved_whole(journal: Journal, journal_path: Path) -> None:
    journal.compact()
    journal.put_many(people(45), undo_label="import big.vcf")
    lines = log_lines(journal_path)
    assert [line.get("part", False) for line in lines] == [True, True, True, True, False]
    assert max(len(line["ops"]) for line in lines) == 10  # type: ignore[arg-type]
    assert len(on_disk(journal_path)["contacts"]) == 47
    assert journal.undo() == "import big.vcf"  # still one undoable change
    assert len(journal.contacts()) == 2
    assert len(on_disk(journal_path)["contacts"]) == 2


@pytest.mark.parametrize(("name", "nth"), [("write", 2), ("write", 4), ("fsync", 0), ("fsync", 1)])
def test_a_fault_half_way_through_a_big_change_leaves_the_journal_as_before(
    journal: Journal, journal_path: Path, monkeypatch: pytest.MonkeyPatch, name: str, nth: int
) -> None:
    journal.compact()
    before = journal.all_records()
    label = journal.undo_label()
    log = journal_path.with_name(journal_path.name + ".log")
    size = log.stat().st_size if log.exists() else 0
    fault = Fault(monkeypatch, name, errno.ENOSPC, nth=nth, partial=True)
    with pytest.raises(StoreError, match="could not save"):
        journal.put_many(people(45), undo_label="import big.vcf")
    assert fault.raised == 1
    monkeypatch.undo()
    assert journal.all_records() == before
    assert journal.undo_label() == label  # no step for a change that was not made
    assert (log.stat().st_size if log.exists() else 0) == size  # the part lines were cut off
    assert on_disk(journal_path) == before
    journal.put_many(people(3, "Later"))  # the disk is back: the next change lands cleanly
    assert on_disk(journal_path) == journal.all_records()


KILLED = r"""
import os, signal, sys
from netjournal.domain.model import Contact
from netjournal.store import Journal, storage

storage.PART_OPS = 10
real_fsync = os.fsync
def fsync_then_die(fd):  # the part lines are on disk; the committing line never gets there
    real_fsync(fd)
    os.kill(os.getpid(), signal.SIGKILL)
j = Journal.open(sys.argv[1])
os.fsync = fsync_then_die
j.put_many([Contact(name=f"Person {i}").stamped() for i in range(45)], undo_label="import")
"""


def test_a_big_change_killed_before_its_last_line_is_not_in_the_journal(journal: Journal, journal_path: Path) -> None:
    journal.compact()
    journal.add_contact(Contact(name="Saved Before"))
    before = journal.all_records()
    journal.close()
    log = journal_path.with_name(journal_path.name + ".log")
    size = log.stat().st_size
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    p = subprocess.run([sys.executable, "-c", KILLED, str(journal_path)], env=env, capture_output=True)
    assert p.returncode == -9, p.stderr
    assert log.stat().st_size > size  # its part lines did reach the log
    assert on_disk(journal_path) == before  # but a reader ignores them
    with Journal.open(journal_path) as j:  # and a writer cuts them off before its own change
        assert j.all_records() == before
        j.add_contact(Contact(name="Saved After", id=new_id("c")))
    after = on_disk(journal_path)
    assert sorted(c["name"] for c in after["contacts"]) == ["Ana Silva", "Bruno Costa", "Saved After", "Saved Before"]


def test_part_lines_without_their_last_line_are_not_replayed(journal: Journal, journal_path: Path) -> None:
    journal.compact()
    journal.close()
    log = journal_path.with_name(journal_path.name + ".log")
    header = log.read_bytes().splitlines(keepends=True)[0]
    assert header.startswith(b'{"log"')
    doc = Contact(name="Half", id="c-00000000000000aa").stamped().to_dict()
    part = orjson.dumps({"ops": [["contacts", doc["id"], doc]], "part": True}) + b"\n"
    log.write_bytes(header + part + part)
    assert len(on_disk(journal_path)["contacts"]) == 2
    log.write_bytes(header + part + part + orjson.dumps({"ops": []}) + b"\n")  # now committed
    assert len(on_disk(journal_path)["contacts"]) == 3



def test_a_fold_at_close_writes_a_big_table_in_pieces_that_read_back_whole(
    journal: Journal, journal_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(snapshot, "TABLE_CHUNK", 7)
    journal.put_many(people(30))
    before = journal.all_records()
    parts = list(snapshot.serialise_parts(journal.storage.read() or {}, 3))
    assert len(parts) > 10 and orjson.loads(b"".join(parts))["contacts"].keys() == {d["id"] for d in before["contacts"]}
    journal.close()  # folds (a small journal always does), in pieces
    with Journal.open(journal_path) as j:
        assert j.storage.integrity == "ok" and j.notices == []  # its whole-file checksum holds
        assert j.all_records() == before
