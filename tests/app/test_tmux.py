"""The installed ``netjournal`` in a real terminal (tmux): type a contact and an interaction,
quit, and check the journal file; a contact named like markup shows literally."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import uuid
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest

from netjournal.store import Journal

pytestmark = pytest.mark.slow

TMUX = shutil.which("tmux")
NETJOURNAL = Path(sys.executable).parent / "netjournal"


class Terminal:
    def __init__(self, command: list[str], env: dict[str, str]) -> None:
        self.socket = f"netjournal-test-{uuid.uuid4().hex[:8]}"
        self.session = "nj"
        env_args = [part for key, value in env.items() for part in ("-e", f"{key}={value}")]
        # A shell first, so the window has its final size before the app starts.
        self.tmux("new-session", "-d", "-s", self.session, "-x", "120", "-y", "40", *env_args, "sh")
        self.tmux("set-option", "-g", "default-size", "120x40")
        self.tmux("set-window-option", "-g", "window-size", "manual")
        self.tmux("resize-window", "-t", self.session, "-x", "120", "-y", "40")
        # The app reads the size once it starts: wait until the pane has its final size (a
        # fixed 0.2 s was sometimes too short under load, and the app drew itself 80x24).
        end = time.monotonic() + 10
        while self.tmux("display", "-p", "-t", self.session, "#{pane_width}x#{pane_height}").strip() != "120x40":
            assert time.monotonic() < end, "the tmux window never became 120x40"
            time.sleep(0.05)
        self.tmux("send-keys", "-t", self.session, "-l", "exec " + " ".join(command))
        self.tmux("send-keys", "-t", self.session, "Enter")

    def tmux(self, *args: str) -> str:
        assert TMUX is not None
        done = subprocess.run([TMUX, "-f", "/dev/null", "-L", self.socket, *args], capture_output=True, text=True, timeout=20)
        return done.stdout

    def screen(self) -> str:
        return self.tmux("capture-pane", "-p", "-t", self.session)

    def wait_for(self, text: str, timeout: float = 20.0) -> str:
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            shown = self.screen()
            if text in shown:
                return shown
            time.sleep(0.1)
        raise AssertionError(f"{text!r} never appeared; the screen was:\n{self.screen()}")

    def wait_until(self, ready: Callable[[str], bool], what: str, timeout: float = 20.0) -> str:
        """Poll the screen until ``ready`` says it shows ``what``."""
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            shown = self.screen()
            if ready(shown):
                return shown
            time.sleep(0.1)
        raise AssertionError(f"never saw {what}; the screen was:\n{self.screen()}")

    def keys(self, *keys: str) -> None:
        for key in keys:
            self.tmux("send-keys", "-t", self.session, key)
            time.sleep(0.05)

    def type(self, text: str) -> None:
        self.tmux("send-keys", "-t", self.session, "-l", text)
        time.sleep(0.2)

    def alive(self) -> bool:
        assert TMUX is not None
        return subprocess.run([TMUX, "-f", "/dev/null", "-L", self.socket, "has-session", "-t", self.session], capture_output=True).returncode == 0

    def close(self) -> None:
        self.tmux("kill-server")


def private_env(home: Path, **more: str) -> dict[str, str]:
    """A terminal's environment with everything of the person's (home, state folder, editor) in ``home``."""
    return {"TERM": "xterm-256color", "HOME": str(home), "XDG_STATE_HOME": str(home / "state"),
            "XDG_CONFIG_HOME": str(home / "config"), "VISUAL": "", "EDITOR": "",
            "LANG": os.environ.get("LANG", "C.UTF-8"), **more}


def to_the_notes(term: Terminal) -> None:
    """From a form's first field to its Notes (the last): shift+tab wraps round. The footer
    says when the Notes have the focus (F4 is theirs); a key lost under load is sent again."""
    for _ in range(3):
        term.keys("BTab")
        try:
            term.wait_for("Your editor", timeout=5)
            return
        except AssertionError:
            continue
    term.wait_for("Your editor")


def quit_app(term: Terminal) -> None:
    term.keys("q")
    end = time.monotonic() + 20
    while term.alive() and time.monotonic() < end:
        time.sleep(0.1)
    assert not term.alive(), f"netjournal did not quit on q; the screen was:\n{term.screen()}"


@pytest.mark.skipif(TMUX is None, reason="tmux is not installed (CI installs it: .ci/run)")
@pytest.mark.skipif(not NETJOURNAL.exists(), reason=f"the netjournal command is not installed in {NETJOURNAL.parent}")
def test_typing_in_a_real_terminal(tmp_path: Path) -> None:
    journal_path = tmp_path / "journal.json"
    term = Terminal([str(NETJOURNAL), "--journal", str(journal_path)], private_env(tmp_path))
    try:
        term.wait_for("No contacts yet")
        term.keys("c")
        term.wait_for("New contact")
        term.type("[bold red]x[/]")
        term.wait_for("[bold red]x[/]")  # typed into the name field
        term.keys("C-s")
        term.wait_for("Saved [bold red]x[/]")
        term.wait_until(lambda shown: shown.count("[bold red]x[/]") >= 3, "the name in the list, the card and the notice")
        term.keys("c")
        term.wait_for("New contact")
        term.type("Ana Tmux")
        term.wait_for("Ana Tmux")
        term.keys("C-s")
        term.wait_for("Saved Ana Tmux")
        term.keys("n")
        term.wait_for("New interaction")
        to_the_notes(term)
        term.type("Met in tmux")
        term.wait_for("Met in tmux")
        term.keys("C-s")
        term.wait_for("Saved the meal")
        quit_app(term)
    finally:
        term.close()
    with Journal.open(journal_path, readonly=True) as journal:
        names = sorted(c.name for c in journal.contacts())
        assert names == ["Ana Tmux", "[bold red]x[/]"]
        ana = journal.resolve_contact("Ana Tmux")
        (entry,) = journal.interactions(ana.id)
        assert entry.text == "Met in tmux"
        assert entry.date == date.today().isoformat()


@pytest.mark.skipif(TMUX is None, reason="tmux is not installed (CI installs it: .ci/run)")
@pytest.mark.skipif(not NETJOURNAL.exists(), reason=f"the netjournal command is not installed in {NETJOURNAL.parent}")
def test_hostile_text_neither_retitles_nor_clears_a_real_terminal(tmp_path: Path) -> None:
    """A name holding OSC 0 (set the window title) and CSI 2J (clear the screen): in a real
    terminal, the shell's listing and the app show it, and the title and screen stay as they were."""
    from netjournal.domain.model import Contact

    journal_path = tmp_path / "journal.json"
    with Journal.open(journal_path) as journal:
        eve = journal.add_contact(Contact(name="Eve\x1b]0;pwned\x07 Hacker\x1b[2J\x9b2J", notes="clip \x1b]52;c;ZXZpbA==\x07"))
    env = {"TERM": "xterm-256color", "HOME": str(tmp_path), "LANG": os.environ.get("LANG", "C.UTF-8")}
    shell = f"echo BE\"\"FORE; {NETJOURNAL} --journal {journal_path} contact edit {eve.id} --role boss; echo AF\"\"TER; exec sh"  # (quotes: the words show once)
    term = Terminal(["sh", "-c", f"'{shell}'"], env)
    try:
        shown = term.wait_for("AFTER")
        assert "BEFORE" in shown and "updated Eve" in shown and "Hacker" in shown  # nothing cleared the screen
        assert "pwned" not in term.tmux("display", "-p", "-t", term.session, "#{pane_title}")
        term.type(f"exec {NETJOURNAL} --journal {journal_path}")
        term.keys("Enter")
        term.wait_for("Eve␛]0;pwned")  # in the app, the escape shows as a visible stand-in
        time.sleep(0.3)
        assert "pwned" not in term.tmux("display", "-p", "-t", term.session, "#{pane_title}")
        term.keys("q")
    finally:
        term.close()


