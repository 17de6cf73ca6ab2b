"""SIGKILL a writer at random moments: every change it reported saved must be there.

A child process keeps changing the journal (adds, updates, cascading deletes, batches,
compactions; the journal grows for a while, then shrinks). Before each change it prints the
ids the change may touch; after the Journal call returned it prints the resulting state of
each touched record, then "ok". The test kills it at a random moment, opens the journal, and
checks it against every change that was reported: nothing saved is lost, nothing unsaved
appears, except the records of the one change in flight, which may be old or new.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import orjson
import pytest
from sealed import CHILD_SETUP, each_codec

from netjournal.store import Journal

KILLS = 60

CHILD = CHILD_SETUP + r'''
import hashlib, random, sys, time
import orjson
from netjournal.domain.model import Contact, Favour, Interaction, new_id
from netjournal.store import Journal, JournalLocked

path, seed = sys.argv[1], int(sys.argv[2])
rng = random.Random(seed)
for _ in range(200):  # the previous child's lock goes with it, but give the OS a moment
    try:
        j = Journal.open(path)
        break
    except JournalLocked:
        time.sleep(0.01)
else:
    sys.exit("could not take the lock")

def digest(doc):
    return hashlib.sha1(orjson.dumps(doc, option=orjson.OPT_SORT_KEYS)).hexdigest()[:16]

def say(*words):
    sys.stdout.write(" ".join(words) + "\n")
    sys.stdout.flush()

def report(touched):
    for table, rid in touched:
        doc = j.document(table, rid)
        say("put", table, rid, digest(doc)) if doc is not None else say("del", table, rid)
    say("ok")

def text():
    return " ".join(rng.choice(["lunch", "call", "Café", "intro", "python", "idea"]) for _ in range(rng.randint(1, 12)))

say("ready")
step = 0
while True:
    step += 1
    people = list(j.raw_documents("contacts"))
    inters = j.interaction_ids()
    favs = [d["id"] for d in j.raw_documents("favours")]
    growing = (seed + step // 25) % 2 == 0 or len(people) < 3
    r = rng.random()
    if step % 9 == 0:
        say("try")
        j.compact()
        report([])
    elif growing and r < 0.25 or not people:
        c = Contact(id=new_id("c"), name=text())
        say("try", c.id); j.add_contact(c); report([("contacts", c.id)])
    elif growing and r < 0.65:
        who = [d["id"] for d in rng.sample(people, min(len(people), rng.randint(1, 2)))]
        i = Interaction(id=new_id("i"), date=f"2024-{rng.randint(1, 12):02}-{rng.randint(1, 28):02}", contact_ids=who, text=text())
        say("try", i.id); j.add_interaction(i); report([("interactions", i.id)])
    elif growing and r < 0.8:
        f = Favour(id=new_id("f"), date="2024-05-01", contact_id=rng.choice(people)["id"], text=text())
        say("try", f.id); j.add_favour(f); report([("favours", f.id)])
    elif growing or r < 0.1:
        recs = []
        for _ in range(rng.randint(2, 6)):
            rec = Interaction(date="2024-06-01", contact_ids=[rng.choice(people)["id"]], text=text()).stamped()
            recs.append(rec)
        if inters:
            old = j.interaction(rng.choice(inters))
            old.text = text()
            recs.append(old.stamped())
        say("try", *[x.id for x in recs]); j.put_many(recs); report([("interactions", x.id) for x in recs])
    elif r < 0.45 and inters:
        iid = rng.choice(inters)
        gone = [("favours", d["id"]) for d in j.raw_documents("favours") if d.get("interaction_id") == iid]
        touched = [("interactions", iid), *gone]
        say("try", *[x for _, x in touched]); j.delete_interaction(iid); report(touched)
    elif r < 0.7:
        cid = rng.choice(people)["id"]
        touched = [("contacts", cid)] + [("interactions", x) for x in j.interaction_ids(cid)]
        touched += [("favours", f.id) for f in j.favours(cid)]
        say("try", *[x for _, x in touched]); j.delete_contact(cid); report(touched)
    elif favs:
        fid = rng.choice(favs)
        say("try", fid); j.delete_favour(fid); report([("favours", fid)])
    elif inters:
        old = j.interaction(rng.choice(inters))
        old.text = text()
        say("try", old.id); j.update_interaction(old); report([("interactions", old.id)])
'''


def digest_of(doc: dict) -> str:
    import hashlib

    return hashlib.sha1(orjson.dumps(doc, option=orjson.OPT_SORT_KEYS)).hexdigest()[:16]


def state_of(path: Path) -> dict[tuple[str, str], str]:
    with Journal.open(path, readonly=True) as j:
        return {(t, d["id"]): digest_of(d) for t, docs in j.all_records().items() for d in docs}


@pytest.mark.slow
@pytest.mark.usefixtures(each_codec.__name__)  # a plain journal, then an encrypted one
def test_every_reported_change_survives_sigkill(tmp_path: Path) -> None:
    path = tmp_path / "journal.json"
    Journal.open(path).close()
    rng = random.Random(int(os.environ.get("NETJOURNAL_CRASH_SEED", "2")))
    expected: dict[tuple[str, str], str] = {}
    sizes: list[int] = []
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    for kill in range(KILLS):
        proc = subprocess.Popen(
            [sys.executable, "-c", CHILD, str(path), str(kill)],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env,
        )
        assert proc.stdout is not None
        if rng.random() < 0.15:
            time.sleep(rng.uniform(0.1, 0.5))  # now and then, while it starts up and opens
        else:
            first = proc.stdout.readline()
            assert first == b"ready\n", first + proc.stderr.read()  # type: ignore[union-attr]
            time.sleep(rng.uniform(0.0, 0.25))
        proc.send_signal(signal.SIGKILL)
        # Read through the same buffered reader as readline() above: communicate() would read
        # the raw pipe and miss whatever readline() had already buffered past "ready".
        out = proc.stdout.read()
        err = proc.stderr.read()  # type: ignore[union-attr]
        proc.wait()
        assert proc.returncode == -signal.SIGKILL, err.decode()

        # What the child reported: changes confirmed by "ok"; the one after, in flight.
        confirmed = dict(expected)
        in_flight: set[str] = set()
        pending: dict[tuple[str, str], str | None] = {}
        for line in out.decode().splitlines():
            word, *rest = line.split() or [""]
            if word == "try":
                in_flight, pending = set(rest), {}
            elif word == "put":
                pending[(rest[0], rest[1])] = rest[2]
            elif word == "del":
                pending[(rest[0], rest[1])] = None
            elif word == "ok":
                for key, value in pending.items():
                    if value is None:
                        confirmed.pop(key, None)
                    else:
                        confirmed[key] = value
                in_flight, pending = set(), {}

        actual = state_of(path)  # opens: a damaged journal fails the test here
        for key, value in confirmed.items():
            if key[1] not in in_flight:
                assert actual.get(key) == value, f"kill {kill}: lost or changed {key}"
        for key in actual:
            if key[1] not in in_flight:
                assert key in confirmed, f"kill {kill}: {key} appeared without being reported"
        expected = actual  # the next child starts from what is on disk
        sizes.append(len(actual))
    # A writer (the next child) sweeps temp files and appends after the cut torn tail.
    with Journal.open(path) as j:
        assert {(t, d["id"]) for t, docs in j.all_records().items() for d in docs} == set(expected)
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp-netjournal")]
    grew = sum(1 for a, b in zip(sizes, sizes[1:], strict=False) if b > a)
    shrank = sum(1 for a, b in zip(sizes, sizes[1:], strict=False) if b < a)
    assert grew >= 5 and shrank >= 5, (grew, shrank, sizes)
