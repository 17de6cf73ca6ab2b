"""The journal's files: damaged ones are refused untouched (naming the newest good backup), a
second writer is refused until the first dies, and everything is private."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from datetime import date
from pathlib import Path

import orjson
import pytest

from netjournal.domain.model import Contact
from netjournal.store import Journal, JournalDamaged, JournalTooNew
from netjournal.store.backup import backup_dir

DAY1, DAY2 = date(2030, 3, 1), date(2030, 3, 2)


@pytest.fixture
def with_backups(journal_path: Path) -> Path:
    """A journal opened on two days (two daily backups); returns the newest backup."""
    with Journal.open(journal_path, today=DAY1) as j:
        j.add_contact(Contact(name="Ana"))
    with Journal.open(journal_path, today=DAY2) as j:
        j.add_contact(Contact(name="Bruno"))
    newest = backup_dir(journal_path) / f"daily-{DAY2.isoformat()}.json"
    assert newest.exists()
    return newest


def files_state(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
            and not p.name.endswith(".lock")}


def valid_bytes(journal_path: Path) -> bytes:
    return journal_path.read_bytes()


DAMAGE = {
    "empty": lambda good: b"",
    "whitespace": lambda good: b"  \n",
    "truncated": lambda good: good[: len(good) // 2],
    "garbage": lambda good: b"\x00\x13garbage\xff" * 10,
    "a list": lambda good: b"[1, 2, 3]",
    "a table that is a list": lambda good: b'{"contacts": [1, 2]}',
    "a record that is a number": lambda good: b'{"_meta": {}, "contacts": {"c-1": 5}}',
    "no table of ours": lambda good: b'{"bookmarks": {"1": {"url": "x"}}}',
    "a bad schema version": lambda good: b'{"_meta": {"schema": {"version": "two"}}, "contacts": {}}',
}


@pytest.mark.parametrize("kind", list(DAMAGE))
@pytest.mark.parametrize("readonly", [True, False])
def test_a_damaged_journal_is_refused_untouched_naming_the_newest_good_backup(
    journal_path: Path, with_backups: Path, kind: str, readonly: bool
) -> None:
    journal_path.write_bytes(DAMAGE[kind](journal_path.read_bytes()))
    before = files_state(journal_path.parent)
    with pytest.raises(JournalDamaged) as exc:
        Journal.open(journal_path, readonly=readonly, today=date(2030, 3, 3))
    message = str(exc.value)
    assert str(journal_path) in message
    assert f"Newest good backup: {with_backups}" in message
    assert "\n" not in message
    assert files_state(journal_path.parent) == before


def test_a_damaged_backup_is_skipped_when_naming_the_newest_good_one(journal_path: Path, with_backups: Path) -> None:
    later = with_backups.with_name("daily-2030-03-05.json")
    later.write_bytes(b'{"contacts": ')
    os.utime(later, (2e9, 2e9))  # the newest by date, but damaged
    journal_path.write_bytes(b"")
    with pytest.raises(JournalDamaged, match=f"Newest good backup: {with_backups}"):
        Journal.open(journal_path)


def test_without_backups_the_message_says_so(journal_path: Path) -> None:
    journal_path.parent.mkdir(parents=True)
    journal_path.write_bytes(b"{")
    with pytest.raises(JournalDamaged, match="No good backup was found"):
        Journal.open(journal_path)
    assert journal_path.read_bytes() == b"{"


def test_a_log_damaged_before_its_last_line_is_refused_untouched(journal_path: Path, with_backups: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import netjournal.store.folding as jmod

    monkeypatch.setattr(jmod, "SMALL_SNAPSHOT", 0)
    monkeypatch.setattr(jmod, "COMPACT_LOG_FRACTION", 0)
    with Journal.open(journal_path, today=DAY2) as j:
        j.add_contact(Contact(name="Carla"))
        j.add_contact(Contact(name="David"))
    log = journal_path.with_name(journal_path.name + ".log")
    lines = log.read_bytes().split(b"\n")
    log.write_bytes(lines[0][:-5] + b"\n" + b"\n".join(lines[1:]))
    before = files_state(journal_path.parent)
    with pytest.raises(JournalDamaged, match=r"\.log is damaged at line 1.*Newest good backup"):
        Journal.open(journal_path, today=DAY2)
    assert files_state(journal_path.parent) == before


def test_a_journal_from_a_newer_netjournal_is_refused_untouched(journal_path: Path, with_backups: Path) -> None:
    data = orjson.loads(journal_path.read_bytes())
    data["_meta"]["schema"]["version"] = 99
    journal_path.write_bytes(orjson.dumps(data))
    before = files_state(journal_path.parent)
    for readonly in (True, False):
        with pytest.raises(JournalTooNew, match="newer netjournal.*schema 99"):
            Journal.open(journal_path, readonly=readonly, today=date(2030, 3, 9))
    assert files_state(journal_path.parent) == before


def test_a_missing_journal_beside_its_log_is_refused(journal_path: Path) -> None:
    with Journal.open(journal_path) as j:
        j.add_contact(Contact(name="Ana"))
    log = journal_path.with_name(journal_path.name + ".log")
    log.write_bytes(b'{"ops":[]}\n')
    journal_path.unlink()
    with pytest.raises(JournalDamaged, match="missing"):
        Journal.open(journal_path)
    assert log.read_bytes() == b'{"ops":[]}\n'


# ------------------------------------------------------------------ the lock
HOLDER = """
import sys, time
from netjournal.store import Journal
j = Journal.open(sys.argv[1])
print("held", flush=True)
time.sleep(60)
"""


def test_a_second_writer_is_let_in_while_another_holds_the_journal_open(journal_path: Path) -> None:
    """Many processes share a journal (see test_many_writers.py): holding it open locks
    nobody out; only a write in progress is waited for."""
    Journal.open(journal_path).close()
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, str(journal_path)], stdout=subprocess.PIPE, env=env)
    try:
        assert holder.stdout is not None and holder.stdout.readline() == b"held\n"
        with Journal.open(journal_path) as j:
            j.add_contact(Contact(name="Ana"))
        with Journal.open(journal_path, readonly=True) as j:  # readers are never locked out
            assert [c.name for c in j.contacts()] == ["Ana"]
    finally:
        holder.kill()
        holder.wait()


# ------------------------------------------------------------------ privacy
def mode(p: Path) -> int:
    return stat.S_IMODE(p.stat().st_mode)


def test_every_file_is_private_and_a_created_folder_is_0700(journal_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import netjournal.store.folding as jmod

    monkeypatch.setattr(jmod, "SMALL_SNAPSHOT", 0)  # keep a log to look at
    monkeypatch.setattr(jmod, "COMPACT_LOG_FRACTION", 0)
    old_umask = os.umask(0)  # the modes must not depend on the user's umask
    try:
        with Journal.open(journal_path, today=DAY1) as j:
            j.add_contact(Contact(name="Ana"))
        with Journal.open(journal_path, today=DAY2) as j:
            j.add_contact(Contact(name="Bruno"))
            j.compact()
            j.add_contact(Contact(name="Carla"))
    finally:
        os.umask(old_umask)
    folder = journal_path.parent
    assert mode(folder) == 0o700
    assert mode(backup_dir(journal_path)) == 0o700
    names = {p.name: mode(p) for p in folder.rglob("*") if p.is_file()}
    assert {"journal.json", "journal.json.log", "journal.json.lock", "daily-2030-03-02.json"} <= set(names)
    assert set(names.values()) == {0o600}, names


def test_an_existing_folder_keeps_its_mode(tmp_path: Path) -> None:
    tmp_path.chmod(0o755)
    with Journal.open(tmp_path / "journal.json") as j:
        j.add_contact(Contact(name="Ana"))
    assert mode(tmp_path) == 0o755
    assert mode(tmp_path / "journal.json") == 0o600


def test_the_days_backup_with_unfolded_changes_is_the_snapshot_and_its_log(
    journal_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A day's first open with changes still in the change log (a big journal after a day of
    `netjournal log`) backs up the snapshot and the log as they are, without parsing or rewriting
    the journal; restoring that backup gives the journal as it was opened."""
    from netjournal.domain.model import Interaction
    from netjournal.store import folding as journal_module
    from netjournal.store.restore import restore_backup

    monkeypatch.setattr(journal_module, "SMALL_SNAPSHOT", 0)  # as a big journal: the log is kept
    monkeypatch.setattr(journal_module, "COMPACT_LOG_FRACTION", 0)
    with Journal.open(journal_path, today=DAY1) as j:
        ana = j.add_contact(Contact(name="Ana")).id
        j.add_interaction(Interaction(date="2030-02-01", contact_ids=[ana], text="before"))
        j.compact()
        j.add_interaction(Interaction(date="2030-03-01", contact_ids=[ana], text="logged"))
    with Journal.open(journal_path, today=DAY2) as j:
        assert j.storage.lazy  # the backup did not parse the interactions
        expected = j.all_records()
        j.add_interaction(Interaction(date="2030-03-02", contact_ids=[ana], text="after the backup"))
    daily = backup_dir(journal_path) / "daily-2030-03-02.json"
    assert daily.exists() and (backup_dir(journal_path) / "daily-2030-03-02.json.log").exists()
    assert stat.S_IMODE(os.stat(str(daily) + ".log").st_mode) == 0o600
    restore_backup(journal_path, daily)
    with Journal.open(journal_path, readonly=True) as j:
        assert j.all_records() == expected
        assert [i.text for i in j.interactions(ana)] == ["logged", "before"]
