"""The selected person's card on the main screen: their details, what the insights say of
them, and their notes as Markdown; it scrolls from the keyboard (``j``/``k``, arrows, pages).

Built from data already held: the person's record at once, when they are next due, the
verdict and their open asks when the insights worker brings them (cached views, never
recomputed here). User text is never markup: the lines come cleaned from
:func:`netjournal.domain.card.card_lines`, the notes through ``printable`` before Markdown.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator, Sequence
from datetime import date
from typing import TYPE_CHECKING

from rich.console import Console, ConsoleOptions, RenderableType, RenderResult
from rich.segment import Segment
from rich.style import Style
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
from netjournal.tui.clashes import MARK, clash_rows

if TYPE_CHECKING:
    from textual.timer import Timer

    from netjournal.store.devicewiring import Clash
    from netjournal.tui.insight_data import CardInsights

DRAW_DELAY = 0.05  # seconds the selection rests before the card is drawn

TONE_VARIABLES = {
    "warn": "text-warning", "good": "text-success", "bad": "text-error", "accent": "text-accent",
    "tag": "text-secondary",
}


class CardText:
    """The card as one renderable: the name, the labelled lines (a value that wraps stays to
    the right of its label) and the notes. Drawn once per width: Textual measures and draws
    a widget's renderable several times a frame, and a Table or a Group would be laid out
    again each time."""

    def __init__(self, name: Text, rows: Sequence[tuple[Text, Text]], notes: RenderableType | None) -> None:
        self.name, self.rows, self.notes = name, rows, notes
        self._drawn: tuple[int, list[Segment]] = (-1, [])

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        width = options.max_width
        if self._drawn[0] != width:
            self._drawn = (width, list(self._draw(console, options)))
        yield from self._drawn[1]

    def _draw(self, console: Console, options: ConsoleOptions) -> Iterator[Segment]:
        label_w = max((label.cell_len for label, _ in self.rows), default=0)
        room = max(options.max_width - label_w - 1, 8)
        out = Text(end="")
        out.append_text(self.name)
        for label, value in self.rows:
            for n, line in enumerate(value.wrap(console, room, overflow="fold")):
                out.append("\n")
                out.append_text(label if not n else Text(""))
                out.append(" " * (label_w - (label.cell_len if not n else 0) + 1))
                out.append_text(line)
        yield from console.render(out, options.update(no_wrap=True, overflow="crop"))
        if self.notes is not None:
            yield Segment.line()
            yield Segment.line()
            yield from console.render(self.notes, options)


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
        self.clashes: tuple[Clash, ...] = ()  # the person's fields two devices changed at once
        self.markdown_pending = False  # notes drawn as plain text before the Markdown renderer loaded
        self._timer: Timer | None = None
        self._new = False
        self._styles: tuple[str, dict[str, Style]] = ("", {})  # the theme, each tone's style

    def compose(self) -> ComposeResult:
        yield Static(id="card-body")

    def show_person(self, person: Contact | None, today: date, clashes: tuple[Clash, ...] = ()) -> None:
        """A new person (or the same one changed): drawn once the selection rests for
        DRAW_DELAY (a held ``j`` draws only where it stops), with the insights if they came
        by then, else when they come. ``clashes``: theirs, said first, under the name."""
        same = person is not None and self.person is not None and person.id == self.person.id
        self.person, self.today, self.clashes = person, today, clashes
        if not same:
            self.insights = None
            self._new = True
        if self._timer is not None:
            self._timer.stop()
        self._timer = self.set_timer(DRAW_DELAY, self._rest)

    def _rest(self) -> None:
        self._timer = None
        if self._new:  # another person: from the top
            self._new = False
            self.scroll_home(animate=False)
        self.draw()

    def show_insights(self, found: CardInsights) -> None:
        if self.person is not None and found.contact_id == self.person.id:
            self.insights = found
            if self._timer is None:  # else the card is drawn with them when the selection rests
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
        if self.clashes:
            name.append(f" {MARK}", style=self._style("warn"))
        rows = [(Text(label, style=self._style("warn")), Text(value)) for label, value in clash_rows(self.clashes)]
        rows += [(Text(ln.label, style="dim"), Text(ln.value, style=self._style(ln.tone))) for ln in lines]
        body.update(CardText(name, rows, self._notes(person.notes)))

    def _style(self, tone: str) -> Style:
        """The theme's colour for ``tone``, read once per theme (the theme's variables take
        milliseconds to compute)."""
        theme = self.app.theme
        if self._styles[0] != theme:
            variables = self.app.get_css_variables()
            styles = {tone: Style(color=Color.parse(variables[name]).rich_color)
                      for tone, name in TONE_VARIABLES.items() if name in variables}
            self._styles = (theme, {**styles, "muted": Style(dim=True)})
        return self._styles[1].get(tone, Style())

    def _notes(self, notes: str) -> RenderableType | None:
        text = printable(notes.replace("\t", "    ")).strip()
        self.markdown_pending = False
        if not text:
            return None
        if "rich.markdown" not in sys.modules:  # loaded with the insights, after the first frame
            self.markdown_pending = True
            return Text(text)
        from rich.markdown import Markdown

        return Markdown(text, hyperlinks=False)  # a link shows its address: no escape codes

    def action_leave(self) -> None:
        self.screen.focus_next("#contacts")

