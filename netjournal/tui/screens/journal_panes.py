"""The main screen's three panes: contacts, interactions and the ledger, side by side.

State flows down (the screen tells each pane what to show); the panes post messages up
(cursor moved, enter pressed). This is what the panes show and how they follow the
selection; :class:`netjournal.tui.screens.main.MainScreen` adds the keys that change things.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Header, Input
from textual.worker import get_current_worker

from netjournal.domain.model import Contact, Interaction
from netjournal.services.ledger import Ledger, build_ledger
from netjournal.services.people import People, read_people
from netjournal.tui import clashes
from netjournal.tui.app_services import AppServices, services
from netjournal.tui.messages import FirstFrame
from netjournal.tui.screens.journal_search import JournalSearch
from netjournal.tui.widgets.footer import KeyFooter
from netjournal.tui.widgets.line_list import LineList
from netjournal.tui.widgets.lists import ContactList, FavourList, InteractionList
from netjournal.tui.widgets.panes import ContactCard, EntryView, FilterInput, LedgerSummary
from netjournal.tui.widgets.person_card import PersonCard
from netjournal.tui.widgets.search import SearchInput

if TYPE_CHECKING:
    from textual.timer import Timer

    from netjournal.domain.insights import Reciprocity
    from netjournal.store.devicewiring import Clash
    from netjournal.store.journal import Journal
    from netjournal.tui.insight_data import CardInsights

PANES = ("contacts-pane", "interactions-pane", "ledger-pane")
LISTS = ("#contacts", "#interactions", "#favours")
PANES_DELAY = 0.12  # seconds of calm in the filter before the other panes follow the selection
PANE_GROUP = Binding.Group("Panes", compact=True)
FAVOUR_GROUP = Binding.Group("Gave/Got", compact=True)
COMPACT_BELOW = (100, 30)  # a terminal narrower or lower than this: the card shows on request (p)


class JournalPanes(JournalSearch):
    """The panes and the selection they follow (the keys are the main screen's); the search
    of the interactions pane is :class:`JournalSearch`'s."""

    FOOTER_KEEP: tuple[str, ...] = ()  # the keys the footer keeps when not all fit, the most used first

    def __init__(self, *, today: date, dayfirst: bool = True, opened: tuple[Journal, People] | None = None) -> None:
        super().__init__()
        self._opened = opened  # the journal, if it is open already: shown in the first frame
        self.today = today
        self.dayfirst = dayfirst
        self.journal: Journal | None = None
        self.people = People()
        self.clashes = clashes.Clashes()  # the journal's, at its revision (found again on JournalChanged)
        self.filter_text = ""
        self.sort_by_gap = False
        self.everyone = False
        self.selected_id: str | None = None
        self._panes_timer: Timer | None = None
        self._entry_shown: tuple[Interaction | None, dict[str, str], tuple[Clash, ...]] = (None, {}, ())
        self.card_choice: bool | None = None  # p shows or hides the card; None: shown unless the terminal is small

    # ------------------------------------------------------------------ layout
    def compose(self) -> ComposeResult:
        yield Header(icon="◆")
        with Horizontal(id="panes"):
            with Vertical(id="left"):
                with Vertical(id="contacts-pane", classes="pane"):
                    yield FilterInput(placeholder="/ to filter: name, alias, org, tag", id="filter", compact=True)
                    yield ContactList(id="contacts")
                yield PersonCard(id="person", classes="pane")
            with Vertical(id="right"):
                with Vertical(id="interactions-pane", classes="pane"):
                    yield SearchInput(id="search")
                    yield ContactCard(id="card")
                    yield InteractionList(id="interactions")
                    with VerticalScroll(id="entry-scroll", can_focus=False):
                        yield EntryView(id="entry")
                with Vertical(id="ledger-pane", classes="pane"):
                    yield LedgerSummary(id="ledger-summary")
                    yield FavourList(id="favours")
        yield KeyFooter(keep=self.FOOTER_KEEP)

    def on_mount(self) -> None:
        self.contacts.empty_text = "Opening the journal…"
        self.query_one("#contacts-pane").border_title = "1 Contacts"
        self.query_one("#interactions-pane").border_title = "2 Interactions"
        self.query_one("#ledger-pane").border_title = "3 Ledger"
        self.person_card.border_title = "Card"
        self.contacts.focus()
        if self._opened is not None:
            self.journal_ready(*self._opened)
            self._opened = None

    @property
    def app_services(self) -> AppServices:
        """The app's services (the journal, its insights, the settings)."""
        return services(self)

    @property
    def contacts(self) -> ContactList:
        return self.query_one("#contacts", ContactList)

    @property
    def interactions(self) -> InteractionList:
        return self.query_one("#interactions", InteractionList)

    @property
    def favours(self) -> FavourList:
        return self.query_one("#favours", FavourList)

    @property
    def person_card(self) -> PersonCard:
        return self.query_one("#person", PersonCard)

    # ------------------------------------------------------------------ data in
    def journal_ready(self, journal: Journal, people: People) -> None:
        """Called by the app once the worker has opened the journal; the app hears when the
        panes have drawn it (:class:`FirstFrame`)."""
        self.journal = journal
        self.people = people
        self.contacts.empty_text = "No contacts yet: press c to add one"
        self.show_contacts()
        self.call_after_refresh(self.post_message, FirstFrame())

    def reload(self, *, contact_id: str | None = None, keep: bool = False) -> None:
        """After a change: re-read people (cheap, indexes are kept) and redraw every pane."""
        assert self.journal is not None
        self.people = read_people(self.journal, self.today)
        if contact_id is not None:
            self.selected_id = contact_id
        self.show_contacts(refresh=True, keep=keep)

    def show_contacts(self, *, refresh: bool = False, keep: bool = False, defer: bool = False) -> None:
        """Filter and sort the people; if the selection changed (or ``refresh``), redraw the other panes."""
        if self.journal is None:
            return
        people = self.contacts.finder.find(self.people.contacts, self.filter_text)
        if self.sort_by_gap:
            seen = self.people.last_seen
            people = sorted(people, key=lambda c: seen.get(c.id, ""))
        ids = [c.id for c in people]
        cursor = ids.index(self.selected_id) if self.selected_id in ids else 0
        self.clashes = clashes.current(self.journal, self.clashes)
        self.contacts.show(people, self.people.last_seen, self.today, cursor, marked=self.clashes.people)
        total = len(self.people.contacts)
        shown = f"{len(people)} of {total}" if self.filter_text.strip() else f"{total}"
        order = "longest since last contact" if self.sort_by_gap else "by name"
        self.query_one("#contacts-pane").border_subtitle = f"{shown} · {order}"
        current = self.contacts.current
        if refresh or (current.id if current else None) != self.selected_id:
            if defer:  # typing in the filter: redraw the other panes once the typing pauses
                self.selected_id = current.id if current else None
                if self._panes_timer is not None:
                    self._panes_timer.stop()
                self._panes_timer = self.set_timer(PANES_DELAY, lambda: self.select_contact(self.contacts.current))
            else:
                self.select_contact(current, keep=keep)

    def select_contact(
        self, person: Contact | None, *, entry_id: str | None = None, favour_id: str | None = None, keep: bool = False
    ) -> None:
        self.selected_id = person.id if person else None
        self.person_card.show_person(person, self.today, self.clashes.of("contacts", self.selected_id))
        self.show_interactions(entry_id, keep=keep)
        self.show_ledger(favour_id, keep=keep)

    def show_interactions(self, entry_id: str | None = None, keep: bool = False) -> None:
        journal = self.journal
        if journal is None:
            return
        if self.searching:  # a change, another person: the search again, the cursor on its entry
            self.search_again(entry_id, keep=keep or entry_id is None)
            return
        cid = None if self.everyone else self.selected_id
        card = self.query_one("#card", ContactCard)
        pane = self.query_one("#interactions-pane")
        if cid is None and not self.everyone:
            count = 0
            card.show_contact(None, "", self.today, 0)
        else:
            count = journal.interaction_count(cid)
            if cid is None:
                card.show_everyone(count)
            else:
                seen = self.people.last_seen.get(cid, "")
                card.show_contact(journal.contact(cid), seen, self.today, count, self.clashes.of("contacts", cid))
        pane.border_title = "2 Interactions · everyone" if self.everyone else "2 Interactions"
        pane.border_subtitle = f"{count:,}"
        cursor: int | None = None if keep else 0
        if entry_id is not None:
            ids = journal.interaction_ids(cid)
            cursor = ids.index(entry_id) if entry_id in ids else 0

        def fetch(index: int, cid: str | None = cid) -> Interaction:
            return journal.interaction_at(index, cid)

        self.interactions.show(count, fetch, self.people.names, cursor, self.today)

    def redraw_interactions(self, entry_id: str | None) -> None:
        self.show_interactions(entry_id)

    def show_ledger(self, favour_id: str | None = None, keep: bool = False) -> None:
        if self.journal is None:
            return
        cid = None if self.everyone else self.selected_id
        who = "everyone" if self.everyone else self.people.names.get(cid or "", "")
        self.query_one("#ledger-pane").border_title = "3 Ledger · everyone" if self.everyone else "3 Ledger"
        cursor = None if keep else 0
        if cid is None and not self.everyone:
            self._ledger_ready(Ledger(), "", favour_id, cursor)
        elif cid is None:
            self._ledger_everyone(favour_id, cursor)
        else:
            self._ledger_ready(build_ledger(self.journal.favours(cid)), who, favour_id, cursor)

    @work(exclusive=True, thread=True, group="ledger")
    def _ledger_everyone(self, favour_id: str | None, cursor: int | None) -> None:
        assert self.journal is not None
        ledger = build_ledger(self.journal.favours(None))
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._ledger_ready, ledger, "everyone", favour_id, cursor)

    def _ledger_ready(self, ledger: Ledger, who: str, favour_id: str | None, cursor: int | None) -> None:
        if favour_id is not None:
            ids = [row.favour.id for row in ledger.rows]
            cursor = ids.index(favour_id) if favour_id in ids else 0
        self.favours.show(ledger, self.people.names, show_person=self.everyone, cursor=cursor)
        header = self.favours.header(self.favours.scrollable_content_region.width) if ledger.rows else ""
        self.query_one("#ledger-summary", LedgerSummary).show_ledger(ledger, who, header)
        count = len(ledger.rows)
        sums = ledger.totals
        net = f"{sums.balance:+d}" if sums.balance else "0"
        totals = f" · all time: gave {sums.given}, got {sums.received}, balance {net}" if count else ""
        self.query_one("#ledger-pane").border_subtitle = f"{count:,} favour{'s' if count != 1 else ''}{totals}"
        if who:
            self._reciprocity(None if self.everyone else self.selected_id, self.selected_id)

    @work(exclusive=True, thread=True, group="reciprocity", exit_on_error=False)
    def _reciprocity(self, cid: str | None, person_id: str | None) -> None:
        """The weighted verdict, and what the card shows of ``person_id``, from the app's
        Insights (cached views; the first time may take a second)."""
        from netjournal.tui.insight_data import card_insights, ledger_line

        insights = self.app_services.insights
        if insights is None:
            return
        line = ledger_line(insights, cid, self.today)
        card = card_insights(insights, person_id, self.today) if person_id is not None else None
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._reciprocity_ready, cid, line, card)

    def _reciprocity_ready(
        self, cid: str | None, line: Reciprocity | dict[str, int], card: CardInsights | None = None
    ) -> None:
        if cid == (None if self.everyone else self.selected_id):
            self.query_one("#ledger-summary", LedgerSummary).show_reciprocity(line)
        if card is not None:
            self.person_card.show_insights(card)

    def insights_ready(self) -> None:
        """The app's Insights exist now (they are made after the first frame, with the
        Markdown renderer): the verdict, and the entry as Markdown."""
        self.query_one("#entry", EntryView).markdown_ready()
        self.person_card.markdown_ready()
        if self.everyone or self.selected_id is not None:
            self._reciprocity(None if self.everyone else self.selected_id, self.selected_id)

    # ------------------------------------------------------------------ messages up
    @on(LineList.Highlighted, "#contacts")
    def _contact_highlighted(self, event: LineList.Highlighted) -> None:
        person = self.contacts.current
        new_id = person.id if person else None
        if new_id != self.selected_id:
            self.select_contact(person)

    @on(LineList.Highlighted, "#interactions")
    def _entry_highlighted(self, event: LineList.Highlighted) -> None:
        entry = self.interactions.current
        shown = (entry, self.people.names, self.clashes.of("interactions", entry.id if entry else None))
        if shown == self._entry_shown and shown[0] is not None:
            return  # the same entry (a search typed on, its first result the same): drawn already
        self._entry_shown = shown
        self.query_one("#entry", EntryView).show_entry(*shown)
        self.query_one("#entry-scroll").scroll_home(animate=False)

    @on(LineList.Selected, "#contacts")
    def _contact_opened(self, event: LineList.Selected) -> None:
        if self.everyone:
            self.action_toggle_everyone()
        self.interactions.focus()

    @on(Input.Changed, "#filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        self.filter_typed(event.value)

    def filter_typed(self, text: str) -> None:
        """The filter's text changed. FilterInput calls this as the key is handled, so the list is
        redrawn in the same frame as the typed character (Input.Changed arrives a frame later and
        then finds nothing to do)."""
        if text == self.filter_text:
            return
        self.filter_text = text
        self.show_contacts(defer=True)

    # ------------------------------------------------------------------ panes
    def pane_index(self) -> int:
        node = self.focused
        while node is not None:
            if node.id in PANES:
                return PANES.index(node.id)
            node = node.parent  # type: ignore[assignment]
        return 0

    def action_pane(self, index: int) -> None:
        self.query_one(LISTS[index]).focus()

    def action_cycle_pane(self, step: int) -> None:
        self.action_pane((self.pane_index() + step) % len(LISTS))

    # ------------------------------------------------------------------ the card
    def on_resize(self, event: events.Resize) -> None:
        wide, tall = COMPACT_BELOW
        self.set_class(event.size.width < wide or event.size.height < tall, "-compact")
        self.set_class(self.card_shown(), "-with-card")

    def card_shown(self) -> bool:
        """Is the card on screen (in a small terminal it stands in for the interactions and the ledger)?"""
        return self.card_choice if self.card_choice is not None else not self.has_class("-compact")

    def show_card(self, shown: bool) -> None:
        self.card_choice = shown
        self.set_class(shown, "-with-card")

    def action_card(self) -> None:
        """``p``: show the card and move into it (to scroll it); pressed in the card, hide it."""
        if self.card_shown() and self.person_card.has_focus:
            self.show_card(False)
            self.contacts.focus()
        else:
            self.show_card(True)
            self.person_card.focus()

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        """In a small terminal the card stands in for the right-hand panes: going to one of them hides it."""
        if self.has_class("-compact") and self.card_shown() and self.query_one("#right") in event.widget.ancestors:
            self.show_card(False)

    def action_filter(self) -> None:
        self.query_one("#filter").focus()

    def action_scroll_entry(self, lines: int) -> None:
        """Scroll the selected entry's text (the interactions pane's lower part) by ``lines``,
        wherever the focus is."""
        self.query_one("#entry-scroll").scroll_relative(y=lines, animate=False, immediate=True)

    def action_scroll_entry_page(self, direction: int) -> None:
        """Scroll the entry's text half its height down (1) or up (-1)."""
        view = self.query_one("#entry-scroll")
        view.scroll_relative(y=direction * max(1, view.scrollable_content_region.height // 2), animate=False,
                             immediate=True)

    def action_toggle_sort(self) -> None:
        self.sort_by_gap = not self.sort_by_gap
        self.show_contacts()

    def action_toggle_everyone(self) -> None:
        self.everyone = not self.everyone
        self.select_contact(self.contacts.current)

    def jump_to(self, contact_id: str) -> None:
        """Select a contact (from the command palette or a view), clearing a filter."""
        if self.filter_text:
            self.clear_filter()
        self.selected_id = contact_id
        self.show_contacts(refresh=True)
        self.contacts.focus()

    def clear_filter(self) -> None:
        self.query_one("#filter", Input).value = ""
        self.filter_text = ""
