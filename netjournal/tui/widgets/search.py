"""The interactions pane's search box (``/`` there): the whole journal, as you type.

The box tells its screen of each change at once (:meth:`SearchTarget.search_typed`); the screen
reads the query (:mod:`netjournal.domain.query`, the grammar ``netjournal search`` reads too)
and searches in a worker, whose answer comes back as :class:`JournalSearched`. ``enter`` or
``down`` goes to the results, ``escape`` back to where you were.
"""

from __future__ import annotations

from typing import Protocol, runtime_checkable

from textual.binding import Binding
from textual.content import Content
from textual.message import Message
from textual.widgets import Input

from netjournal.domain.query import PLACEHOLDER, Query
from netjournal.domain.text import clean_line, counted

SEARCH_WIDTH = 100  # cells: see SearchInput.content_width


@runtime_checkable
class SearchTarget(Protocol):
    """A screen that searches as the text is typed."""

    def search_typed(self, text: str) -> None: ...


class JournalSearched(Message):
    """A search's answer: what was typed, how it read, the ids found (newest first), and the
    entry to put the cursor on (None: the first, or where it was if ``keep``)."""

    def __init__(self, text: str, query: Query, ids: list[str], focus: str | None, keep: bool) -> None:
        super().__init__()
        self.text = text
        self.query = query
        self.ids = ids
        self.focus = focus
        self.keep = keep


class SearchInput(Input):
    """The query. ``escape`` ends the search, ``enter`` or ``down`` goes to the results."""

    BINDINGS = [
        Binding("escape", "screen.end_search", "Back", key_display="esc", id="search.close"),
        Binding("enter,down", "results", "To the results", id="search.results"),
    ]

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(placeholder=PLACEHOLDER, id=id, compact=True, select_on_focus=False)

    @property
    def content_width(self) -> int:
        """Never narrower than SEARCH_WIDTH cells, as the contacts filter (a new virtual width
        lays out the whole screen, which would cost a frame a keystroke)."""
        return max(super().content_width, SEARCH_WIDTH)

    def watch_value(self, value: str) -> None:
        if self.is_mounted and self.display and isinstance(self.screen, SearchTarget):
            self.screen.search_typed(value)

    def action_results(self) -> None:
        self.screen.focus_next("#interactions")


def search_status(query: Query, count: int | None, names: dict[str, str]) -> Content:
    """The pane's two lines above the results: how many match (None: still searching) and how
    the query was read; or the one line saying why it cannot run."""
    head: list[str | tuple[str, str]] = [("Search  ", "bold $text-accent")]
    if query.error:
        return Content.assemble(*head, "\n", (clean_line(query.error), "$text-error"))
    if count is None:
        head.append(("·  searching…", "$foreground-muted"))
    else:
        head.append((f"·  {counted(count, 'interaction')}, newest first", "$foreground-muted"))
    read: list[str] = []
    if query.words:
        read.append("words starting " + " ".join(query.words))
    read += ["with " + names.get(cid, "?") for cid in query.people]
    read += ["#" + tag for tag in query.tags]
    if query.date_from or query.date_to:
        read.append(f"{query.date_from or '…'} to {query.date_to or '…'}")
    hint = " · ".join(read) if read else "everything · words, @person, #tag, 2026-03..2026-05"
    return Content.assemble(*head, "\n", (clean_line(hint + "  ·  enter opens, esc goes back"), "$foreground-muted"))
