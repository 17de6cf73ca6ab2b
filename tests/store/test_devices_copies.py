"""Copies a sync engine makes of another device's files (issue #14 part 2): a Syncthing
``.sync-conflict-`` copy of a log, a Dropbox ``(conflicted copy …)`` of a snapshot, git's
``.orig``. A copy holding a change found nowhere else is folded in on every other device, and
never deleted or changed (its bytes hashed before and after); once folded, the change stays
even if the person deletes the copy. A damaged line in another device's log is told once and
skipped, the lines around it read, the journal working."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from devicetools import acting_as, people

import netjournal.store.folding as folding
from netjournal.domain.model import Contact
from netjournal.store import Journal, devicemode


@pytest.fixture(autouse=True)
def fold_only_when_asked(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(folding, "wants_folding", lambda storage: False)


@pytest.fixture
def shared(tmp_path: Path) -> Iterator[Path]:
    """A journal shared between devices, with one person added on the laptop; the phone has
    its own files in the folder (as if the engine had carried them)."""
    path = tmp_path / "sync" / "journal.json"
    with acting_as(tmp_path, "laptop"):
        devicemode.turn_on(path, "laptop")
        with Journal.open(path, device="laptop") as j:
            j.add_contact(Contact(name="Ana Silva"))
    with acting_as(tmp_path, "phone"), Journal.open(path, device="phone") as j:
        j.compact()
    yield path


def open_as(path: Path, device: str) -> Journal:
    with acting_as(path.parent.parent, device):
        return Journal.open(path, device=device)


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def log_copy(path: Path) -> str:
    """The phone adds Zoë; the engine keeps its log as a Syncthing conflict copy and puts the
    log it had before back (the change is now in the copy alone)."""
    log = devicemode.own_path(path, "phone").with_suffix(".json.log")
    before = log.read_bytes()
    with open_as(path, "phone") as j:
        j.add_contact(Contact(name="Zoë Ωмега 東京"))
    copy = log.with_name("phone.json.sync-conflict-20261205-101010-ABCDEFG.log")
    copy.write_bytes(log.read_bytes())
    log.write_bytes(before)
    return copy.name


def snapshot_copy(name: str) -> Callable[[Path], str]:
    """The phone adds Zoë and folds; the engine keeps its snapshot under ``name`` and puts the
    snapshot and log it had before back."""

    def make(path: Path) -> str:
        own = devicemode.own_path(path, "phone")
        log = own.with_suffix(".json.log")
        before = own.read_bytes(), log.read_bytes()
        with open_as(path, "phone") as j:
            j.add_contact(Contact(name="Zoë Ωмега 東京"))
            j.compact()
        copy = own.with_name(name)
        copy.write_bytes(own.read_bytes())
        own.write_bytes(before[0])
        log.write_bytes(before[1])
        return copy.name

    return make


COPIES = {
    "syncthing log": log_copy,
    "dropbox snapshot": snapshot_copy("phone (conflicted copy 2026-12-05).json"),
    "git orig": snapshot_copy("phone.json.orig"),
}


@pytest.mark.parametrize("engine", sorted(COPIES))
def test_a_conflict_copy_holding_a_change_found_nowhere_else_is_folded_in_and_left_as_it_is(
    shared: Path, engine: str
) -> None:
    name = COPIES[engine](shared)
    copy = devicemode.folder(shared) / name
    before = digest(copy)
    for device in ("laptop", "phone"):  # (the phone too: its own change is only in the copy now)
        j = open_as(shared, device)
        try:
            assert {"Ana Silva", "Zoë Ωмега 東京"} <= {p["name"] for p in people(j).values()}, device
            with acting_as(shared.parent.parent, device):
                j.add_contact(Contact(name=f"After {device}"))
                j.compact()
        finally:
            j.close()
        assert digest(copy) == before
    copy.unlink()  # (the person tidies the folder: what was folded in stays)
    for device in ("laptop", "phone"):
        with open_as(shared, device) as j:
            assert "Zoë Ωмега 東京" in {p["name"] for p in people(j).values()}, device
            assert len(people(j)) == 4


def test_a_copy_read_by_an_open_journal_is_folded_in_at_its_next_look(shared: Path) -> None:
    laptop = open_as(shared, "laptop")
    try:
        laptop.catch_up()
        log_copy(shared)
        assert laptop.changed_elsewhere()
        assert "Zoë Ωмега 東京" in {p["name"] for p in people(laptop).values()}
    finally:
        laptop.close()


def test_an_open_journal_sees_no_change_elsewhere_when_nothing_changed(shared: Path) -> None:
    laptop = open_as(shared, "laptop")
    try:
        laptop.catch_up()
        assert not laptop.changed_elsewhere()
        assert not laptop.catch_up()
        assert not laptop.changed_elsewhere()
    finally:
        laptop.close()


def test_a_damaged_line_in_another_devices_log_is_told_once_and_skipped(shared: Path) -> None:
    with open_as(shared, "phone") as j:
        for name in ("Before", "Damaged", "After"):
            j.add_contact(Contact(name=name))
    log = devicemode.own_path(shared, "phone").with_suffix(".json.log")
    blob = log.read_bytes()
    assert blob.count(b"Damaged") == 1
    log.write_bytes(blob.replace(b"Damaged", b"Damaxed"))  # (its checksum no longer holds)
    before = digest(log)
    laptop = open_as(shared, "laptop")
    try:
        assert sorted(p["name"] for p in people(laptop).values()) == ["After", "Ana Silva", "Before"]
        for _ in range(3):
            laptop.catch_up()
        problems = laptop._sharing.devices.reader.problems  # type: ignore[union-attr]
        assert len(problems) == 1 and "phone.json.log" in problems[0], problems
        with acting_as(shared.parent.parent, "laptop"):
            laptop.add_contact(Contact(name="Still working"))
            laptop.compact()
    finally:
        laptop.close()
    with open_as(shared, "laptop") as j:
        assert len(people(j)) == 4
    assert digest(log) == before
