"""Encryption's edges found by a third review (each test failed before its fix): a key file
listing an old key first, `encrypt` after a `decrypt` stopped half way, a damaged backup, a key
change that keeps the passphrase, and `doctor` and the app on a device that has not taken a
key changed elsewhere yet."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
import test_devices_rekey
from clitools import run
from devicetools import acting_as
from test_devices_rekey import identity, key_changed_on_the_laptop, names

import netjournal.store.folding as folding
from netjournal.domain.model import Contact
from netjournal.sealing import Keys
from netjournal.sealing.age_codec import key_changed, unwrap, unwrap_text, wrap
from netjournal.store import Journal, backup, devicemode, encryption
from netjournal.store.restore import restore_backup

shared = test_devices_rekey.shared  # (the fixture: a journal encrypted, then shared)


def test_a_key_file_listing_an_old_key_first_does_not_stop_every_device_opening(
    shared: tuple[Path, Keys], tmp_path: Path
) -> None:
    """The laptop changes the key (its key file: [new, old]); the person, reading the README's
    "an age identity file, newest key first", edits the laptop's key file and puts the old key
    first. The desk's key file (taken at its last open) still lists [new, old]: merge() finds no key that no list names after another and max()
    raises ValueError, so the desk (whose key file nobody edited) no longer opens the journal: "an unexpected error" at every command."""
    path, old = shared
    new = key_changed_on_the_laptop(path, old, tmp_path)
    folder = devicemode.folder(path)
    with acting_as(tmp_path, "desk"), Journal.open(path, keys=new, device="desk") as desk:
        desk.add_contact(Contact(name="Ωмега"))  # (the desk took [new, old])
    own = folder / "laptop.json.key"
    text = unwrap_text(own.read_bytes(), new, str(own))
    keys = unwrap(own.read_bytes(), new, str(own))
    own.write_bytes(wrap(list(reversed(keys)), new, key_changed(text)))
    with acting_as(tmp_path, "desk"), Journal.open(path, keys=new, device="desk") as desk:
        assert "王小明" in names(desk)


def decrypt_stopped_before_the_backups(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Keys, Path]:
    """An encrypted journal with a change in its log and the day's backup (snapshot and log);
    then `decrypt`, killed after the plain snapshot and log, before the backups: (the journal,
    its key, that backup, sealed still)."""
    monkeypatch.setattr(folding, "wants_folding", lambda storage: False)  # (changes stay in the log)
    keys = identity(tmp_path, "k.txt")
    path = tmp_path / "journal.json"
    with Journal.open(path) as j:
        j.add_contact(Contact(name="Zebulon Quartz"))
        encryption.encrypt(j, keys)
        j.add_contact(Contact(name="Иван Петров"))  # (in the sealed log)
    with Journal.open(path, keys=keys, today=date(2026, 1, 2)):
        pass  # (the day's backup: the snapshot and its log)
    daily = backup.daily_path(path, date(2026, 1, 2))
    assert backup.log_of(daily).exists()

    def killed(*args: object) -> None:
        raise KeyboardInterrupt

    with Journal.open(path, keys=keys, today=date(2026, 1, 2)) as j, monkeypatch.context() as m:
        m.setattr(encryption, "reseal_kept", killed)
        with pytest.raises(KeyboardInterrupt):
            encryption.decrypt(j)
    return path, keys, daily


def test_encrypt_after_a_decrypt_killed_before_the_backups_keeps_the_backups_changes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`decrypt` is killed after it wrote the plain snapshot and log, before it re-sealed the
    backups (sealed still: an age snapshot, a log of nj2 lines). Run again, `decrypt` says the
    journal "is not encrypted; nothing to do". The person then encrypts it again: reseal_kept
    opens the backups with the plain codec, so the backup's age file is sealed a second time
    (restored, it is not a journal) and each nj2 line of its log reads as FOLDED_HEADER
    (codec.Codec.unseal_line) and is sealed as that: the changes the backup held are gone."""
    path, keys, daily = decrypt_stopped_before_the_backups(tmp_path, monkeypatch)
    with Journal.open(path, today=date(2026, 1, 2)) as j:
        assert not j.encrypted  # (`decrypt` again: "not encrypted; nothing to do")
        encryption.encrypt(j, keys)
        codec = j.storage.codec
    restore_backup(path, daily, codec=codec)
    with Journal.open(path, keys=keys, today=date(2026, 1, 2)) as j:
        assert {"Zebulon Quartz", "Иван Петров"} <= names(j)


