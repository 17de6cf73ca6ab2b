"""Notifications do not stack up over the panes: one at a time, the newest replacing (issue 16)."""

from __future__ import annotations

from conftest import ready, settle
from textual.widgets._toast import Toast  # not exported by textual.widgets

from netjournal.tui.app import NetjournalApp


def toasts(app: NetjournalApp) -> list[str]:
    """The notifications on screen, as their text."""
    return [" ".join(str(toast.render()).split()) for toast in app.screen.query(Toast)]


async def test_the_newest_notification_replaces_the_one_showing(app: NetjournalApp) -> None:
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await ready(pilot)
        await pilot.press("u")  # each says what it did (or could not do)
        await settle(pilot)
        assert len(toasts(app)) == 1
        app.notify("first", markup=False)
        app.notify("second", severity="warning", markup=False)
        app.notify("third", markup=False)
        await settle(pilot)
        shown = toasts(app)
        assert len(shown) == 1 and "third" in shown[0]
