"""The netjournal app: composition, global keys, the journal's lifetime, and the factory.

``create_app`` builds the app exactly as ``run`` does, for tests, snapshots and screenshots.
The journal opens in a worker thread after the first frame; the panes fill when it is ready.
"""

from __future__ import annotations

import gc
import os
import sys
import threading
import time
from datetime import date
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from textual import work
from textual.app import App
from textual.binding import Binding

if TYPE_CHECKING:
    from collections.abc import Sequence

    from textual.command import Provider
    from textual.filter import LineFilter
    from textual.notifications import SeverityLevel

    from netjournal.store.views import Insights
from textual.theme import Theme

from netjournal.config import Settings
from netjournal.errors import NetjournalError
from netjournal.paths import config_path
from netjournal.store.journal import Journal
from netjournal.tui.screens.confirm import ConfirmScreen
from netjournal.tui.screens.main import MainScreen
from netjournal.tui.state import EarlyOpen, People, open_journal, read_people
from netjournal.tui.textsafety import ControlFilter, safe_notification
from netjournal.tui.widgets.line_list import LineList
from netjournal.tui.widgets.panes import FilterInput

BENCH_ENV = "NETJOURNAL_BENCH_FIRST_DATA"  # a file: the app writes the time of its first data frame, then exits
COMPACT_EVERY_SECONDS = 60.0
REWARM_EVERY_SECONDS = 1.0  # how often the app looks for changes the insight views have not seen


def _action_commands() -> type[Provider]:
    from netjournal.tui.commands import ActionCommands  # the palette's modules load when it opens

    return ActionCommands


def _jump_to_contact() -> type[Provider]:
    from netjournal.tui.commands import JumpToContact

    return JumpToContact


