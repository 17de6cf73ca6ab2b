"""The small, non-list parts of the panes: the contact card, the entry, the ledger summary.

Everything user-written goes in as rich Text or Markdown (never as markup), cleaned of
control characters first.
"""

from __future__ import annotations

import sys
from datetime import date
from typing import TYPE_CHECKING, Protocol, runtime_checkable

from rich.console import Group, RenderableType
from rich.text import Text
from textual.binding import Binding
from textual.content import Content
from textual.widgets import Input, Static

from netjournal.domain.dates import format_minutes, format_when
from netjournal.domain.model import Contact, Interaction
from netjournal.domain.safe import printable
from netjournal.domain.text import clean_line, counted
from netjournal.services.ledger import Ledger
from netjournal.tui.clashes import clash_lines
from netjournal.tui.widgets.lists import days_since

if TYPE_CHECKING:
    from netjournal.domain.insights import Reciprocity
    from netjournal.store.devicewiring import Clash

FILTER_WIDTH = 100  # cells: see FilterInput.content_width
def clean_block(text: str) -> str:
    """Keep line breaks; tabs become spaces, other control characters visible stand-ins."""
    return printable(text.replace("\t", "    "))


def ago(days: int | None) -> str:
    if days is None:
        return "never seen"
    if days == 0:
        return "seen today"
    if days == 1:
        return "seen yesterday"
    return f"seen {days} days ago"


@runtime_checkable
class FilterTarget(Protocol):
    """A screen that filters as the text is typed."""

    def filter_typed(self, text: str) -> None: ...


class FilterInput(Input):
    """The contacts filter: ``escape`` clears it, ``enter`` or ``down`` goes back to the list.

    Its screen hears of each change at once (``filter_typed``): Input.Changed climbs through
    the message queues and reaches the screen after the typed character has been drawn, so
    the list followed one frame (17 to 33 ms) later."""

    BINDINGS = [
        Binding("escape", "clear", "Clear filter", id="filter.clear"),
        Binding("enter,down", "done", "To the list", id="filter.done"),
    ]

    @property
    def content_width(self) -> int:
        """Never narrower than FILTER_WIDTH cells. Input makes its virtual width this wide after
        every change, and a new virtual size lays out the whole screen (after which every list
        redraws its scrollbar a frame later); a filter is seldom that long, so typing one keeps
        the layout as it is. The text draws and scrolls as before: the rest is blank."""
        return max(super().content_width, FILTER_WIDTH)

    def watch_value(self, value: str) -> None:
        if self.is_mounted and isinstance(self.screen, FilterTarget):
            self.screen.filter_typed(value)

    def action_clear(self) -> None:
        self.value = ""
        self.screen.focus_next("#contacts")

    def action_done(self) -> None:
        self.screen.focus_next("#contacts")


class ContactCard(Static):
    """Who is selected, in two lines; a line more for each of their clashes (fields two
    devices changed at once)."""

    def show_contact(
        self, person: Contact | None, last_seen: str, today: date, count: int, clashes: tuple[Clash, ...] = ()
    ) -> None:
        self.set_class(person is not None and bool(clashes), "-clash")
        if person is None:
            self.update(Content.styled("Nobody selected", "$foreground-muted"))
            return
        # Separators end the piece before them (SVG screenshots drop an element's leading spaces).
        parts: list[str | tuple[str, str]] = [(clean_line(person.name) + "  ", "bold $text-accent")]
        if person.aliases:
            parts.append((f"({clean_line(', '.join(person.aliases))})  ", "$foreground-muted"))
        work = ", ".join(p for p in (person.role, person.org) if p)
        if work:
            parts.append("·  " + clean_line(work))
        parts.append("\n")
        every = "every day" if person.effective_cadence == 1 else f"every {person.effective_cadence} days"
        info = f"{person.circle} · {every} · {ago(days_since(last_seen, today))} · {counted(count, 'interaction')}"
        parts.append((info + "  ", "$foreground-muted"))
        if person.tags:
            parts.append((clean_line(" ".join("#" + t for t in person.tags)) + "  ", "$text-secondary"))
        if person.asks:
            parts.append(("asks: " + clean_line("; ".join(person.asks)), "$text-warning"))
        for line in clash_lines(clashes):
            parts += ["\n", (line, "$text-warning")]
        self.update(Content.assemble(*parts))

    def show_everyone(self, count: int) -> None:
        self.update(
            Content.assemble(
                ("Everyone  ", "bold $text-accent"),
                (f"·  {counted(count, 'interaction')}, newest first", "$foreground-muted"),
            )
        )


