"""``w``: who knows what. Type a topic; people whose tags, role, notes or interactions
mention it come ranked, with why. With nothing typed: whom can I help (open needs and who
could help). Each keystroke asks Insights in a worker (it keeps per-word counts, so only the
first search over a big journal reads every interaction)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Header, Input

from netjournal.domain import insights as domain_insights
from netjournal.tui.insight_data import NO_PEOPLE, ago
from netjournal.tui.screens.insight import InsightScreen, ViewRows, view_bindings
from netjournal.tui.screens.today import NAME_W, idea_rows
from netjournal.tui.widgets.footer import KeyFooter
from netjournal.tui.widgets.rows import Cell, Row, RowList, heading, note

if TYPE_CHECKING:
    from netjournal.store.views import Insights

LIMIT = 50


def who_rows(text: str, matches: Sequence[domain_insights.WhoMatch], today: date) -> list[Row]:
    shown = text.strip()
    rows = [
        heading(f"Who knows about {shown}", "ranked: tags 10, role 5, notes 3, mentions in your interactions", "who")
    ]
    if not matches:
        rows.append(note(f"nobody you know mentions {shown!r} yet", "who"))
    for m in matches:
        rows.append(Row((
            Cell(m.name, NAME_W), Cell(f"{m.score:.1f}", 6, "accent", right=True), Cell(", ".join(m.reasons), 0),
            Cell(f"last contact {ago(m.last_contact, today)}", 26, "dim"),
        ), m.contact_id, "who"))
    return rows


class WhoInput(Input):
    """The topic box: ``enter`` or ``down`` goes to the results."""

    BINDINGS = [Binding("enter,down", "results", "To the results", id="who.results")]

    def action_results(self) -> None:
        self.screen.query_one(RowList).focus()


class WhoScreen(InsightScreen):
    view_name = "who"
    DEFAULT_CSS = """
    WhoScreen #who-pane { height: 1fr; }
    WhoScreen #who-input { margin: 0 1; background: $boost; }
    WhoScreen #who-input:focus { background: $surface; }
    """
    BINDINGS: ClassVar = view_bindings(
        "who", "escape", before_log=(Binding("slash", "search", "Search", key_display="/", id="who.search"),)
    )

    def __init__(self, *, today: date, text: str = "") -> None:
        super().__init__(today=today)
        self.text = text

    def compose(self) -> ComposeResult:
        yield Header(icon="◆")
        with Vertical(id="who-pane", classes="pane"):
            yield WhoInput(
                self.text, placeholder="a topic: design, python, climate, hiring…", id="who-input", compact=True
            )
            yield ViewRows(empty_text="Working it out…", id="who-list")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one("#who-pane").border_title = "Who knows what"
        self.query_one("#who-input").focus()
        # (Textual calls InsightScreen.on_mount itself, after this one: not again here.)

    @on(Input.Changed, "#who-input")
    def _typed(self, event: Input.Changed) -> None:
        self.text = event.value
        self.load()

    def action_search(self) -> None:
        self.query_one("#who-input").focus()

    def compute(self, insights: Insights) -> tuple[str, list[Row]]:
        text = self.text
        if not insights.contacts():
            return text, [heading("Who knows what", "ranked by tags, role, notes and your interactions", "who"),
                          note(NO_PEOPLE, "who")]
        if not domain_insights.query_terms(text):
            return text, idea_rows(insights.asks(self.today), insights.help_ideas(self.today))
        return text, who_rows(text, insights.who(text, self.today, limit=LIMIT), self.today)

    def show(self, data: tuple[str, list[Row]]) -> None:
        text, rows = data
        self.view_list.show_rows(rows, None)
        people = sum(1 for r in rows if r.selectable)
        searching = bool(domain_insights.query_terms(text))
        self.subtitle(
            "#who-pane",
            f"{people} {'person' if people == 1 else 'people'}" if searching else "whom can I help · type to search",
        )
