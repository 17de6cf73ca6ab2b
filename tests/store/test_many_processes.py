"""Many processes on one journal, for real (issue #14): writers in separate processes, some
holding the journal open like an app window (following the others' changes), some opening it
for each change like shell commands (folding as they close), make random changes at random
moments while this process reads it over and over, opening it and following it.

Afterwards no acknowledged change is lost: a shared counter, incremented by read-modify-write
in a transaction by everyone, counts every increment; each writer's own records are as it
left them (its undos included). Meanwhile every read was consistent: the two interactions of
a pair (one change) are seen together or not at all, no interaction names a missing person,
the counter never goes back."""

from __future__ import annotations

import random
import subprocess
import sys
import time
from pathlib import Path

import pytest

from netjournal.domain.model import Contact
from netjournal.store import Journal

ROUNDS = 70  # per writer; three writers: 210 rounds

WRITER = r'''
import dataclasses, random, sys, time
from netjournal.domain.model import Contact, Interaction
from netjournal.store import Journal
from netjournal.store.undo import UndoConflict

path, seed, me, rounds, counter, mode = sys.argv[1], int(sys.argv[2]), sys.argv[3], int(sys.argv[4]), sys.argv[5], sys.argv[6]
rng = random.Random(seed)
held = Journal.open(path) if mode == "window" else None

def opened():
    return held if held is not None else Journal.open(path)

def done(j):
    if held is None:
        j.close()
    else:
        j.catch_up()

def say(*words):
    sys.stdout.write(" ".join(words) + "\n"); sys.stdout.flush()

j = opened()
person = j.add_contact(Contact(name=f"Writer {me}"))
say("person", person.id)
done(j)
pairs, last = [], None
for n in range(rounds):
    time.sleep(rng.random() * 0.01)
    j = opened()
    what = rng.choice(["count", "count", "pair", "pair", "drop", "role", "undo", "fold"])
    if what == "count":
        with j.transaction("count"):
            c = j.contact(counter)
            j.update_contact(dataclasses.replace(c, notes=str(int(c.notes) + 1)))
        say("count"); last = "count"
    elif what == "pair":
        tag = f"pair-{me}-{n}"
        a = Interaction(date="2026-12-01", contact_ids=[person.id], text=tag).stamped()
        b = Interaction(date="2026-12-02", contact_ids=[person.id], text=tag).stamped()
        j.apply([a, b], undo_label=tag)
        pairs.append((a.id, b.id)); say("pair", tag); last = "pair"
    elif what == "drop" and pairs:
        a, b = pairs.pop(rng.randrange(len(pairs)))
        tag = j.document("interactions", a)["text"]
        j.apply(deletes=[("interactions", a), ("interactions", b)])
        say("drop", tag); last = "drop"
    elif what == "role":
        j.update_contact(dataclasses.replace(j.contact(person.id), role=f"role {n}"))
        say("role", f"role-{n}"); last = "role"
    elif what == "undo" and held is not None and last in ("pair", "role"):
        j.undo()
        say("undo", last)
        if last == "pair":
            pairs.pop()
        last = "undo"
    elif what == "fold":
        j.compact(); say("fold")
    done(j)
if held is not None:
    held.close()
say("done")
'''


def check(j: Journal, counted: list[int]) -> None:
    """One read: consistent, and the counter never went back."""
    people = {c.id for c in j.contacts()}
    tags: dict[str, int] = {}
    for inter in j.interactions():
        assert set(inter.contact_ids) <= people, "an interaction names a person who is not there"
        tags[inter.text] = tags.get(inter.text, 0) + 1
    assert all(n == 2 for n in tags.values()), f"half a change seen: {tags}"
    count = int(next(c for c in j.contacts() if c.name == "Counter").notes)
    assert count >= counted[-1], "the counter went back"
    counted.append(count)


def expected(lines: list[str]) -> tuple[int, set[str], str]:
    """From a writer's acknowledgements: its increments, its pairs, its role."""
    counts, pairs, roles = 0, [], [""]
    for line in lines:
        word, *rest = line.split()
        if word == "count":
            counts += 1
        elif word == "pair":
            pairs.append(rest[0])
        elif word == "drop":
            pairs.remove(rest[0])
        elif word == "role":
            roles.append(rest[0].replace("-", " "))
        elif word == "undo" and rest[0] == "pair":
            pairs.pop()
        elif word == "undo":
            roles.pop()
    return counts, set(pairs), roles[-1]


@pytest.mark.slow
def test_many_processes_write_one_journal_and_nothing_is_lost(journal_path: Path) -> None:
    with Journal.open(journal_path) as j:
        counter = j.add_contact(Contact(name="Counter", notes="0")).id
    modes = ["window", "shell", "shell"]
    writers = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, str(journal_path), str(seed), str(n), str(ROUNDS), counter, mode],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )
        for n, (seed, mode) in enumerate(zip(random.sample(range(10_000), 3), modes, strict=True))
    ]
    counted = [0]
    follower = Journal.open(journal_path, readonly=True)
    reads = 0
    while any(w.poll() is None for w in writers):
        with Journal.open(journal_path, readonly=True) as j:
            check(j, counted)
        follower.catch_up()
        check(follower, counted[-1:])
        reads += 1
        time.sleep(0.005)
    follower.close()
    outputs = [w.communicate() for w in writers]
    for (out, err), w in zip(outputs, writers, strict=True):
        assert w.returncode == 0 and out.endswith("done\n"), err
    assert reads > 10
    with Journal.open(journal_path, readonly=True) as j:
        check(j, counted)
        total = 0
        for out, _ in outputs:
            lines = out.splitlines()
            person = lines[0].split()[1]
            counts, pairs, role = expected(lines[1:-1])
            total += counts
            assert {i.text for i in j.interactions(person)} == pairs
            assert j.contact(person).role == role
        assert int(j.contact(counter).notes) == total
