"""Trust at the edges of the shell: a closed pipe, an unexpected error, the modes of what is created."""

from __future__ import annotations

import csv
import os
import stat
import subprocess
from pathlib import Path

import pytest
from clitools import netjournal_exe, run

from netjournal.domain.model import Contact, Interaction
from netjournal.store import Journal

PEOPLE = 1200  # enough lines that every listing below is far more than a pipe's 64 KB buffer
LONG = "x" * 60


def _name(i: int) -> str:
    return f"Person {i:05d} {LONG}"


@pytest.fixture(scope="module")
def big_journal(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("big") / "journal.json"
    people = [Contact(name=_name(i)).stamped() for i in range(PEOPLE)]
    talks = [
        Interaction(date="2024-01-02", contact_ids=[c.id], kind="call", text=f"coffee and a long talk {LONG}").stamped()
        for c in people
    ]
    with Journal.open(path) as j:
        j.put_many([*people, *talks])
    return path


def _into_head(args: list[str], journal: Path, reader: tuple[str, ...] = ("head", "-1")) -> tuple[int, str, str]:
    """Run ``netjournal ARGS | head -1`` with real pipes: (netjournal's exit code, its stderr, head's output).
    ``reader`` ``true`` reads nothing: the pipe has no reader before netjournal writes its first line."""
    env = {**os.environ, "NO_COLOR": "1"}
    env.pop("NETJOURNAL_DEBUG", None)
    nj = subprocess.Popen(
        [netjournal_exe(), "--journal", str(journal), *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env
    )
    assert nj.stdout is not None and nj.stderr is not None
    head = subprocess.Popen(list(reader), stdin=nj.stdout, stdout=subprocess.PIPE, text=True)
    nj.stdout.close()  # only head reads it: when head leaves, the pipe has no reader
    first, _ = head.communicate(timeout=60)
    err = nj.stderr.read().decode()
    return nj.wait(timeout=60), err, first


@pytest.mark.parametrize(
    "args",
    [["contact", "list"], ["search", "coffee"], ["export", "-f", "md"], ["export"]],
    ids=["contact-list", "search", "export-md", "export-json"],
)
def test_output_into_a_closed_pipe_is_not_an_error(big_journal: Path, args: list[str]) -> None:
    code, err, first = _into_head(args, big_journal)
    assert first.strip()  # head got its line
    assert (code, err) == (0, "")
    code, err, _ = _into_head(args, big_journal, ("true",))
    assert (code, err) == (0, "")


def test_import_into_a_closed_pipe_imports_everything_and_is_quiet(tmp_path: Path) -> None:
    source = tmp_path / "people.csv"
    with source.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["id", "name", "emails"])
        for i in range(PEOPLE):
            w.writerow(["", _name(i), f"p{i}@example.org"])
    journal = tmp_path / "j" / "journal.json"
    code, err, first = _into_head(["import", str(source)], journal)
    assert first.startswith("imported")
    assert (code, err) == (0, "")
    with Journal.open(journal, readonly=True) as j:
        assert len(j.contacts()) == PEOPLE


# ------------------------------------------------------------------ an unexpected error


def _boom(*_args: object) -> int:
    raise RuntimeError("the flux capacitor is empty")


@pytest.fixture
def state_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    monkeypatch.delenv("NETJOURNAL_DEBUG", raising=False)
    return tmp_path / "state"


def test_an_unexpected_error_is_one_line_and_a_non_zero_exit(
    tmp_path: Path, state_home: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import netjournal.cli.contacts as contacts
    from netjournal.cli import main

    monkeypatch.setattr(contacts, "cmd_list", _boom)
    code = main(["--journal", str(tmp_path / "j.json"), "contact", "list"])
    err = capsys.readouterr().err
    assert code != 0
    assert err.splitlines() == [
        "netjournal: unexpected error: RuntimeError: the flux capacitor is empty "
        "(run with NETJOURNAL_DEBUG=1 for a report)"
    ]
    assert not state_home.exists()  # no report unless asked for


def test_with_debug_on_the_report_is_a_private_file_named_in_the_line(
    tmp_path: Path, state_home: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import netjournal.cli.contacts as contacts
    from netjournal.cli import main

    monkeypatch.setattr(contacts, "cmd_list", _boom)
    monkeypatch.setenv("NETJOURNAL_DEBUG", "1")
    old = os.umask(0)
    try:
        code = main(["--journal", str(tmp_path / "j.json"), "contact", "list"])
    finally:
        os.umask(old)
    (line,) = capsys.readouterr().err.splitlines()
    assert code != 0
    assert line.startswith("netjournal: unexpected error: RuntimeError: the flux capacitor is empty (report: ")
    report = Path(line.split("(report: ", 1)[1].rstrip(")"))
    assert state_home in report.parents
    text = report.read_text(encoding="utf-8")
    assert "Traceback" in text and "_boom" in text and "the flux capacitor is empty" in text
    assert stat.S_IMODE(report.stat().st_mode) == 0o600
    for folder in report.parents:
        if folder == state_home.parent:
            break
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700, folder


def test_an_unexpected_error_with_a_message_over_lines_is_still_one_clean_line(
    tmp_path: Path, state_home: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import netjournal.cli.contacts as contacts
    from netjournal.cli import main

    def boom(*_args: object) -> int:
        raise ValueError("first line\nsecond \x1b[31mred\x1b[0m line")

    monkeypatch.setattr(contacts, "cmd_list", boom)
    assert main(["--journal", str(tmp_path / "j.json"), "contact", "list"]) == 1
    (line,) = capsys.readouterr().err.splitlines()
    assert "\x1b" not in line and "first line second" in line


def test_an_unexpected_error_while_closing_the_journal_is_one_line(
    tmp_path: Path, state_home: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from netjournal.cli import main
    from netjournal.cli.context import Context

    def close(self: Context) -> None:
        raise ValueError("cannot close")

    monkeypatch.setattr(Context, "close", close)
    code = main(["--journal", str(tmp_path / "j.json"), "contact", "add", "Ana"])
    err = capsys.readouterr().err
    assert code != 0 and err.splitlines() == [
        "netjournal: unexpected error: ValueError: cannot close (run with NETJOURNAL_DEBUG=1 for a report)"
    ]


def test_an_interrupt_is_still_one_line_and_exit_130(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import netjournal.cli.contacts as contacts
    from netjournal.cli import main

    def interrupted(*_args: object) -> int:
        raise KeyboardInterrupt

    monkeypatch.setattr(contacts, "cmd_list", interrupted)
    code = main(["--journal", str(tmp_path / "j.json"), "contact", "list"])
    assert (code, capsys.readouterr().err) == (130, "netjournal: interrupted\n")


def test_an_unexpected_error_in_the_app_ends_it_with_one_line(
    tmp_path: Path, state_home: Path, monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str]
) -> None:
    from textual.app import App

    from netjournal.config import Settings
    from netjournal.tui import launch as tui_app
    from netjournal.tui.app import NetjournalApp
    from netjournal.tui.state import JournalSource

    async def crash_on_mount(self: NetjournalApp) -> None:
        raise RuntimeError("the app fell over")

    monkeypatch.setattr(NetjournalApp, "on_mount", crash_on_mount)
    monkeypatch.setattr(NetjournalApp, "run", lambda self: App.run(self, headless=True))
    monkeypatch.setenv("NETJOURNAL_DEBUG", "1")
    code = tui_app.run(JournalSource(tmp_path / "journal.json"), Settings())
    out, err = capfd.readouterr()
    assert code != 0
    assert "Traceback" not in out + err
    (line,) = err.strip().splitlines()
    assert line.startswith("netjournal: unexpected error: RuntimeError: the app fell over (report: ")
    report = Path(line.split("(report: ", 1)[1].rstrip(")"))
    assert "crash_on_mount" in report.read_text(encoding="utf-8")


# ------------------------------------------------------------------ modes, whatever the umask


def _modes(top: Path) -> dict[str, int]:
    return {str(p.relative_to(top)): stat.S_IMODE(p.stat().st_mode) for p in [top, *top.rglob("*")]}


def _private(modes: dict[str, int], top: Path) -> dict[str, int]:
    """The entries whose mode is not 0700 (a folder) or 0600 (a file)."""
    return {
        name: m for name, m in modes.items() if m != (0o700 if (top / name).is_dir() else 0o600)
    }


def test_every_folder_made_for_a_journal_is_0700_whatever_the_umask(tmp_path: Path) -> None:
    top = tmp_path / "x"
    old = os.umask(0)
    try:
        r = run("contact", "add", "Ana", journal=top / "a" / "b" / "journal.json")
        r2 = run("config", "set", "theme", "nord", journal=top / "a" / "b" / "journal.json")
    finally:
        os.umask(old)
    assert r.code == 0, r
    assert r2.code == 0, r2
    modes = _modes(top)
    assert {"a", "a/b", "a/b/journal.json"} <= set(modes)
    assert _private(modes, top) == {}


def test_every_folder_made_for_an_export_is_0700_whatever_the_umask(tmp_path: Path) -> None:
    journal = tmp_path / "j" / "journal.json"
    assert run("contact", "add", "Ana", journal=journal).code == 0
    top = tmp_path / "out"
    old = os.umask(0)
    try:
        r = run("export", "-f", "md", "--per-contact", "-o", str(top / "a" / "b"), journal=journal)
        r2 = run("export", "-o", str(top / "a" / "all.json"), journal=journal)
    finally:
        os.umask(old)
    assert r.code == 0, r
    assert r2.code == 0, r2
    modes = _modes(top)
    assert {"a", "a/b", "a/b/index.md", "a/all.json"} <= set(modes)
    assert _private(modes, top) == {}


async def test_a_bug_in_the_app_still_fails_a_pilot_test(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """(The app's one-line ending must not hide a bug from the app's own tests.)"""
    from netjournal.config import Settings
    from netjournal.tui.app import NetjournalApp, create_app
    from netjournal.tui.state import JournalSource

    async def crash_on_mount(self: NetjournalApp) -> None:
        raise RuntimeError("the app fell over")

    monkeypatch.setattr(NetjournalApp, "on_mount", crash_on_mount)
    app = create_app(Settings(), JournalSource(tmp_path / "journal.json"))
    with pytest.raises(RuntimeError, match="fell over"):
        async with app.run_test():
            pass


def test_an_expected_error_nothing_in_the_app_caught_ends_it_with_its_own_line(
    tmp_path: Path, state_home: Path, monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str]
) -> None:
    from textual.app import App

    from netjournal.config import Settings
    from netjournal.store.errors import StoreError
    from netjournal.tui import launch as tui_app
    from netjournal.tui.app import NetjournalApp
    from netjournal.tui.state import JournalSource

    async def full_disk(self: NetjournalApp) -> None:
        raise StoreError("could not save journal.json.log: No space left on device")

    monkeypatch.setattr(NetjournalApp, "on_mount", full_disk)
    monkeypatch.setattr(NetjournalApp, "run", lambda self: App.run(self, headless=True))
    code = tui_app.run(JournalSource(tmp_path / "journal.json"), Settings())
    out, err = capfd.readouterr()
    assert code == 2
    assert err.strip().splitlines() == ["netjournal: could not save journal.json.log: No space left on device"]


def test_the_demo_journal_is_private_whatever_the_umask() -> None:
    import shutil

    from netjournal.demo import make_demo_journal

    old = os.umask(0)
    try:
        folder = make_demo_journal()
    finally:
        os.umask(old)
    try:
        assert _private(_modes(folder), folder) == {}
    finally:
        shutil.rmtree(folder)


@pytest.mark.parametrize(
    "args",
    [
        [b"contact", b"add", b"Bad\x9bbyte"],
        [b"log", "@ольга bad ".encode() + b"\xff byte"],
        [b"search", b"caf\xe9"],  # Latin-1, as an old terminal sends it
    ],
)
def test_an_argument_that_is_not_utf8_is_one_clear_line_and_nothing_is_written(
    tmp_path: Path, args: list[bytes]
) -> None:
    """Found by a fresh-clone trial: bytes that are not UTF-8 on the command line ended as the
    line for a bug ("unexpected error: TypeError: str is not valid UTF-8")."""
    journal = tmp_path / "journal.json"
    with Journal.open(journal) as j:
        j.add_contact(Contact(name="Ольга Петрова"))
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir() if p.is_file()}
    done = subprocess.run(
        [os.fsencode(netjournal_exe()), b"--journal", os.fsencode(journal), *args], capture_output=True, timeout=60
    )
    err = done.stderr.decode("utf-8", "replace")
    assert done.returncode == 2, err
    assert err.count("\n") == 1 and "unexpected" not in err
    assert "is not UTF-8 text" in err
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir() if p.is_file()} == before
