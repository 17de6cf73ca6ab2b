"""Pilot tests: ``/`` in the interactions pane searches the whole journal as you type."""

from __future__ import annotations

import threading
from pathlib import Path

from conftest import fill, read_journal, ready, settle, type_text
from textual.geometry import Region
from textual.widget import Widget

from netjournal.domain.query import parse_query
from netjournal.store import Journal
from netjournal.tui.app import NetjournalApp
from netjournal.tui.screens.editors import InteractionForm
from netjournal.tui.screens.main import MainScreen
from netjournal.tui.widgets.search import SearchInput

ANA = "c-demo01"


def main(app: NetjournalApp) -> MainScreen:
    return app.main_screen


def box(app: NetjournalApp) -> SearchInput:
    return main(app).query_one("#search", SearchInput)


def shown(widget: Widget) -> str:
    region = Region(0, 0, widget.size.width, widget.size.height)
    return "\n".join(strip.text for strip in widget.render_lines(region))


def result_ids(app: NetjournalApp) -> list[str]:
    lst = main(app).interactions
    assert lst.fetch is not None
    return [lst.fetch(i).id for i in range(lst.row_count)]


def expected(journal_path: Path, text: str) -> list[str]:
    with read_journal(journal_path) as journal:
        return journal.find(parse_query(text, journal.people_index()), indexed=False)


async def search(pilot: object, text: str) -> None:
    await pilot.press("2", "slash")  # type: ignore[attr-defined]
    await type_text(pilot, text)  # type: ignore[arg-type]
    await settle(pilot)  # type: ignore[arg-type]


async def test_slash_in_the_interactions_pane_searches_everyone_as_you_type(
    app: NetjournalApp, journal_path: Path,
) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await pilot.press("2", "slash")
        assert app.focused is box(app) and box(app).display
        seen: list[int] = []
        for key in "coff":
            await pilot.press(key)
            await settle(pilot)
            seen.append(main(app).interactions.row_count)
        ids = result_ids(app)
        assert ids == expected(journal_path, "coff") and len(ids) > 2
        with read_journal(journal_path) as journal:
            people = {cid for rid in ids for cid in journal.interaction(rid).contact_ids}
            dates = [journal.interaction(rid).date for rid in ids]
        assert len(people) > 1 and dates == sorted(dates, reverse=True)  # the whole journal, newest first
        assert seen[0] > seen[-1]  # each keystroke narrowed the list
        card = shown(main(app).query_one("#card"))
        assert f"{len(ids)} interactions, newest first" in card and "words starting coff" in card


async def test_slash_in_the_contacts_pane_still_filters_contacts(app: NetjournalApp) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await pilot.press("slash")
        assert app.focused is main(app).query_one("#filter")
        assert not box(app).display


async def test_person_tag_and_period_read_as_the_shell_reads_them(app: NetjournalApp, journal_path: Path) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        for text in ("@ana #design", '@"Éva Nagy" 2026-09', "#ux 2026-01..2026-09-30", "@grace lunch"):
            await search(pilot, text)
            assert result_ids(app) == expected(journal_path, text) != [], text
            await pilot.press("escape")
            await settle(pilot)


async def test_the_matched_words_are_highlighted(app: NetjournalApp) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await search(pilot, "coff work")
        lst = main(app).interactions
        row = lst.render_row(0, 80)
        match = lst.style("match")
        marked = [row.plain[s.start:s.end] for s in row.spans if s.style == match]
        assert marked == ["Coffee", "work"]


async def test_a_bad_query_says_so_in_one_line_and_keeps_the_text(app: NetjournalApp) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        for text, problem in (("coffee @zed", "no contact named 'zed'"), ("coffee 2026-13", "no such month: 2026-13")):
            await search(pilot, text)
            assert box(app).value == text and app.focused is box(app)
            card = shown(main(app).query_one("#card"))
            assert problem in card and card.count("\n") == 1  # the heading, then the one line
            assert main(app).interactions.row_count == 0
            await pilot.press("escape")
            await settle(pilot)


async def test_enter_goes_to_the_results_and_opens_one(app: NetjournalApp) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await search(pilot, "panel")
        await pilot.press("enter")
        assert app.focused is main(app).interactions
        await pilot.press("down")
        chosen = main(app).interactions.current
        assert chosen is not None
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, InteractionForm) and app.screen.entry.id == chosen.id


async def test_escape_returns_to_the_list_and_entry_you_were_on(app: NetjournalApp) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await pilot.press("2", "down", "down")
        lst = main(app).interactions
        before = (lst.row_count, lst.cursor, lst.current)
        await search(pilot, "lunch")
        assert lst.row_count != before[0]
        await pilot.press("enter", "down")  # into the results, and move there
        await pilot.press("escape")
        await settle(pilot)
        assert (lst.row_count, lst.cursor, lst.current) == before
        assert app.focused is lst and not box(app).display and box(app).value == ""
        assert main(app).query_one("#interactions-pane").border_title == "2 Interactions"
        assert "Ana Silva" in shown(main(app).query_one("#card"))


async def test_a_change_saved_from_the_results_keeps_the_search(app: NetjournalApp, journal_path: Path) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await search(pilot, "panel")
        await pilot.press("enter", "down")
        chosen = main(app).interactions.current
        assert chosen is not None
        await pilot.press("enter")
        await settle(pilot)
        await fill(pilot, "text", "Panel on hiring; a panel again.")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, MainScreen) and box(app).display and box(app).value == "panel"
        assert main(app).interactions.current is not None and main(app).interactions.current.id == chosen.id
        assert result_ids(app) == expected(journal_path, "panel")


async def test_typing_never_waits_for_a_search(app: NetjournalApp, monkeypatch: object) -> None:
    """A search that has not answered yet does not hold the keys back: they are typed, and
    only the answer for the whole text is shown."""
    gate = threading.Event()
    find = Journal.find

    def slow_find(self: Journal, *args: object, **kwargs: object) -> list[str]:
        if not gate.wait(5):  # on the app's thread this would hold every key (and the test) back
            raise RuntimeError("the search held the typing back")
        return find(self, *args, **kwargs)  # type: ignore[arg-type]

    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        monkeypatch.setattr(Journal, "find", slow_find)  # type: ignore[attr-defined]
        await pilot.press("2", "slash", *"design")
        await pilot.pause()
        assert box(app).value == "design"  # every key went in while the searches waited
        gate.set()
        await settle(pilot)
        assert "words starting design" in shown(main(app).query_one("#card"))
        assert result_ids(app) and all("design" in (i.text + " ".join(i.tags)).lower() for i in
                                       (main(app).interactions.fetch(n) for n in range(2)))  # type: ignore[misc]


async def test_the_help_screen_gives_the_grammar(app: NetjournalApp) -> None:
    from netjournal.tui.screens.help import HelpScreen

    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await pilot.press("question_mark")
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)
        table = app.screen.table()
        text = "\n".join(str(cell) for column in table.columns for cell in column.cells)
        for needle in ("In the search", "Search the whole journal as you type", '@"Ana Silva"', "#design",
                       "2026-03..2026-05", "Words: each starts a word of the text"):
            assert needle in text
