"""Pilot tests of the quick-capture prompt (keys a and :), checked against the journal."""

from __future__ import annotations

from pathlib import Path

from conftest import TODAY, read_journal, ready, settle, type_text
from textual.geometry import Region
from textual.pilot import Pilot
from textual.widget import Widget

from netjournal.domain.model import Contact
from netjournal.store import Journal
from netjournal.tui.app import NetjournalApp
from netjournal.tui.screens.help import HelpScreen
from netjournal.tui.widgets.capture import CaptureBar, CaptureInput

ANA = "c-demo01"
BRUNO = "c-demo02"


def shown(widget: Widget) -> str:
    """The text a widget draws on screen."""
    region = Region(0, 0, widget.size.width, widget.size.height)
    return "\n".join(strip.text.rstrip() for strip in widget.render_lines(region))


def bar(app: NetjournalApp) -> CaptureBar:
    return app.main_screen.query_one(CaptureBar)


def preview(app: NetjournalApp) -> str:
    return shown(app.main_screen.query_one("#capture-preview"))


async def capture(pilot: Pilot[object], line: str, key: str = "a") -> None:
    await ready(pilot)
    await pilot.press(key)
    await settle(pilot)
    await type_text(pilot, line)
    await settle(pilot)


def counts(path: Path) -> tuple[int, int, int]:
    with read_journal(path) as journal:
        return len(journal.contacts(archived=True)), journal.interaction_count(), len(journal.favours())


async def test_a_line_is_previewed_saved_and_selected(app: NetjournalApp, journal_path: Path) -> None:
    before = counts(journal_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("j")  # Bruno selected: the entry is Ana's, so the selection follows it
        await capture(pilot, "yesterday: coffee with @ana 45m #pricing +gave!3 intro to Carla")
        assert isinstance(app.focused, CaptureInput)
        text = preview(app)
        assert "date 2026-10-31 (Saturday 31 October)" in text and "kind meal" in text and "with Ana Silva" in text
        assert "note coffee with Ana Silva #pricing" in text
        assert "time 45m" in text and "tags #pricing" in text
        assert "favour given to Ana Silva: intro to Carla (introduction, weight 3)" in text
        assert "enter saves it" in text
        await pilot.press("enter")
        await settle(pilot)
        screen = app.main_screen
        assert not bar(app).is_open
        entry = screen.interactions.current
        assert entry is not None and entry.text == "coffee with Ana Silva #pricing"
        assert screen.selected_id == ANA and app.focused is screen.interactions
        assert screen.favours.row_count == len(screen.favours.ledger.rows)
    with read_journal(journal_path) as journal:
        saved = journal.interaction(entry.id)
        assert (saved.date, saved.kind, saved.contact_ids, saved.minutes, saved.tags) == ("2026-10-31", "meal", [ANA], 45, ["pricing"])
        favours = [f for f in journal.favours(ANA) if f.interaction_id == entry.id]
        assert [(f.direction, f.kind, f.weight, f.text) for f in favours] == [("given", "introduction", 3, "intro to Carla")]
    assert counts(journal_path) == (before[0], before[1] + 1, before[2] + 1)


async def test_u_undoes_a_capture_in_one_step(app: NetjournalApp, journal_path: Path) -> None:
    before = counts(journal_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await capture(pilot, "call @bruno +got advice on pricing +gave a book", key="colon")
        await pilot.press("enter")
        await settle(pilot)
        assert counts(journal_path) == (before[0], before[1] + 1, before[2] + 2)
        await pilot.press("u")
        await settle(pilot)
    assert counts(journal_path) == before


async def test_escape_closes_and_saves_nothing(app: NetjournalApp, journal_path: Path) -> None:
    before = counts(journal_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await capture(pilot, "lunch with @ana")
        await pilot.press("escape")  # a typed line: asks first (test_capture_history.py), y discards it
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        assert not bar(app).is_open
        assert app.focused is app.main_screen.contacts
        await pilot.press("a")  # opens empty again
        await settle(pilot)
        assert app.main_screen.query_one(CaptureInput).value == ""
    assert counts(journal_path) == before


async def test_an_impossible_date_is_named_and_nothing_is_saved(app: NetjournalApp, journal_path: Path) -> None:
    before = counts(journal_path)
    line = "2019-02-29: lunch with @ana"
    async with app.run_test(size=(120, 40)) as pilot:
        await capture(pilot, line)
        assert "✗ date: no such date: 2019-02-29" in preview(app)
        prompt = app.main_screen.query_one(CaptureInput)
        assert (0, 10) in [(s, e) for s, e, _ in prompt.spans.spans]  # the date is highlighted in the line
        await pilot.press("enter")
        await settle(pilot)
        assert bar(app).is_open and prompt.value == line
        assert "Not saved" in preview(app)
    assert counts(journal_path) == before


async def test_an_unknown_person_is_offered_and_created_with_ctrl_n(app: NetjournalApp, journal_path: Path) -> None:
    before = counts(journal_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await capture(pilot, "call @zoe_lima #intro +got referral")
        text = preview(app)
        assert "no contact named 'zoe_lima'" in text
        assert "ctrl+n: create Zoe Lima and save" in text
        await pilot.press("enter")  # refused: she is not a contact yet
        await settle(pilot)
        assert counts(journal_path) == before
        await pilot.press("ctrl+n")
        await settle(pilot)
        screen = app.main_screen
        assert not bar(app).is_open
        current = screen.contacts.current
        assert current is not None and current.name == "Zoe Lima" and screen.selected_id == current.id
        entry = screen.interactions.current
        assert entry is not None and entry.contact_ids == [current.id] and entry.kind == "call"
        assert counts(journal_path) == (before[0] + 1, before[1] + 1, before[2] + 1)
        await pilot.press("u")  # the person, the entry and the favour go together
        await settle(pilot)
    assert counts(journal_path) == before


async def test_an_ambiguous_person_lists_the_candidates(journal_path: Path, app: NetjournalApp) -> None:
    with Journal.open(journal_path, today=TODAY) as journal:
        journal.add_contact(Contact(name="Bruno Lopes"))
    async with app.run_test(size=(120, 40)) as pilot:
        await capture(pilot, "lunch with @bruno")
        text = preview(app)
        assert "could be Bruno Costa, Bruno Lopes" in text
        assert "ctrl+n" not in text  # nothing to create: the line needs a clearer name
        await type_text(pilot, "-lopes")
        await settle(pilot)
        assert "with Bruno Lopes" in preview(app) and "✗" not in preview(app)


async def test_user_text_is_shown_literally(app: NetjournalApp) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        await capture(pilot, "lunch @ana +gave [bold]a book[/bold] $text-error")
        assert "[bold]a book[/bold] $text-error" in preview(app)


async def test_help_lists_the_capture_grammar(app: NetjournalApp) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await pilot.press("question_mark")
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)
        text = shown(app.screen.query_one(".help-body Static"))
        for piece in ("Quick capture", "+gave intro to Carla", "+got!4 advice", "Create the unknown @people and save"):
            assert piece in text


async def test_question_mark_on_an_empty_line_shows_the_grammar_and_is_typed_elsewhere(app: NetjournalApp) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await pilot.press("a")
        await settle(pilot)
        await pilot.press("question_mark")
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)
        assert "Quick capture" in [title for title, _ in app.screen.sections]
        await pilot.press("escape")
        await settle(pilot)
        line = app.main_screen.query_one(CaptureInput)
        assert line.value == ""  # nothing was typed
        await type_text(pilot, "call with @ana?")
        assert line.value == "call with @ana?"
