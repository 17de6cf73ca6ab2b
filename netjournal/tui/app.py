"""The netjournal app: composition, global keys, the journal's lifetime, and the factory.

``create_app(settings, source, clock)`` builds everything (``netjournal.tui.launch.run``,
what the command calls, tests, snapshots and screenshots use it). The journal opens in a
worker (see :mod:`netjournal.tui.loader`), whose messages the app hands on to the main
screen. Changes arrive as :class:`~netjournal.tui.messages.Write` messages and are made
here, in one place (:func:`netjournal.tui.writes.perform`).
"""

from __future__ import annotations

import gc
from collections.abc import Callable
from dataclasses import replace
from datetime import date
from functools import partial
from typing import TYPE_CHECKING

from textual import on
from textual.app import App
from textual.binding import Binding

from netjournal.config import Settings
from netjournal.tui import messages as msg
from netjournal.tui.loader import JournalLoader
from netjournal.tui.preferences import apply_preferences, report_keymap
from netjournal.tui.screens.main import MainScreen
from netjournal.tui.state import JournalSource
from netjournal.tui.textsafety import SafeTextApp
from netjournal.tui.writes import perform

if TYPE_CHECKING:
    from textual.command import Provider

    from netjournal.store.journal import Journal
    from netjournal.store.views import Insights

COMPACT_EVERY_SECONDS = 60.0
EDITOR_WARNING = "This journal is encrypted: your editor will see this text in plain, in a file while you edit. Go on?"
REWARM_EVERY_SECONDS = 1.0  # how often the app looks for changes the insight views have not seen
Clock = Callable[[], date]


def _action_commands() -> type[Provider]:
    from netjournal.tui.commands import ActionCommands  # the palette's modules load when it opens

    return ActionCommands


def _jump_to_contact() -> type[Provider]:
    from netjournal.tui.commands import JumpToContact

    return JumpToContact


