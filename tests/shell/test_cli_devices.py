"""One journal shared between devices, from the shell: ``netjournal devices on`` once, then
each device (its own NETJOURNAL_DEVICE and user state folder) writes the one folder a sync
engine carries and sees the others' changes; ``netjournal devices`` says what is there (the
conflict copies an engine made among it); ``netjournal doctor`` lists the clashes and what
cannot be read; encrypt / decrypt are refused on a shared journal. No traceback anywhere."""

from __future__ import annotations

import json
import shutil
import stat
import subprocess
from pathlib import Path

import pytest
from clitools import Result, assert_one_line_error, run
from test_cli_encryption import hashes, make_identity, no_plaintext

from netjournal.store import devicemode

CONFLICT_COPY = "desk.json.sync-conflict-20261205-101010-ABCDEFG.log"


class Devices:
    """Acting as several devices on one machine: each its name and its own state folder."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.results: list[Result] = []

    def run(self, device: str, journal: Path, *args: str) -> Result:
        env = {"NETJOURNAL_DEVICE": device, "XDG_STATE_HOME": str(self.root / f"state-{device}")}
        r = run(*args, journal=journal, env=env)
        self.results.append(r)
        assert "Traceback" not in r.err, r.err
        return r

    def ok(self, device: str, journal: Path, *args: str) -> str:
        r = self.run(device, journal, *args)
        assert r.code == 0, r
        return r.out


@pytest.fixture
def devices(tmp_path: Path) -> Devices:
    return Devices(tmp_path)


@pytest.fixture
def shared(devices: Devices, tmp_path: Path) -> Path:
    """A journal with a person and a lunch, then shared between devices on the laptop."""
    path = tmp_path / "sync" / "journal.json"
    devices.ok("laptop", path, "contact", "add", "Ann Lee", "--org", "Acme")
    devices.ok("laptop", path, "log", "lunch with @Ann about the garden")
    devices.ok("laptop", path, "devices", "on")
    return path


def test_devices_on_then_two_devices_see_each_others_changes(devices: Devices, tmp_path: Path) -> None:
    path = tmp_path / "sync" / "journal.json"
    devices.ok("laptop", path, "contact", "add", "Ann Lee")
    devices.ok("laptop", path, "log", "lunch with @Ann about the garden")
    out = devices.ok("laptop", path, "devices", "on")
    backup = next(line.split(" kept in ", 1)[1] for line in out.splitlines() if " kept in " in line)
    assert "lunch" in json.dumps(json.loads(Path(backup).read_text()))  # the journal as it was
    assert "*.lock" in out and ".*.tmp-netjournal" in out and "laptop" in out

    devices.ok("desk", path, "log", "call with @Ann about the roof")
    devices.ok("desk", path, "contact", "add", "Bo Chen")
    devices.ok("laptop", path, "log", "coffee with @Bo")

    laptop = devices.ok("laptop", path, "search", "")
    desk = devices.ok("desk", path, "search", "")
    for seen in (laptop, desk):
        assert "garden" in seen and "roof" in seen and "Bo Chen" in seen
    assert "Bo Chen" in devices.ok("laptop", path, "contact", "list")
    assert "roof" in devices.ok("laptop", path, "show", "Ann")
    status = devices.ok("desk", path, "devices")
    assert "this device: desk" in status and "laptop.json" in status and "no clashes" in status
    assert "conflict copy" not in status
    _private(tmp_path)


def _private(root: Path) -> None:
    """Every file netjournal wrote is 0600, every folder 0700."""
    for p in root.rglob("*"):
        mode = stat.S_IMODE(p.stat().st_mode)
        assert mode == (0o700 if p.is_dir() else 0o600), (p, oct(mode))


def test_devices_on_twice_is_refused_in_one_line(devices: Devices, shared: Path) -> None:
    before = hashes(shared.parent)
    r = devices.run("laptop", shared, "devices", "on")
    assert_one_line_error(r, "shared between devices already")
    assert hashes(shared.parent) == before


def test_devices_on_a_journal_not_made_yet(devices: Devices, tmp_path: Path) -> None:
    path = tmp_path / "sync" / "journal.json"
    out = devices.ok("laptop", path, "devices", "on")
    assert "kept in" not in out  # (nothing to back up)
    devices.ok("desk", path, "contact", "add", "Ann Lee")
    assert "Ann Lee" in devices.ok("laptop", path, "contact", "list")


def test_status_of_a_journal_not_shared(devices: Devices, tmp_path: Path) -> None:
    path = tmp_path / "sync" / "journal.json"
    devices.ok("laptop", path, "contact", "add", "Ann Lee")
    out = devices.ok("laptop", path, "devices")
    assert "not shared between devices" in out and "this device: laptop" in out
    assert json.loads(devices.ok("laptop", path, "devices", "--json"))["shared"] is False


def test_status_lists_a_conflict_copy(devices: Devices, shared: Path) -> None:
    devices.ok("desk", shared, "log", "call with @Ann about the roof")
    folder = shared.with_name("journal.d")
    shutil.copy(folder / "desk.json", folder / CONFLICT_COPY)
    out = devices.ok("laptop", shared, "devices", "status")
    line = next(line for line in out.splitlines() if CONFLICT_COPY in line)
    assert "conflict copy" in line
    assert "conflict copy" not in next(line for line in out.splitlines() if line.startswith("desk.json "))
    listed = {f["name"]: f for f in json.loads(devices.ok("laptop", shared, "devices", "--json"))["others"]}
    assert listed[CONFLICT_COPY]["conflict_copy"] is True
    assert listed["desk.json"]["conflict_copy"] is False
    assert listed["desk.json"]["size"] == (folder / "desk.json").stat().st_size


def _clash(devices: Devices, shared: Path, tmp_path: Path) -> None:
    """Two copies of the folder (two devices, the engine not carrying anything), the same field
    changed on each, then the desk's files carried to the laptop's copy."""
    other = tmp_path / "desk-copy"
    shutil.copytree(shared.parent, other)
    devices.ok("laptop", shared, "contact", "edit", "Ann", "--org", "Globex")
    devices.ok("desk", other / "journal.json", "contact", "edit", "Ann", "--org", "[bold]Initech[/bold]")
    for file in (other / "journal.d").glob("desk.json*"):
        shutil.copy(file, shared.with_name("journal.d") / file.name)


def test_doctor_lists_a_clash(devices: Devices, shared: Path, tmp_path: Path) -> None:
    _clash(devices, shared, tmp_path)
    out = devices.ok("laptop", shared, "doctor")
    assert "1 clash between devices" in out
    line = next(line for line in out.splitlines() if ", org: shows" in line)
    assert "Ann Lee" in line and "[bold]Initech[/bold]" in line  # (the later; markup shown as typed)
    assert "also 'Globex' (from laptop," in out
    assert "laptop.json: good" in out
    assert "1 clash" in devices.ok("desk", shared, "devices")
    assert json.loads(devices.ok("laptop", shared, "devices", "--json"))["clashes"] == 1
    assert "[bold]Initech[/bold]" in devices.ok("laptop", shared, "contact", "show", "Ann")
    devices.ok("laptop", shared, "contact", "edit", "Ann", "--org", "Hooli")  # (settles it)
    assert "no clashes between devices" in devices.ok("laptop", shared, "doctor")


def test_doctor_lists_an_unreadable_file_of_another_device(devices: Devices, shared: Path) -> None:
    devices.ok("desk", shared, "log", "call with @Ann about the roof")
    bad = shared.with_name("journal.d") / "desk (conflicted copy 2026-12-05).json"
    bad.write_bytes(b"not a journal\x1b[31m\n")
    for _ in range(2):  # (also once the laptop has folded what it read of it)
        out = devices.ok("laptop", shared, "doctor")
        assert "1 file problem" in out and bad.name in out and "\x1b" not in out
        assert "roof" in devices.ok("laptop", shared, "search", "roof")
        devices.ok("laptop", shared, "log", "tea with @Ann")


def test_encrypt_and_decrypt_refused_on_a_shared_journal(devices: Devices, shared: Path, tmp_path: Path) -> None:
    before = hashes(shared.parent)
    key = make_identity(tmp_path)
    r = devices.run("laptop", shared, "encrypt", "--identity", str(key), "--yes")
    assert_one_line_error(r, "shared between devices", "encrypt a journal before `netjournal devices on`")
    assert_one_line_error(devices.run("laptop", shared, "decrypt", "--yes"), "shared between devices")
    assert hashes(shared.parent) == before


@pytest.fixture
def sealed(devices: Devices, tmp_path: Path) -> tuple[Path, Path]:
    """An encrypted journal (its key: an identity file) shared between devices on the laptop."""
    path = tmp_path / "sync" / "journal.json"
    key = make_identity(tmp_path)
    devices.ok("laptop", path, "contact", "add", "Zebulon Quartz")
    devices.ok("laptop", path, "encrypt", "--identity", str(key), "--yes")
    devices.ok("laptop", path, "--identity", str(key), "devices", "on")
    return path, key


def test_devices_on_keeps_the_encryption(devices: Devices, sealed: tuple[Path, Path]) -> None:
    path, key = sealed
    devices.ok("laptop", path, "--identity", str(key), "log", "lunch with @Zebulon about the chemotherapy")
    assert "chemotherapy" in devices.ok("laptop", path, "--identity", str(key), "search", "chemotherapy")
    assert no_plaintext(path.parent)
    assert path.with_name("journal.d").joinpath("laptop.json.key").exists()
    r = devices.run("laptop", path, "search", "chemotherapy")  # (no key given)
    assert_one_line_error(r, "encrypted")


def test_another_device_joins_an_encrypted_journal(devices: Devices, sealed: tuple[Path, Path]) -> None:
    path, key = sealed
    devices.ok("desk", path, "--identity", str(key), "log", "lunch with @Zebulon about the chemotherapy")
    assert "chemotherapy" in devices.ok("laptop", path, "--identity", str(key), "search", "chemotherapy")
    assert no_plaintext(path.parent)


def test_a_device_name_is_shown_as_typed(devices: Devices, shared: Path) -> None:
    name = "[red]Ноутбук[/red] 山"
    devices.ok(name, shared, "log", "call with @Ann")
    assert f"this device: {name}" in devices.ok(name, shared, "devices")
    assert any(f.name.endswith(".json") and "%" in f.name for f in shared.with_name("journal.d").iterdir())
    assert "Ann Lee" in devices.ok("laptop", shared, "contact", "list")
    r = devices.run("bad\x07name", shared, "devices")
    assert_one_line_error(r, "NETJOURNAL_DEVICE")


def test_the_marker_arrived_before_the_devices_folder_says_so_in_one_line(
    devices: Devices, shared: Path, tmp_path: Path
) -> None:
    """A sync engine brought journal.json (the marker) to the desk, not yet journal.d/."""
    early = tmp_path / "desk-copy" / "journal.json"
    early.parent.mkdir()
    shutil.copy2(shared, early)
    before = hashes(early.parent)
    for args in (["contact", "list"], ["log", "coffee with @Ana"], ["devices"]):
        r = devices.run("desk", early, *args)
        assert_one_line_error(r, "journal.d/ is not here (yet)")
    assert hashes(early.parent) == before


def test_a_key_changed_on_one_device_is_taken_by_the_other_from_the_shell(
    devices: Devices, sealed: tuple[Path, Path], tmp_path: Path
) -> None:
    path, key = sealed
    devices.ok("desk", path, "--identity", str(key), "contact", "add", "Иван Петров")
    new = make_identity(tmp_path, "new.txt")
    r = devices.run("laptop", path, "--identity", str(key), "encrypt", "--identity", str(new), "--yes")
    assert r.code == 0, r.err
    assert "the other devices take the new key" in r.err
    assert_one_line_error(devices.run("laptop", path, "--identity", str(key), "today"), "does not open")
    out = devices.ok("desk", path, "--identity", str(new), "contact", "list")  # (a reader: it writes nothing)
    assert "Zebulon Quartz" in out and "Иван Петров" in out
    devices.ok("desk", path, "--identity", str(new), "contact", "add", "Ωмега")  # (a writer takes the key)
    snapshots = sorted(devicemode.folder(path).glob("*.json"))
    assert [s.name for s in snapshots] == ["desk.json", "laptop.json"]
    for snap in snapshots:  # (each device's own files re-sealed with the new key: the old one opens none)
        assert subprocess.run(["age", "-d", "-i", str(key), str(snap)], capture_output=True).returncode != 0
        assert subprocess.run(["age", "-d", "-i", str(new), str(snap)], capture_output=True).returncode == 0
