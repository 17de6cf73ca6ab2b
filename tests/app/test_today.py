"""Pilot tests of the insight views (Today, circles, who knows what) and the ledger verdict,
on the demo journal with a fixed today."""

from __future__ import annotations

import asyncio
import io
import time
from datetime import timedelta
from pathlib import Path

import pytest
from conftest import TODAY, read_journal, ready, settle, type_text
from rich.console import Console
from textual import events
from textual.command import CommandList, CommandPalette
from textual.geometry import Region
from textual.pilot import Pilot
from textual.widget import Widget

from netjournal.domain.model import Interaction
from netjournal.store.views import Insights
from netjournal.tui.app import NetjournalApp
from netjournal.tui.screens.circles import CirclesScreen
from netjournal.tui.screens.editors import ContactForm, InteractionForm
from netjournal.tui.screens.help import HelpScreen
from netjournal.tui.screens.insight import FRESH_WAIT
from netjournal.tui.screens.main import MainScreen
from netjournal.tui.screens.today import TodayScreen
from netjournal.tui.screens.who import WhoScreen
from netjournal.tui.widgets.rows import RowList

ANA, CARLA, DAVID, FARID, GRACE = "c-demo01", "c-demo03", "c-demo04", "c-demo06", "c-demo07"


def shown(widget: Widget) -> str:
    region = Region(0, 0, widget.size.width, widget.size.height)
    return "\n".join(strip.text for strip in widget.render_lines(region))


def rows(app: NetjournalApp, section: str) -> list[str]:
    """The text of the person rows of one section of the view in front."""
    view = app.screen.query_one(RowList)
    return [view.render_row(i, 100).plain for i, r in enumerate(view.rows) if r.section == section and r.selectable]


def ids(app: NetjournalApp, section: str) -> list[str]:
    return [r.contact_id for r in app.screen.query_one(RowList).rows if r.section == section and r.selectable]


async def open_view(pilot: Pilot[object], key: str) -> None:
    await ready(pilot)
    await pilot.press(key)
    await settle(pilot)


async def move_to(pilot: Pilot[object], section: str, contact_id: str) -> None:
    """Put the cursor of the view's list on a person's row in a section (with j)."""
    view = pilot.app.screen.query_one(RowList)
    for _ in range(len(view.rows)):
        row = view.current
        if row is not None and row.section == section and row.contact_id == contact_id:
            return
        await pilot.press("j")
    raise AssertionError(f"no row for {contact_id} in {section}")


# ---------------------------------------------------------------- Today


async def test_today_shows_overdue_due_gestures_and_suggestion(app: NetjournalApp) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        await open_view(pilot, "t")
        assert isinstance(app.screen, TodayScreen)
        # Most overdue first, with how overdue and their cadence.
        assert ids(app, "overdue") == [DAVID, FARID, "c-demo05", "c-demo09", GRACE]
        david = rows(app, "overdue")[0]
        assert "David Okafor" in david and "quarterly" in david and "39 d overdue" in david
        due = rows(app, "due")
        assert any("Ana Silva" in r and "in 5 days" in r and "birthday, turns 38" in r for r in due)
        assert any("David Okafor" in r and "in 11 days" in r and "birthday" in r for r in due)
        assert any("Éva Nagy" in r and "5 days late" in r and "follow up" in r for r in due)
        assert ids(app, "gesture")[0] == GRACE  # you mostly receive from Grace: the most one-sided
        serve = rows(app, "serve")
        assert len(serve) == 1 and "Carla Mendes" in serve[0] and "needs: hiring a staff engineer" in serve[0]
        assert app.screen.query_one(RowList).current is not None  # the cursor starts on the suggestion
        week = shown(app.screen.query_one("#week-pane"))
        assert "1h of 2h" in week
        assert "inner" in week and "8h08" in week
        assert ids(app, "help")[:2] == [ANA, CARLA]  # whom can I help: open needs


async def test_t_and_escape_go_back_to_the_main_screen(app: NetjournalApp) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        await open_view(pilot, "t")
        await pilot.press("t")
        assert isinstance(app.screen, MainScreen)
        await pilot.press("t")
        await settle(pilot)
        await pilot.press("escape")
        assert isinstance(app.screen, MainScreen)


