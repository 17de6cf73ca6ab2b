"""A big encrypted journal from the shell: the launch (netjournal/launch.py) starts decrypting
it with the age tool while netjournal's modules load, for the commands that read its history;
whatever happens to that work, every command answers exactly as the plain journal does, and
a wrong key is still one line and a non-zero exit."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path
from typing import Any

import pyrage
import pytest
from clitools import assert_one_line_error, run

from netjournal import launch
from netjournal.domain.model import Contact, Favour, Interaction
from netjournal.sealing import Keys, age_tool, readahead
from netjournal.store import Journal, encryption

pytestmark = pytest.mark.skipif(shutil.which("age") is None, reason="the age tool is not installed (.ci/run installs it)")
NAMES = ("Zebulon Quartz", "Иван Петров", "王小明", "نور الهدى", "अर्जुन शर्मा")


def make_identity(folder: Path, name: str = "key.txt") -> Path:
    path = folder / name
    path.write_text(f"# created: now\n{pyrage.x25519.Identity.generate()}\n")
    return path


@pytest.fixture(scope="module")
def big(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Path]:
    """A journal of a few megabytes (several age chunks, above age_tool.TOOL_ABOVE), plain and
    encrypted to an identity file; each with a change in its log."""
    root = tmp_path_factory.mktemp("big")
    plain, sealed = root / "plain" / "journal.json", root / "sealed" / "journal.json"
    plain.parent.mkdir()
    with Journal.open(plain, undo=False) as j:
        people = [Contact(name=n).stamped() for n in NAMES]
        entries = [
            Interaction(date=f"20{10 + n % 15}-{1 + n % 12:02d}-{1 + n % 28:02d}", contact_ids=[people[n % 5].id],
                        text=f"entry {n}: " + "long talk about the garden and the pricing of tomatoes " * 3).stamped()
            for n in range(9000)
        ]
        favours = [Favour(date="2020-01-01", contact_id=people[n % 5].id, text=f"lift {n}").stamped() for n in range(500)]
        j.put_many([*people, *entries, *favours])
        j.compact()
    shutil.copytree(plain.parent, sealed.parent)
    key = make_identity(root)
    with Journal.open(sealed) as j:
        encryption.encrypt(j, Keys(identity=key))
    assert sealed.stat().st_size > 2 * age_tool.TOOL_ABOVE
    for path in (plain, sealed):
        assert run("--identity", str(key), "log", "today: coffee with @Zebulon about tomatoes", journal=path).code == 0
    return plain, sealed, key


@pytest.mark.parametrize("tool", ["age", "off"])
@pytest.mark.parametrize(
    "command",
    [["search", "tomatoes", "--limit", "5"], ["search", "entry 8999:"], ["show", "Иван Петров"], ["ledger"],
     ["export", "--format", "json"]],
)
def test_every_reading_command_answers_as_the_plain_journal(
    big: tuple[Path, Path, Path], command: list[str], tool: str
) -> None:
    plain, sealed, key = big
    env = {"NETJOURNAL_AGE_TOOL": tool}
    want = run(*command, journal=plain, env=env)
    got = run("--identity", str(key), *command, journal=sealed, env=env)
    assert want.code == 0, want.err
    if command[0] == "export":  # (the coffee each journal logged has its own id and stamps)
        assert got.code == 0, got.err
        assert _comparable(json.loads(got.out)) == _comparable(json.loads(want.out))
    else:
        assert (got.code, got.out) == (want.code, want.out), got.err
    assert "Traceback" not in got.err


def _comparable(data: Any) -> Any:
    if isinstance(data, dict):
        return {k: _comparable(v) for k, v in data.items() if k not in ("id", "created", "updated", "exported")}
    if isinstance(data, list):
        return sorted((_comparable(x) for x in data), key=repr)
    return data


def test_a_wrong_identity_is_one_line_and_changes_nothing(big: tuple[Path, Path, Path], tmp_path: Path) -> None:
    _, sealed, _ = big
    before = {p.name: p.read_bytes() for p in sealed.parent.iterdir() if p.is_file()}
    r = run("--identity", str(make_identity(tmp_path, "other.txt")), "search", "tomatoes", journal=sealed)
    assert_one_line_error(r, "does not open")
    assert {p.name: p.read_bytes() for p in sealed.parent.iterdir() if p.is_file()} == before


def _sig(path: Path) -> tuple[int, int, int]:
    st = os.stat(path)
    return (st.st_ino, st.st_size, st.st_mtime_ns)


def test_the_launch_reads_ahead_only_what_the_command_reads_whole(big: tuple[Path, Path, Path]) -> None:
    _, sealed, key = big
    given = ["--journal", str(sealed), "--identity", str(key)]
    assert not launch.read_ahead([*given, "log", "coffee with @Zebulon"])  # (a save reads only the people)
    assert not launch.read_ahead([*given, "--help"])
    assert not launch.read_ahead(["--journal", str(sealed), "search", "x"])  # (no identity file: a passphrase)
    assert launch.read_ahead([*given, "search", "tomatoes"])
    ahead = readahead.take(_sig(sealed))
    assert ahead == pyrage.decrypt(sealed.read_bytes(), Keys(identity=key).identities())
    assert readahead.take(_sig(sealed)) is None  # (taken once)
    assert launch.read_ahead(["--identity", str(key), "--journal=" + str(sealed)])  # (the app: no command)
    assert readahead.take((0, 0, 0)) is None  # (another file: nothing)
    assert readahead.take(_sig(sealed)) is not None


def test_an_identity_the_tool_would_ask_a_passphrase_for_is_never_given_to_it(
    big: tuple[Path, Path, Path], tmp_path: Path
) -> None:
    _, sealed, key = big
    locked = tmp_path / "locked.age"
    locked.write_bytes(pyrage.passphrase.encrypt(key.read_bytes(), "a passphrase"))
    assert not launch.read_ahead(["--journal", str(sealed), "--identity", str(locked), "search", "x"])
    ssh = tmp_path / "id_ed25519"
    ssh.write_text("-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----\n")
    assert not launch.read_ahead(["--journal", str(sealed), "--identity", str(ssh), "search", "x"])


def test_a_wrong_identity_read_ahead_gives_nothing(big: tuple[Path, Path, Path], tmp_path: Path) -> None:
    _, sealed, _ = big
    other = make_identity(tmp_path, "other.txt")
    assert launch.read_ahead(["--journal", str(sealed), "--identity", str(other), "search", "x"])
    assert readahead.take(_sig(sealed)) is None
