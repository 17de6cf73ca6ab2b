"""At 80x24 every pane and view is usable (issue 16): the ledger shows who and what (the
weight and the date go first), Today's lines keep their meaning."""

from __future__ import annotations

from conftest import ready, settle

from netjournal.tui.app import NetjournalApp
from netjournal.tui.screens.today import TodayScreen, WeekPane
from netjournal.tui.widgets.line_list import LineList
from netjournal.tui.widgets.panes import LedgerSummary


def drawn(widget: LineList) -> list[str]:
    """The list's rows as drawn at its width."""
    width = widget.scrollable_content_region.width
    return [widget.render_row(i, width).plain for i in range(widget.row_count)]


async def test_the_ledger_shows_what_at_80x24(app: NetjournalApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        await pilot.press("3")
        await settle(pilot)
        main = app.main_screen
        rows = drawn(main.favours)
        assert "→ gave" in rows[0] and "introduction" in rows[0] and "Introduced Ana" in rows[0]
        assert "●" not in rows[0]  # the weight went first...
        assert "what" in str(main.query_one("#ledger-summary", LedgerSummary).header)  # ...the header follows


async def test_the_ledger_of_everyone_shows_who_and_what_at_80x24(app: NetjournalApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        await pilot.press("3", "o")
        await settle(pilot)
        main = app.main_screen
        rows = drawn(main.favours)
        assert "Ana Silva" in rows[0] and "Introduced" in rows[0]  # who and what
        assert "2026-10-20" not in rows[0]  # the date went too
        header = str(main.query_one("#ledger-summary", LedgerSummary).header)
        assert "with" in header and "what" in header and "date" not in header


async def test_the_ledger_keeps_every_column_where_there_is_room(app: NetjournalApp) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await pilot.press("3", "o")
        await settle(pilot)
        row = drawn(app.main_screen.favours)[0]
        for seen in ("2026-10-20", "→ gave", "introduction", "●●●○○", "-12", "Ana Silva", "Introduced"):
            assert seen in row


async def test_todays_lines_keep_their_meaning_at_80x24(app: NetjournalApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        await pilot.press("t")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, TodayScreen)
        rows = drawn(screen.view_list)
        david = next(r for r in rows if "David Okafor" in r and "overdue" in r)
        assert "seen 130 days ago" in david and "39 d overdue" in david  # whole, the cadence left out
        assert any("Ana Silva" in r and "birthday, turns 38" in r for r in rows)
        assert any("Éva Nagy" in r and "5 days late" in r and "follow up: Asked" in r for r in rows)
        week = screen.query_one(WeekPane)
        lines = week.render().plain.splitlines()
        table = lines[next(i for i, line in enumerate(lines) if line.startswith("by circle")):]
        assert "16h32" in "".join(table) and any(line.startswith("on budget") for line in lines)
        assert all(len(line) <= week.content_size.width for line in table)  # the table's figures whole
