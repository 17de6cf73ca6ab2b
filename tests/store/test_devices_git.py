"""Two devices that carry one journal with git (issue #14 part 2), through the Journal itself:
the journal shared between devices on the first clone (``devicemode.turn_on``), each clone with
its Journal open (an app window), random adds, edits and deletes, folds and reopens; each clone
commits, pulls (a merge, never a rebase) and pushes. Each device writes only its own files, so
git never reports a merge conflict; both clones end with the same people, nothing deleted comes
back and nothing acknowledged is lost. Lock and temp files are left out by a ``.gitignore``, as
the README says (``*.lock``, ``.*.tmp-netjournal``)."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest
from devicetools import Acknowledged, acting_as, people
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import netjournal.store.folding as folding
from netjournal.store import Journal, devicemode

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
DEVICES = ("laptop", "desk")
GITIGNORE = "*.lock\n.*.tmp-netjournal\n"


def git(where: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.org", "-c", "pull.rebase=false", *args],
        cwd=where, capture_output=True, text=True, check=False,
    )
    assert done.returncode == 0 and "CONFLICT" not in done.stdout, done.stdout + done.stderr
    return done.stdout


def sync(clone: Path) -> None:
    """What a person (or a cron job) does: commit what changed, pull (merge), push."""
    git(clone, "add", "-A")
    if git(clone, "status", "--porcelain"):
        git(clone, "commit", "-q", "-m", "journal")
    git(clone, "pull", "-q", "--no-rebase", "--no-edit", "origin", "main")
    git(clone, "push", "-q", "origin", "HEAD:main")


class Clones:
    """A bare repository and two clones of it, the journal shared on the first."""

    def __init__(self, root: Path) -> None:
        self.root = root
        origin = root / "origin.git"
        git(root, "init", "-q", "--bare", "-b", "main", str(origin))
        self.dirs = {}
        for name in DEVICES:
            git(root, "clone", "-q", str(origin), name)
            self.dirs[name] = root / name
        first = self.dirs[DEVICES[0]]
        (first / ".gitignore").write_text(GITIGNORE)
        with acting_as(root, DEVICES[0]):
            devicemode.turn_on(first / "journal.json", DEVICES[0])
        self.journals = {DEVICES[0]: self.open(DEVICES[0])}
        self.journals[DEVICES[0]].compact()  # (its own files there, for git to carry)
        git(first, "add", "-A")
        git(first, "commit", "-q", "-m", "shared between devices")
        git(first, "push", "-q", "origin", "HEAD:main")
        git(self.dirs[DEVICES[1]], "pull", "-q", "origin", "main")
        self.journals[DEVICES[1]] = self.open(DEVICES[1])

    def open(self, device: str) -> Journal:
        with acting_as(self.root, device):
            return Journal.open(self.dirs[device] / "journal.json", device=device)

    def close(self) -> None:
        for device, journal in self.journals.items():
            with acting_as(self.root, device):
                journal.close()


STEP = st.tuples(
    st.sampled_from(["add", "add", "edit", "edit", "delete", "fold", "reopen", "sync", "sync"]),
    st.integers(0, 1),
    st.integers(0, 20),
)


def play(clones: Clones, ack: Acknowledged, script: list[tuple[str, int, int]]) -> None:
    for n, (kind, who, pick) in enumerate(script):
        device = DEVICES[who]
        with acting_as(clones.root, device):
            journal = clones.journals[device]
            if kind == "add":
                ack.add(journal, f"P{n} Ωмега 東京")
            elif kind == "edit":
                ack.edit(journal, pick, f"{device} {n}")
            elif kind == "delete":
                ack.delete(journal, pick)
            elif kind == "fold":
                journal.compact()
            elif kind == "reopen":
                journal.close()
                clones.journals[device] = clones.open(device)
            else:
                sync(clones.dirs[device])


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(script=st.lists(STEP, max_size=25))
def test_two_git_clones_never_conflict_converge_and_lose_nothing(
    tmp_path: Path, script: list[tuple[str, int, int]], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(folding, "wants_folding", lambda storage: False)  # (fold only when asked)
    clones = Clones(Path(tempfile.mkdtemp(dir=tmp_path)))
    ack = Acknowledged()
    try:
        play(clones, ack, script)
        for device in (*DEVICES, DEVICES[0]):
            sync(clones.dirs[device])
        seen = {}
        for device in DEVICES:
            with acting_as(clones.root, device):
                seen[device] = people(clones.journals[device])
        assert seen[DEVICES[0]] == seen[DEVICES[1]]
        ack.check(seen[DEVICES[0]])
        for clone in clones.dirs.values():
            tracked = git(clone, "ls-files").split()
            assert not [name for name in tracked if name.endswith(".lock") or ".tmp-" in name]
            assert {"journal.json", "journal.d/laptop.json"} <= set(tracked)
    finally:
        clones.close()


def test_a_deletion_on_one_clone_and_an_edit_on_the_other_keep_the_person_deleted(tmp_path: Path) -> None:
    clones = Clones(tmp_path)
    ack = Acknowledged()
    try:
        play(clones, ack, [("add", 0, 0), ("sync", 0, 0), ("sync", 1, 0)])
        with acting_as(clones.root, DEVICES[1]):
            assert set(people(clones.journals[DEVICES[1]])) == ack.added  # (carried by git)
        play(clones, ack, [("delete", 0, 0), ("edit", 1, 0), ("sync", 0, 0), ("sync", 1, 0), ("sync", 0, 0)])
        with acting_as(clones.root, DEVICES[0]):
            first = people(clones.journals[DEVICES[0]])
        with acting_as(clones.root, DEVICES[1]):
            assert people(clones.journals[DEVICES[1]]) == first == {}
        ack.check(first)
    finally:
        clones.close()
