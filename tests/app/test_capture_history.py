"""The capture line remembers the last 100 lines saved (issue 16): up and down recall them;
kept private in the state folder the app is given (never beside the journal; the demo and
the tests keep theirs in memory); escape on a typed line asks first; the placeholder's
example names people of the journal."""

from __future__ import annotations

import stat
from datetime import date
from pathlib import Path

import pytest
from conftest import TODAY, ready, settle, type_text
from test_capture_prompt import preview
from textual.pilot import Pilot

from netjournal.config import Settings
from netjournal.domain.model import Contact
from netjournal.paths import capture_history_path
from netjournal.store import Journal
from netjournal.tui.app import NetjournalApp, create_app
from netjournal.tui.capture_history import LIMIT, CaptureHistory
from netjournal.tui.confirm import ConfirmScreen
from netjournal.tui.state import JournalSource
from netjournal.tui.widgets.capture import CaptureBar, CaptureInput
from netjournal.tui.widgets.capture_preview import example_names, placeholder


def app_with_state(journal_path: Path, state: Path) -> NetjournalApp:
    source = JournalSource(journal_path, state_dir=lambda: state)
    return create_app(Settings(), source, clock=lambda: TODAY)


async def save_line(pilot: Pilot[object], line: str) -> None:
    await pilot.press("a")
    await settle(pilot)
    await type_text(pilot, line)
    await settle(pilot)
    await pilot.press("enter")
    await settle(pilot)


def prompt(app: NetjournalApp) -> CaptureInput:
    return app.main_screen.query_one(CaptureInput)


async def test_up_and_down_recall_the_lines_saved(journal_path: Path, tmp_path: Path) -> None:
    state = tmp_path / "state" / "netjournal"
    app = app_with_state(journal_path, state)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await save_line(pilot, "call with @ana #one")
        await save_line(pilot, "lunch with @bruno #two")
        await pilot.press("a")
        await settle(pilot)
        await type_text(pilot, "half typ")
        await pilot.press("up")
        assert prompt(app).value == "lunch with @bruno #two"
        await pilot.press("up")
        assert prompt(app).value == "call with @ana #one"
        await pilot.press("up")  # nothing older: stays
        assert prompt(app).value == "call with @ana #one"
        await pilot.press("down", "down")
        assert prompt(app).value == "half typ"  # back to what was being typed
        assert prompt(app).cursor_position == len("half typ")
    app.close_journal()
    # kept privately, in the state folder it was given, for the next session
    path = capture_history_path(state, journal_path.absolute())
    assert stat.S_IMODE(path.stat().st_mode) == 0o600 and stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    assert not list(journal_path.parent.glob("*history*"))  # nothing beside the journal
    again = app_with_state(journal_path, state)
    async with again.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await pilot.press("a")
        await settle(pilot)
        await pilot.press("up")
        assert prompt(again).value == "lunch with @bruno #two"
    again.close_journal()


async def test_without_a_state_folder_the_history_stays_in_memory(app: NetjournalApp, tmp_path: Path) -> None:
    """The tests' and the demo's journals (no state folder given) write nothing anywhere."""
    assert app.source.state_dir is None and app.source.capture_history_file() is None
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await save_line(pilot, "call with @ana")
        await pilot.press("a")
        await settle(pilot)
        await pilot.press("up")
        assert prompt(app).value == "call with @ana"
    app.close_journal()


def test_the_history_keeps_the_last_100_distinct_lines(tmp_path: Path) -> None:
    history = CaptureHistory(tmp_path / "h.json")
    for n in range(150):
        history.add(f"call with @ana #{n}")
    history.add("call with @ana #120")  # again: it moves to the newest
    assert len(history.lines) == LIMIT and history.lines[-1] == "call with @ana #120"
    assert history.lines.count("call with @ana #120") == 1 and history.lines[0] == "call with @ana #50"
    reread = CaptureHistory(tmp_path / "h.json")
    assert reread.load() is None and reread.lines == history.lines


def test_an_unreadable_history_is_one_line_and_starts_again(tmp_path: Path) -> None:
    path = tmp_path / "h.json"
    path.write_bytes(b"{not json")
    history = CaptureHistory(path)
    problem = history.load()
    assert problem is not None and "\n" not in problem and history.lines == []


async def test_escape_on_a_typed_line_asks_first(app: NetjournalApp) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await pilot.press("a")
        await settle(pilot)
        await type_text(pilot, "coffee with @ana")
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")  # keep editing: nothing typed is lost
        await settle(pilot)
        bar = app.main_screen.query_one(CaptureBar)
        assert bar.is_open and prompt(app).value == "coffee with @ana" and app.focused is prompt(app)
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        assert not bar.is_open
        await pilot.press("a")  # an empty line closes at once
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
        assert not bar.is_open and not isinstance(app.screen, ConfirmScreen)
    app.close_journal()


async def test_escape_on_a_recalled_line_closes_at_once(app: NetjournalApp) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await save_line(pilot, "call with @ana")
        await pilot.press("a")
        await settle(pilot)
        await pilot.press("up")
        await pilot.press("escape")
        await settle(pilot)
        assert not app.main_screen.query_one(CaptureBar).is_open
    app.close_journal()


async def test_the_placeholder_names_people_of_the_journal(tmp_path: Path) -> None:
    path = tmp_path / "journal.json"
    with Journal.open(path, today=TODAY) as journal:
        for name in ("Зоя Петрова", "Kenji Sato", "[b]x[/b] Mallory"):
            journal.add_contact(Contact(name=name))
    app = create_app(Settings(), JournalSource(path), clock=lambda: date(2026, 11, 1))
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await pilot.press("a")
        await settle(pilot)
        shown = prompt(app).placeholder
        assert "@Kenji" in shown and "Зоя" in shown  # people of this journal (sorted by name)
        assert "ana" not in shown.lower() and "Carla" not in shown and "[b]" not in shown
        # the example under the prompt too (found by a fresh-clone trial: always @bruno and Carla)
        example = preview(app)
        assert "@Kenji" in example and "Зоя" in example
        assert "bruno" not in example.lower() and "Carla" not in example
    app.close_journal()


def test_example_names_are_first_names_that_read_as_one_word() -> None:
    names = ["@odd One", "Ana Silva", "Ana Costa", "42 Things", "יעל כהן", "Bruno"]
    assert example_names(names) == ["Ana", "יעל"]
    assert placeholder([]).startswith("yesterday: lunch with @name")
    assert "\u2068יעל\u2069" in placeholder(["Ana", "יעל"])  # isolated: a right-to-left name keeps its place


@pytest.mark.parametrize("demo", [True, False])
def test_the_command_gives_the_state_folder_to_a_real_journal_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, demo: bool
) -> None:
    """``netjournal`` keeps the history in the person's state folder; ``netjournal --demo`` nowhere."""
    from netjournal import paths
    from netjournal.cli import main
    from netjournal.tui import launch

    given: list[JournalSource] = []
    monkeypatch.setattr(launch, "run", lambda source, settings: given.append(source) or 0)
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    assert main(["--demo"] if demo else ["--journal", str(tmp_path / "journal.json")]) == 0
    (source,) = given
    if demo:
        assert source.state_dir is None and source.capture_history_file() is None
    else:
        assert source.state_dir is paths.state_dir
        found = source.capture_history_file()
        assert found is not None and found.parent == tmp_path / "state" / "netjournal"
