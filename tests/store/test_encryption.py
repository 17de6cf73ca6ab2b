"""Encryption at rest, in the store: a journal encrypted, worked on and decrypted keeps every
record; no file in its folder holds plaintext after any kind of change (spool files of a big
restore included, looked at while they exist); the standard ``age`` tool opens the snapshot;
a wrong or missing key is refused with every file as it was; a key change killed anywhere
leaves a journal the new key opens."""

from __future__ import annotations

import dataclasses
import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import keyring
import pytest
from keyring.backend import KeyringBackend
from sealed import plaintext_in

from netjournal.domain.model import Contact, Favour, Interaction
from netjournal.sealing import Codec, Keys, SealingError
from netjournal.sealing.age_codec import AgeCodec
from netjournal.sealing.unlocking import key_path
from netjournal.store import Journal, JournalDamaged, encryption, folding

NAMES = ("Zebulon Quartz", "Иван Петров", "王小明")
SECRETS = (b"Zebulon", "Иван".encode(), "王小明".encode(), b"chemotherapy", b"job interview")


def identity(tmp_path: Path, name: str = "key.txt") -> Keys:
    """A fresh age identity file (as age-keygen writes it) and the keys naming it."""
    from pyrage import x25519

    path = tmp_path / name
    secret = x25519.Identity.generate()
    path.write_text(f"# created: now\n# public key: {secret.to_public()}\n{secret}\n")
    return Keys(identity=path)


def leaks(folder: Path) -> list[str]:
    return plaintext_in(folder, SECRETS)


