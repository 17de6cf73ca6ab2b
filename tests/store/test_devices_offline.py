"""A device offline for months (issue #14 part 2): the desk's journal stays closed while the
laptop makes hundreds of changes (adds, edits, deletions of people the desk knew and had
edited just before, folds). Reopened, the desk converges with the laptop and brings no
deleted person back; its own files then carry nothing deleted either."""

from __future__ import annotations

import random
from pathlib import Path

from devicetools import Acknowledged, acting_as, people

from netjournal.store import Journal, devicemode


def test_a_device_offline_for_months_converges_and_brings_nothing_deleted_back(tmp_path: Path) -> None:
    path = tmp_path / "sync" / "journal.json"
    ack = Acknowledged()
    rng = random.Random(14)
    with acting_as(tmp_path, "laptop"):
        devicemode.turn_on(path, "laptop")
        with Journal.open(path, device="laptop") as j:
            for n in range(40):
                ack.add(j, f"Known {n} Ωмега")
    with acting_as(tmp_path, "desk"), Journal.open(path, device="desk") as desk:
        assert len(people(desk)) == 40
        for n in range(10):  # edited on the desk just before it went offline
            ack.edit(desk, n, f"desk {n}")
        desk.compact()  # (the desk's own snapshot holds every person it knew, alive)
    known = sorted(ack.added)
    with acting_as(tmp_path, "laptop"), Journal.open(path, device="laptop") as j:
        for _ in range(5):  # people the desk had just edited (sorted(known)[:10], offline since)
            ack.delete(j, 0)
        for n in range(600):
            step = rng.choice(["add", "add", "edit", "edit", "delete"])
            if step == "add":
                ack.add(j, f"New {n} 東京")
            elif step == "edit":
                ack.edit(j, rng.randrange(1000), f"laptop {n}")
            else:
                ack.delete(j, rng.randrange(1000))
            if n % 150 == 149:
                j.compact()
        laptop_sees = people(j)
    assert set(known[:5]) <= ack.deleted and len(ack.deleted & set(known)) > 10 and len(ack.deleted) > 50
    for _ in range(2):  # reopened, and once more (from what it folded at close)
        with acting_as(tmp_path, "desk"), Journal.open(path, device="desk") as desk:
            seen = people(desk)
            assert seen == laptop_sees
            ack.check(seen)
            desk.compact()
    with acting_as(tmp_path, "laptop"), Journal.open(path, device="laptop") as j:
        assert people(j) == laptop_sees
    own = devicemode.own_path(path, "desk").read_text()
    assert all(f'"{rid}":{{"' in own for rid in laptop_sees)  # (a record as the snapshot holds it)
    assert not [rid for rid in ack.deleted if f'"{rid}":{{"' in own]
