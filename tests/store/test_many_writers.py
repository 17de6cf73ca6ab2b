"""Many processes on one journal (issue #14): app windows, shell commands and scheduled jobs
write it at once. None is refused because another has it open; each write is made holding a
short lock, on the journal as the others left it; a window follows their changes; undo
undoes this window's change only; a fold never loses another's change.

Two Journals opened in one process behave as two processes would: each takes the lock
through a file descriptor of its own (see tests/store/test_many_processes.py for processes)."""

from __future__ import annotations

import dataclasses
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from sealed import each_codec

import netjournal.store.folding as folding
import netjournal.store.sharing as sharing
from netjournal.domain.model import Contact, Favour, Interaction
from netjournal.store import Journal, JournalDamaged, JournalLocked
from netjournal.store.undo import UndoConflict

# Every test here runs on a plain journal and on an encrypted one (two processes with the same
# key stay in step; no plaintext left after it).
pytestmark = pytest.mark.usefixtures(each_codec.__name__)


def names(path: Path) -> list[str]:
    with Journal.open(path, readonly=True) as j:
        return sorted(c.name for c in j.contacts())


@pytest.fixture
def big(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fold only when asked (as a big journal does), so the log carries the changes."""
    monkeypatch.setattr(folding, "wants_folding", lambda storage: False)


@pytest.fixture
def windows(journal_path: Path, big: None) -> Iterator[tuple[Journal, Journal]]:
    """Two windows on one journal, open all along."""
    first, second = Journal.open(journal_path), Journal.open(journal_path)
    yield first, second
    first.close(), second.close()


def test_two_windows_write_at_once_and_nothing_is_lost(journal_path: Path) -> None:
    first = Journal.open(journal_path)
    second = Journal.open(journal_path)  # not refused: the first holds no lock while idle
    first.add_contact(Contact(name="Ana"))
    second.add_contact(Contact(name="Bruno"))
    first.add_contact(Contact(name="Carla"))
    assert sorted(c.name for c in first.contacts()) == ["Ana", "Bruno", "Carla"]
    second.close()
    first.close()
    assert names(journal_path) == ["Ana", "Bruno", "Carla"]


@pytest.mark.usefixtures("big")
def test_a_write_is_checked_against_what_another_process_wrote_just_before(journal_path: Path) -> None:
    app = Journal.open(journal_path)
    with Journal.open(journal_path) as shell:
        bruno = shell.add_contact(Contact(name="Bruno"))
    # The app never saw Bruno, yet can log with him: its write catches up first.
    app.add_interaction(Interaction(date="2026-12-01", contact_ids=[bruno.id], text="lunch"))
    with Journal.open(journal_path) as shell:
        shell.delete_contact(bruno.id)
    # ... and cannot log with him once he is deleted elsewhere (the journal stays whole).
    with pytest.raises(Exception, match="no contact"):
        app.add_interaction(Interaction(date="2026-12-02", contact_ids=[bruno.id], text="call"))
    app.close()
    with Journal.open(journal_path) as j:
        assert j.count("interactions") == 0 and j.count("contacts") == 0


@pytest.mark.usefixtures("big")
def test_deleting_a_person_takes_the_interactions_logged_elsewhere_with_them(journal_path: Path) -> None:
    app = Journal.open(journal_path)
    ana = app.add_contact(Contact(name="Ana"))
    with Journal.open(journal_path) as shell:
        shell.add_interaction(Interaction(date="2026-12-01", contact_ids=[ana.id], text="coffee"))
    app.delete_contact(ana.id)
    app.close()
    with Journal.open(journal_path) as j:  # not refused as naming a person who is not there
        assert j.count("interactions") == 0


@pytest.mark.parametrize("fold_elsewhere", [False, True])
@pytest.mark.usefixtures("big")
def test_a_window_follows_changes_made_elsewhere(journal_path: Path, fold_elsewhere: bool) -> None:
    window = Journal.open(journal_path)
    ana = window.add_contact(Contact(name="Ana"))
    assert window.catch_up() is False  # nothing new: two stats
    revision = window.revision
    with Journal.open(journal_path) as shell:
        shell.add_interaction(Interaction(date="2026-12-01", contact_ids=[ana.id], text="coffee"))
        shell.update_contact(dataclasses.replace(shell.contact(ana.id), role="Designer"))
        if fold_elsewhere:
            shell.compact()
    assert window.catch_up() is True
    assert window.contact(ana.id).role == "Designer"
    assert [i.text for i in window.interactions(ana.id)] == ["coffee"]
    changes = window.changes_since(revision)
    if fold_elsewhere:
        assert changes is None  # read whole again: the followers read everything
    else:
        assert changes is not None and [t for t, _, _ in changes] == ["interactions", "contacts"]
    assert window.catch_up() is False
    window.add_contact(Contact(name="Bruno"))
    window.close()
    with Journal.open(journal_path) as j:
        assert sorted(c.name for c in j.contacts()) == ["Ana", "Bruno"]
        assert j.count("interactions") == 1


@pytest.mark.usefixtures("big")
def test_a_reader_follows_too(journal_path: Path) -> None:
    Journal.open(journal_path).close()
    reader = Journal.open(journal_path, readonly=True)
    with Journal.open(journal_path) as shell:
        shell.add_contact(Contact(name="Ana"))
    assert reader.catch_up() is True
    assert [c.name for c in reader.contacts()] == ["Ana"]
    reader.close()


def test_undo_undoes_this_windows_change_only(windows: tuple[Journal, Journal], journal_path: Path) -> None:
    first, second = windows
    first.add_contact(Contact(name="Ana"))
    second.add_contact(Contact(name="Bruno"))
    assert first.undo() == "new contact Ana"
    assert sorted(c.name for c in first.contacts()) == ["Bruno"]
    assert second.undo() == "new contact Bruno"
    assert second.undo() is None  # Ana's step is the first window's
    assert names(journal_path) == []


@pytest.mark.usefixtures("big")
def test_undo_says_so_when_another_window_changed_the_record_since(journal_path: Path) -> None:
    first = Journal.open(journal_path)
    ana = first.add_contact(Contact(name="Ana"))
    second = Journal.open(journal_path)
    first.update_contact(dataclasses.replace(ana, role="Designer"))
    second.update_contact(dataclasses.replace(second.contact(ana.id), notes="met at the fair"))
    with pytest.raises(UndoConflict, match="changed since"):
        first.undo()
    first.close(), second.close()
    with Journal.open(journal_path) as j:
        assert j.contact(ana.id).notes == "met at the fair"


def test_a_fold_holds_every_change_another_process_appended(
    windows: tuple[Journal, Journal], journal_path: Path
) -> None:
    first, second = windows
    first.add_contact(Contact(name="Ana"))
    second.add_contact(Contact(name="Bruno"))
    first.compact()  # never postponed, never without Bruno
    assert not any("postponed" in n for n in first.notices)
    second.add_contact(Contact(name="Carla"))  # lands in the new log
    second.compact()
    first.add_contact(Contact(name="Dora"))
    assert names(journal_path) == ["Ana", "Bruno", "Carla", "Dora"]


HOLDER = """
import sys, time
from filelock import FileLock
lock = FileLock(sys.argv[1] + ".lock", thread_local=False)
lock.acquire()
print("held", flush=True)
time.sleep(float(sys.argv[2]))
"""


def hold_lock(path: Path, seconds: float) -> subprocess.Popen[bytes]:
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, str(path), str(seconds)], stdout=subprocess.PIPE)
    assert holder.stdout is not None and holder.stdout.readline() == b"held\n"
    return holder


@pytest.mark.usefixtures("big")
def test_a_write_waits_for_another_and_gives_up_saying_so(
    journal_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sharing, "WAIT_SECONDS", 0.3)
    with Journal.open(journal_path) as j:
        j.add_contact(Contact(name="Ana"))
    app = Journal.open(journal_path)
    holder = hold_lock(journal_path, 30)  # a write that takes too long (a stuck process)
    try:
        with pytest.raises(JournalLocked) as exc:
            app.add_contact(Contact(name="Bruno"))
        assert "another netjournal process" in str(exc.value) and "nothing was saved" in str(exc.value)
        assert [c.name for c in app.contacts()] == ["Ana"]  # nothing half-made in memory either
        with pytest.raises(JournalLocked):
            Journal.open(journal_path)  # its first steps need the lock too
    finally:
        holder.kill()
        holder.wait()
    app.add_contact(Contact(name="Bruno"))  # the system released the dead holder's lock
    app.close()
    assert names(journal_path) == ["Ana", "Bruno"]


@pytest.mark.usefixtures("big")
def test_a_write_that_waits_for_a_short_one_goes_through(journal_path: Path) -> None:
    with Journal.open(journal_path) as j:
        j.add_contact(Contact(name="Ana"))
    app = Journal.open(journal_path)
    holder = hold_lock(journal_path, 0.2)
    try:
        app.add_contact(Contact(name="Bruno"))  # waited, then saved
    finally:
        holder.wait()
    app.close()
    assert names(journal_path) == ["Ana", "Bruno"]


def test_closing_while_another_writes_postpones_the_fold_not_the_close(
    journal_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sharing, "WAIT_SECONDS", 0.2)
    app = Journal.open(journal_path)
    app.add_contact(Contact(name="Ana"))
    holder = hold_lock(journal_path, 30)
    try:
        app.close()  # no error: Ana is durable in the log
        assert any("postponed" in n for n in app.notices)
    finally:
        holder.kill()
        holder.wait()
    assert names(journal_path) == ["Ana"]


def test_the_lock_file_is_private(journal_path: Path) -> None:
    with Journal.open(journal_path) as j:
        j.add_contact(Contact(name="Ana"))
    assert os.stat(str(journal_path) + ".lock").st_mode & 0o777 == 0o600


@pytest.mark.usefixtures("big")
def test_undoing_a_new_person_someone_has_since_logged_with_elsewhere_is_refused(journal_path: Path) -> None:
    """Undoing "new contact Ana" deletes Ana; had another process logged a lunch with her
    meanwhile, that lunch would name nobody (and the journal would not open again)."""
    window = Journal.open(journal_path)
    ana = window.add_contact(Contact(name="Ana"))
    with Journal.open(journal_path) as shell:
        shell.add_interaction(Interaction(date="2026-12-01", contact_ids=[ana.id], text="lunch"))
        shell.add_favour(Favour(date="2026-12-01", contact_id=shell.add_contact(Contact(name="Bruno")).id))
    with pytest.raises(UndoConflict, match="Ana"):
        window.undo()
    window.close()
    with Journal.open(journal_path) as j:
        assert [c.name for c in j.contacts()] == ["Ana", "Bruno"] and j.count("interactions") == 1


@pytest.mark.usefixtures("big")
def test_a_window_follows_a_log_another_process_started_without_reading_everything_again(
    journal_path: Path,
) -> None:
    with Journal.open(journal_path) as j:
        ana = j.add_contact(Contact(name="Ana"))
        j.compact()
    journal_path.with_name("journal.json.log").unlink()  # folded long ago: no log at all
    window = Journal.open(journal_path)
    revision = window.revision
    with Journal.open(journal_path) as shell:  # its first change starts the log
        shell.add_interaction(Interaction(date="2026-12-01", contact_ids=[ana.id], text="coffee"))
    assert window.catch_up() is True
    changes = window.changes_since(revision)
    assert changes is not None and [t for t, _, _ in changes] == ["interactions"]  # just that change
    window.add_contact(Contact(name="Bruno"))  # and it appends after it
    window.close()
    with Journal.open(journal_path) as j:
        assert sorted(c.name for c in j.contacts()) == ["Ana", "Bruno"] and j.count("interactions") == 1


@pytest.mark.usefixtures("big")
def test_a_damaged_line_in_the_log_is_refused_at_every_look_never_skipped(journal_path: Path) -> None:
    window = Journal.open(journal_path)
    window.add_contact(Contact(name="Ana"))
    with open(str(journal_path) + ".log", "ab") as f:  # something else wrote a line netjournal could not have
        f.write(window.storage.codec.seal_line(b'{"ops":[["contacts","c-x",{"id":"c-x","name":5}]]}') + b"\n")
    for _ in range(2):
        with pytest.raises(JournalDamaged, match="damaged"):
            window.catch_up()
    with pytest.raises(JournalDamaged):
        window.add_contact(Contact(name="Bruno"))  # nothing is written on a state not caught up
    window.storage.close()
