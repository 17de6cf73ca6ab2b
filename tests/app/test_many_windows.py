"""The app beside other processes writing its journal (issue #14): shell commands are never
refused while it is open, what they change shows in the open window without a key pressed,
and undo in the window undoes the window's change only, saying so when someone else changed
the record since."""

from __future__ import annotations

import dataclasses
import os
import random
import subprocess
import sys
from pathlib import Path

from conftest import fill, ready, record_notifications, settle
from textual.pilot import Pilot

from netjournal.domain.model import Contact
from netjournal.store import Journal
from netjournal.tui.app import NetjournalApp
from netjournal.tui.screens.editors import ContactForm
from netjournal.tui.writes import SaveRecord

ANA = "c-demo01"
ROOT = Path(__file__).resolve().parents[2]


def shell(path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "NO_COLOR": "1"}
    return subprocess.run(
        [sys.executable, "-m", "netjournal", "--journal", str(path), *args],
        capture_output=True, text=True, env=env, timeout=60,
    )


def names(app: NetjournalApp) -> list[str]:
    return [c.name for c in app.main_screen.contacts.contacts]


async def until(pilot: Pilot[object], seen: object) -> None:
    """Let the app run until ``seen()`` holds (its timer looks twice a second), at most ~10 s."""
    for _ in range(100):
        if seen():  # type: ignore[operator]
            return
        await pilot.pause(0.1)


async def test_a_shell_command_writes_while_the_app_is_open_and_the_app_shows_it(
    app: NetjournalApp, journal_path: Path
) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        r = shell(journal_path, "contact", "add", "Zoë Shell")
        assert r.returncode == 0, r.stderr  # not refused: the app holds no lock while idle
        await until(pilot, lambda: "Zoë Shell" in names(app))
        assert "Zoë Shell" in names(app)
        r = shell(journal_path, "log", "coffee with @Zoë 30m")
        assert r.returncode == 0, r.stderr
        journal = app.journal
        assert journal is not None
        zoe = next(c.id for c in journal.contacts() if c.name == "Zoë Shell")
        app.main_screen.jump_to(zoe)
        await until(pilot, lambda: app.main_screen.interactions.row_count == 1)
        assert app.main_screen.interactions.row_count == 1


async def test_the_app_and_shell_commands_write_at_random_moments_and_nothing_is_lost(
    app: NetjournalApp, journal_path: Path
) -> None:
    """200 rounds: 100 saves in the window, 100 shell-like processes' saves (each opens the
    journal, saves, and folds as it closes), at random moments."""
    rng = random.Random()
    script = (
        "import sys\nfrom netjournal.domain.model import Contact\nfrom netjournal.store import Journal\n"
        "for n in range(int(sys.argv[2])):\n"
        "    with Journal.open(sys.argv[1]) as j:\n"
        "        j.add_contact(Contact(name=f'Shell {n}'))\n"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        writer = subprocess.Popen([sys.executable, "-c", script, str(journal_path), "100"], env=env)
        for n in range(100):
            app.main_screen.ask(SaveRecord(Contact(name=f"Window {n}")))
            await pilot.pause(rng.random() * 0.03)
        assert writer.wait(timeout=60) == 0
        expected = {f"Shell {n}" for n in range(100)} | {f"Window {n}" for n in range(100)}
        await until(pilot, lambda: expected <= set(names(app)))
        assert expected <= set(names(app))
    with Journal.open(journal_path, readonly=True) as j:
        assert expected <= {c.name for c in j.contacts()}


async def test_undo_in_the_window_says_so_when_a_shell_command_changed_the_record(
    app: NetjournalApp, journal_path: Path
) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        messages = record_notifications(app)
        journal = app.journal
        assert journal is not None
        app.main_screen.ask(SaveRecord(dataclasses.replace(journal.contact(ANA), role="Head of design")))
        await settle(pilot)
        with Journal.open(journal_path) as other:  # another process, as `netjournal contact edit` would
            other.update_contact(dataclasses.replace(other.contact(ANA), role="Founder"))
        await pilot.press("u")
        await settle(pilot)
        assert "changed since" in messages[-1]
        assert journal.contact(ANA).role == "Founder"
    with Journal.open(journal_path, readonly=True) as j:
        assert j.contact(ANA).role == "Founder"


async def test_a_form_saves_only_what_was_changed_in_it_over_what_another_process_saved_meanwhile(
    app: NetjournalApp, journal_path: Path
) -> None:
    """Concurrent edits of different fields of one person both survive: the form was opened
    before another process changed the organisation, and it changes the role."""
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await pilot.press("e")
        await settle(pilot)
        assert isinstance(app.screen, ContactForm)
        assert app.screen.value("name") == "Ana Silva"
        r = shell(journal_path, "contact", "edit", "Ana Silva", "--org", "Ωмега 東京")
        assert r.returncode == 0, r.stderr
        await fill(pilot, "role", "Head of design")
        await pilot.press("ctrl+s")
        await settle(pilot)
    with Journal.open(journal_path, readonly=True) as journal:
        ana = journal.contact(ANA)
        assert (ana.org, ana.role) == ("Ωмега 東京", "Head of design")
