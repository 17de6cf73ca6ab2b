"""The footer shows the keys that apply where the focus is (issue 3), as one line."""

from __future__ import annotations

from typing import ClassVar

from conftest import ready, settle
from rich.style import Style
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.geometry import Region
from textual.screen import Screen
from textual.widgets import Input

from netjournal.tui.app import NetjournalApp
from netjournal.tui.screens.editors import InteractionForm
from netjournal.tui.screens.today import TodayScreen
from netjournal.tui.widgets.footer import KeyFooter


def footer_of(app: App[object]) -> KeyFooter:
    """The footer on screen: the front screen's, or (behind a dialog) the one under it."""
    for screen in reversed(app.screen_stack):
        found = screen.query(KeyFooter)
        if found:
            return found.first()
    raise AssertionError("no footer")


def footer(app: App[object]) -> str:
    """The footer's line as drawn."""
    widget = footer_of(app)
    return widget.render_lines(Region(0, 0, widget.size.width, 1))[0].text


async def test_main_screen_shows_the_contacts_keys_and_the_palette(app: NetjournalApp) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        line = footer(app)
        for shown in ("? Help", "1 2 3 Panes", "c Contact", "n Log", "g r Gave/Got", "/ Filter", "t Today"):
            assert shown in line
        assert line.rstrip().endswith("^p palette")  # the command palette key, on the right
        assert "Next pane" not in line and "Import" not in line  # show=False keys stay in the help
        assert len(line) == 120


async def test_footer_follows_the_focus_into_the_filter_and_back(app: NetjournalApp) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await pilot.press("slash")
        await settle(pilot)
        assert isinstance(app.focused, Input)
        line = footer(app)
        assert "esc Clear filter" in line and "↓ To the list" in line and "^p palette" in line
        assert "c Contact" not in line  # typing c writes a c here: the key does not apply
        await pilot.press("escape")
        await settle(pilot)
        assert "c Contact" in footer(app) and "Clear filter" not in footer(app)


async def test_footer_shows_the_form_keys_while_a_form_is_open(app: NetjournalApp) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await pilot.press("n")
        await settle(pilot)
        assert isinstance(app.screen, InteractionForm)
        line = footer(app)
        assert "^s Save" in line and "esc Cancel" in line
        assert "c Contact" not in line and "t Today" not in line
        await pilot.press("escape")
        await settle(pilot)
        assert not isinstance(app.screen, InteractionForm)
        assert "c Contact" in footer(app) and "Save" not in footer(app)


async def test_views_show_their_own_keys(app: NetjournalApp) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await pilot.press("t")
        await settle(pilot)
        assert isinstance(app.screen, TodayScreen)
        line = footer(app)
        for shown in ("⏎ Go to", "esc Back", "z Snooze 2w", "C Circles", "^p palette"):
            assert shown in line
        assert "c Contact" not in line
        await pilot.press("w")  # who knows what: the focus starts in the topic box
        await settle(pilot)
        assert "↓ To the results" in footer(app) and "n Log" not in footer(app)
        await pilot.press("down")
        await settle(pilot)
        assert "n Log" in footer(app) and "⏎ Go to" in footer(app)
        await pilot.press("escape")
        await settle(pilot)
        assert "c Contact" in footer(app)


async def test_a_narrow_footer_leaves_keys_out_whole(app: NetjournalApp) -> None:
    async with app.run_test(size=(60, 24)) as pilot:
        await ready(pilot)
        line = footer(app)
        assert len(line) == 60
        assert line.startswith(" ? Help") and line.rstrip().endswith("^p palette")
        left = line.split("▏")[0].split()
        assert "Panes" not in left and "Sort" not in left  # not room for every key...
        for kept in ("Log", "Today", "Capture", "Card"):  # ...but the most used stay (issue 16)
            assert kept in left
        words = {"?", "Help", "1", "2", "3", "Panes", "c", "Contact", "n", "Log", "g", "r", "Gave/Got", "e", "Edit",
                 "d", "Delete", "u", "Undo", "/", "Filter", "s", "Sort", "o", "Everyone", "t", "Today", "a",
                 "Capture", "p", "Card"}
        assert set(left) <= words  # ...and no key or word is cut in two
        assert left.index("Log") < left.index("Today") < left.index("Capture")  # in the order of the keys


async def test_a_small_terminal_keeps_the_most_used_keys(app: NetjournalApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        left = footer(app).split("▏")[0]
        for kept in ("? Help", "c Contact", "n Log", "e Edit", "/ Filter", "p Card", "t Today", "a Capture"):
            assert kept in left


async def test_clicking_a_key_presses_it(app: NetjournalApp) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        x = footer(app).index("t Today")
        await pilot.click(KeyFooter, offset=(x, 0))
        await settle(pilot)
        assert isinstance(app.screen, TodayScreen)


class Keys(Screen[None]):
    BINDINGS: ClassVar = [
        Binding("a", "one", "One", group=Binding.Group("Both", compact=True)),
        Binding("b", "two", "Two", group=Binding.Group("Both", compact=True)),
        Binding("x", "off", "Off"),
        Binding("y", "gone", "Gone"),
        Binding("ctrl+k", "shown", "Shown as", key_display="K!"),
    ]

    def compose(self) -> ComposeResult:
        yield KeyFooter()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return {"off": None, "gone": False}.get(action, True)


class KeysApp(App[None]):
    def on_mount(self) -> None:
        self.push_screen(Keys())


async def test_groups_key_display_and_disabled_keys() -> None:
    app = KeysApp()
    async with app.run_test(size=(80, 5)) as pilot:
        await pilot.pause()
        widget = footer_of(app)
        line = footer(app)
        assert line.startswith(" a b Both  x Off  K! Shown as")
        assert "Gone" not in line  # check_action False: hidden
        off = widget.items[1]
        assert off.description == "Off" and not off.enabled  # check_action None: shown dimmed
        drawn = widget.render_lines(Region(0, 0, 80, 1))[0]

        def colour(word: str) -> object:
            found = [seg.style for seg in drawn if seg.text.strip() == word]
            assert found and isinstance(found[0], Style)
            return found[0].color

        assert colour("Off") != colour("Shown as")  # Textual draws dim text in a fainter colour
