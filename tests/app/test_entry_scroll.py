"""The entry pane (the selected interaction's text on the main screen) scrolls from the
keyboard (issue 16): J / K a line, ctrl+d / ctrl+u half a page, wherever the focus is."""

from __future__ import annotations

from pathlib import Path

from conftest import TODAY, make_app, ready, settle
from textual.containers import VerticalScroll

from netjournal.domain.model import Contact, Interaction
from netjournal.store import Journal


async def test_the_entry_scrolls_from_the_keyboard(tmp_path: Path) -> None:
    path = tmp_path / "journal.json"
    text = "\n\n".join(f"Paragraph {n}: what we talked about." for n in range(1, 61))
    with Journal.open(path, today=TODAY) as journal:
        ana = journal.add_contact(Contact(name="Ana Long"))
        journal.add_interaction(Interaction(date="2026-10-30", contact_ids=[ana.id], kind="meal", text=text))
    app = make_app(path)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        view = app.main_screen.query_one("#entry-scroll", VerticalScroll)
        assert view.max_scroll_y > 20  # the text is longer than its pane
        assert app.focused is app.main_screen.contacts  # the focus stays where it is
        await pilot.press("J", "J", "J")
        await settle(pilot)
        assert view.scroll_y == 3
        await pilot.press("K")
        await settle(pilot)
        assert view.scroll_y == 2
        half = view.scrollable_content_region.height // 2
        await pilot.press("ctrl+d")
        await settle(pilot)
        assert view.scroll_y == 2 + half
        await pilot.press("ctrl+u", "ctrl+u")
        await settle(pilot)
        assert view.scroll_y == 0
        await pilot.press("2", "J")  # from the interactions list too
        await settle(pilot)
        assert view.scroll_y == 1 and app.focused is app.main_screen.interactions
    app.close_journal()
