"""An encrypted journal shared between devices (issue #14 part 2): encrypted first, then
shared (``devicemode.turn_on``), two devices each with the journal's key. After adds, edits,
deletes and folds on both, no file under the synced folder holds a name or a note in plain
(nor any journal plaintext), both devices hold the same people, and the standard ``age``
tool opens a device's snapshot to the journal's JSON."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import orjson
import pytest
from devicetools import Acknowledged, acting_as, people
from sealed import plaintext_in

import netjournal.store.folding as folding
from netjournal.domain.model import Contact, Interaction
from netjournal.sealing import Keys
from netjournal.store import Journal, devicemode, encryption

SECRETS = ("Zebulon Quartz", "Иван Петров", "王小明", "chemotherapy", "job interview", "Ωмега東京")
DEVICES = ("laptop", "desk")


def open_device(path: Path, keys: Keys, device: str) -> Journal:
    """``device``'s journal, as a person opens it (a device joining takes the journal's key)."""
    return Journal.open(path, keys=keys, device=device)


def identity(tmp_path: Path) -> Keys:
    """A fresh age identity file (as age-keygen writes it), outside the synced folder."""
    from pyrage import x25519

    path = tmp_path / "key.txt"
    secret = x25519.Identity.generate()
    path.write_text(f"# created: now\n# public key: {secret.to_public()}\n{secret}\n")
    return Keys(identity=path)


def leaks(folder: Path) -> list[str]:
    """Every file under ``folder`` holding a secret or a journal's plaintext (the marker
    ``journal.json`` aside: it holds no record, and is plain so that older netjournals refuse it)."""
    found = plaintext_in(folder, tuple(s.encode() for s in SECRETS))
    if "journal.json" in found and devicemode.is_marker(folder / "journal.json"):
        assert not [s for s in SECRETS if s.encode() in (folder / "journal.json").read_bytes()]
        found.remove("journal.json")
    return found


@pytest.fixture
def shared(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Keys]:
    """A journal with people and a note, encrypted, then shared from the laptop."""
    monkeypatch.setattr(folding, "wants_folding", lambda storage: False)  # (the changes stay in the logs)
    keys = identity(tmp_path)
    path = tmp_path / "sync" / "journal.json"
    with Journal.open(path) as j:
        zeb = j.add_contact(Contact(name="Zebulon Quartz"))
        j.add_contact(Contact(name="Иван Петров"))
        j.add_interaction(Interaction(date="2026-01-02", contact_ids=[zeb.id], text="chemotherapy news"))
        encryption.encrypt(j, keys)
    with acting_as(tmp_path, "laptop"):
        devicemode.turn_on(path, "laptop")
    assert leaks(path.parent) == []
    return path, keys


def test_an_encrypted_journal_shared_between_devices_leaves_no_plaintext_and_converges(
    shared: tuple[Path, Keys], tmp_path: Path
) -> None:
    path, keys = shared
    journals = {}
    for device in DEVICES:
        with acting_as(tmp_path, device):
            journals[device] = open_device(path, keys, device)
    ack = Acknowledged()
    for device in DEVICES:
        ack.know(people(journals[device]))
    try:
        for n, (device, step) in enumerate(
            [("laptop", "add"), ("desk", "add"), ("desk", "edit"), ("laptop", "note"), ("laptop", "delete"),
             ("desk", "fold"), ("desk", "edit"), ("laptop", "add"), ("laptop", "fold"), ("desk", "delete"),
             ("desk", "add"), ("laptop", "edit")]
        ):
            j = journals[device]
            with acting_as(tmp_path, device):
                assert j.encrypted
                if step == "add":
                    ack.add(j, f"{SECRETS[n % 3]} {n}")
                elif step == "edit":
                    ack.edit(j, n, f"{SECRETS[5]} {n}")
                elif step == "note":
                    cid = sorted(people(j))[0]
                    j.add_interaction(Interaction(date="2026-02-03", contact_ids=[cid], text="job interview"))
                elif step == "delete":
                    ack.delete(j, n)
                else:
                    j.compact()
            assert leaks(path.parent) == [], f"after step {n} ({device} {step})"
        seen = {device: people(j) for device, j in journals.items()}
        assert seen["laptop"] == seen["desk"]
        notes = {device: sorted((i.text, *i.contact_ids) for i in j.interactions()) for device, j in journals.items()}
        assert notes["laptop"] == notes["desk"]
        ack.check(seen["laptop"])
    finally:
        for device, j in journals.items():
            with acting_as(tmp_path, device):
                j.close()
    assert leaks(path.parent) == []
    with acting_as(tmp_path, "desk"), Journal.open(path, keys=keys, device="desk") as j:
        assert people(j) == seen["laptop"]
        assert sorted((i.text, *i.contact_ids) for i in j.interactions()) == notes["laptop"]


@pytest.mark.skipif(
    shutil.which("age") is None and not os.environ.get("CI"), reason="the age tool is not installed (.ci/run installs it)"
)
def test_the_standard_age_tool_opens_a_devices_snapshot(shared: tuple[Path, Keys], tmp_path: Path) -> None:
    path, keys = shared
    for device in (*DEVICES, DEVICES[0]):  # (the laptop folds again once the desk's change is there)
        with acting_as(tmp_path, device), open_device(path, keys, device) as j:
            if f"王小明 {device}" not in {p["name"] for p in people(j).values()}:
                j.add_contact(Contact(name=f"王小明 {device}"))
            j.compact()
    assert keys.identity is not None
    for device in DEVICES:
        own = devicemode.own_path(path, device)
        out = subprocess.run(["age", "-d", "-i", str(keys.identity), str(own)], capture_output=True, check=True)
        data = orjson.loads(out.stdout)
        names = {c["name"] for c in data["contacts"].values()}
        assert {"Zebulon Quartz", "Иван Петров", "王小明 laptop", "王小明 desk"} <= names, device


def test_a_device_joining_an_encrypted_journal_writes_its_files_encrypted(shared: tuple[Path, Keys], tmp_path: Path) -> None:
    path, keys = shared
    with acting_as(tmp_path, "desk"), Journal.open(path, keys=keys, device="desk") as j:
        assert j.encrypted
        j.add_contact(Contact(name="王小明 desk"))
    assert leaks(path.parent) == []
