"""What the Today, circles and who-knows-what screens share.

Each is pushed over the main screen (one at a time: going from one to another replaces
it). Its data is computed in a thread worker from the app's Insights (cached by the
journal's revision) and handed to :meth:`InsightScreen.show` on the UI thread.

A view stays installed once built. When it is opened again after a change (a form, an
undo), :meth:`InsightScreen.bring` asks for the new data first and swaps screens when it
arrives (or after :data:`FRESH_WAIT`, whichever comes first): the view then appears once,
with the journal as it is, instead of appearing with the old data and being drawn again a
moment later (two full draws, and a worker competing with the first for the interpreter).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from functools import partial
from typing import TYPE_CHECKING, Any, ClassVar

from textual import on, work
from textual.binding import Binding
from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.screen import Screen
from textual.worker import get_current_worker

from netjournal.domain.model import Interaction
from netjournal.errors import NetjournalError
from netjournal.tui.app_services import AppServices, services
from netjournal.tui.messages import InsightsReady, JournalChanged, JumpTo, OpenEditor, Write, Written
from netjournal.tui.titles import LONG_TITLES
from netjournal.tui.widgets.line_list import LineList
from netjournal.tui.widgets.rows import RowList
from netjournal.tui.writes import Change, Undo

if TYPE_CHECKING:
    from datetime import date

    from netjournal.store.journal import Journal
    from netjournal.store.views import Insights

FRESH_WAIT = 0.1  # seconds an installed view waits for its new data before it shows the old

# The views a view screen jumps to, by name: (key, label).
VIEW_KEYS = {"today": ("t", "Today"), "circles": ("C", "Circles"), "who": ("w", "Who")}


def view_bindings(
    name: str, close_keys: str, *, before_log: tuple[Binding, ...] = (), after_log: tuple[Binding, ...] = ()
) -> list[Binding | tuple[str, str] | tuple[str, str, str]]:
    """A view screen's keys: help, back, its own, log, and a key to each other view."""
    others = [
        Binding(key, f"view('{view}')", label, id=f"view.{view}") for view, (key, label) in VIEW_KEYS.items()
        if view != name
    ]
    return [
        Binding("question_mark", "app.help", "Help", key_display="?", id="app.help"),
        Binding(close_keys, "close", "Back", key_display="esc", id=f"{name}.close"),
        *before_log,
        Binding("n", "log", "Log", id=f"{name}.log"),
        *after_log,
        *others,
    ]


class ScreenActions(Provider):
    """The command palette offers the keys of the insight screen in front."""

    def _commands(self) -> list[tuple[str, str, str]]:
        screen = self.screen
        if not isinstance(screen, InsightScreen):
            return []
        out = []
        for b in type(screen).BINDINGS:
            if isinstance(b, Binding):
                out.append((LONG_TITLES.get(b.id or "", b.description), self.app.get_key_display(b), b.action))
        return out

    async def discover(self) -> Hits:
        for title, key, action in self._commands():
            yield DiscoveryHit(title, partial(self.screen.run_action, action), help=f"key: {key}")

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for title, key, action in self._commands():
            score = matcher.match(title)
            if score > 0:
                yield Hit(
                    score,
                    matcher.highlight(title),
                    partial(self.screen.run_action, action),
                    text=title,
                    help=f"key: {key}",
                )


class ViewRows(RowList):
    """The rows of a view, each drawn row kept while it stays the same: a row is named by its
    content (rows are frozen values), so new data that changes a few rows draws only those
    (after one logged interaction, most of Today is as it was)."""

    def __init__(self, *, empty_text: str = "Nothing here", id: str | None = None, classes: str = "") -> None:
        super().__init__(empty_text=empty_text, id=id)
        self.add_class(*classes.split())

    def row_key(self, index: int) -> Hashable:
        return self.rows[index]

    def set_row_count(self, count: int, cursor: int | None = None, *, keep_rows: bool = False) -> None:
        super().set_row_count(count, cursor, keep_rows=True)  # a key names its content: never stale


