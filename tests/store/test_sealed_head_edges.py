"""Review of the head-first open of a big encrypted journal (store/sealed_head.py): what is
not checked until the history is opened, and what happens meanwhile. Each test here failed
before its fix (found by a review of the change)."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pyrage
import pytest
from sealed import head_first_always
from test_sealed_head import fill, identity

from netjournal.domain.model import Interaction
from netjournal.errors import NetjournalError
from netjournal.sealing import Keys
from netjournal.store import Journal, backup, encryption, folding
from netjournal.store.snapshot import HEAD_PROBE

DAY = date(2026, 12, 1)


@pytest.fixture
def big_sealed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[Path, Keys]]:
    """An encrypted journal of several age chunks (its history past the first), opened head
    first as a big one is."""
    keys = identity(tmp_path)
    path = tmp_path / "j" / "journal.json"
    path.parent.mkdir()
    with Journal.open(path, today=DAY - timedelta(days=30)) as j:
        fill(j, entries=2000)
        j.compact()
    with Journal.open(path, today=DAY - timedelta(days=30)) as j:
        encryption.encrypt(j, keys)
    assert path.stat().st_size > 2 * HEAD_PROBE
    head_first_always(monkeypatch)
    yield path, keys


def _as_big(monkeypatch: pytest.MonkeyPatch) -> None:
    """Folds as rare as for a 50 MB snapshot (its log is folded at ~700 KB)."""
    monkeypatch.setattr(folding, "SMALL_SNAPSHOT", 0)
    monkeypatch.setattr(folding, "COMPACT_LOG_FRACTION", 1)


def _damage_the_end(path: Path) -> None:
    """A byte of the last age chunk flipped (a bad sector, a bad sync): the history's bytes,
    far from the head."""
    data = bytearray(path.read_bytes())
    data[-100] ^= 0x01
    path.write_bytes(bytes(data))


def _opens(path: Path, keys: Keys) -> bool:
    try:
        plain = pyrage.decrypt(path.read_bytes(), keys.identities())
    except pyrage.DecryptError:
        return False
    return plain.startswith(b'{"_meta":')


def test_a_damaged_history_never_pushes_the_good_backups_out(
    big_sealed: tuple[Path, Keys], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A week of good daily backups; then the snapshot's history is damaged, and the person
    only logs (``netjournal log`` never opens the history; a big snapshot's log is not folded
    for months). Before head-first, the damaged file was refused at open (nothing backed up);
    now each day's backup is the damaged file, and after KEEP_DAILY days none opens."""
    path, keys = big_sealed
    _as_big(monkeypatch)
    for n in range(backup.KEEP_DAILY):
        with Journal.open(path, keys=keys, today=DAY + timedelta(days=n)):
            pass
    assert all(_opens(b.path, keys) for b in backup.list_backups(path))
    _damage_the_end(path)
    for n in range(backup.KEEP_DAILY, 2 * backup.KEEP_DAILY):
        with contextlib.suppress(NetjournalError), Journal.open(path, keys=keys, today=DAY + timedelta(days=n)) as j:
            zeb = j.resolve_contact("Zebulon")
            j.apply([Interaction(date="2025-01-01", contact_ids=[zeb.id], text="coffee").stamped()], new=True)
    good = [b.path.name for b in backup.list_backups(path) if _opens(b.path, keys)]
    assert good, "every backup left is the damaged file"


def test_a_fold_over_a_damaged_history_never_fails_a_saved_change(big_sealed: tuple[Path, Keys]) -> None:
    """``log`` saves its entry without opening the history; when the fold is due as the
    journal closes (keeper.close), the history is decrypted then, does not open, and the
    SealingError escapes close(): the command says "damaged?" and exits non-zero although
    the entry is saved (the person logs it again: twice). keeper.py promises a fold that
    cannot be done is postponed with a notice, never an error (lifecycle.fold catches
    StoreError only, and the parse runs before it: sharing.Sharing.fold)."""
    path, keys = big_sealed
    _damage_the_end(path)
    saved = False
    try:
        with Journal.open(path, keys=keys, today=DAY) as j:
            zeb = j.resolve_contact("Zebulon")
            j.apply([Interaction(date="2025-01-01", contact_ids=[zeb.id], text="coffee").stamped()], new=True)
            saved = True
    except NetjournalError as exc:
        assert not saved, f"the entry was saved, then the command failed: {exc}"


def _reseal_meta(path: Path, keys: Keys, old: bytes, new: bytes) -> None:
    """Decrypt the snapshot, change ``old`` to ``new`` in its ``_meta`` only, encrypt it again
    to the same recipients (as someone holding the key could, with the age tool and sed)."""
    with Journal.open(path, keys=keys, today=DAY) as j:
        j.compact()
        codec = j.storage.codec
    plain = pyrage.decrypt(path.read_bytes(), keys.identities())
    end = plain.index(b',"contacts":')
    assert old in plain[:end]
    path.write_bytes(codec.seal(plain[:end].replace(old, new, 1) + plain[end:]))


def test_a_meta_changed_outside_netjournal_is_told_apart(big_sealed: tuple[Path, Keys]) -> None:
    """The head's own checksum (_meta.snapshot.head) covers the tables after ``_meta``, not
    ``_meta`` itself (the people's last dates, the plans, the summary, the schema), and
    rest_matches never checks the whole-file ``_check``: a plain journal changed there reads
    "changed" (its whole-file checksum); the sealed one opened head first reads "ok", even
    after its history was opened."""
    path, keys = big_sealed
    _reseal_meta(path, keys, b'"last":{"c-', b'"last":{"x-')  # (a person's last date, for nobody)
    with Journal.open(path, keys=keys, readonly=True, today=DAY) as j:
        assert j.storage.lazy
        assert len(j.interactions()) >= 2000  # (the history opened and checked)
        assert j.storage.integrity == "changed"


def test_a_history_changed_outside_netjournal_is_said_and_kept_aside(
    big_sealed: tuple[Path, Keys],
) -> None:
    """As for a plain journal or a sealed head changed outside netjournal (opening.changed_outside):
    the person is told, and the version found is kept aside before netjournal rewrites it.
    Opened head first, the change is only found when the history is opened (integrity becomes
    "changed" then), after the open's notices and its must_fold: nothing is said or kept."""
    path, keys = big_sealed
    with Journal.open(path, keys=keys, today=DAY) as j:
        j.compact()
        codec = j.storage.codec
    plain = pyrage.decrypt(path.read_bytes(), keys.identities())
    assert b"talk 1999 about" in plain
    path.write_bytes(codec.seal(plain.replace(b"talk 1999 about", b"talk 1999 (edited by hand) about")))
    with Journal.open(path, keys=keys, today=DAY) as j:
        assert any("edited by hand" in i.text for i in j.interactions())
        assert j.storage.integrity == "changed"
        notices = list(j.notices)
        j.compact()
    assert any("changed outside netjournal" in n for n in notices), notices
    assert [p.name for p in path.parent.iterdir() if ".changed-" in p.name], "the version found was not kept aside"