async def test_snooze_hides_an_overdue_person_saves_it_and_undo_brings_them_back(app: NetjournalApp, journal_path: Path) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        await open_view(pilot, "t")
        await move_to(pilot, "overdue", FARID)
        await pilot.press("z")
        await settle(pilot)
        assert FARID not in ids(app, "overdue")
        assert ids(app, "overdue") == [DAVID, "c-demo05", "c-demo09", GRACE]
        with read_journal(journal_path) as journal:
            assert journal.contact(FARID).snoozed_until == (TODAY + timedelta(days=14)).isoformat()
        await pilot.press("u")
        await settle(pilot)
        assert FARID in ids(app, "overdue")
        with read_journal(journal_path) as journal:
            assert journal.contact(FARID).snoozed_until == ""


async def test_enter_jumps_to_the_person_on_the_main_screen(app: NetjournalApp) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        await open_view(pilot, "t")
        await move_to(pilot, "overdue", FARID)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)
        assert app.main_screen.selected_id == FARID
        assert app.main_screen.contacts.current is not None and app.main_screen.contacts.current.id == FARID


async def test_n_logs_an_interaction_and_today_follows(app: NetjournalApp, journal_path: Path) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        await open_view(pilot, "t")
        await move_to(pilot, "overdue", DAVID)
        await pilot.press("n")
        await settle(pilot)
        assert isinstance(app.screen, InteractionForm)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, TodayScreen)
        assert DAVID not in ids(app, "overdue")  # any interaction restarts the clock
        with read_journal(journal_path) as journal:
            assert journal.last_contact(DAVID) == TODAY.isoformat()


async def _log_with_david(app: NetjournalApp) -> None:
    """A change made on the main screen while the view is away (as the editor saves one)."""
    assert app.journal is not None
    app.journal.add_interaction(Interaction(date=TODAY.isoformat(), contact_ids=[DAVID], kind="call", minutes=20))
    app.main_screen.reload(keep=True)


def _slow_compute(monkeypatch: pytest.MonkeyPatch, seconds: float) -> None:
    original = TodayScreen.compute

    def slow(self: TodayScreen, insights: Insights) -> object:
        time.sleep(seconds)  # in the worker thread: a big journal catching up
        return original(self, insights)

    monkeypatch.setattr(TodayScreen, "compute", slow)


async def test_a_view_opened_again_after_a_change_comes_up_with_the_new_data(app: NetjournalApp) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        await open_view(pilot, "t")
        assert DAVID in ids(app, "overdue")
        await pilot.press("escape")
        await settle(pilot)
        await _log_with_david(app)
        seen: list[list[str]] = []
        app.post_message(events.Key("t", "t"))
        for _ in range(400):  # what the view holds the first time it is in front
            if isinstance(app.screen, TodayScreen):
                seen.append(ids(app, "overdue"))
                break
            await asyncio.sleep(0.002)
        assert seen and DAVID not in seen[0]  # never the old list, not even for one frame


async def test_a_slow_computation_shows_the_old_data_first_then_the_new(
    app: NetjournalApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        await open_view(pilot, "t")
        await pilot.press("escape")
        await settle(pilot)
        await _log_with_david(app)
        _slow_compute(monkeypatch, FRESH_WAIT * 4)
        await pilot.press("t")
        await pilot.pause(FRESH_WAIT * 2)
        assert isinstance(app.screen, TodayScreen)  # the key is not held up for long
        assert DAVID in ids(app, "overdue")  # meanwhile, the view as it was
        await settle(pilot)
        assert DAVID not in ids(app, "overdue")


async def test_a_key_pressed_while_the_view_computes_wins(app: NetjournalApp, monkeypatch: pytest.MonkeyPatch) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        await open_view(pilot, "t")
        await pilot.press("escape")
        await settle(pilot)
        await _log_with_david(app)
        _slow_compute(monkeypatch, FRESH_WAIT / 2)
        app.post_message(events.Key("t", "t"))
        app.post_message(events.Key("c", "c"))  # c: a new contact, before the view has its data
        await settle(pilot)
        await pilot.pause(FRESH_WAIT)
        assert isinstance(app.screen, ContactForm)  # the view did not come up over the form
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)
        await pilot.press("t")
        await settle(pilot)
        assert isinstance(app.screen, TodayScreen) and DAVID not in ids(app, "overdue")