class InsightScreen(Screen[None]):
    """A view computed off the UI thread. Subclasses implement :meth:`compute` (in the
    worker) and :meth:`show` (on the UI thread)."""

    COMMANDS: ClassVar[set[Any]] = {ScreenActions}

    def __init__(self, *, today: date) -> None:
        super().__init__()
        self.today = today
        self.shown_revision = -1  # the journal revision the screen shows (-1: nothing yet)
        self.loads = 0  # how many results arrived (tests and the benchmark wait on it)
        self._asked_revision = -1  # the revision the worker in flight computes (-1: none)
        self._then: Callable[[], None] | None = None  # brings the view to the front (see bring)
        self._subtitles: dict[str, str] = {}  # the border subtitles shown, by pane
        self._preloaded: tuple[Any, int] | None = None  # (data, revision) computed before the first visit

    @property
    def app_services(self) -> AppServices:
        """The app's services (the journal, its insights, the settings)."""
        return services(self)

    @property
    def view_list(self) -> RowList:
        return self.query_one(RowList)

    # ------------------------------------------------------------------ data
    def on_mount(self) -> None:
        preloaded, self._preloaded = self._preloaded, None
        if preloaded is None:
            self.load()
            return
        self._deliver(*preloaded)  # the first frame shows the data
        journal = self.app_services.journal
        if journal is not None and journal.revision != preloaded[1]:
            self.load()

    def preload(self, data: Any, revision: int) -> None:
        """Data computed before the view is first shown (see views.open_view)."""
        self._preloaded = (data, revision)

    def on_screen_resume(self) -> None:
        journal = self.app_services.journal
        if journal is not None and journal.revision not in (self.shown_revision, self._asked_revision) and self.loads:
            self.load()

    def load(self) -> None:
        """Ask for the data again (in a worker)."""
        journal = self.app_services.journal
        self._asked_revision = journal.revision if journal is not None else -1
        self._compute_in_thread()

    @property
    def stale(self) -> bool:
        """True if the view was built and the journal changed since it was computed."""
        journal = self.app_services.journal
        return bool(self.loads) and journal is not None and journal.revision != self.shown_revision

    def bring(self, swap: Callable[[], object]) -> None:
        """Bring this installed view to the front with ``swap`` (push or switch): at once if
        its data is current, else when the new data is shown (at most :data:`FRESH_WAIT`
        later; then the old data shows until the new arrives). The swap is dropped if another
        screen came to the front meanwhile (a key pressed in the wait opened something)."""
        if not self.stale or not self.is_running:
            swap()
            return
        origin = self.app.screen

        def go() -> None:
            if self._then is not go:
                return
            self._then = None
            timer.stop()
            if self.app.screen is origin:
                swap()

        self._then = go
        timer = self.app.set_timer(FRESH_WAIT, go)
        journal = self.app_services.journal
        if journal is not None and journal.revision != self._asked_revision:
            self.load()

    @work(thread=True, exclusive=True, group="insight-view", exit_on_error=False)
    def _compute_in_thread(self) -> None:
        app = self.app
        insights, journal = self.app_services.insights, self.app_services.journal
        if insights is None or journal is None:
            return
        revision = journal.revision
        try:
            data = self.compute(insights)
        except NetjournalError as exc:
            app.call_from_thread(self._failed, str(exc))
            return
        if not get_current_worker().is_cancelled:
            app.call_from_thread(self._deliver, data, revision)

    def _deliver(self, data: Any, revision: int) -> None:
        self.shown_revision = revision
        if revision == self._asked_revision:
            self._asked_revision = -1
        self.view_list.empty_text = "Nothing to show"  # worked out: never "Working it out…" again
        self.show(data)
        self.loads += 1
        if self._then is not None:
            self._then()

    def _failed(self, message: str) -> None:
        self._asked_revision = -1
        if self._then is not None:
            self._then()
        self.notify(message, severity="error", markup=False)

    def subtitle(self, selector: str, text: str) -> None:
        """Set a pane's border subtitle (the pane redraws only if the text changed)."""
        if self._subtitles.get(selector) != text:
            self._subtitles[selector] = text
            self.query_one(selector).border_subtitle = text

    def compute(self, insights: Insights) -> Any:
        raise NotImplementedError

    def show(self, data: Any) -> None:
        raise NotImplementedError

    # ------------------------------------------------------------------ actions shared by the views
    def action_close(self) -> None:
        self.dismiss()

    def action_view(self, name: str) -> None:
        """Go to another insight view (it takes this one's place over the main screen)."""
        from netjournal.tui.screens.view_switch import bring_view

        if name == self.view_name:
            self.dismiss()
            return
        bring_view(self.app, name, self.today, self.app.switch_screen)

    view_name: ClassVar[str] = ""

    @on(LineList.Selected)
    def _open_person(self, event: LineList.Selected) -> None:
        row = self.view_list.current
        if row is not None:
            self.jump(row.contact_id)

    def jump(self, contact_id: str) -> None:
        """Back to the main screen with this person selected."""
        self.dismiss()
        self.app.post_message(JumpTo(contact_id))

    def writable(self) -> Journal | None:
        return self.app_services.writable()

    def ask(self, change: Change) -> None:
        """Ask the app to make ``change``; the answer comes back as :class:`Written`."""
        self.post_message(Write(change, origin=self))

    def action_log(self) -> None:
        """Log an interaction with the selected person (the main screen's editor)."""
        row = self.view_list.current
        journal = self.app_services.journal
        if row is None:
            from netjournal.tui.insight_data import NO_PEOPLE

            anyone = journal is not None and bool(journal.contacts())
            self.notify("Choose a person first" if anyone else NO_PEOPLE, severity="warning")
            return
        if self.writable() is not None:
            self.app.post_message(
                OpenEditor(Interaction(date=self.today.isoformat(), contact_ids=[row.contact_id], kind="meal"))
            )

    def action_undo(self) -> None:
        if self.writable() is not None:
            self.ask(Undo())

    def action_redo(self) -> None:
        if self.writable() is not None:
            self.ask(Undo(redo=True))

    def on_insights_ready(self, message: InsightsReady) -> None:
        """Opened before the app's insights existed ("Working it out…"): compute now."""
        if self.shown_revision < 0:
            self.load()

    def on_journal_changed(self, message: JournalChanged) -> None:
        """Another process changed the journal: compute again."""
        self.load()

    def on_written(self, message: Written) -> None:
        """A change, asked for here or elsewhere (a form over this view): compute again."""
        outcome = message.outcome
        if outcome.changed:
            self.load()
        if message.asked and outcome.notice:
            self.notify(outcome.notice, title=outcome.title, severity=outcome.severity, markup=False)
