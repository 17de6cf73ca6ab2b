"""An adversarial review of the store's promises ("Trust at the edges"): each test is a way
found to break one of them (an inode number reused by the file system, a first open killed
half-way, a journal reformatted by a JSON tool, a fold left half-done while a second writer
appends, a link that points nowhere)."""

from __future__ import annotations

import errno
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from test_faults import Fault
from test_store_fault_points import KILL_HOOK

import netjournal.store.folding as jm
from netjournal.domain.model import Contact
from netjournal.store import Journal, StoreError
from netjournal.store.changelog import ChangeLog
from netjournal.store.errors import JournalMissing


def names(path: Path) -> list[str]:
    with Journal.open(path, readonly=True) as j:
        return sorted(c.name for c in j.contacts())


def unlock(path: Path) -> None:
    """A sync client tidies the lock file away, so a second writer gets in."""
    Path(str(path) + ".lock").unlink()


# ------------------------------------------------------------------ the fold guard
def test_a_fold_never_writes_over_other_folds_when_the_system_reuses_the_logs_inode(
    journal_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A file system hands a freed inode number to the next new file (ext4 does, at once):
    after other writers' folds, the log at the path can carry the very number this process
    knows, and the same length (a header alone). The fold must still see they are not its."""
    monkeypatch.setattr(jm, "SMALL_SNAPSHOT", 0)  # fold only when asked
    with Journal.open(journal_path) as j:
        j.add_contact(Contact(name="Ana"))
        for _ in range(100):  # generation 100 on: every header is as long as the next
            j.compact()
    first = Journal.open(journal_path)  # the app, open and idle: it holds no log file open
    known = first.storage.log.ino
    unlock(journal_path)
    added = []
    for n in range(300):  # `netjournal contact add` commands, each folding at exit
        with Journal.open(journal_path) as second:
            second.add_contact(Contact(name=f"Added {n}"))
            second.compact()
        added.append(f"Added {n}")
        if os.stat(str(journal_path) + ".log").st_ino == known:
            break
    else:
        pytest.skip("this file system did not hand the log's inode number out again")
    first.add_contact(Contact(name="Carla"))
    first.close()
    first_fold = Journal.open(journal_path)
    first_fold.close()
    assert names(journal_path) == sorted(["Ana", "Carla", *added])


@pytest.mark.parametrize("in_place", ["restarted", "cannot restart"])
def test_a_save_beside_a_fold_stopped_between_its_renames_is_never_dropped(
    journal_path: Path, monkeypatch: pytest.MonkeyPatch, in_place: str
) -> None:
    """A fold replaced the snapshot, then could not replace the log (killed, a full disk): the
    old log is older than the snapshot. A second writer (let in by a deleted lock) that still
    knows that log appends to it; its change must not be dropped by the next replace."""
    monkeypatch.setattr(jm, "SMALL_SNAPSHOT", 0)
    with Journal.open(journal_path) as j:
        j.add_contact(Contact(name="Ana"))
    first = Journal.open(journal_path)
    unlock(journal_path)
    second = Journal.open(journal_path)
    real = ChangeLog._replace

    def fails(self: ChangeLog, generation: int, carried: bytes = b"", after: object = None) -> None:
        raise StoreError("could not write the log: No space left on device")

    monkeypatch.setattr(ChangeLog, "_replace", fails)
    if in_place == "cannot restart":  # the old log cannot even be emptied: it stays, obsolete
        Fault(monkeypatch, "ftruncate", errno.EIO)
    first.compact()  # the snapshot is replaced; the log is not
    monkeypatch.undo()
    monkeypatch.setattr(jm, "SMALL_SNAPSHOT", 0)
    assert ChangeLog._replace is real
    second.add_contact(Contact(name="Bruno"))  # reported saved
    second.storage.close()  # the command ends (its fold at exit killed)
    first.add_contact(Contact(name="Carla"))
    first.close()
    with Journal.open(journal_path) as j:
        j.compact()
    assert names(journal_path) == ["Ana", "Bruno", "Carla"]


# ------------------------------------------------------------------ a missing journal
def test_a_missing_journal_beside_its_folded_log_is_missing_not_new(journal_path: Path) -> None:
    """A journal used in one session only (no backup yet: the first is taken at the next
    open) and folded at exit leaves a log holding only its header. The log still shows a
    journal lived there: every command refuses it, as missing, in words."""
    with Journal.open(journal_path) as j:
        j.add_contact(Contact(name="Ana"))
    journal_path.unlink()  # a sync client's doing
    with pytest.raises(JournalMissing, match="missing"):
        Journal.open(journal_path)
    with pytest.raises(JournalMissing, match="missing"):
        Journal.open(journal_path, readonly=True)
    assert not journal_path.exists()


KILLED_OPEN = KILL_HOOK + r"""
from netjournal.store import Journal
setattr(os, name, hook)
Journal.open(sys.argv[1]).close()
print("done")
"""


@pytest.mark.slow
@pytest.mark.parametrize("name", ["write", "fsync", "replace", "open"])
def test_a_first_open_killed_anywhere_leaves_a_journal_that_opens(tmp_path: Path, name: str) -> None:
    """Killed while it creates a new journal, a first open must not leave a folder that
    every later command refuses (a log with its header but no journal)."""
    for nth in range(12):
        folder = tmp_path / f"k{nth}"
        path = folder / "journal.json"
        r = subprocess.run([sys.executable, "-c", KILLED_OPEN, str(path), name, str(nth)],
                           capture_output=True, text=True, timeout=60)
        assert "Traceback" not in r.stderr, r.stderr
        with Journal.open(path) as j:  # opens (as new, or as it was made)
            j.add_contact(Contact(name="Ana"))
        assert names(path) == ["Ana"], f"killed at {name} #{nth}"
        if "done" in r.stdout:
            break


# ------------------------------------------------------------------ changed outside netjournal
def test_a_journal_reformatted_by_a_json_tool_is_kept_aside_and_told(journal_path: Path) -> None:
    """A hand edit with a JSON tool (``jq . journal.json``, an editor's "format document")
    drops netjournal's compact layout and its check table's place: it was still changed
    outside netjournal, and is kept aside before the next fold rewrites it."""
    with Journal.open(journal_path) as j:
        j.add_contact(Contact(name="Ana"))
    data = json.loads(journal_path.read_bytes())
    for doc in data["contacts"].values():
        doc["name"] = "Anna"
    edited = json.dumps(data, indent=2).encode()
    journal_path.write_bytes(edited)
    with Journal.open(journal_path) as j:
        assert [c.name for c in j.contacts()] == ["Anna"]
        told = list(j.notices)
    assert len(told) == 1 and "changed outside netjournal" in told[0]
    kept = [p for p in journal_path.parent.iterdir() if ".changed-" in p.name]
    assert len(kept) == 1 and kept[0].read_bytes() == edited
    assert kept[0].stat().st_mode & 0o777 == 0o600
    with Journal.open(journal_path) as j:  # told once
        assert j.notices == []


# ------------------------------------------------------------------ a journal that is a link
def test_a_link_that_points_nowhere_is_refused_not_made_into_a_new_journal(tmp_path: Path) -> None:
    """``journal.json`` links into a synced folder that is not there yet (not synced, a drive
    not mounted): creating that folder and an empty journal in it would hide the real one."""
    link = tmp_path / "home" / "journal.json"
    link.parent.mkdir()
    target = tmp_path / "Sync" / "netjournal" / "journal.json"
    link.symlink_to(target)
    with pytest.raises(JournalMissing, match="link"):
        Journal.open(link)
    assert not (tmp_path / "Sync").exists()
    assert link.is_symlink()


def test_every_command_refuses_a_link_that_points_nowhere_in_one_line(tmp_path: Path) -> None:
    from clitools import run

    link = tmp_path / "home" / "journal.json"
    link.parent.mkdir()
    link.symlink_to(tmp_path / "Sync" / "netjournal" / "journal.json")
    for args in (("contact", "add", "Ana"), ("log", "--create", "coffee with @ana"), ("show", "Ana"), ("doctor",)):
        r = run(*args, journal=link)
        assert r.code != 0, args
        assert "Traceback" not in r.err
        assert "Sync" in r.out + r.err and "link" in r.out + r.err
    assert not (tmp_path / "Sync").exists()


KILLED_SAVES = KILL_HOOK + r"""
import netjournal.store.folding as jm
jm.SMALL_SNAPSHOT = 0
jm.COMPACT_LOG_FRACTION = 0  # the changes stay in the log
from netjournal.domain.model import Contact
from netjournal.store import Journal
j = Journal.open(sys.argv[1])
setattr(os, name, hook)
for n in range(3):
    j.add_contact(Contact(name=f"Saved {n}"))
    sys.stdout.write(f"Saved {n}\n"); sys.stdout.flush()
j.close()
print("done")
"""


@pytest.mark.slow
@pytest.mark.parametrize("name", ["open", "write", "fsync", "ftruncate", "fstat"])
@pytest.mark.parametrize("log", ["header", "none", "empty"])
def test_a_save_killed_anywhere_keeps_every_change_reported_saved(tmp_path: Path, name: str, log: str) -> None:
    """Killed at any call of a save (into a log with its header, a log removed, a log
    emptied), every change reported saved is there after, and a writer carries on."""
    for nth in range(10):
        path = tmp_path / f"k{nth}" / "journal.json"
        with Journal.open(path) as j:
            j.add_contact(Contact(name="Ana"))
        logfile = Path(str(path) + ".log")
        if log == "none":
            logfile.unlink()
        elif log == "empty":
            logfile.write_bytes(b"")
        r = subprocess.run([sys.executable, "-c", KILLED_SAVES, str(path), name, str(nth)],
                           capture_output=True, text=True, timeout=60)
        assert "Traceback" not in r.stderr, r.stderr
        reported = [line for line in r.stdout.splitlines() if line.startswith("Saved")]
        assert set(reported) <= set(names(path)), f"killed at {name} #{nth}"
        with Journal.open(path) as j:
            j.add_contact(Contact(name="Next"))
        assert {"Ana", "Next", *reported} <= set(names(path))
        if "done" in r.stdout:
            break


def test_a_file_changed_outside_on_a_full_disk_still_takes_saves_and_is_not_rewritten(
    journal_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Its copy cannot be kept (no space): the journal still opens and takes saves (they go
    to the log), and the file is not rewritten until it can be kept aside."""
    from test_store_edges import BigWritesFail

    with Journal.open(journal_path) as j:
        j.apply([Contact(name=f"Person {n}", notes="x" * 100).stamped() for n in range(50)])
    flipped = journal_path.read_bytes().replace(b"Person 7", b"Person X")
    journal_path.write_bytes(flipped)
    BigWritesFail(monkeypatch)
    with Journal.open(journal_path) as j:
        j.add_contact(Contact(name="Ana"))
        told = list(j.notices)
    assert journal_path.read_bytes() == flipped  # not rewritten: no copy of it exists yet
    assert any("changed outside netjournal" in n and "kept" in n for n in told)
    monkeypatch.undo()
    with Journal.open(journal_path) as j:  # room again: kept aside, then folded
        assert {"Ana", "Person X"} <= {c.name for c in j.contacts()}
    kept = [p for p in journal_path.parent.iterdir() if ".changed-" in p.name]
    assert len(kept) == 1 and kept[0].read_bytes() == flipped
    assert journal_path.read_bytes() != flipped


class Killed(BaseException):
    """Stands for a SIGKILL at that point: nothing after it runs in that process."""


def test_a_save_beside_a_fold_killed_between_its_renames_is_never_dropped(
    journal_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Killed between the snapshot's rename and the log's, a fold leaves the old log, older
    than the snapshot. A second writer (let in by a deleted lock) that still knows that log
    appends to it and exits; the next writer takes the log for folded in already."""
    monkeypatch.setattr(jm, "SMALL_SNAPSHOT", 0)
    with Journal.open(journal_path) as j:
        j.add_contact(Contact(name="Ana"))
    first = Journal.open(journal_path)
    unlock(journal_path)
    second = Journal.open(journal_path)

    def killed(self: ChangeLog, generation: int, carried: bytes = b"", after: object = None) -> None:
        raise Killed

    monkeypatch.setattr(ChangeLog, "_replace", killed)
    with pytest.raises(Killed):
        first.compact()
    monkeypatch.undo()
    first.storage.close()
    monkeypatch.setattr(jm, "SMALL_SNAPSHOT", 0)
    second.add_contact(Contact(name="Bruno"))  # reported saved
    second.storage.close()  # then killed: no fold at exit
    with Journal.open(journal_path) as j:
        j.add_contact(Contact(name="Carla"))
    assert names(journal_path) == ["Ana", "Bruno", "Carla"]
