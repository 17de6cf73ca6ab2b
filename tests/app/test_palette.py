"""The command palette's "jump to contact": names are data, matching ignores case and accents."""

from __future__ import annotations

from pathlib import Path

from conftest import TODAY, make_app, ready, settle, type_text
from textual.command import CommandList

from netjournal.domain.model import Contact
from netjournal.store import Journal
from netjournal.tui.app import NetjournalApp
from netjournal.tui.screens.main import MainScreen


def _hits(app: NetjournalApp, *, with_help: bool = False) -> list[str]:
    """The palette's hits as shown: their titles, or whole (with the help line beneath)."""
    found = app.screen.query_one(CommandList)
    shown = [str(found.get_option_at_index(i).prompt) for i in range(found.option_count)]
    return shown if with_help else [hit.split("\n")[0] for hit in shown]


async def _search(pilot: object, text: str) -> None:
    await pilot.press("ctrl+p")  # type: ignore[attr-defined]
    await settle(pilot)  # type: ignore[arg-type]
    await type_text(pilot, text)  # type: ignore[arg-type]
    await pilot.pause(0.4)  # type: ignore[attr-defined]


async def test_a_name_with_markup_shows_literally_in_the_palette(journal_path: Path) -> None:
    with Journal.open(journal_path, today=TODAY) as journal:
        journal.add_contact(Contact(name="[bold red]x[/] Test"))
    app = make_app(journal_path, label="journal.json")
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            await ready(pilot)
            await _search(pilot, "jump test")
            assert "Jump to [bold red]x[/] Test" in _hits(app)
    finally:
        app.close_journal()


async def test_jump_finds_people_without_their_accents_and_by_alias(app: NetjournalApp) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await _search(pilot, "eva")
        assert _hits(app)[0] == "Jump to Éva Nagy"
        await pilot.press("enter")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, MainScreen)
        assert screen.contacts.current is not None and screen.contacts.current.name == "Éva Nagy"


async def test_people_who_share_a_name_are_told_apart_by_organisation(journal_path: Path) -> None:
    with Journal.open(journal_path, today=TODAY) as journal:
        journal.add_contact(Contact(name="Zoe Park", org="Lumen"))
        journal.add_contact(Contact(name="Zoe Park", org="Northwind", circle="close"))
    app = make_app(journal_path, label="journal.json")
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            await ready(pilot)
            await _search(pilot, "jump zoe park")
            both = [hit for hit in _hits(app, with_help=True) if hit.startswith("Jump to Zoe Park")]
            assert len(both) == 2 and any("Lumen" in h for h in both) and any("Northwind · close" in h for h in both)
    finally:
        app.close_journal()


async def test_an_action_with_two_keys_names_both(app: NetjournalApp) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await _search(pilot, "capture")
        assert any("key: a / :" in hit for hit in _hits(app, with_help=True))
