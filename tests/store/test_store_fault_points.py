"""A fault at every write, fsync, rename, link and unlink of a fold, a backup and a restore:
ENOSPC and EIO raised there, and a SIGKILL there. Afterwards the journal opens with every
change that was reported saved, or is refused with one clear line and nothing lost."""

from __future__ import annotations

import errno
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from sealed import CHILD_SETUP, each_codec, unsealed  # (the fixture)
from test_faults import Fault, temp_files

from netjournal.domain.model import Contact
from netjournal.store import Journal, JournalDamaged, StoreError

# Every test here runs on a plain journal and on an encrypted one (no plaintext left after it).
pytestmark = pytest.mark.usefixtures(each_codec.__name__)

POINTS = ["write", "fsync", "replace", "link", "unlink", "ftruncate"]
CODES = [errno.ENOSPC, errno.EIO]
DAY1, DAY2 = date(2030, 5, 1), date(2030, 5, 2)


def seed(path: Path) -> set[str]:
    """A journal with a snapshot and changes in its log; returns every saved name."""
    import netjournal.store.folding as jm

    with Journal.open(path, today=DAY1) as j:
        j.apply([Contact(name=f"Person {n}").stamped() for n in range(20)])
        j.compact()
    small, jm.SMALL_SNAPSHOT = jm.SMALL_SNAPSHOT, 0  # keep the next changes in the log
    try:
        with Journal.open(path, today=DAY1) as j:
            for n in range(5):
                j.add_contact(Contact(name=f"Logged {n}"))
    finally:
        jm.SMALL_SNAPSHOT = small
    return {f"Person {n}" for n in range(20)} | {f"Logged {n}" for n in range(5)}


def saved_names(path: Path) -> set[str]:
    with Journal.open(path, readonly=True) as j:
        return {c.name for c in j.contacts()}


def each_fault(run: object, name: str, code: int, monkeypatch: pytest.MonkeyPatch, check: object, limit: int = 40) -> int:
    """Run ``run()`` with a fault at the 1st, 2nd, ... call of ``os.<name>`` until a run makes
    no such call; ``check(error)`` after each. Returns how many points were tried."""
    tried = 0
    for nth in range(limit):
        fault = Fault(monkeypatch, name, code, nth=nth)
        error: BaseException | None = None
        try:
            run()  # type: ignore[operator]
        except StoreError as exc:
            error = exc
        monkeypatch.undo()
        if not fault.raised:
            return tried
        tried += 1
        check(error)  # type: ignore[operator]
    raise AssertionError("more calls than expected")


@pytest.mark.parametrize("code", CODES)
@pytest.mark.parametrize("name", POINTS)
def test_a_fault_anywhere_in_a_fold_loses_nothing(
    journal_path: Path, monkeypatch: pytest.MonkeyPatch, name: str, code: int
) -> None:
    expected = seed(journal_path)

    def fold() -> None:
        with Journal.open(journal_path, today=DAY1) as j:
            j.compact()

    def check(error: BaseException | None) -> None:
        if error is not None:
            assert "\n" not in str(error)
        assert saved_names(journal_path) == expected
        assert temp_files(journal_path.parent) == []

    tried = each_fault(fold, name, code, monkeypatch, check)
    assert tried > 0 or name not in ("write", "fsync", "replace")


@pytest.mark.parametrize("code", CODES)
@pytest.mark.parametrize("name", POINTS)
def test_a_fault_anywhere_in_the_days_backup_never_blocks_the_open(
    journal_path: Path, monkeypatch: pytest.MonkeyPatch, name: str, code: int
) -> None:
    expected = seed(journal_path)
    backups = journal_path.parent / "journal-backups"
    day = iter(range(2, 40))

    def open_next_day() -> None:
        with Journal.open(journal_path, today=date(2030, 5, next(day))) as j:
            j.add_contact(Contact(name="Added after the backup"))

    def check(error: BaseException | None) -> None:
        if error is not None:  # a fault in the open's own writes (a fold, a save): one line
            assert "\n" not in str(error)
        names = saved_names(journal_path)
        assert expected <= names
        assert temp_files(journal_path.parent) == []
        for b in backups.glob("daily-*.json"):  # a backup that exists is whole
            assert unsealed(b.read_bytes()).endswith(b"}")

    tried = each_fault(open_next_day, name, code, monkeypatch, check)
    assert tried > 0 or name not in ("write", "fsync", "replace")


# A child's prelude: ``hook`` stands in for ``os.<name>`` and SIGKILLs the process at its
# call number ``nth`` + 1 (the last two command-line arguments).
KILL_HOOK = r"""
import os, signal, sys
name, nth = sys.argv[-2], int(sys.argv[-1])
real = getattr(os, name)
count = 0
def hook(*args, **kwargs):
    global count
    count += 1
    if count > nth:
        os.kill(os.getpid(), signal.SIGKILL)
    return real(*args, **kwargs)
"""

KILLER = CHILD_SETUP + KILL_HOOK + r"""
from datetime import date
from netjournal.store import Journal

path, what = sys.argv[1], sys.argv[2]
if what == "fold":
    j = Journal.open(path, today=date(2030, 5, 1))
    setattr(os, name, hook)
    j.compact()
else:  # the day's backup, taken at the open
    setattr(os, name, hook)
    j = Journal.open(path, today=date(2030, 5, 2))
j.close()
print("done")
"""


@pytest.mark.slow
@pytest.mark.parametrize("what", ["fold", "backup"])
@pytest.mark.parametrize("name", ["write", "fsync", "replace", "unlink", "ftruncate"])
def test_a_kill_anywhere_in_a_fold_or_backup_loses_nothing(journal_path: Path, tmp_path: Path, what: str, name: str) -> None:
    expected = seed(journal_path)
    pristine = tmp_path / "pristine"
    shutil.copytree(journal_path.parent, pristine)
    for nth in range(12):
        shutil.rmtree(journal_path.parent)
        shutil.copytree(pristine, journal_path.parent)
        r = subprocess.run([sys.executable, "-c", KILLER, str(journal_path), what, name, str(nth)],
                           capture_output=True, text=True, timeout=60)
        assert "Traceback" not in r.stderr, r.stderr
        try:
            assert saved_names(journal_path) == expected, f"killed at {name} #{nth}"
        except JournalDamaged as exc:  # pragma: no cover (would be a failure: say which)
            raise AssertionError(f"killed at {name} #{nth} of the {what}: {exc}") from None
        with Journal.open(journal_path, today=DAY2) as j:  # and a writer carries on
            assert {c.name for c in j.contacts()} == expected
        if "done" in r.stdout:
            break