@pytest.mark.skipif(TMUX is None, reason="tmux is not installed (CI installs it: .ci/run)")
@pytest.mark.skipif(not NETJOURNAL.exists(), reason=f"the netjournal command is not installed in {NETJOURNAL.parent}")
def test_f4_hands_the_terminal_to_the_editor_and_takes_its_text_back(tmp_path: Path) -> None:
    """The app suspends, a scripted $VISUAL rewrites the private file, the app comes back
    with its text in the Notes; the file and its folder are gone afterwards."""
    from netjournal.domain.model import Contact

    journal_path = tmp_path / "journal.json"
    with Journal.open(journal_path) as journal:
        ana = journal.add_contact(Contact(name="Ana Tmux"))
    seen = tmp_path / "editor-saw.txt"
    editor = tmp_path / "editor.sh"
    editor.write_text(
        "#!/bin/sh\n"
        f"echo \"$1\" > '{seen}'\n"
        "if [ -t 0 ]; then echo tty >> '" + str(seen) + "'; fi\n"  # the terminal was handed over
        "printf 'Rewritten by the editor: %s' \"$(cat \"$1\")\" > \"$1\"\n",
        encoding="utf-8",
    )
    editor.chmod(0o700)
    term = Terminal([str(NETJOURNAL), "--journal", str(journal_path)], private_env(tmp_path, VISUAL=str(editor)))
    try:
        term.wait_for("Ana Tmux")
        term.keys("n")
        term.wait_for("New interaction")
        to_the_notes(term)
        term.type("typed first")
        term.wait_for("typed first")
        term.keys("F4")
        term.wait_for("Rewritten by the editor: typed first")  # the app is back, the text in the field
        term.keys("C-s")
        term.wait_for("Saved the meal")
        quit_app(term)
    finally:
        term.close()
    path, tty = seen.read_text().split()
    assert tty == "tty" and not Path(path).exists() and not Path(path).parent.exists()
    with Journal.open(journal_path, readonly=True) as journal:
        (entry,) = journal.interactions(ana.id)
        assert entry.text == "Rewritten by the editor: typed first"


