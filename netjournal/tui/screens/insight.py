"""What the Today, circles and who-knows-what screens share.

Each is pushed over the main screen (one at a time: going from one to another replaces
it). Its data is computed in a thread worker from the app's Insights (cached by the
journal's revision) and handed to :meth:`InsightScreen.show` on the UI thread; the screen
asks again when it comes back to the front after a change (a form, an undo).
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, Any, ClassVar

from textual import on, work
from textual.binding import Binding
from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.screen import Screen
from textual.worker import get_current_worker

from netjournal.domain.model import Interaction
from netjournal.errors import NetjournalError
from netjournal.tui.titles import LONG_TITLES
from netjournal.tui.widgets.line_list import LineList
from netjournal.tui.widgets.rows import RowList

if TYPE_CHECKING:
    from datetime import date

    from netjournal.store.journal import Journal
    from netjournal.store.views import Insights
    from netjournal.tui.app import NetjournalApp
    from netjournal.tui.screens.main import MainScreen


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
                yield Hit(score, matcher.highlight(title), partial(self.screen.run_action, action), text=title, help=f"key: {key}")


class InsightScreen(Screen[None]):
    """A view computed off the UI thread. Subclasses implement :meth:`compute` (in the
    worker) and :meth:`show` (on the UI thread)."""

    COMMANDS: ClassVar[set[Any]] = {ScreenActions}

    def __init__(self, *, today: date) -> None:
        super().__init__()
        self.today = today
        self.shown_revision = -1  # the journal revision the screen shows (-1: nothing yet)
        self.loads = 0  # how many results arrived (tests and the benchmark wait on it)

    @property
    def nj(self) -> NetjournalApp:
        return self.app  # type: ignore[return-value]

    @property
    def main(self) -> MainScreen:
        return self.nj.main_screen

    @property
    def view_list(self) -> RowList:
        return self.query_one(RowList)

    # ------------------------------------------------------------------ data
    def on_mount(self) -> None:
        self.load()

    def on_screen_resume(self) -> None:
        journal = self.nj.journal
        if journal is not None and journal.revision != self.shown_revision and self.loads:
            self.load()

    def load(self) -> None:
        """Ask for the data again (in a worker)."""
        self._compute_in_thread()

    @work(thread=True, exclusive=True, group="insight-view", exit_on_error=False)
    def _compute_in_thread(self) -> None:
        app = self.nj
        insights, journal = app.insights, app.journal
        if insights is None or journal is None:
            return
        revision = journal.revision
        try:
            data = self.compute(insights)
        except NetjournalError as exc:
            app.call_from_thread(self.notify, str(exc), severity="error", markup=False)
            return
        if not get_current_worker().is_cancelled:
            app.call_from_thread(self._deliver, data, revision)

    def _deliver(self, data: Any, revision: int) -> None:
        self.shown_revision = revision
        self.show(data)
        self.loads += 1

    def compute(self, insights: Insights) -> Any:
        raise NotImplementedError

    def show(self, data: Any) -> None:
        raise NotImplementedError

    # ------------------------------------------------------------------ actions shared by the views
    def action_close(self) -> None:
        self.dismiss()

    def action_view(self, name: str) -> None:
        """Go to another insight view (it takes this one's place over the main screen)."""
        from netjournal.tui.screens.views import installed

        if name == self.view_name:
            self.dismiss()
        else:
            self.app.switch_screen(installed(self.app, name, self.today))

    view_name: ClassVar[str] = ""

    @on(LineList.Selected)
    def _open_person(self, event: LineList.Selected) -> None:
        row = self.view_list.current
        if row is not None:
            self.jump(row.contact_id)

    def jump(self, contact_id: str) -> None:
        """Back to the main screen with this person selected."""
        main = self.main
        self.dismiss()
        main.jump_to(contact_id)

    def writable(self) -> Journal | None:
        journal = self.nj.journal
        if journal is None:
            self.notify("The journal is still opening…", severity="warning")
            return None
        if journal.readonly:
            self.notify("This journal is open read-only", severity="warning")
            return None
        return journal

    def action_log(self) -> None:
        """Log an interaction with the selected person (the main screen's editor)."""
        row = self.view_list.current
        if row is None:
            self.notify("Choose a person first", severity="warning")
            return
        if self.writable() is not None:
            self.main.open_interaction_form(Interaction(date=self.today.isoformat(), contact_ids=[row.contact_id], kind="meal"))

    def action_undo(self) -> None:
        journal = self.writable()
        if journal is None:
            return
        label = journal.undo()
        if label is None:
            self.notify("Nothing to undo")
            return
        self.main.reload(keep=True)
        self.load()
        self.notify(f"Undone: {label}", markup=False)
