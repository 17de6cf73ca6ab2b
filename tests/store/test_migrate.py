"""Schema migrations, daily backups and restoring one."""

from __future__ import annotations

import stat
from datetime import date, timedelta
from pathlib import Path

import orjson
import pytest
from tinydb import TinyDB

import netjournal.store.sharing as sharing
from netjournal.domain.model import Contact
from netjournal.store import Journal, JournalDamaged, JournalLocked, JournalTooNew
from netjournal.store.backup import backup_dir, list_backups
from netjournal.store.check import check_file
from netjournal.store.restore import restore_backup


def stock_v1(path: Path) -> bytes:
    """A journal as a plain TinyDB (schema 1) writes it: integer doc_ids, no _meta."""
    path.parent.mkdir(parents=True, exist_ok=True)
    db = TinyDB(path)
    db.table("contacts").insert({"id": "c-ana", "name": "Ana", "tags": ["python"]})
    db.table("contacts").insert({"name": "No Id"})
    db.table("contacts").insert({"id": "c-ana", "name": "Ana's twin"})  # a duplicate id
    db.table("interactions").insert({"id": "i-1", "date": "2024-01-01", "contact_ids": ["c-ana"], "text": "hi"})
    db.table("favours").insert({"id": "f-1", "date": "2024-01-02", "contact_id": "c-ana", "weight": 3})
    db.table("_default").insert({"note": "kept"})
    db.close()
    return path.read_bytes()


def test_a_stock_tinydb_file_is_upgraded_after_a_backup(journal_path: Path) -> None:
    original = stock_v1(journal_path)
    with Journal.open(journal_path) as j:
        assert j.contact("c-ana").tags == ["python"]
        assert j.interaction_ids("c-ana") == ["i-1"]
        assert [f.id for f in j.favours("c-ana")] == ["f-1"]
        names = {c.name: c.id for c in j.contacts()}
        assert set(names) == {"Ana", "No Id", "Ana's twin"}
        assert names["No Id"].startswith("c-") and names["Ana's twin"] not in ("c-ana", names["No Id"])
    pre = [p for p in backup_dir(journal_path).iterdir() if p.name.startswith("pre-migration-v1-")]
    assert len(pre) == 1 and pre[0].read_bytes() == original
    assert stat.S_IMODE(pre[0].stat().st_mode) == 0o600
    data = orjson.loads(journal_path.read_bytes())
    assert data["_meta"]["schema"]["version"] == 2
    assert "c-ana" in data["contacts"] and data["_default"] == {"1": {"note": "kept"}}
    with Journal.open(journal_path) as j:  # the second open finds nothing to migrate
        assert j.count("contacts") == 3
    assert len([p for p in backup_dir(journal_path).iterdir() if p.name.startswith("pre-migration")]) == 1


def test_a_read_only_open_upgrades_in_memory_and_writes_nothing(journal_path: Path) -> None:
    original = stock_v1(journal_path)
    with Journal.open(journal_path, readonly=True) as j:
        assert j.contact("c-ana").name == "Ana"
    assert journal_path.read_bytes() == original
    assert sorted(p.name for p in journal_path.parent.iterdir()) == ["journal.json"]


def test_a_newer_schema_is_refused_not_downgraded(journal_path: Path) -> None:
    journal_path.parent.mkdir(parents=True)
    journal_path.write_bytes(b'{"_meta": {"schema": {"version": 3}}, "contacts": {}, "people": {}}')
    with pytest.raises(JournalTooNew, match="upgrade netjournal"):
        Journal.open(journal_path)
    assert journal_path.read_bytes() == b'{"_meta": {"schema": {"version": 3}}, "contacts": {}, "people": {}}'
    assert not backup_dir(journal_path).exists()


def test_one_backup_a_day_the_last_seven_kept(journal_path: Path) -> None:
    start = date(2030, 1, 1)
    for n in range(10):
        with Journal.open(journal_path, today=start + timedelta(days=n)) as j:
            j.add_contact(Contact(name=f"Person {n}"))
        with Journal.open(journal_path, today=start + timedelta(days=n)) as j:  # a second open the same day
            pass
    daily = sorted(p.name for p in backup_dir(journal_path).glob("daily-*.json"))
    assert daily == [f"daily-{(start + timedelta(days=n)).isoformat()}.json" for n in range(3, 10)]
    # Each is the journal as it opened that day (before that day's change).
    day5 = backup_dir(journal_path) / "daily-2030-01-06.json"
    assert len(orjson.loads(day5.read_bytes())["contacts"]) == 5
    assert all(stat.S_IMODE(p.stat().st_mode) == 0o600 for p in backup_dir(journal_path).iterdir())
    assert all(b.good for b in list_backups(journal_path, check_file))


@pytest.fixture
def damaged_with_backup(journal_path: Path) -> tuple[Path, Path]:
    with Journal.open(journal_path, today=date(2030, 1, 1)) as j:
        j.add_contact(Contact(name="Ana"))
    with Journal.open(journal_path, today=date(2030, 1, 2)) as j:
        j.add_contact(Contact(name="Bruno"))
    journal_path.write_bytes(b"garbage")
    journal_path.with_name("journal.json.log").write_bytes(b"old log\n")
    return journal_path, backup_dir(journal_path) / "daily-2030-01-02.json"


def test_restore_puts_the_backup_back_and_keeps_the_damaged_files_aside(damaged_with_backup: tuple[Path, Path]) -> None:
    path, chosen = damaged_with_backup
    kept = restore_backup(path, chosen)
    assert kept is not None and kept.read_bytes() == b"garbage"
    logs = [p for p in path.parent.iterdir() if p.name.startswith("journal.json.log.damaged-")]
    assert len(logs) == 1 and logs[0].read_bytes() == b"old log\n"
    assert not path.with_name("journal.json.log").exists()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    with Journal.open(path) as j:
        assert [c.name for c in j.contacts()] == ["Ana"]


def test_restore_refuses_a_damaged_backup_and_a_journal_being_written(
    damaged_with_backup: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    path, chosen = damaged_with_backup
    bad = chosen.with_name("daily-2030-01-03.json")
    bad.write_bytes(b'{"contacts": {"c-1": ')
    with pytest.raises(JournalDamaged, match="damaged too"):
        restore_backup(path, bad)
    assert path.read_bytes() == b"garbage"
    restore_backup(path, chosen)
    monkeypatch.setattr(sharing, "WAIT_SECONDS", 0.1)
    with Journal.open(path) as j, j.transaction(), pytest.raises(JournalLocked):  # a write in progress
        restore_backup(path, chosen)
    with Journal.open(path) as window:  # a window open, idle: it reads the restored journal
        window.add_contact(Contact(name="Carla"))
        restore_backup(path, chosen)
        assert window.catch_up() is True
        assert [c.name for c in window.contacts()] == ["Ana"]  # (the backup of the day Bruno came)
