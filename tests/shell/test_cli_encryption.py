"""Encryption at rest from the shell: ``encrypt`` (an identity file or a passphrase from
NETJOURNAL_PASSPHRASE_COMMAND, confirmed with --yes), every command with ``--identity`` or
NETJOURNAL_IDENTITY, ``decrypt``; a missing or wrong key is one line, a non-zero exit and not
a byte changed."""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path

import pytest
from clitools import assert_one_line_error, run

NOTE = "lunch with @Zebulon about the chemotherapy"


def make_identity(folder: Path, name: str = "key.txt") -> Path:
    from pyrage import x25519

    secret = x25519.Identity.generate()
    path = folder / name
    path.write_text(f"# public key: {secret.to_public()}\n{secret}\n")
    return path


def hashes(folder: Path) -> dict[str, str]:
    return {str(p): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.rglob("*")) if p.is_file()}


def no_plaintext(folder: Path) -> bool:
    return not any(b"Zebulon" in p.read_bytes() or b"chemotherapy" in p.read_bytes()
                   for p in folder.rglob("*") if p.is_file())


@pytest.fixture
def journal(tmp_path: Path) -> Path:
    path = tmp_path / "data" / "journal.json"
    assert run("contact", "add", "Zebulon Quartz", journal=path).code == 0
    assert run("log", NOTE, journal=path).code == 0
    return path


def test_encrypt_with_an_identity_then_work_then_decrypt(journal: Path, tmp_path: Path) -> None:
    key = make_identity(tmp_path)
    r = run("encrypt", "--identity", str(key), "--yes", journal=journal)
    assert r.code == 0, r.err
    assert str(key) in r.err and "lost" in r.err  # where the key is, and what losing it means
    assert no_plaintext(journal.parent)
    assert run("--identity", str(key), "log", "coffee with @Zebulon", journal=journal).code == 0
    r = run("search", "chemotherapy", journal=journal, env={"NETJOURNAL_IDENTITY": str(key)})
    assert r.code == 0 and "chemotherapy" in r.out
    assert no_plaintext(journal.parent)
    r = run("decrypt", "--yes", "--identity", str(key), journal=journal)
    assert r.code == 0, r.err
    r = run("search", "coffee", journal=journal)
    assert r.code == 0 and "coffee" in r.out
    assert not journal.with_name("journal.json.key").exists()


def test_encrypt_asks_for_a_confirmation(journal: Path, tmp_path: Path) -> None:
    before = hashes(journal.parent)
    r = run("encrypt", "--identity", str(make_identity(tmp_path)), journal=journal)
    assert r.code != 0 and "--yes" in r.err and "Traceback" not in r.err
    assert hashes(journal.parent) == before


def test_a_passphrase_from_a_command(journal: Path, tmp_path: Path) -> None:
    secret = tmp_path / "pass"
    secret.write_text("correct horse battery\n")
    env = {"NETJOURNAL_PASSPHRASE_COMMAND": f"{sys.executable} -c \"print(open({str(secret)!r}).read().strip())\""}
    assert run("encrypt", "--passphrase", "--yes", journal=journal, env=env).code == 0
    assert no_plaintext(journal.parent)
    r = run("search", "chemotherapy", journal=journal, env=env)
    assert r.code == 0 and "chemotherapy" in r.out
    secret.write_text("wrong\n")
    before = hashes(journal.parent)
    assert_one_line_error(run("search", "chemotherapy", journal=journal, env=env), "wrong")
    assert hashes(journal.parent) == before


def test_a_missing_or_wrong_key_is_one_line_and_changes_nothing(journal: Path, tmp_path: Path) -> None:
    key = make_identity(tmp_path)
    assert run("encrypt", "--identity", str(key), "--yes", journal=journal).code == 0
    before = hashes(journal.parent)
    other = make_identity(tmp_path, "other.txt")
    for args in (["log", "more"], ["--identity", str(other), "log", "more"], ["search", "x"],
                 ["--identity", str(tmp_path / "nowhere.txt"), "today"], ["export"]):
        r = run(*args, journal=journal)
        assert_one_line_error(r)
        assert "encrypted" in r.err or "key" in r.err or "identity" in r.err
        assert hashes(journal.parent) == before


def test_exports_stay_plain_and_say_so_unless_asked_to_encrypt(journal: Path, tmp_path: Path) -> None:
    key = make_identity(tmp_path)
    assert run("encrypt", "--identity", str(key), "--yes", journal=journal).code == 0
    r = run("--identity", str(key), "export", "--format", "csv", journal=journal)
    assert r.code == 0 and "Zebulon" in r.out and "not encrypted" in r.err
    out = tmp_path / "backup.json.age"
    r = run("--identity", str(key), "export", "--format", "json", "--encrypt", "-o", str(out), journal=journal)
    assert r.code == 0 and "not encrypted" not in r.err
    from pyrage import decrypt, x25519

    secret = x25519.Identity.from_str(key.read_text().splitlines()[-1])
    assert b"chemotherapy" in decrypt(out.read_bytes(), [secret])