def hashes(folder: Path) -> dict[str, str]:
    return {str(p): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def plain_journal(journal_path: Path) -> Path:
    with Journal.open(journal_path) as j:
        people = [j.add_contact(Contact(name=n)) for n in NAMES]
        j.add_interaction(Interaction(date="2024-01-02", contact_ids=[people[0].id], text="chemotherapy news"))
    return journal_path


def test_a_round_trip_keeps_every_record_and_each_change_leaves_no_plaintext(
    plain_journal: Path, tmp_path: Path
) -> None:
    keys = identity(tmp_path)
    folder = plain_journal.parent
    with Journal.open(plain_journal) as j:
        encryption.encrypt(j, keys)
        assert j.encrypted and leaks(folder) == []
    small, folding.SMALL_SNAPSHOT = folding.SMALL_SNAPSHOT, 0  # changes stay in the log between opens
    try:
        with Journal.open(plain_journal, keys=keys) as j:
            zeb = j.resolve_contact("Zebulon")
            steps = [
                lambda: j.add_interaction(Interaction(date="2024-02-01", contact_ids=[zeb.id], text="job interview")),
                lambda: j.add_favour(Favour(date="2024-02-02", contact_id=zeb.id, text="job interview lift")),
                lambda: j.update_contact(dataclasses.replace(zeb, org="Zebulon Quartz Ltd")),
                lambda: j.undo(),
                lambda: j.put_many([Contact(name=f"Zebulon {n}").stamped() for n in range(2500)]),  # part lines
                lambda: j.delete_contact(j.resolve_contact("Иван").id),
                lambda: j.compact(),
            ]
            for n, step in enumerate(steps):
                step()
                assert leaks(folder) == [], f"after step {n}"
    finally:
        folding.SMALL_SNAPSHOT = small
    with Journal.open(plain_journal, keys=keys) as j:
        assert {i.text for i in j.interactions()} == {"chemotherapy news", "job interview"}
        assert len(j.contacts()) == 2 + 2500
        encryption.decrypt(j)
    assert not key_path(plain_journal).exists()
    with Journal.open(plain_journal) as j:
        assert not j.encrypted
        assert [f.text for f in j.favours()] == ["job interview lift"]
    assert b"chemotherapy" in plain_journal.read_bytes()


def test_a_big_restore_spools_only_sealed_bytes(plain_journal: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    keys = identity(tmp_path)
    with Journal.open(plain_journal) as j:
        encryption.encrypt(j, keys)
    seen: list[list[str]] = []
    real = folding.fold_streamed

    def looking(storage, data, tails):  # type: ignore[no-untyped-def]
        spools = [p.name for p in plain_journal.parent.iterdir() if "-in" in p.name or "-out" in p.name]
        seen.append(spools)
        assert spools and leaks(plain_journal.parent) == []
        real(storage, data, tails)

    monkeypatch.setattr(folding, "fold_streamed", looking)
    with Journal.open(plain_journal, keys=keys) as j:
        zeb = j.resolve_contact("Zebulon")
        records = [Interaction(date=f"2023-03-{1 + n % 28:02d}", contact_ids=[zeb.id], text=f"job interview {n}").stamped()
                   for n in range(3000)]
        assert j.restore_streamed(records) == 3000
    assert seen and leaks(plain_journal.parent) == []
    with Journal.open(plain_journal, keys=keys) as j:
        assert len(j.interactions()) == 3001


def test_a_file_changed_outside_is_kept_aside_sealed(
    plain_journal: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    keys = identity(tmp_path)
    with Journal.open(plain_journal) as j:
        encryption.encrypt(j, keys)
    monkeypatch.setattr(folding, "SMALL_SNAPSHOT", 0)  # (the line stays in the log)
    monkeypatch.setattr(folding, "COMPACT_LOG_FRACTION", 1)
    log = plain_journal.with_name("journal.json.log")
    with Journal.open(plain_journal, keys=keys, undo=False) as j:
        j.storage.log.append(b'{"ops":[]}')  # a line of ours, whose checksum we then break
    lines = log.read_bytes().split(b"\n")
    with Journal.open(plain_journal, keys=keys, readonly=True) as j:
        codec = j.storage.codec
    lines[-2] = codec.seal_line(codec.unseal_line(lines[-2]).replace(b'"sum":', b'"sum":9'))
    log.write_bytes(b"\n".join(lines))
    with Journal.open(plain_journal, keys=keys) as j:
        assert any("changed outside" in n for n in j.notices)
    assert [p.name for p in plain_journal.parent.glob("journal.json.log.changed-*")]
    assert leaks(plain_journal.parent) == []


@pytest.mark.skipif(
    shutil.which("age") is None and not os.environ.get("CI"), reason="the age tool is not installed (.ci/run installs it)"
)
def test_the_standard_age_tool_opens_the_snapshot(plain_journal: Path, tmp_path: Path) -> None:
    keys = identity(tmp_path)
    with Journal.open(plain_journal) as j:
        encryption.encrypt(j, keys)
    assert keys.identity is not None
    out = subprocess.run(["age", "-d", "-i", str(keys.identity), str(plain_journal)], capture_output=True, check=True)
    assert "Иван Петров".encode() in out.stdout and b"chemotherapy news" in out.stdout
    # A backup too.
    day = next(plain_journal.parent.glob("journal-backups/daily-*.json"))
    out = subprocess.run(["age", "-d", "-i", str(keys.identity), str(day)], capture_output=True, check=True)
    assert out.stdout.startswith(b"{")


def test_a_wrong_or_missing_key_is_refused_and_nothing_changes(plain_journal: Path, tmp_path: Path) -> None:
    keys = identity(tmp_path)
    with Journal.open(plain_journal) as j:
        encryption.encrypt(j, keys)
    (plain_journal.parent / ".journal.json.1.tmp-netjournal").write_bytes(b"left by a kill")
    before = hashes(plain_journal.parent)
    for given in (None, Keys(), identity(tmp_path, "other.txt"), Keys(passphrase=lambda: "guess")):
        for readonly in (False, True):
            with pytest.raises(SealingError) as exc:
                Journal.open(plain_journal, keys=given, readonly=readonly)
            assert "\n" not in str(exc.value)
            assert hashes(plain_journal.parent) == before


def test_a_passphrase_opens_the_journal_and_asks_once(plain_journal: Path) -> None:
    asked: list[int] = []

    def passphrase() -> str:
        asked.append(1)
        return "correct horse"

    with Journal.open(plain_journal) as j:
        encryption.encrypt(j, Keys(passphrase=passphrase))
    asked.clear()
    with Journal.open(plain_journal, keys=Keys(passphrase=passphrase)) as j:
        assert j.encrypted and len(j.contacts()) == 3
    assert asked == [1]
    assert leaks(plain_journal.parent) == []


def test_changing_the_key_reseals_every_file_with_a_new_journal_key(plain_journal: Path, tmp_path: Path) -> None:
    first, second = identity(tmp_path, "first.txt"), identity(tmp_path, "second.txt")
    with Journal.open(plain_journal) as j:
        encryption.encrypt(j, first)
        old = j.storage.codec
    with Journal.open(plain_journal, keys=first) as j:
        encryption.encrypt(j, second)
        new = j.storage.codec
    assert isinstance(old, AgeCodec) and isinstance(new, AgeCodec)
    assert str(new.keys[0].identity) != str(old.keys[0].identity) and len(new.keys) == 1
    with pytest.raises(SealingError):
        Journal.open(plain_journal, keys=first)
    for file in [plain_journal, *plain_journal.parent.glob("journal-backups/*.json")]:
        with pytest.raises(SealingError):
            old.unseal(file.read_bytes())
        new.unseal(file.read_bytes())
    with Journal.open(plain_journal, keys=second) as j:
        assert len(j.contacts()) == 3


KILLED_REKEY = r"""
import os, signal, sys
from pathlib import Path
from netjournal.sealing import Keys
from netjournal.store import Journal, encryption
path, old, new, nth = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
real, count = os.replace, 0
def hook(*args):
    global count
    count += 1
    if count > nth:
        os.kill(os.getpid(), signal.SIGKILL)
    return real(*args)
j = Journal.open(path, keys=Keys(identity=Path(old)) if old != "-" else None)
os.replace = hook
encryption.encrypt(j, Keys(identity=Path(new)))
print("done")
"""


@pytest.mark.slow
@pytest.mark.parametrize("start", ["plain", "sealed"])
def test_a_key_change_killed_anywhere_leaves_a_journal_that_opens(plain_journal: Path, tmp_path: Path, start: str) -> None:
    old, new = identity(tmp_path, "old.txt"), identity(tmp_path, "new.txt")
    if start == "sealed":
        with Journal.open(plain_journal) as j:
            encryption.encrypt(j, old)
    pristine = tmp_path / "pristine"
    shutil.copytree(plain_journal.parent, pristine)
    for nth in range(30):
        shutil.rmtree(plain_journal.parent)
        shutil.copytree(pristine, plain_journal.parent)
        given = str(old.identity) if start == "sealed" else "-"
        r = subprocess.run([sys.executable, "-c", KILLED_REKEY, str(plain_journal), given, str(new.identity), str(nth)],
                           capture_output=True, text=True, timeout=60)
        assert "Traceback" not in r.stderr, r.stderr
        opened = None
        for keys in (new, old, None):
            try:
                opened = Journal.open(plain_journal, keys=keys)
                break
            except SealingError:
                continue
        assert opened is not None, f"killed at replace #{nth}: no key opens the journal"
        with opened as j:
            assert len(j.contacts()) == 3
        if "done" in r.stdout:
            break
    else:
        raise AssertionError("the key change never finished")
    assert leaks(plain_journal.parent) == []


def test_the_plain_codec_reads_a_sealed_log_left_by_decrypt_as_folded() -> None:
    assert Codec().unseal_line(b"nj1:AAAA") == b'{"log":1,"generation":0}'


def test_a_passphrase_asked_in_a_terminal_gets_three_tries(plain_journal: Path) -> None:
    with Journal.open(plain_journal) as j:
        encryption.encrypt(j, Keys(passphrase=lambda: "right"))
    said = iter(["wrong", "also wrong", "right"])
    with Journal.open(plain_journal, keys=Keys(passphrase=lambda: next(said), tries=3)) as j:
        assert len(j.contacts()) == 3
    said = iter(["wrong", "wrong", "wrong", "right"])
    with pytest.raises(SealingError):
        Journal.open(plain_journal, keys=Keys(passphrase=lambda: next(said), tries=3))
    assert next(said) == "right"  # (asked three times, not four)


class MemoryKeyring(KeyringBackend):
    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.kept: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.kept.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.kept[service, username] = password

    def delete_password(self, service: str, username: str) -> None:
        self.kept.pop((service, username), None)


def test_the_keyring_keeps_the_key_only_when_asked_and_never_a_stale_one(plain_journal: Path) -> None:
    memory = MemoryKeyring()
    before = keyring.get_keyring()
    keyring.set_keyring(memory)
    try:
        with Journal.open(plain_journal) as j:
            encryption.encrypt(j, Keys(passphrase=lambda: "first"))
        Journal.open(plain_journal, keys=Keys(passphrase=lambda: "first")).close()
        assert memory.kept == {}  # not asked for: nothing kept
        Journal.open(plain_journal, keys=Keys(passphrase=lambda: "first", remember=True)).close()
        assert len(memory.kept) == 1 and b"first" not in next(iter(memory.kept.values())).encode()

        def never() -> str:
            raise AssertionError("asked for the passphrase although the keyring holds the key")

        with Journal.open(plain_journal, keys=Keys(passphrase=never, remember=True)) as j:
            assert len(j.contacts()) == 3
            encryption.encrypt(j, Keys(passphrase=lambda: "second"))
        with pytest.raises(SealingError):  # the copy is of the old key file: not taken
            Journal.open(plain_journal, keys=Keys(passphrase=lambda: "first", remember=True))
        with Journal.open(plain_journal, keys=Keys(passphrase=lambda: "second", remember=True)) as j:
            assert len(j.contacts()) == 3
    finally:
        keyring.set_keyring(before)


def test_a_plain_line_slipped_into_an_encrypted_log_is_refused_as_damage(plain_journal: Path, tmp_path: Path) -> None:
    keys = identity(tmp_path)
    with Journal.open(plain_journal) as j:
        encryption.encrypt(j, keys)
    with open(str(plain_journal) + ".log", "ab") as f:  # a change nobody with the key wrote
        f.write(b'{"ops":[["contacts","c-evil",{"id":"c-evil","name":"Mallory"}]]}\n')
    before = hashes(plain_journal.parent)
    with pytest.raises(JournalDamaged, match="damaged at line 2"):
        Journal.open(plain_journal, keys=keys)
    assert hashes(plain_journal.parent) == before