class NetjournalApp(App[int]):
    CSS_PATH = "netjournal.tcss"
    TITLE = "netjournal"
    COMMANDS = App.COMMANDS | {_action_commands, _jump_to_contact}
    BINDINGS = [Binding("q", "quit", "Quit", id="app.quit")]  # ? (help) is the main screen's first key

    def __init__(
        self,
        journal_path: Path,
        *,
        today: date | None = None,
        demo: bool = False,
        label: str | None = None,
        early: EarlyOpen | None = None,
    ) -> None:
        super().__init__()
        self._early = early
        self.journal_path = Path(journal_path).expanduser().absolute()
        self.today = today or date.today()
        self.demo = demo
        self.config_file = config_path(self.journal_path)
        self.settings = Settings.load(self.config_file)
        self.journal: Journal | None = None
        self.closing_notices: list[str] = []
        self.insights: Insights | None = None  # the insight views (Today, circles, who), set with the journal
        self.startup_error: str | None = None
        self.crashed: Exception | None = None  # the first bug met, reported by ``run``
        self._closing = False
        self._screen_ready = False
        self._opened: tuple[Journal, People] | None = None
        self._delivered = False
        self._journal_lock = threading.Lock()
        self._first_frame = threading.Event()  # set once the panes have drawn the journal
        self._warm_revision = -1  # the journal revision the insight views were last computed at
        shown = label if label is not None else str(self.journal_path)
        self.sub_title = f"demo journal, a temporary copy · {shown}" if demo else shown
        self._control_filter = ControlFilter()  # one instance: Textual caches the filtered lines by filter

    # ------------------------------------------------------------------ no control character reaches the terminal
    def get_line_filters(self) -> Sequence[LineFilter]:
        """Textual's filters, then :class:`ControlFilter` on every line every widget draws."""
        return [*super().get_line_filters(), self._control_filter]

    def notify(
        self, message: str, *, title: str = "", severity: SeverityLevel = "information", timeout: float | None = None,
        markup: bool = True,
    ) -> None:
        """A notification, its message and title shown with their control characters visible."""
        message, title = safe_notification(message, title)
        super().notify(message, title=title, severity=severity, timeout=timeout, markup=markup)

    # ------------------------------------------------------------------ start
    async def on_mount(self) -> None:
        if self.settings.theme in self.available_themes:
            self.theme = self.settings.theme
        self.theme_changed_signal.subscribe(self, self._remember_theme)
        self.set_interval(COMPACT_EVERY_SECONDS, self._compact_when_idle)
        if self._early is not None:
            # Opened while the modules were imported (usually done by now): the first frame
            # shows the journal, and the screen is composed and drawn once.
            opened = self._early.wait()
            if isinstance(opened, str):
                self.startup_error = opened
                self.exit(None, 2)
                return
            journal, people = opened
            with self._journal_lock:
                self.journal = journal
            await self.push_screen(MainScreen(today=self.today, dayfirst=self.settings.dayfirst, opened=opened))
            self._screen_ready = True
            self._delivered = True  # (the screen tells first_frame_shown when it has drawn it)
            self._after_open(journal, people)
            return
        self._open_journal()  # in a thread, while the screen composes
        await self.push_screen(MainScreen(today=self.today, dayfirst=self.settings.dayfirst))
        self._screen_ready = True
        self._deliver()

    def _handle_exception(self, error: Exception) -> None:
        """A bug (an exception nothing handled) ends the app as Textual ends it (return code
        1; under a test's Pilot it is re-raised), but the terminal gets no traceback: ``run``
        prints one line instead (netjournal.crash; NETJOURNAL_DEBUG=1 writes the report).
        Textual 8 has no public hook for this: ``_handle_exception`` and ``_exit_renderables``
        (what it prints on exit) are private, so this override is checked by a test."""
        if self.crashed is None:
            self.crashed = error
        super()._handle_exception(error)
        self._exit_renderables.clear()

    @property
    def loaded(self) -> bool:
        """True once the main screen shows the journal's data."""
        return self._delivered

    @property
    def main_screen(self) -> MainScreen:
        for screen in self.screen_stack:
            if isinstance(screen, MainScreen):
                return screen
        raise LookupError("no main screen")

    @work(thread=True, exclusive=True, group="open")
    def _open_journal(self) -> None:
        opened = open_journal(self.journal_path, self.today)
        if isinstance(opened, str):
            self._fail(opened)
            return
        journal, people = opened
        with self._journal_lock:
            if self._closing:
                journal.close()
                return
            self.journal = journal
        self.call_from_thread(self._journal_opened, journal, people)
        self._continue(journal, people)

    # (A description: by default Textual's decorator writes the repr of every argument, here
    # everyone in the journal, on the UI thread.)
    @work(thread=True, exclusive=True, group="open", description="after the first frame")
    def _after_open(self, journal: Journal, people: People) -> None:
        self.show_notices()
        self._continue(journal, people)

    def _continue(self, journal: Journal, people: People) -> None:
        """(In the opening worker.) What waits for the first frame with data (this thread would
        slow it down): the interactions parsed and indexed, the Markdown renderer, the views."""
        self._first_frame.wait(timeout=5)
        if self._closing or os.environ.get(BENCH_ENV):
            return
        try:
            journal.load_history()
        except NetjournalError as exc:
            self.call_from_thread(self.notify, str(exc), severity="error", markup=False)
            return
        if read_people(journal, self.today).last_seen != people.last_seen:
            # The snapshot's record of last dates was overtaken by an edit it could not see
            # (rare: see JournalStorage.lazy_last); the parsed history is the truth.
            self.call_from_thread(self._people_changed)
        import rich.markdown  # noqa: F401  (the entry pane's, loaded here rather than on the UI thread)

        from netjournal.store.views import Insights
        from netjournal.tui.insight_data import warm

        insights = Insights(journal, self.settings)
        self._warm_revision = journal.revision
        self.insights = insights
        self.call_from_thread(self._insights_ready)
        warm(insights, self.today)
        # The views' modules too, and the views a person opens most, made with their data.
        import netjournal.tui.screens.circles
        import netjournal.tui.screens.today
        import netjournal.tui.screens.who  # noqa: F401

        self.call_from_thread(self._preinstall_views, insights)

        # What was built so far lives as long as the app: out of the collector's sight, so its
        # full passes (tens of milliseconds each, at random keystrokes) no longer walk it.
        gc.freeze()

    def _preinstall_views(self, insights: Insights) -> None:
        from netjournal.tui.screens.views import preinstall

        if self._delivered and not self._closing:
            preinstall(self.main_screen, insights)

    def _people_changed(self) -> None:
        if self._delivered and self.journal is not None:
            self.main_screen.reload(keep=True)

    def _insights_ready(self) -> None:
        if self._delivered:
            self.main_screen.insights_ready()
        self.set_interval(REWARM_EVERY_SECONDS, self._rewarm_views)

    def _rewarm_views(self) -> None:
        """After a change, bring the insight views up to date in a worker while the person
        is busy elsewhere, so that opening one later finds its data ready."""
        journal, insights = self.journal, self.insights
        if journal is None or insights is None or journal.revision == self._warm_revision:
            return
        self._warm_revision = journal.revision
        from netjournal.tui.insight_data import warm

        self.run_worker(
            partial(warm, insights, self.today), thread=True, group="rewarm", exclusive=True, exit_on_error=False
        )

    def _fail(self, message: str) -> None:
        self.startup_error = message
        self.call_from_thread(self._deliver)

    def _journal_opened(self, journal: Journal, people: People) -> None:
        self._opened = (journal, people)
        self._deliver()

    def _deliver(self) -> None:
        """Hand the data to the main screen once both it and the journal are ready."""
        if not self._screen_ready:
            return
        if self.startup_error:
            self.exit(None, 2)
            return
        if self._opened is None:
            return
        journal, people = self._opened
        self._opened = None
        self.main_screen.journal_ready(journal, people)
        self._now_delivered()
        self.show_notices()

    def _now_delivered(self) -> None:
        self._delivered = True
        self.call_after_refresh(self.first_frame_shown)

    def first_frame_shown(self) -> None:
        """The main screen has drawn the journal's data for the first time."""
        if not gc.isenabled():  # paused for the start-up by the command (cli/app.py)
            gc.freeze()  # what start-up built lives as long as the app: out of the passes' way
            gc.enable()
        self._first_frame.set()
        if os.environ.get(BENCH_ENV):
            self._bench_first_data()

    def _bench_first_data(self) -> None:
        Path(os.environ[BENCH_ENV]).write_text(f"{time.time():.6f}\n")
        self.exit(0)

    # ------------------------------------------------------------------ keys
    def action_help(self) -> None:
        from netjournal.tui.screens.form import FormScreen
        from netjournal.tui.screens.help import HelpScreen
        from netjournal.tui.screens.importer import ImportScreen
        from netjournal.tui.screens.merge import MergeScreen
        from netjournal.tui.screens.views import view_sections
        from netjournal.tui.widgets.capture import CaptureInput

        if isinstance(self.screen, HelpScreen):
            return
        sections = [
            ("Everywhere", self.BINDINGS),  # and ctrl+p
            ("Main screen", MainScreen.BINDINGS),
            ("In a list", LineList.BINDINGS),
            ("In the filter", FilterInput.BINDINGS),
            ("In a form", FormScreen.BINDINGS),
            ("In a question", ConfirmScreen.BINDINGS),
            ("Quick capture", CaptureInput.BINDINGS),
            ("Import and merge dialogs", [*ImportScreen.BINDINGS, *MergeScreen.BINDINGS]),
            *view_sections(),
        ]
        self.push_screen(HelpScreen(sections))

    # ------------------------------------------------------------------ housekeeping
    def _remember_theme(self, theme: Theme) -> None:
        if theme.name != self.settings.theme:
            self.settings.theme = theme.name
            try:
                self.settings.save(self.config_file)
            except OSError as exc:
                self.notify(f"could not save the theme: {exc.strerror or exc}", severity="warning", markup=False)

    def _compact_when_idle(self) -> None:
        journal = self.journal
        if journal is not None and not journal.readonly:

            def fold() -> None:
                journal.maybe_compact()
                if journal.notices:
                    self.call_from_thread(self.show_notices)

            self.run_worker(fold, thread=True, group="compact", exclusive=True, exit_on_error=False)

    def show_notices(self) -> None:
        """What the store had to say about the files (a fold postponed, a journal changed
        outside netjournal), each shown once."""
        journal = self.journal
        while journal is not None and journal.notices:
            self.notify(journal.notices.pop(0), severity="warning", timeout=10, markup=False)

    def close_journal(self) -> list[str]:
        """Close the journal; returns what it had left to say (said on the terminal once
        the app is gone)."""
        self._first_frame.set()  # let the opening worker finish
        with self._journal_lock:
            self._closing = True
            journal, self.journal = self.journal, None
        if journal is not None:
            try:
                journal.close()
            finally:
                self.closing_notices.extend(journal.notices)
                journal.notices.clear()
        return self.closing_notices

    def on_unmount(self) -> None:
        self.close_journal()


