"""Pilot tests of an empty journal and of keys with nothing to act on: every view says how
to start, ``n`` with nobody to log with and ``e``/``d`` with nothing selected say so."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from conftest import TODAY, make_app, ready, settle
from textual.geometry import Region
from textual.widget import Widget

from netjournal.domain.model import Contact, Interaction
from netjournal.store import Journal
from netjournal.tui.app import NetjournalApp
from netjournal.tui.screens.circles import CirclesScreen
from netjournal.tui.screens.main import MainScreen
from netjournal.tui.screens.today import TodayScreen
from netjournal.tui.screens.who import WhoScreen
from netjournal.tui.widgets.rows import RowList

NO_PEOPLE = "No people yet: press esc, then c to add one"


def shown(widget: Widget) -> str:
    region = Region(0, 0, widget.size.width, widget.size.height)
    return "\n".join(strip.text for strip in widget.render_lines(region))


def told(app: NetjournalApp) -> list[str]:
    """The notifications shown, oldest first."""
    return [str(n.message) for n in app._notifications]


@pytest.fixture
def empty(tmp_path: Path) -> Iterator[NetjournalApp]:
    application = make_app(tmp_path / "journal.json", label="journal.json")
    yield application
    application.close_journal()


@pytest.fixture
def one(tmp_path: Path) -> Iterator[NetjournalApp]:
    """Ana, seen today; Bruno, never."""
    path = tmp_path / "journal.json"
    with Journal.open(path, today=TODAY) as journal:
        journal.add_contact(Contact(id="c-a", name="Ana", circle="inner", created="2026-01-01T00:00:00.000000Z"))
        journal.add_contact(Contact(id="c-b", name="Bruno", circle="close", created="2026-01-01T00:00:00.000000Z"))
        journal.add_interaction(Interaction(date=TODAY.isoformat(), contact_ids=["c-a"], kind="call", minutes=30))
        journal.add_interaction(Interaction(date=(TODAY - timedelta(days=1)).isoformat(), contact_ids=["c-a"], kind="call"))
    application = make_app(path, label="journal.json")
    yield application
    application.close_journal()


@pytest.mark.parametrize(("key", "screen"), [("C", CirclesScreen), ("t", TodayScreen), ("w", WhoScreen)])
async def test_every_view_of_an_empty_journal_says_how_to_start(empty: NetjournalApp, key: str, screen: type) -> None:
    async with empty.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await pilot.press(key)
        await settle(pilot)
        assert isinstance(empty.screen, screen)
        text = shown(empty.screen.query_one(RowList))
        assert NO_PEOPLE in text and "Working it out" not in text
        assert "in touch with everyone" not in text
        if key == "t":  # the week's time: nothing logged yet, against the budget
            assert "0m of 2h" in shown(empty.screen.query_one("#week-pane"))
        if key == "w":
            await pilot.press("down")  # from the topic box to the list
        await pilot.press("n")  # log, from the view: nobody to log with
        await settle(pilot)
        assert isinstance(empty.screen, screen) and told(empty)[-1] == NO_PEOPLE


async def test_n_g_and_r_with_nobody_to_log_with_say_how_to_add_someone(empty: NetjournalApp) -> None:
    async with empty.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        main = empty.main_screen
        assert "No contacts yet: press c to add one" in shown(main.contacts)
        assert "No favours yet: g records one given, r one received" in shown(main.favours)  # the ledger pane
        for key in ("n", "g", "r"):
            await pilot.press(key)
            await settle(pilot)
            assert isinstance(empty.screen, MainScreen), key  # no form with nobody to name
            assert told(empty)[-1] == "No people yet: press c to add one"


@pytest.mark.parametrize(("pane", "what"), [("1", "contact"), ("2", "interaction"), ("3", "favour")])
async def test_e_and_d_with_nothing_selected_say_so(empty: NetjournalApp, pane: str, what: str) -> None:
    async with empty.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await pilot.press(pane, "e")
        await settle(pilot)
        assert isinstance(empty.screen, MainScreen)
        assert told(empty)[-1].startswith(f"No {what} selected to edit: press ")
        await pilot.press("d")
        await settle(pilot)
        assert isinstance(empty.screen, MainScreen)  # no confirmation for nothing
        assert told(empty)[-1].startswith(f"No {what} selected to delete: press ")


async def test_counts_read_right_and_the_list_agrees_with_the_card(one: NetjournalApp) -> None:
    async with one.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        main = one.main_screen
        assert "today" in main.contacts.render_row(0, 40).plain  # Ana, seen today: not "0d"
        assert "0d" not in main.contacts.render_row(0, 40).plain
        assert "seen today" in shown(main.query_one("#card")) and "2 interactions" in shown(main.query_one("#card"))
        await pilot.press("j")
        await settle(pilot)
        assert "0 interactions" in shown(main.query_one("#card"))
        await pilot.press("C")
        await settle(pilot)
        rows = shown(one.screen.query_one(RowList))
        assert "1 person, 0 drifting" in rows
        assert one.screen.query_one("#circles-pane").border_subtitle.startswith("2 people")
        await pilot.press("t")
        await settle(pilot)
        assert "0 open needs" in one.screen.query_one("#today-pane").border_subtitle
