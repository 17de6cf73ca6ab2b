"""Start-up: the journal opens, its history loads and the insights are made, each in a
worker thread, each announced to the app by a message (:mod:`netjournal.tui.messages`).

1. :meth:`JournalLoader.open` opens the file and reads people (or the command did it
   already, see ``EarlyOpen``): :class:`JournalOpened`, or :class:`OpenFailed`.
2. Once the first frame shows the data (:class:`FirstFrame`), :meth:`JournalLoader.load_rest`
   parses the history (:class:`HistoryLoaded`), makes the insights (:class:`InsightsReady`)
   and computes the views a person opens most (:class:`ViewsWarm`). Waiting for the first
   frame keeps this thread from slowing it down.

The loader owns the journal until the app closes it: a journal that opens while the app is
already closing is closed at once, not lost.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from netjournal.errors import NetjournalError
from netjournal.services.people import People, read_people
from netjournal.tui.following import FOLLOW_EVERY_SECONDS, Follower
from netjournal.tui.messages import HistoryLoaded, InsightsReady, JournalOpened, LoadProblem, OpenFailed, ViewsWarm
from netjournal.tui.screens.unlock import UnlockScreen
from netjournal.tui.state import open_journal

if TYPE_CHECKING:
    from textual.app import App

    from netjournal.config import Settings
    from netjournal.sealing import Codec
    from netjournal.store.journal import Journal


class JournalLoader:
    def __init__(self, app: App[int], path: Path, today: date, settings: Settings) -> None:
        self._app = app
        self._path, self._today, self._settings = path, today, settings
        self._lock = threading.Lock()  # between the opening thread and close()
        self._closed = False
        self.journal: Journal | None = None
        self.codec: Codec | None = None  # an encrypted journal's (JournalSource.codec)
        self.unlock: Callable[[str], Codec] | None = None  # its passphrase asked here (JournalSource.unlock)

    def open(self) -> None:
        """Open the journal in a worker; the app hears :class:`JournalOpened` or :class:`OpenFailed`.
        An encrypted journal whose passphrase is asked in the app asks it first (UnlockScreen)."""
        if self.unlock is not None:
            screen = UnlockScreen(self.unlock, str(self._path))
            self._app.call_later(self._app.push_screen, screen, self._unlocked)
            return
        self._app.run_worker(self._open, thread=True, group="open", exclusive=True, description="open the journal")

    def _unlocked(self, codec: Codec | None) -> None:
        if codec is None:
            locked = f"{self._path} stays locked (no passphrase that opens it); nothing was changed"
            self._app.post_message(OpenFailed(locked))
            return
        self.codec, self.unlock = codec, None
        self.open()

    def _open(self) -> None:
        opened = open_journal(self._path, self._today, self.codec)
        if isinstance(opened, str):
            self._app.post_message(OpenFailed(opened))
        elif self.keep(opened[0]):
            self._app.post_message(JournalOpened(*opened))

    def keep(self, journal: Journal) -> bool:
        """Take charge of an open journal; False (and it is closed) if the app is closing."""
        with self._lock:
            if self._closed:
                journal.close()
                return False
            self.journal = journal
            return True

    def load_rest(self, people: People) -> None:
        """After the first frame: the history, the insights, the views (see the module's doc)."""
        journal = self.journal
        if journal is not None:
            # From now on, what other processes change is shown here (tui/following.py).
            self._app.set_interval(FOLLOW_EVERY_SECONDS, Follower(self._app, lambda: self.journal).tick)
            # (A description: by default Textual's decorator writes the repr of every argument.)
            # (Its own group: an exclusive worker cancels the others of its group, and the
            # opening worker may not have ended yet, though it has handed the journal over.)
            self._app.run_worker(
                lambda: self._rest(journal, people), thread=True, group="after-open", exclusive=True,
                description="after the first frame",
            )

    def _rest(self, journal: Journal, people: People) -> None:
        post = self._app.post_message
        if self._closed:
            return
        try:
            journal.load_history()
        except NetjournalError as exc:
            post(LoadProblem(str(exc)))
            return
        # The snapshot's last dates may have been overtaken by an edit it could not see (rare:
        # see JournalStorage.lazy_last); the parsed history is the truth.
        post(HistoryLoaded(read_people(journal, self._today).last_seen != people.last_seen))
        import rich.markdown  # noqa: F401  (the entry pane's, loaded here rather than on the UI thread)

        from netjournal.store.views import Insights
        from netjournal.tui.insight_data import warm

        insights = Insights(journal, self._settings)
        post(InsightsReady(insights))
        warm(insights, self._today)
        # The views' modules too: the ViewsWarm handler makes the views a person opens most.
        import netjournal.tui.screens.circles
        import netjournal.tui.screens.today
        import netjournal.tui.screens.who  # noqa: F401

        post(ViewsWarm(insights))  # the app makes the views, then freezes what start-up built

    def close(self) -> Journal | None:
        """The app is closing: hand back the journal (if open) and open no other."""
        with self._lock:
            self._closed = True
            journal, self.journal = self.journal, None
        return journal
