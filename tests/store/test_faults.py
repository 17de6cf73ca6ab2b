"""Fault injection: a full disk (ENOSPC) or an I/O error (EIO) from write, fsync, replace or
truncate, during a save and during compaction. The previous journal stays intact, no temp file
is left behind, the error is a clear StoreError, and the Journal in memory still agrees with
what is on disk (and keeps working once the disk does)."""

from __future__ import annotations

import dataclasses
import errno
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sealed import each_codec  # (the fixture)

from netjournal.domain.model import Contact, Interaction
from netjournal.store import Journal, StoreError

# Every test here runs on a plain journal and on an encrypted one (no plaintext left after it).
pytestmark = pytest.mark.usefixtures(each_codec.__name__)

class Fault:
    """Make ``os.<name>`` raise ``code`` on its ``nth`` call (0: the first) and the ``times``
    calls after it; with ``partial``, an os.write first writes half of what it was given."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, name: str, code: int, *, nth: int = 0,
                 times: int = 1, partial: bool = False) -> None:
        self.real: Callable[..., Any] = getattr(os, name)
        self.code, self.nth, self.times, self.partial = code, nth, times, partial
        self.calls = 0
        self.raised = 0
        monkeypatch.setattr(os, name, self)

    def __call__(self, *args: Any) -> Any:
        n = self.calls
        self.calls += 1
        if self.nth <= n < self.nth + self.times:
            self.raised += 1
            if self.partial and len(args) == 2 and len(args[1]) > 1:
                self.real(args[0], bytes(args[1])[: len(args[1]) // 2])
            raise OSError(self.code, os.strerror(self.code))
        return self.real(*args)


def on_disk(path: Path) -> dict[str, list[dict[str, Any]]]:
    with Journal.open(path, readonly=True) as j:
        return j.all_records()


def temp_files(folder: Path) -> list[str]:
    return [p.name for p in folder.rglob("*") if "tmp" in p.name]


@pytest.fixture
def ana(journal: Journal) -> Contact:
    return journal.resolve_contact("ana")


def add(journal: Journal, ana: Contact, text: str) -> Interaction:
    return journal.add_interaction(Interaction(date="2024-01-01", contact_ids=[ana.id], text=text))


SAVE_FAULTS = [
    ("write", errno.ENOSPC, False),
    ("write", errno.ENOSPC, True),  # half the line reaches the disk first
    ("write", errno.EIO, False),
    ("fsync", errno.EIO, False),
    ("fsync", errno.ENOSPC, False),
]


@pytest.mark.parametrize(("name", "code", "partial"), SAVE_FAULTS)
def test_a_failed_save_changes_nothing_and_says_so(
    journal: Journal, journal_path: Path, ana: Contact, monkeypatch: pytest.MonkeyPatch, name: str, code: int,
    partial: bool,
) -> None:
    kept = add(journal, ana, "before the fault")
    assert journal.search("fault")  # the indexes exist and must not learn of the failed change
    before = journal.all_records()
    snapshot = journal_path.read_bytes()
    fault = Fault(monkeypatch, name, code, partial=partial)
    with pytest.raises(StoreError, match=f"could not save.*{os.strerror(code)}"):
        add(journal, ana, "during the fault")
    assert fault.raised == 1
    monkeypatch.undo()
    assert journal.all_records() == before
    assert [i.id for i in journal.search("fault")] == [kept.id]
    assert journal.interaction_ids() == [kept.id]
    assert on_disk(journal_path) == before
    assert journal_path.read_bytes() == snapshot
    assert temp_files(journal_path.parent) == []
    # The disk is back: the next save works and lands after a clean line.
    later = add(journal, ana, "after the fault")
    journal.close()
    with Journal.open(journal_path, readonly=True) as j:
        assert {i.text for i in j.interactions()} == {"before the fault", "after the fault"}
        assert j.interaction(later.id) == later


def test_a_failed_save_whose_cleanup_also_fails_still_loses_nothing(
    journal: Journal, journal_path: Path, ana: Contact, monkeypatch: pytest.MonkeyPatch
) -> None:
    add(journal, ana, "kept")
    before = journal.all_records()
    Fault(monkeypatch, "write", errno.ENOSPC, partial=True)
    Fault(monkeypatch, "ftruncate", errno.EIO, times=5)  # the half line cannot be cut now
    with pytest.raises(StoreError):
        add(journal, ana, "lost")
    monkeypatch.undo()
    assert journal.all_records() == before
    assert on_disk(journal_path) == before  # a reader ignores the torn last line
    add(journal, ana, "next")  # the writer cuts it before appending
    assert on_disk(journal_path) == journal.all_records()


def test_a_failed_transaction_commit_rolls_back_every_change(
    journal: Journal, journal_path: Path, ana: Contact, monkeypatch: pytest.MonkeyPatch
) -> None:
    keep = add(journal, ana, "keep")
    before = journal.all_records()
    Fault(monkeypatch, "fsync", errno.EIO)
    with pytest.raises(StoreError):
        journal.apply(
            puts=[dataclasses.replace(keep, text="changed").stamped()],
            deletes=[("contacts", journal.resolve_contact("bruno").id)],
        )
    monkeypatch.undo()
    assert journal.all_records() == before
    assert on_disk(journal_path) == before
    assert [c.name for c in journal.contacts()] == ["Ana Silva", "Bruno Costa"]


COMPACT_FAULTS = [
    ("write", errno.ENOSPC, 0),  # writing the temp file
    ("fsync", errno.EIO, 0),  # syncing the temp file
    ("replace", errno.EIO, 0),  # renaming it over the journal
    ("replace", errno.ENOSPC, 0),
    ("fsync", errno.EIO, 1),  # syncing the folder, after the rename
    ("write", errno.ENOSPC, 1),  # writing the new log's header, after the rename
    ("replace", errno.EIO, 1),  # putting the new log in place, after the rename
]


@pytest.mark.parametrize(("name", "code", "nth"), COMPACT_FAULTS)
def test_a_failed_compaction_keeps_the_journal_whole(
    journal: Journal, journal_path: Path, ana: Contact, monkeypatch: pytest.MonkeyPatch, name: str, code: int, nth: int
) -> None:
    for n in range(5):
        add(journal, ana, f"note {n}")
    journal.delete_contact(journal.resolve_contact("bruno").id)
    in_memory = journal.all_records()
    old_snapshot = journal_path.read_bytes()
    fault = Fault(monkeypatch, name, code, nth=nth)
    try:
        journal.compact()
        failed = None
    except StoreError as exc:
        failed = exc
    assert fault.raised == 1
    monkeypatch.undo()
    if nth == 0 and name in ("write", "replace", "fsync"):
        # Before the rename: a clear error, and the old snapshot byte for byte.
        assert failed is not None and str(journal_path) in str(failed) and os.strerror(code) in str(failed)
        assert journal_path.read_bytes() == old_snapshot
    assert temp_files(journal_path.parent) == []
    assert journal.all_records() == in_memory
    assert on_disk(journal_path) == in_memory  # snapshot + log always add up to the journal
    add(journal, ana, "after")
    journal.close()
    assert on_disk(journal_path) == journal.all_records()


def test_a_failed_first_save_leaves_no_temp_file(
    journal_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    Fault(monkeypatch, "write", errno.ENOSPC)
    with pytest.raises(StoreError, match="No space left"):
        Journal.open(journal_path)
    monkeypatch.undo()
    assert not journal_path.exists()
    assert temp_files(journal_path.parent) == []
    with Journal.open(journal_path) as j:  # and the lock was released
        assert j.count("contacts") == 0


def test_a_failed_daily_backup_is_said_and_never_blocks_a_save(journal_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from datetime import date

    with Journal.open(journal_path, today=date(2030, 1, 1)) as j:
        j.add_contact(Contact(name="Ana"))
    before = journal_path.read_bytes()
    Fault(monkeypatch, "write", errno.ENOSPC)
    with Journal.open(journal_path, today=date(2030, 1, 2)) as j:
        monkeypatch.undo()
        assert any("backup was not taken" in n and "No space left" in n for n in j.notices)
        assert journal_path.read_bytes() == before
        assert temp_files(journal_path.parent) == []
        j.add_contact(Contact(name="Bo"))  # a save still works
    with Journal.open(journal_path, today=date(2030, 1, 2)) as j:
        assert [c.name for c in j.contacts()] == ["Ana", "Bo"]
        assert not j.notices
    assert (journal_path.parent / "journal-backups" / "daily-2030-01-02.json").exists()  # tried again
