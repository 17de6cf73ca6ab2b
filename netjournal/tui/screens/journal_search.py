"""Searching the whole journal from the interactions pane (``/`` there; the grammar:
:mod:`netjournal.domain.query`).

Each keystroke starts a worker (exclusive: a newer keystroke cancels the older search) that
reads the query and asks the journal (``Journal.find``, through the word index, built the
first time; :mod:`netjournal.store.finding`); its answer comes back as a
:class:`JournalSearched` message and fills the same virtualised list the pane always shows,
the matched words highlighted. Typing never waits for a search. While a search is on, what
would redraw the pane (a change saved, another person selected) searches again, keeping the
cursor on its entry; ``escape`` ends it and puts back the list and the entry you were on.
Reading only: nothing here writes the journal.
"""

from __future__ import annotations

from datetime import date
from functools import partial
from typing import TYPE_CHECKING

from textual.geometry import Size
from textual.screen import Screen
from textual.widgets import Static
from textual.worker import get_current_worker

from netjournal.domain.query import Query, parse_query
from netjournal.services.people import People
from netjournal.tui.widgets.lists import InteractionList
from netjournal.tui.widgets.search import JournalSearched, SearchInput, search_status

if TYPE_CHECKING:
    from textual.widget import Widget

    from netjournal.domain.model import Interaction
    from netjournal.store.journal import Journal


class JournalSearch(Screen[None]):
    """The search half of the main screen's panes (see the module docstring)."""

    journal: Journal | None
    people: People
    today: date
    _before: tuple[str | None, Widget | None] = (None, None)  # the entry and the focus a search started from

    @property
    def search_box(self) -> SearchInput:
        return self.query_one("#search", SearchInput)

    @property
    def searching(self) -> bool:
        return self.search_box.display

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "end_search":
            return self.searching
        return True

    def action_search_journal(self) -> None:
        """``/`` in the interactions pane: open the box (or go back to it)."""
        box = self.search_box
        if not box.display:
            lst = self.query_one("#interactions", InteractionList)
            current = lst.current
            self._before = (current.id if current is not None else None, self.focused)
            box.display = True
            # The size the box takes once typed in, set now: the first key would lay out the whole screen.
            box.virtual_size = Size(box.content_width, 1)
            self.show_search_status(Query(box.value), None)  # (the first search builds the word index)
            self.search_typed(box.value)
        box.focus()

    def action_end_search(self) -> None:
        """``escape``: the list and the entry as they were before the search."""
        if not self.searching:
            return
        entry_id, focus = self._before
        box = self.search_box
        box.display = False
        box.value = ""
        lst = self.query_one("#interactions", InteractionList)
        lst.highlight = None
        self.workers.cancel_group(self, "search")
        self.redraw_interactions(entry_id)
        (focus if focus is not None and focus.is_attached and focus is not box else lst).focus()

    def redraw_interactions(self, entry_id: str | None) -> None:
        """Show the pane's usual list (the main screen's panes implement it)."""
        raise NotImplementedError

    def search_typed(self, text: str) -> None:
        """The box's text changed: search again (in a worker)."""
        if self.searching:
            self.search_again(None)

    def search_again(self, focus: str | None, *, keep: bool = False) -> None:
        """Search for what the box holds; the cursor goes to ``focus`` (or stays, if ``keep``)."""
        journal = self.journal
        if journal is None:
            return
        text = self.search_box.value
        self.run_worker(
            partial(self._search, journal, text, focus, keep), thread=True, exclusive=True, group="search",
            exit_on_error=False,
        )

    def _search(self, journal: Journal, text: str, focus: str | None, keep: bool) -> None:
        query = parse_query(text, journal.people_index())
        ids = [] if query.error else journal.find(query)
        if not get_current_worker().is_cancelled:
            self.post_message(JournalSearched(text, query, ids, focus, keep))

    def on_journal_searched(self, message: JournalSearched) -> None:
        journal = self.journal
        if journal is None or not self.searching or message.text != self.search_box.value:
            return  # ended, or typed on since: a newer answer is coming
        lst = self.query_one("#interactions", InteractionList)
        ids = message.ids
        cursor: int | None = 0
        if message.focus is not None and message.focus in ids:
            cursor = ids.index(message.focus)
        elif message.keep:
            cursor = None

        def fetch(index: int) -> Interaction:
            return journal.interaction(ids[index])

        lst.highlight = message.query if message.query.words else None
        lst.empty_text = "" if message.query.error else "Nothing matches: fewer words, or the start of a word"
        lst.show(len(ids), fetch, self.people.names, cursor, self.today)
        self.show_search_status(message.query, len(ids))

    def show_search_status(self, query: Query, count: int | None) -> None:
        pane = self.query_one("#interactions-pane")
        pane.border_title = "2 Interactions · search"
        pane.border_subtitle = f"{count:,} found" if count is not None and not query.error else ""
        # (The card is two lines high whatever it holds: no layout of the whole screen a keystroke.)
        self.query_one("#card", Static).update(search_status(query, count, self.people.names), layout=False)
