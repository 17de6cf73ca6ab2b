"""Many processes on one device while another device's files change in the same folder
(issue #14 part 2): writers in separate processes on the laptop (one holding its journal open
like an app window, two opening it for each change like shell commands, folding as they
close), and one on the desk (an app window, folding now and then), all at once in one synced
folder, while this process follows the journal as each device. Afterwards every acknowledged
change is there on both devices: each writer's people as it left them (added, renamed in a
field, deleted), none deleted come back."""

from __future__ import annotations

import os
import random
import subprocess
import sys
import time
from pathlib import Path

import pytest
from devicetools import acting_as, people

from netjournal.domain.model import Contact
from netjournal.store import Journal, devicemode

ROUNDS = 70  # per writer

WRITER = r'''
import dataclasses, random, sys, time
from netjournal.domain.model import Contact
from netjournal.store import Journal

path, device, seed, me, rounds, mode = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4], int(sys.argv[5]), sys.argv[6]
rng = random.Random(seed)
held = Journal.open(path, device=device) if mode == "window" else None
mine = []

def say(*words):
    sys.stdout.write(" ".join(words) + "\n"); sys.stdout.flush()

for n in range(rounds):
    time.sleep(rng.random() * 0.01)
    j = held if held is not None else Journal.open(path, device=device)
    what = rng.choice(["add", "add", "role", "role", "drop", "fold"])
    if what == "add":
        c = j.add_contact(Contact(name=f"W{me} {n} Ωмега"))
        mine.append(c.id); say("add", c.id)
    elif what == "role" and mine:
        c = j.contact(rng.choice(mine))
        j.update_contact(dataclasses.replace(c, role=f"r{me}-{n}"))
        say("role", c.id, f"r{me}-{n}")
    elif what == "drop" and mine:
        rid = mine.pop(rng.randrange(len(mine)))
        j.delete_contact(rid); say("drop", rid)
    elif what == "fold":
        j.compact()
    if held is None:
        j.close()
    else:
        j.catch_up()
if held is not None:
    held.close()
say("done")
'''


def expected(lines: list[str]) -> tuple[dict[str, str], set[str]]:
    """From a writer's acknowledgements: its people alive with their roles, those it deleted."""
    alive: dict[str, str] = {}
    dropped: set[str] = set()
    for line in lines:
        word, rid, *rest = line.split()
        if word == "add":
            alive[rid] = ""
        elif word == "role":
            alive[rid] = rest[0]
        elif word == "drop":
            del alive[rid]
            dropped.add(rid)
    return alive, dropped


def writer(path: Path, device: str, n: int, mode: str) -> subprocess.Popen[str]:
    env = {**os.environ, "NETJOURNAL_DEVICE": device, "XDG_STATE_HOME": str(path.parent.parent / f"state-{device}")}
    args = [str(path), device, str(random.randrange(10_000)), str(n), str(ROUNDS), mode]
    return subprocess.Popen(
        [sys.executable, "-c", WRITER, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env
    )


def follow(path: Path, devices: tuple[str, ...], writers: list[subprocess.Popen[str]]) -> int:
    """Follow the journal as each device while the writers run; how many looks were taken."""
    root = path.parent.parent
    followers = {}
    for device in devices:
        with acting_as(root, device):
            followers[device] = Journal.open(path, readonly=True, device=device)
    looks = 0
    try:
        while any(w.poll() is None for w in writers):
            for device, journal in followers.items():
                with acting_as(root, device):
                    people(journal)
            looks += 1
            time.sleep(0.01)
    finally:
        for journal in followers.values():
            journal.close()
    return looks


@pytest.mark.slow
def test_many_processes_on_one_device_and_another_device_lose_nothing(tmp_path: Path) -> None:
    path = tmp_path / "sync" / "journal.json"
    with acting_as(tmp_path, "laptop"):
        devicemode.turn_on(path, "laptop")
        with Journal.open(path, device="laptop") as j:
            j.add_contact(Contact(name="Ana Silva"))
    plan = [("laptop", "window"), ("laptop", "shell"), ("laptop", "shell"), ("desk", "window")]
    writers = [writer(path, device, n, mode) for n, (device, mode) in enumerate(plan)]
    looks = follow(path, ("laptop", "desk"), writers)
    outputs = [w.communicate() for w in writers]
    for (out, err), w in zip(outputs, writers, strict=True):
        assert w.returncode == 0 and out.endswith("done\n"), err
    assert looks > 5
    want: dict[str, str] = {}
    gone: set[str] = set()
    for out, _ in outputs:
        alive, dropped = expected(out.splitlines()[:-1])
        want.update(alive)
        gone |= dropped
    for device in ("laptop", "desk"):
        with acting_as(tmp_path, device), Journal.open(path, device=device) as j:
            seen = people(j)
            roles = {rid: p["role"] for rid, p in seen.items() if p["name"] != "Ana Silva"}
            assert roles == want, device
            assert not gone & set(seen), device
