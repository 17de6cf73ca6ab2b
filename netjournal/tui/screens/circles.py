"""``C``: circles. Everyone grouped by circle (inner first), each with the last contact,
the weighted balance and verdict, and a mark on those drifting (cadence lapsed)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING, ClassVar

from textual.app import ComposeResult
from textual.widgets import Header

from netjournal.domain import insights as ins
from netjournal.domain.text import counted
from netjournal.tui.insight_data import NO_PEOPLE, ago
from netjournal.tui.screens.insight import InsightScreen, ViewRows, view_bindings
from netjournal.tui.widgets.footer import KeyFooter
from netjournal.tui.widgets.rows import Cell, Row, blank, heading, note

if TYPE_CHECKING:
    from netjournal.store.views import Insights

VERDICT_STYLE = {
    ins.INTERDEPENDENT: "good",
    ins.YOU_MOSTLY_GIVE: "accent",
    ins.YOU_MOSTLY_RECEIVE: "bad",
    ins.DORMANT: "dim",
}


def circle_rows(groups: Sequence[ins.CircleGroup], today: date) -> list[Row]:
    if not any(g.members for g in groups):
        return [heading("Circles", "everyone by circle, inner first", "circles"), note(NO_PEOPLE, "circles")]
    rows: list[Row] = []
    for g in groups:
        if not g.members:
            continue
        if rows:
            rows.append(blank())
        n = len(g.members)
        section = f"circle:{g.circle}"
        rows.append(heading(g.circle, f"{counted(n, 'person')}, {g.drifting} drifting", section))
        for m in g.members:
            mark = (
                Cell("drifting", 9, "warn")
                if m.drifting and not m.snoozed
                else Cell("snoozed" if m.snoozed else "", 9, "dim")
            )
            rows.append(
                Row(
                    (
                        mark,
                        Cell(m.name, 24),
                        Cell(ago(m.last_contact, today), 14, "dim"),
                        Cell(f"{m.balance:+.1f}" if round(m.balance, 1) else "0.0", 7, right=True),
                        Cell(m.verdict, 0, VERDICT_STYLE.get(m.verdict, "")),
                    ),
                    m.contact_id,
                    section,
                )
            )
    return rows


class CirclesScreen(InsightScreen):
    view_name = "circles"
    BINDINGS: ClassVar = view_bindings("circles", "escape,C")

    def compose(self) -> ComposeResult:
        yield Header(icon="◆")
        yield ViewRows(empty_text="Working it out…", id="circles-pane", classes="pane")  # the list is the pane
        yield KeyFooter()

    def on_mount(self) -> None:
        pane = self.query_one("#circles-pane")
        pane.border_title = "Circles"
        pane.styles.height = "1fr"
        self.view_list.focus()
        # (Textual calls InsightScreen.on_mount itself, after this one: not again here.)

    def compute(self, insights: Insights) -> tuple[list[ins.CircleGroup], list[Row]]:
        groups = insights.circles(self.today)
        return groups, circle_rows(groups, self.today)

    def show(self, data: tuple[list[ins.CircleGroup], list[Row]]) -> None:
        groups, rows = data
        self.groups = groups
        current = self.view_list.current
        self.view_list.show_rows(rows, current.contact_id if current else None)
        people = sum(len(g.members) for g in groups)
        drifting = sum(g.drifting for g in groups)
        self.subtitle(
            "#circles-pane",
            f"{counted(people, 'person')} · {drifting} drifting · "
            "balance: weighted favours, 12 months (+ you gave more)",
        )
