"""Changes made elsewhere (another window, a shell command, a scheduled job), shown here.

Every :data:`FOLLOW_EVERY_SECONDS` the app looks whether the journal's files changed since it
last caught up: two ``stat`` calls on the UI thread, nothing else while idle. If they did, a
worker applies the changes (``Journal.catch_up``: the new lines of the change log, or the
journal read again after another process folded it, its history then parsed again in that
worker) and every screen hears :class:`~netjournal.tui.messages.JournalChanged`: the panes
redraw keeping their selection, a view in front computes again. Changes another process made
that this one applied while it wrote (a write catches up first) are told the same way.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from netjournal.errors import NetjournalError
from netjournal.tui.messages import JournalChanged

if TYPE_CHECKING:
    from textual.app import App

    from netjournal.store.journal import Journal

FOLLOW_EVERY_SECONDS = 0.5


class Follower:
    """``journal()``: the open journal (None while it opens and once closed)."""

    def __init__(self, app: App[int], journal: Callable[[], Journal | None]) -> None:
        self._app = app
        self._journal = journal
        self._busy = False  # a worker is catching up
        self._told = 0  # the journal's count of outside changes last told to the screens
        self._problem = ""  # the last problem said (said once)

    def tick(self) -> None:
        """(The app's timer, on the UI thread.)"""
        journal = self._journal()
        if journal is None or self._busy:
            return
        if journal.changed_elsewhere():
            self._busy = True
            self._app.run_worker(
                lambda: self._catch_up(journal), thread=True, group="follow", exit_on_error=False,
                description="changes made elsewhere",
            )
        elif journal.news != self._told:
            self._tell(journal.news)

    def _catch_up(self, journal: Journal) -> None:
        """(A worker.) Apply what other processes wrote, then tell the screens."""
        try:
            journal.catch_up()
            if not journal.history_loaded:  # read whole again: parse it here, not on the UI thread
                journal.load_history()
        except NetjournalError as exc:
            if str(exc) != self._problem:
                self._problem = str(exc)
                self._app.call_from_thread(self._app.notify, str(exc), severity="warning", markup=False)
        finally:
            self._busy = False
        if journal.news != self._told:
            self._app.call_from_thread(self._tell, journal.news)

    def _tell(self, news: int) -> None:
        self._told = news
        for screen in self._app.screen_stack:
            screen.post_message(JournalChanged())
