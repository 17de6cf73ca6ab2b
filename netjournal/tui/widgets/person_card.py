"""The selected person's card on the main screen: their details, what the insights say of
them, and their notes as Markdown; it scrolls from the keyboard (``j``/``k``, arrows, pages).

Built from data already held: the person's record at once, when they are next due, the
verdict and their open asks when the insights worker brings them (cached views, never
recomputed here). User text is never markup: the lines come cleaned from
:func:`netjournal.domain.card.card_lines`, the notes through ``printable`` before Markdown.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING

from rich.console import Group, RenderableType
from rich.style import Style
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.color import Color
from textual.containers import VerticalScroll
from textual.widgets import Static

from netjournal.domain.card import card_lines
from netjournal.domain.model import Contact
from netjournal.domain.safe import printable
from netjournal.domain.text import clean_line, isolate

if TYPE_CHECKING:
    from netjournal.tui.insight_data import CardInsights

TONE_VARIABLES = {
    "warn": "text-warning", "good": "text-success", "bad": "text-error", "accent": "text-accent",
    "tag": "text-secondary",
}


class PersonCard(VerticalScroll, can_focus=True):
    """The card: one Static inside a scrolling container."""

    BINDINGS = [
        Binding("j", "scroll_down", "Down", show=False, id="card.down"),
        Binding("k", "scroll_up", "Up", show=False, id="card.up"),
        Binding("space", "page_down", "Page down", show=False, id="card.page"),
        Binding("escape", "leave", "Back to the list", show=False, id="card.leave"),
    ]

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.person: Contact | None = None
        self.today = date.today()
        self.insights: CardInsights | None = None
        self.markdown_pending = False  # notes drawn as plain text before the Markdown renderer loaded

    def compose(self) -> ComposeResult:
        yield Static(id="card-body")

    def show_person(self, person: Contact | None, today: date) -> None:
        """A new person (or the same one changed): their record now, the insights once they come."""
        same = person is not None and self.person is not None and person.id == self.person.id
        self.person, self.today = person, today
        if not same:
            self.insights = None
            self.scroll_home(animate=False)
        self.draw()

    def show_insights(self, found: CardInsights) -> None:
        if self.person is not None and found.contact_id == self.person.id:
            self.insights = found
            self.draw()

    def markdown_ready(self) -> None:
        if self.markdown_pending:
            self.draw()

    def draw(self) -> None:
        body = self.query_one("#card-body", Static)
        person = self.person
        if person is None:
            body.update(Text("Nobody selected", style="dim"))
            return
        found = self.insights
        if found is None:
            lines = card_lines(person, self.today)
        else:
            lines = card_lines(person, self.today, touch=found.touch, reciprocity=found.reciprocity, asks=found.asks)
        name = Text(isolate(clean_line(person.name)), style=self._style("accent") + Style(bold=True))
        parts: list[RenderableType] = [name, self._table([(ln.label, ln.value, ln.tone) for ln in lines])]
        parts += self._notes(person.notes)
        body.update(Group(*parts))

    def _style(self, tone: str) -> Style:
        """The theme's colour for ``tone`` (read when drawn: the theme may change)."""
        if tone == "muted":
            return Style(dim=True)
        name = TONE_VARIABLES.get(tone, "")
        value = self.app.get_css_variables().get(name)
        return Style(color=Color.parse(value).rich_color) if value else Style()

    def _table(self, rows: Sequence[tuple[str, str, str]]) -> Table:
        table = Table.grid(padding=(0, 1))
        table.add_column(justify="right", style="dim", no_wrap=True)
        table.add_column(ratio=1, overflow="fold")
        styles = {tone: self._style(tone) for tone in {tone for _, _, tone in rows}}
        for label, value, tone in rows:
            table.add_row(Text(label), Text(value, style=styles[tone]))
        return table

    def _notes(self, notes: str) -> list[RenderableType]:
        text = printable(notes.replace("\t", "    ")).strip()
        self.markdown_pending = False
        if not text:
            return []
        if "rich.markdown" not in sys.modules:  # loaded with the insights, after the first frame
            self.markdown_pending = True
            return [Text(""), Text(text)]
        from rich.markdown import Markdown

        return [Text(""), Markdown(text, hyperlinks=False)]  # a link shows its address: no escape codes

    def action_leave(self) -> None:
        self.screen.focus_next("#contacts")

