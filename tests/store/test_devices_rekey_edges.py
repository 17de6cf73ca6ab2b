"""The key change between devices at its edges (found by a review; each test failed before its
fix): clocks that disagree, key files that arrive late with old file times, two devices changing
the key at once, a kill while a device takes a key, a damaged line of another device, and the
files from before the journal was shared. Each test is a sequence a person can reach with the
commands."""

from __future__ import annotations

import os
from datetime import datetime, timedelta
from pathlib import Path

import pyrage
import pytest
import test_devices_rekey
from devicetools import acting_as
from test_devices_rekey import identity, key_changed_on_the_laptop, names

from netjournal.domain.model import Contact
from netjournal.sealing import Keys
from netjournal.store import Journal, devicemode, encryption
from netjournal.store.journal import Journal as JournalClass

shared = test_devices_rekey.shared  # (the fixture: a journal encrypted, then shared)


class _Ahead(datetime):
    """A device whose clock is a few hours ahead (a phone set to another time zone by hand)."""

    @classmethod
    def now(cls, tz=None):  # type: ignore[no-untyped-def]
        return datetime.now(tz) + timedelta(hours=3)


def test_a_later_key_change_on_a_device_whose_clock_is_behind_travels(
    shared: tuple[Path, Keys], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The laptop (clock ahead) changes the key; the desk takes it, then changes it again
    (same identity file: only the journal key changes). The desk's key file lists the laptop's
    key after its own, so it is the newer one whatever the clocks say; the laptop never takes
    it and the desk's changes never reach it."""
    path, old = shared
    new = identity(tmp_path, "new.txt")
    with monkeypatch.context() as m:
        m.setattr(encryption, "datetime", _Ahead)
        with acting_as(tmp_path, "laptop"), Journal.open(path, keys=old, device="laptop") as laptop:
            encryption.encrypt(laptop, new)
    with acting_as(tmp_path, "desk"), Journal.open(path, keys=new, device="desk") as desk:
        encryption.encrypt(desk, new)  # (a second change, later in real time)
        desk.add_contact(Contact(name="Ωмега"))
    with acting_as(tmp_path, "laptop"), Journal.open(path, keys=new, device="laptop") as laptop:
        assert "Ωмега" in names(laptop)


def test_a_key_change_that_arrives_with_an_older_file_time_is_taken(shared: tuple[Path, Keys], tmp_path: Path) -> None:
    """Syncthing keeps a file's modification time. The laptop changes the key (t1), the desk
    takes it and changes it again (t2); the phone, offline, took the laptop's key at t3 > t2
    before the desk's file reached it. The desk's key file (mtime t2 < the phone's own t3) is
    never opened on the phone: the desk's changes never reach it."""
    path, old = shared
    new = identity(tmp_path, "new.txt")
    folder = devicemode.folder(path)
    with acting_as(tmp_path, "phone"), Journal.open(path, keys=old, device="phone") as phone:
        phone.add_contact(Contact(name="Phone Person"))
    with acting_as(tmp_path, "laptop"), Journal.open(path, keys=old, device="laptop") as laptop:
        encryption.encrypt(laptop, new)
    with acting_as(tmp_path, "desk"), Journal.open(path, keys=new, device="desk") as desk:
        encryption.encrypt(desk, new)
        desk.add_contact(Contact(name="Ωмега"))
    desk_key = folder / "desk.json.key"
    held = desk_key.read_bytes()
    desk_key.write_bytes((folder / "laptop.json.key").read_bytes())  # (the phone has not got it yet)
    with acting_as(tmp_path, "phone"), Journal.open(path, keys=new, device="phone") as phone:
        pass  # (takes the laptop's key: its own key file written now)
    desk_key.write_bytes(held)  # (the desk's arrives, with the time it was written on the desk)
    t = (folder / "phone.json.key").stat().st_mtime_ns - 60 * 10**9
    os.utime(desk_key, ns=(t, t))
    with acting_as(tmp_path, "phone"), Journal.open(path, keys=new, device="phone") as phone:
        assert "Ωмега" in names(phone)


def killed_while_taking_the_key(
    path: Path, keys: Keys, device: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``device`` opened with ``keys``, killed once its key file is written, before the fold
    that re-seals its files."""

    def killed(self: JournalClass) -> None:
        raise KeyboardInterrupt

    with monkeypatch.context() as m:
        m.setattr(JournalClass, "compact", killed)
        with pytest.raises(KeyboardInterrupt), acting_as(tmp_path, device):
            Journal.open(path, keys=keys, device=device)


def test_a_kill_while_taking_a_concurrently_changed_key_leaves_a_journal_that_opens(
    shared: tuple[Path, Keys], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The laptop and the desk both change the key before either sees the other's change
    (the desk's later). The laptop takes the desk's key file by copying its bytes: they do not
    list the laptop's own new key, with which its files are sealed until the re-seal. Killed
    between the two, the laptop's journal no longer opens with any key."""
    path, old = shared
    new = key_changed_on_the_laptop(path, old, tmp_path)
    with acting_as(tmp_path, "desk"), Journal.open(path, keys=old, device="desk") as desk:
        encryption.encrypt(desk, new)
    killed_while_taking_the_key(path, new, "laptop", tmp_path, monkeypatch)
    with acting_as(tmp_path, "laptop"), Journal.open(path, keys=new, device="laptop") as laptop:
        assert "王小明" in names(laptop)


def test_a_kill_while_taking_the_key_still_re_seals_the_device_files_later(
    shared: tuple[Path, Keys],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """README: "Once every device has opened, no file opens with the old key." The desk takes
    the laptop's new key; killed after writing its key file and before its re-seal, it never
    re-seals (its key file now equals the laptop's, so nothing is newer): its journal keeps
    opening with the old identity file (the one the key change was meant to retire)."""
    path, old = shared
    new = key_changed_on_the_laptop(path, old, tmp_path, then=None)
    folder = devicemode.folder(path)
    killed_while_taking_the_key(path, new, "desk", tmp_path, monkeypatch)
    for _ in range(2):
        with acting_as(tmp_path, "desk"), Journal.open(path, keys=new, device="desk") as desk:
            assert "Иван Петров" in names(desk)
    assert test_devices_rekey.opens_with(folder, old) == []


def test_a_damaged_line_in_another_devices_log_does_not_hide_its_later_changes(
    shared: tuple[Path, Keys],
    tmp_path: Path,
) -> None:
    """No key was changed: one sealed line of the desk's log is damaged (a flipped byte). The
    laptop, which holds every key there is, stops before it for good (LOCKED: "open with the
    new identity file"), so no later change of the desk reaches it; the desk itself no longer
    opens (damaged at that line), so no fold of the desk ever gets the laptop past it."""
    path, old = shared
    folder = devicemode.folder(path)
    with acting_as(tmp_path, "desk"), Journal.open(path, keys=old, device="desk") as desk:
        for name in ("One", "Two", "Three"):
            desk.add_contact(Contact(name=name))
    log = folder / "desk.json.log"
    lines = log.read_bytes().split(b"\n")
    two = bytearray(lines[-3])  # (the lines: ..., One, Two, Three, "")
    two[20] ^= 0x01 if chr(two[20] ^ 0x01).isalnum() else 0x02
    lines[-3] = bytes(two)
    log.write_bytes(b"\n".join(lines))
    with acting_as(tmp_path, "laptop"), Journal.open(path, keys=old, device="laptop") as laptop:
        seen = names(laptop)
    assert "One" in seen and "Three" in seen


def test_once_every_device_took_the_new_key_no_file_in_the_folder_opens_with_the_old_one(
    shared: tuple[Path, Keys],
    tmp_path: Path,
) -> None:
    """README: "Once every device has opened, no file opens with the old key." The journal's
    key file and backups from before `devices on` (journal.json.key, journal-backups/: the
    whole journal as it was shared) stay in the synced folder, sealed to the old identity."""
    path, old = shared
    new = key_changed_on_the_laptop(path, old, tmp_path, then=None)
    with acting_as(tmp_path, "desk"), Journal.open(path, keys=new, device="desk") as desk:
        desk.add_contact(Contact(name="Ωмега"))
    opened = []
    for file in sorted(path.parent.rglob("*")):
        if file.is_file() and file.read_bytes().startswith(b"age-encryption.org/"):
            try:
                pyrage.decrypt(file.read_bytes(), old.identities())
                opened.append(str(file.relative_to(path.parent)))
            except pyrage.DecryptError:
                pass
    assert opened == []


def test_two_devices_changing_the_key_to_different_identities_are_told_how_to_open(
    shared: tuple[Path, Keys], tmp_path: Path
) -> None:
    """The laptop changes the key to k2, the desk (before seeing it) to k3. Opened with k3, the
    laptop cannot open its own files (sealed with its own new key, which only k2 opens): one
    line says so and how to open it; given both identities in one file, it opens, and with it
    every change."""
    from netjournal.sealing.age_codec import WrongKey

    path, old = shared
    k2, k3 = identity(tmp_path, "k2.txt"), identity(tmp_path, "k3.txt")
    with acting_as(tmp_path, "laptop"), Journal.open(path, keys=old, device="laptop") as laptop:
        encryption.encrypt(laptop, k2)
        laptop.add_contact(Contact(name="王小明"))
    with acting_as(tmp_path, "desk"), Journal.open(path, keys=old, device="desk") as desk:
        encryption.encrypt(desk, k3)
        desk.add_contact(Contact(name="Ωмега"))
    with pytest.raises(WrongKey, match="changed on this device too"), acting_as(tmp_path, "laptop"):
        Journal.open(path, keys=k3, device="laptop")
    both = tmp_path / "both.txt"
    assert k2.identity is not None and k3.identity is not None
    both.write_text(k2.identity.read_text() + k3.identity.read_text())
    with acting_as(tmp_path, "laptop"), Journal.open(path, keys=Keys(identity=both), device="laptop") as laptop:
        assert {"王小明", "Ωмега"} <= names(laptop)
