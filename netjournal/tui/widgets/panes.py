"""The small, non-list parts of the panes: the contact card, the entry, the ledger summary.

Everything user-written goes in as rich Text or Markdown (never as markup), cleaned of
control characters first.
"""

from __future__ import annotations

import re
from datetime import date

from rich.console import Group, RenderableType
from rich.text import Text
from textual.binding import Binding
from textual.content import Content
from textual.widgets import Input, Static

from netjournal.domain.dates import format_minutes, format_when
from netjournal.domain.model import Contact, Interaction
from netjournal.domain.text import clean_line
from netjournal.tui.ledger import Ledger
from netjournal.tui.widgets.lists import days_since

_CONTROL_BLOCK = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def clean_block(text: str) -> str:
    """Keep line breaks, drop other control characters (escape sequences, bells...)."""
    return _CONTROL_BLOCK.sub("", text.replace("\r\n", "\n").replace("\t", "    "))


def ago(days: int | None) -> str:
    if days is None:
        return "never seen"
    if days == 0:
        return "seen today"
    if days == 1:
        return "seen yesterday"
    return f"seen {days} days ago"


class FilterInput(Input):
    """The contacts filter: ``escape`` clears it, ``enter`` or ``down`` goes back to the list."""

    BINDINGS = [
        Binding("escape", "clear", "Clear filter", id="filter.clear"),
        Binding("enter,down", "done", "To the list", id="filter.done"),
    ]

    def action_clear(self) -> None:
        self.value = ""
        self.screen.focus_next("#contacts")

    def action_done(self) -> None:
        self.screen.focus_next("#contacts")


class ContactCard(Static):
    """Who is selected, in two lines."""

    def show_contact(self, person: Contact | None, last_seen: str, today: date, count: int) -> None:
        if person is None:
            self.update(Content.styled("Nobody selected", "$text-muted"))
            return
        parts: list[str | tuple[str, str]] = [(clean_line(person.name), "bold $text-accent")]
        if person.aliases:
            parts.append((f"  ({clean_line(', '.join(person.aliases))})", "$text-muted"))
        work = ", ".join(p for p in (person.role, person.org) if p)
        if work:
            parts.append("  ·  " + clean_line(work))
        parts.append("\n")
        info = f"{person.circle} · every {person.effective_cadence} days · {ago(days_since(last_seen, today))}"
        info += f" · {count:,} interaction{'s' if count != 1 else ''}"
        parts.append((info, "$text-muted"))
        if person.tags:
            parts.append(("  " + clean_line(" ".join("#" + t for t in person.tags)), "$text-secondary"))
        if person.asks:
            parts.append(("  asks: " + clean_line("; ".join(person.asks)), "$text-warning"))
        self.update(Content.assemble(*parts))

    def show_everyone(self, count: int) -> None:
        self.update(Content.assemble(("Everyone", "bold $text-accent"), (f"  ·  {count:,} interactions, newest first", "$text-muted")))


class EntryView(Static):
    """The selected interaction in full: a header line and its Markdown text."""

    def show_entry(self, entry: Interaction | None, names: dict[str, str]) -> None:
        if entry is None:
            self.update(Text(""))
            return
        head = Text(format_when(entry.date), style="bold")
        head.append(f"  {entry.kind}", style="bold")
        if entry.minutes:
            head.append(f"  {format_minutes(entry.minutes)}")
        head.append("  with " + clean_line(", ".join(names.get(c, "?") for c in entry.contact_ids)))
        extra = Text(style="dim")
        if entry.tags:
            extra.append(clean_line(" ".join("#" + t for t in entry.tags)) + "  ")
        if entry.follow_up:
            extra.append(f"follow up {entry.follow_up}")
        parts: list[RenderableType] = [head]
        if extra.plain:
            parts.append(extra)
        from rich.markdown import Markdown  # imported on first use: a faster start

        body = clean_block(entry.text).strip()
        parts.append(Text(""))
        parts.append(Markdown(body) if body else Text("(no notes)", style="dim"))
        self.update(Group(*parts))


class LedgerSummary(Static):
    """Totals, balance and the plain verdict."""

    VERDICT_STYLE = {"balanced": "bold $text-success", "you give more": "bold $text-warning", "you receive more": "bold $text-error"}

    def show_ledger(self, ledger: Ledger, who: str) -> None:
        parts: list[str | tuple[str, str]] = [(ledger.verdict, self.VERDICT_STYLE.get(ledger.verdict, "$text-muted"))]
        if ledger.rows:
            parts.append(f"   gave {ledger.given_count} (weight {ledger.given}) · got {ledger.received_count} (weight {ledger.received}) · ")
            parts.append((f"balance {ledger.balance:+d}", "bold"))
        parts.append((f"   {clean_line(who)}", "$text-muted"))
        self.update(Content.assemble(*parts))
