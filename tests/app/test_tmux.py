"""The installed ``netjournal`` in a real terminal (tmux): type a contact and an interaction,
quit, and check the journal file; a contact named like markup shows literally."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import uuid
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
        time.sleep(0.2)
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


@pytest.mark.skipif(TMUX is None, reason="tmux is not installed (CI installs it: .ci/run)")
@pytest.mark.skipif(not NETJOURNAL.exists(), reason=f"the netjournal command is not installed in {NETJOURNAL.parent}")
def test_typing_in_a_real_terminal(tmp_path: Path) -> None:
    journal_path = tmp_path / "journal.json"
    env = {"TERM": "xterm-256color", "HOME": str(tmp_path), "LANG": os.environ.get("LANG", "C.UTF-8")}
    term = Terminal([str(NETJOURNAL), "--journal", str(journal_path)], env)
    try:
        term.wait_for("No contacts yet")
        term.keys("c")
        term.wait_for("New contact")
        term.type("[bold red]x[/]")
        term.keys("C-s")
        shown = term.wait_for("Saved")
        assert "[bold red]x[/]" in shown  # literally, in the list and the card
        term.keys("c")
        term.wait_for("New contact")
        term.type("Ana Tmux")
        term.keys("C-s")
        term.wait_for("Saved Ana Tmux")
        term.keys("n")
        term.wait_for("New interaction")
        time.sleep(0.5)  # let the form finish mounting: a Tab sent earlier can be lost under load
        for _ in range(6):  # Date -> Kind -> People -> Time spent -> Follow up -> Tags -> Notes
            term.keys("Tab")
            time.sleep(0.25)
        term.type("Met in tmux")
        term.keys("C-s")
        term.wait_for("Saved the meal")
        term.keys("q")
        end = time.monotonic() + 20
        while term.alive() and time.monotonic() < end:
            time.sleep(0.1)
        assert not term.alive(), f"netjournal did not quit on q; the screen was:\n{term.screen()}"
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