def test_a_damaged_backup_does_not_make_every_open_re_seal_every_backup(
    shared: tuple[Path, Keys], tmp_path: Path
) -> None:
    """One of the desk's backups is damaged (cut short: a full disk, a sync that stopped). It
    never opens with the newest key, so take() (devicekeys.py) calls reseal_kept at every open
    of the desk: every other backup and its log is decrypted and sealed again (new bytes each
    time: the synced folder re-sends them all, at every `netjournal log`), and the damaged one
    stays as it is, so this never ends."""
    path, old = shared
    folder = devicemode.folder(path)
    desk = folder / "desk.json"
    with acting_as(tmp_path, "desk"), Journal.open(path, keys=old, device="desk", today=date(2026, 1, 2)):
        pass
    good = backup.daily_path(desk, date(2026, 1, 2))
    damaged = backup.daily_path(desk, date(2026, 1, 1))
    damaged.write_bytes(good.read_bytes()[:-40])
    with acting_as(tmp_path, "desk"), Journal.open(path, keys=old, device="desk", today=date(2026, 1, 2)):
        pass
    before = good.read_bytes()
    with acting_as(tmp_path, "desk"), Journal.open(path, keys=old, device="desk", today=date(2026, 1, 2)):
        pass
    assert good.read_bytes() == before


def test_a_key_change_keeping_the_same_passphrase_travels(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A journal locked with a passphrase, shared. On the laptop the person runs `encrypt
    --passphrase` again with the same passphrase (a new journal key: README "again: a new
    key"). The desk, opened with that passphrase, opens its own key file, so _others
    (devicekeys.py) passes over every other key file locked with a passphrase: the laptop's
    list is never merged, every line the laptop writes from then on is FOREIGN on the desk
    ("open netjournal here with the new ... passphrase": it is the same one), for good."""
    monkeypatch.setattr(folding, "wants_folding", lambda storage: False)
    keys = Keys(passphrase=lambda: "correct horse battery")
    path = tmp_path / "sync" / "journal.json"
    with Journal.open(path) as j:
        j.add_contact(Contact(name="Zebulon Quartz"))
        encryption.encrypt(j, keys)
    with acting_as(tmp_path, "laptop"):
        devicemode.turn_on(path, "laptop")
    with acting_as(tmp_path, "desk"), Journal.open(path, keys=keys, device="desk") as desk:
        desk.add_contact(Contact(name="Иван Петров"))
    with acting_as(tmp_path, "laptop"), Journal.open(path, keys=keys, device="laptop") as laptop:
        encryption.encrypt(laptop, Keys(passphrase=lambda: "correct horse battery"))
        laptop.add_contact(Contact(name="王小明"))
    with acting_as(tmp_path, "desk"), Journal.open(path, keys=keys, device="desk") as desk:
        assert "王小明" in names(desk)


def test_doctor_on_a_device_that_has_not_taken_the_new_key_yet_opens_with_it(
    shared: tuple[Path, Keys], tmp_path: Path
) -> None:
    """README: each other device takes the new key "the next time it opens ... with a key that
    opens that key file". On the desk, `netjournal --identity new.txt doctor` (the first thing a
    person runs when `log` says a file does not open) unlocks with codec_for (cli/doctor.py),
    which reads only the desk's own key file: "the key given does not open this journal"."""
    path, _ = shared
    new = key_changed_on_the_laptop(*shared, tmp_path)
    assert new.identity is not None
    env = {"NETJOURNAL_DEVICE": "desk", "XDG_STATE_HOME": str(tmp_path / "state-desk")}
    r = run("--identity", str(new.identity), "doctor", journal=path, env=env)
    assert r.code == 0 and "does not open" not in r.err, r


def test_the_app_on_a_device_that_has_not_taken_the_new_key_yet_opens_with_it(
    shared: tuple[Path, Keys], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The same in the app (`netjournal --identity new.txt`, no command): cli/app.py unlocks the
    desk's own journal with codec_for before the app starts, so the new identity is refused
    there in one line, and only a shell command (which opens with devicekeys) gets the desk
    past it. The app is stood in for; only the unlocking before it runs."""
    import netjournal.tui.launch as launch
    from netjournal.cli import main

    path, _ = shared
    new = key_changed_on_the_laptop(*shared, tmp_path)
    monkeypatch.setattr(launch, "run", lambda source, settings: 0)
    with acting_as(tmp_path, "desk"):
        code = main(["--journal", str(path), "--identity", str(new.identity)])
    assert code == 0


def test_decrypt_again_finishes_one_stopped_half_way(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`decrypt` killed before the backups: run again (with the key), it writes them plain and
    removes the key file, keeping every change they hold."""
    path, keys, daily = decrypt_stopped_before_the_backups(tmp_path, monkeypatch)
    assert daily.read_bytes().startswith(b"age-encryption.org/")
    r = run("decrypt", "--yes", "--identity", str(keys.identity), journal=path)
    assert r.code == 0 and "finished" in r.err, r.err
    assert not daily.read_bytes().startswith(b"age-encryption.org/") and not (tmp_path / "journal.json.key").exists()
    assert "Иван Петров".encode() in daily.read_bytes() + backup.log_of(daily).read_bytes()