@pytest.mark.skipif(TMUX is None, reason="tmux is not installed (CI installs it: .ci/run)")
@pytest.mark.skipif(not NETJOURNAL.exists(), reason=f"the netjournal command is not installed in {NETJOURNAL.parent}")
def test_a_remapped_key_in_a_real_terminal(tmp_path: Path) -> None:
    """``netjournal config set keymap.capture.open x``: x opens quick capture (the footer and
    the help showing it: tests/app/test_keymap.py)."""
    from netjournal.domain.model import Contact

    journal_path = tmp_path / "journal.json"
    with Journal.open(journal_path) as journal:
        ana = journal.add_contact(Contact(name="Ana Tmux"))
    env = private_env(tmp_path)
    done = subprocess.run(
        [str(NETJOURNAL), "--journal", str(journal_path), "config", "set", "keymap.capture.open", "x"],
        capture_output=True, text=True, env={**os.environ, **env}, timeout=60,
    )
    assert done.returncode == 0, done.stderr
    term = Terminal([str(NETJOURNAL), "--journal", str(journal_path)], env)
    try:
        term.wait_for("Ana Tmux")
        term.keys("x")
        term.wait_for("enter save")  # the capture line is open
        term.type("coffee with @Ana #remapped")
        term.wait_for("coffee with @Ana #remapped")
        term.keys("Enter")
        term.wait_for("Saved")
        quit_app(term)
    finally:
        term.close()
    with Journal.open(journal_path, readonly=True) as journal:
        (entry,) = journal.interactions(ana.id)
        assert entry.tags == ["remapped"]