async def test_help_and_palette_know_the_view_keys(app: NetjournalApp) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        await open_view(pilot, "t")
        await pilot.press("question_mark")
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)
        console = Console(width=120, record=True, file=io.StringIO())
        console.print(app.screen.table())
        text = console.export_text()
        assert "Snooze the selected person for 2 weeks" in text and "Who knows what (w)" in text
        await pilot.press("escape", "ctrl+p")
        await settle(pilot)
        await type_text(pilot, "snooze")
        await settle(pilot)
        assert isinstance(app.screen, CommandPalette)
        hits = app.screen.query_one(CommandList)
        prompts = [str(hits.get_option_at_index(i).prompt) for i in range(hits.option_count)]
        assert any("Snooze the selected person" in p for p in prompts)


# ---------------------------------------------------------------- circles and who


async def test_circles_group_people_and_mark_the_drifting(app: NetjournalApp) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        await open_view(pilot, "C")
        assert isinstance(app.screen, CirclesScreen)
        assert ids(app, "circle:inner") == [ANA]
        assert ids(app, "circle:close") == ["c-demo02", CARLA, GRACE]
        grace = rows(app, "circle:close")[2]
        assert "drifting" in grace and "-9.8" in grace and "you mostly receive" in grace
        assert "drifting" not in rows(app, "circle:inner")[0]
        assert set(ids(app, "circle:acquaintance")) == {FARID, "c-demo09", "c-demo12"}
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, MainScreen) and app.main_screen.selected_id == ANA


async def test_who_ranks_people_by_topic_and_enter_jumps(app: NetjournalApp) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        await open_view(pilot, "w")
        assert isinstance(app.screen, WhoScreen)
        assert ids(app, "help")  # with nothing typed: whom can I help
        await type_text(pilot, "design")
        await settle(pilot)
        assert ids(app, "who") == [ANA, "c-demo08"]
        assert "#design" in rows(app, "who")[0] and "mentions" in rows(app, "who")[0]
        await pilot.press("enter", "j", "enter")  # to the results, Hiro, go
        await settle(pilot)
        assert isinstance(app.screen, MainScreen) and app.main_screen.selected_id == "c-demo08"


async def test_who_says_when_nobody_matches(app: NetjournalApp) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        await open_view(pilot, "w")
        await type_text(pilot, "zzyzx")
        await settle(pilot)
        assert ids(app, "who") == []
        assert "nobody you know mentions 'zzyzx' yet" in shown(app.screen.query_one(RowList))


# ---------------------------------------------------------------- the ledger pane


async def test_ledger_pane_shows_the_weighted_verdict(app: NetjournalApp) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        summary = app.main_screen.query_one("#ledger-summary")
        text = shown(summary)
        assert "interdependent" in text and "gave 5.9 · received 5.4" in text
        assert "balance" in text and "kind" in text  # the column names
        for _ in range(6):  # down to Grace Liu
            await pilot.press("j")
        await settle(pilot)
        assert app.main_screen.selected_id == GRACE
        assert "you mostly receive" in shown(summary)
        await pilot.press("o")
        await settle(pilot)
        assert "3 you mostly receive" in shown(summary)


async def test_a_first_visit_comes_up_with_its_data(app: NetjournalApp, monkeypatch: pytest.MonkeyPatch) -> None:
    """The data is computed before the screen is pushed: the view never asks again on mount (which
    would draw it empty, then again)."""
    from netjournal.tui.screens.insight import InsightScreen
    from netjournal.tui.screens.today import TodayScreen

    asked: list[str] = []
    original = InsightScreen.load

    def load(self: InsightScreen) -> None:
        asked.append(type(self).__name__)
        original(self)

    monkeypatch.setattr(InsightScreen, "load", load)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await settle(pilot)
        await pilot.press("t")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, TodayScreen)
        assert asked == [], asked
        assert screen.loads == 1 and screen.view_list.row_count > 5


async def test_a_view_opened_before_the_insights_are_made_shows_them_once_they_are(
    app: NetjournalApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``t`` in the first moments (the insights are made after the first frame): the view
    says it is working it out, then shows its data, without another key."""
    from netjournal.tui.loader import JournalLoader
    from netjournal.tui.screens.today import TodayScreen

    held: list[tuple[JournalLoader, object]] = []
    original = JournalLoader.load_rest
    monkeypatch.setattr(JournalLoader, "load_rest", lambda self, people: held.append((self, people)))
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await pilot.press("t")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, TodayScreen) and screen.loads == 0 and app.insights is None
        loader, people = held[0]
        original(loader, people)  # type: ignore[arg-type]
        for _ in range(300):
            if screen.loads:
                break
            await pilot.pause(0.05)
        assert app.screen is screen and screen.loads >= 1 and screen.view_list.row_count > 5