def create_app(
    journal_path: Path,
    *,
    today: date | None = None,
    demo: bool = False,
    label: str | None = None,
    early: EarlyOpen | None = None,
) -> NetjournalApp:
    """The app as ``run`` builds it (tests, snapshots and screenshots use this).

    ``today`` fixes the date (demo data, days since, natural dates); ``label`` replaces the
    journal's path in the header (stable snapshots)."""
    return NetjournalApp(journal_path, today=today, demo=demo, label=label, early=early)


def run(path: Path, demo: bool = False, early: EarlyOpen | None = None) -> int:
    """Open the app on ``path``; journal errors end as one line on stderr and exit code 2.
    ``early``: the journal already being opened (see ``EarlyOpen``)."""
    app = create_app(path, demo=demo, early=early)
    try:
        app.run()
    finally:
        for notice in app.close_journal():
            print(f"netjournal: note: {notice}", file=sys.stderr)
    if isinstance(app.crashed, NetjournalError):  # (an expected error nothing in the app caught)
        print(f"netjournal: {app.crashed}", file=sys.stderr)
        return app.crashed.exit_code
    if app.crashed is not None:
        from netjournal.crash import unexpected

        print(unexpected(app.crashed), file=sys.stderr)
        return 1
    if app.startup_error:
        print(f"netjournal: {app.startup_error}", file=sys.stderr)
        return 2
    return app.return_code or 0