class EntryView(Static):
    """The selected interaction in full: a header line and its Markdown text."""

    plain_entry: tuple[Interaction, dict[str, str], tuple[Clash, ...]] | None = None  # shown before Markdown loaded

    def show_entry(self, entry: Interaction | None, names: dict[str, str], clashes: tuple[Clash, ...] = ()) -> None:
        """``clashes``: the entry's fields two devices changed at once, said under its header."""
        self.plain_entry = None
        if entry is None:
            self.update(Text(""))
            return
        head = Text(style="bold")  # one style, so no piece starts with spaces (SVG screenshots drop them)
        head.append(f"{format_when(entry.date)}  {entry.kind}  ")
        if entry.minutes:
            head.append(f"{format_minutes(entry.minutes)}  ")
        head.append("with " + clean_line(", ".join(names.get(c, "?") for c in entry.contact_ids)))
        extra = Text(style="dim")
        if entry.tags:
            extra.append(clean_line(" ".join("#" + t for t in entry.tags)) + "  ")
        if entry.follow_up:
            extra.append(f"follow up {entry.follow_up}")
        parts: list[RenderableType] = [head]
        if extra.plain:
            parts.append(extra)
        parts += [Text(line, style="bold") for line in clash_lines(clashes)]
        body = clean_block(entry.text).strip()
        parts.append(Text(""))
        if not body:
            parts.append(Text("(no notes)", style="dim"))
        elif "rich.markdown" in sys.modules:
            from rich.markdown import Markdown

            parts.append(Markdown(body))
        else:
            # The first screen comes before the Markdown renderer is loaded (a worker loads
            # it, then calls markdown_ready): the words as written meanwhile.
            parts.append(Text(body))
            self.plain_entry = (entry, names, clashes)
        self.update(Group(*parts))

    def markdown_ready(self) -> None:
        """Draw the entry shown as plain text again, as Markdown."""
        if self.plain_entry is not None:
            entry, names, clashes = self.plain_entry
            self.plain_entry = None
            self.show_entry(entry, names, clashes)


class LedgerSummary(Static):
    """The weighted verdict (recent favours count more), month by month, and the columns.

    The verdict comes from Insights (computed in a worker): :meth:`show_ledger` draws the
    columns at once, :meth:`show_reciprocity` the verdict when it arrives."""

    VERDICT_STYLE = {
        "interdependent": "bold $text-success",
        "you mostly give": "bold $text-warning",
        "you mostly receive": "bold $text-error",
        "dormant": "bold $foreground-muted",
    }

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.header = Content("")
        self.verdict: Content = Content.styled("…", "$foreground-muted")
        self.who = ""

    def show_ledger(self, ledger: Ledger, who: str, header: str = "") -> None:
        """A new person (or everyone): the columns now, the verdict once it is computed."""
        self.who = who
        self.header = Content.assemble((header, "$foreground-muted"))
        self.verdict = Content.styled("…" if who else "", "$foreground-muted")
        self._draw()

    def show_reciprocity(self, rec: Reciprocity | dict[str, int]) -> None:
        parts: list[str | tuple[str, str]] = []
        if isinstance(rec, dict):  # everyone: how many people get each verdict
            for verdict, n in rec.items():
                if n:
                    parts += [(f"{n} {verdict} ", self.VERDICT_STYLE.get(verdict, "")), ("·  ", "$foreground-muted")]
            parts = parts[:-1] or [("no favours in the window  ", "$foreground-muted")]
            parts.append((self.months_note, "$foreground-muted"))
        else:
            parts.append((rec.verdict + "  ", self.VERDICT_STYLE.get(rec.verdict, "bold")))
            if rec.given_count or rec.received_count:
                from netjournal.domain.insights import balance_sparkline  # loaded with the insights

                parts.append(f"gave {rec.given:.1f} · received {rec.received:.1f}  ")
                parts.append((balance_sparkline(rec.net_by_month) + " ", "$text-accent"))
            parts.append((self.months_note + "  ", "$foreground-muted"))
            parts.append((clean_line(self.who), "$foreground-muted"))
        self.verdict = Content.assemble(*parts)
        self._draw()

    months_note = "weighted, last 12 months"

    def _draw(self) -> None:
        self.update(Content("\n").join([self.verdict, self.header]))