class NetjournalApp(SafeTextApp[int]):
    CSS_PATH = "netjournal.tcss"
    TITLE = "netjournal"
    COMMANDS = App.COMMANDS | {_action_commands, _jump_to_contact}
    BINDINGS = [Binding("q", "quit", "Quit", id="app.quit")]  # ? (help) is the main screen's first key

    def __init__(self, settings: Settings, source: JournalSource, today: date) -> None:
        super().__init__()
        self.settings = settings
        self.source = source
        self.today = today
        self.loader = JournalLoader(self, source.path, today, settings)
        self.loader.codec, self.loader.unlock = source.codec, source.unlock
        self.insights: Insights | None = None  # the insight views (Today, circles, who), made after the first frame
        self.loaded = False  # True once the main screen has drawn the journal's data
        self.startup_error: str | None = None
        self.crashed: Exception | None = None  # the first bug met, reported by ``run``
        self.closing_notices: list[str] = []
        # Asked before F4 writes a text out to an editor (an encrypted journal's text would be plain on disk).
        self.editor_warning: str | None = EDITOR_WARNING if source.encrypted else None
        self._warm_revision = -1  # the journal revision the insight views were last computed at
        self.sub_title = source.title

    @property
    def journal(self) -> Journal | None:
        """The open journal (None while it opens, and once closed)."""
        return self.loader.journal

    @property
    def main_screen(self) -> MainScreen:
        for screen in self.screen_stack:
            if isinstance(screen, MainScreen):
                return screen
        raise LookupError("no main screen")

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

    # ------------------------------------------------------------------ start-up
    async def on_mount(self) -> None:
        apply_preferences(self)  # the theme, the person's keys
        self.set_interval(COMPACT_EVERY_SECONDS, self._compact_when_idle)
        early = self.source.early
        if early is None:
            self.loader.open()  # in a thread, while the screen composes
            await self.push_screen(MainScreen(today=self.today, dayfirst=self.settings.dayfirst))
            return
        # Opened while the modules were imported (usually done by now): the first frame
        # shows the journal, and the screen is composed and drawn once.
        opened = early.wait()
        if isinstance(opened, str):
            self.post_message(msg.OpenFailed(opened))
        elif self.loader.keep(opened[0]):
            self.sub_title = self.source.title_on(opened[0].device)  # (shared between devices: this one's name)
            await self.push_screen(MainScreen(today=self.today, dayfirst=self.settings.dayfirst, opened=opened))

    def on_journal_opened(self, message: msg.JournalOpened) -> None:
        self.sub_title = self.source.title_on(message.journal.device)
        self.main_screen.journal_ready(message.journal, message.people)

    def on_open_failed(self, message: msg.OpenFailed) -> None:
        self.startup_error = message.problem
        self.exit(None, 2)

    def on_first_frame(self, message: msg.FirstFrame) -> None:
        if not gc.isenabled():  # paused for the start-up by the command (cli/app.py)
            gc.freeze()  # what start-up built lives as long as the app: out of the passes' way
            gc.enable()
        self.show_notices()
        report_keymap(self)  # what in the person's keymap cannot work, once
        self.loader.load_rest(self.main_screen.people)
        self.loaded = True

    def on_history_loaded(self, message: msg.HistoryLoaded) -> None:
        if message.people_changed:
            self.main_screen.reload(keep=True)

    def on_load_problem(self, message: msg.LoadProblem) -> None:
        self.notify(message.problem, severity="error", markup=False)

    def on_insights_ready(self, message: msg.InsightsReady) -> None:
        self.insights = message.insights
        self._warm_revision = self.journal.revision if self.journal is not None else -1
        self.main_screen.insights_ready()
        if self.screen is not self.main_screen:  # a view opened before they were ready
            self.screen.post_message(msg.InsightsReady(message.insights))
        self.set_interval(REWARM_EVERY_SECONDS, self._rewarm_views)

    def on_views_warm(self, message: msg.ViewsWarm) -> None:
        from netjournal.tui.screens.view_switch import preinstall

        if self.journal is not None:
            preinstall(self.main_screen, message.insights)
        gc.freeze()  # what start-up built lives as long as the app: out of the collector's full passes

    def _rewarm_views(self) -> None:
        """After a change, bring the insight views up to date in a worker (a later visit finds them ready)."""
        journal, insights = self.journal, self.insights
        if journal is None or insights is None or journal.revision == self._warm_revision:
            return
        self._warm_revision = journal.revision
        from netjournal.tui.insight_data import warm

        rewarm = partial(warm, insights, self.today)
        self.run_worker(rewarm, thread=True, group="rewarm", exclusive=True, exit_on_error=False)

    # ------------------------------------------------------------------ changes: the one place that writes
    def writable(self) -> Journal | None:
        """The journal, if changes can be saved now; else None, and the person is told why."""
        journal = self.journal
        if journal is None:
            self.notify("The journal is still opening…", severity="warning")
        elif journal.readonly:
            self.notify("This journal is open read-only", severity="warning")
            return None
        return journal

    @on(msg.Write)
    def _write(self, message: msg.Write) -> None:
        journal = self.writable()
        if journal is None:
            return
        outcome = perform(journal, message.change)
        message.origin.post_message(msg.Written(outcome, asked=True))
        if outcome.changed:  # the panes, and a view in front, show the journal as it is now
            for screen in {id(s): s for s in (self.main_screen, self.screen)}.values():
                if screen is not message.origin:
                    screen.post_message(msg.Written(outcome, asked=False))

    def on_jump_to(self, message: msg.JumpTo) -> None:
        self.main_screen.jump_to(message.contact_id)

    def on_open_editor(self, message: msg.OpenEditor) -> None:
        self.main_screen.open_editor(message.record)

    # ------------------------------------------------------------------ keys
    def action_help(self) -> None:
        from netjournal.tui.screens.help import HelpScreen, help_sections

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(help_sections(self.BINDINGS)))

    # ------------------------------------------------------------------ housekeeping
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
        """Close the journal; returns what it had left to say (said on the terminal once the app is gone)."""
        journal = self.loader.close()
        if journal is not None:
            try:
                journal.close()
            finally:
                self.closing_notices.extend(journal.notices)
                journal.notices.clear()
        return self.closing_notices

    def on_unmount(self) -> None:
        self.close_journal()


def create_app(settings: Settings, source: JournalSource, clock: Clock = date.today) -> NetjournalApp:
    """The app and everything it is made of (the command, tests, snapshots and screenshots).

    ``settings`` as read from the journal's config file; ``clock`` says what day it is (fixed
    in tests: demo data, days since, natural dates)."""
    source = replace(source, path=source.path.expanduser().absolute())
    return NetjournalApp(settings, source, clock())
