"""Changing the key of an encrypted journal shared between devices (issue #15 on #14): the
laptop changes it (``encrypt`` again, to a new identity file); each other device, opened with
the new identity file, takes the new key and re-seals its own files; a device opened with the
old one meanwhile reads what it can and passes over nothing it cannot, so that once opened with
the new key it has every change. In the end no file opens with the old identity file."""

from __future__ import annotations

from pathlib import Path

import pyrage
import pytest
from devicetools import acting_as
from sealed import plaintext_in

import netjournal.store.folding as folding
from netjournal.cli.devices import problems_of
from netjournal.domain.model import Contact, Interaction
from netjournal.sealing import Keys
from netjournal.sealing.age_codec import WrongKey
from netjournal.store import Journal, devicemode, encryption

SECRETS = (b"Zebulon", "Иван".encode(), b"chemotherapy")


def identity(tmp_path: Path, name: str) -> Keys:
    path = tmp_path / name
    path.write_text(f"# created: now\n{pyrage.x25519.Identity.generate()}\n")
    return Keys(identity=path)


def names(j: Journal) -> set[str]:
    j.catch_up()
    return {c.name for c in j.contacts()}


@pytest.fixture
def shared(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Keys]:
    monkeypatch.setattr(folding, "wants_folding", lambda storage: False)  # (the changes stay in the logs)
    old = identity(tmp_path, "old.txt")
    path = tmp_path / "sync" / "journal.json"
    with Journal.open(path) as j:
        zeb = j.add_contact(Contact(name="Zebulon Quartz"))
        j.add_interaction(Interaction(date="2026-01-02", contact_ids=[zeb.id], text="chemotherapy news"))
        encryption.encrypt(j, old)
    with acting_as(tmp_path, "laptop"):
        devicemode.turn_on(path, "laptop")
    with acting_as(tmp_path, "desk"), Journal.open(path, keys=old, device="desk") as desk:
        desk.add_contact(Contact(name="Иван Петров"))
    return path, old


def key_changed_on_the_laptop(path: Path, old: Keys, tmp_path: Path, *, then: str | None = "王小明") -> Keys:
    """The laptop, opened with ``old``, changes the key to a new identity file (returned), then
    adds a person named ``then`` (sealed with the new key)."""
    new = identity(tmp_path, "new.txt")
    with acting_as(tmp_path, "laptop"), Journal.open(path, keys=old, device="laptop") as laptop:
        encryption.encrypt(laptop, new)
        if then is not None:
            laptop.add_contact(Contact(name=then))
    return new


def opens_with(folder: Path, keys: Keys) -> list[str]:
    """The device journals (snapshots) under ``folder`` that ``keys`` opens."""
    found = []
    for snap in sorted(folder.glob("*.json")):
        try:
            pyrage.decrypt(snap.read_bytes(), keys.identities())
            found.append(snap.name)
        except pyrage.DecryptError:
            pass
    return found


def test_a_key_changed_on_one_device_travels_to_the_others(shared: tuple[Path, Keys], tmp_path: Path) -> None:
    path, old = shared
    new = identity(tmp_path, "new.txt")
    folder = devicemode.folder(path)
    with acting_as(tmp_path, "laptop"), Journal.open(path, keys=old, device="laptop") as laptop:
        assert names(laptop) == {"Zebulon Quartz", "Иван Петров"}
        encryption.encrypt(laptop, new)
        laptop.add_contact(Contact(name="王小明"))  # (after the change: sealed with the new key)
    assert opens_with(folder, new) == ["laptop.json"]
    with acting_as(tmp_path, "desk"), Journal.open(path, keys=new, device="desk") as desk:
        assert names(desk) == {"Zebulon Quartz", "Иван Петров", "王小明"}
        desk.add_contact(Contact(name="Ωмега"))
    assert opens_with(folder, new) == ["desk.json", "laptop.json"]
    assert opens_with(folder, old) == []  # (every device's snapshot re-sealed)
    with pytest.raises(WrongKey):
        Journal.open(path, keys=old, device="laptop")
    with acting_as(tmp_path, "laptop"), Journal.open(path, keys=new, device="laptop") as laptop:
        assert names(laptop) == {"Zebulon Quartz", "Иван Петров", "王小明", "Ωмега"}
    assert plaintext_in(path.parent, SECRETS) in ([], ["journal.json"])  # (the marker holds no record)


def test_a_device_opened_with_the_old_key_passes_over_nothing(shared: tuple[Path, Keys], tmp_path: Path) -> None:
    path, old = shared
    new = key_changed_on_the_laptop(path, old, tmp_path)
    with acting_as(tmp_path, "desk"), Journal.open(path, keys=old, device="desk") as desk:
        seen = names(desk)
        assert "王小明" not in seen and "Иван Петров" in seen  # (the laptop's new files do not open)
        told = problems_of(desk)  # (what `netjournal devices` and `doctor` say)
        assert any("does not open here" in p and "new identity file" in p for p in told), told
        desk.add_contact(Contact(name="Ωмега"))  # (still sealed with the old key: the laptop opens it)
    with acting_as(tmp_path, "desk"), Journal.open(path, keys=new, device="desk") as desk:
        assert names(desk) == {"Zebulon Quartz", "Иван Петров", "王小明", "Ωмега"}
    with acting_as(tmp_path, "laptop"), Journal.open(path, keys=new, device="laptop") as laptop:
        assert names(laptop) == {"Zebulon Quartz", "Иван Петров", "王小明", "Ωмега"}
