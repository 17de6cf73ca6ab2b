"""The main screen: contacts, interactions and the ledger, side by side.

State flows down (the screen tells each pane what to show); the panes post messages up
(cursor moved, enter pressed); only this screen calls the Journal.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Header, Input
from textual.worker import get_current_worker

from netjournal.domain.model import Contact, Favour, Interaction
from netjournal.errors import NetjournalError, ValidationError
from netjournal.services.ledger import Ledger, build_ledger
from netjournal.tui import changes
from netjournal.tui.changes import with_undo
from netjournal.tui.screens.confirm import ConfirmScreen
from netjournal.tui.state import People, read_people
from netjournal.tui.widgets.footer import KeyFooter
from netjournal.tui.widgets.line_list import LineList
from netjournal.tui.widgets.lists import ContactList, FavourList, InteractionList
from netjournal.tui.widgets.panes import ContactCard, EntryView, FilterInput, LedgerSummary

if TYPE_CHECKING:
    from textual.timer import Timer

    from netjournal.domain.insights import Reciprocity
    from netjournal.store.journal import Journal

PANES = ("contacts-pane", "interactions-pane", "ledger-pane")
LISTS = ("#contacts", "#interactions", "#favours")
PANES_DELAY = 0.12  # seconds of calm in the filter before the other panes follow the selection
PANE_GROUP = Binding.Group("Panes", compact=True)
FAVOUR_GROUP = Binding.Group("Gave/Got", compact=True)


class MainScreen(Screen[None]):
    """The three panes; ``a``/``:`` open quick capture, ``i`` imports, ``m`` merges, ``t`` opens Today."""

    BINDINGS = [
        Binding("question_mark", "app.help", "Help", key_display="?", id="app.help"),
        Binding("tab", "cycle_pane(1)", "Next pane", show=False, id="pane.next"),
        Binding("shift+tab", "cycle_pane(-1)", "Previous pane", show=False, id="pane.previous"),
        Binding("1", "pane(0)", "Contacts pane", group=PANE_GROUP, id="pane.contacts"),
        Binding("2", "pane(1)", "Interactions pane", group=PANE_GROUP, id="pane.interactions"),
        Binding("3", "pane(2)", "Ledger pane", group=PANE_GROUP, id="pane.ledger"),
        Binding("c", "new_contact", "Contact", id="contact.new"),
        Binding("n", "new_interaction", "Log", id="interaction.new"),
        Binding("g", "new_favour('given')", "Favour given", group=FAVOUR_GROUP, id="favour.given"),
        Binding("r", "new_favour('received')", "Favour received", group=FAVOUR_GROUP, id="favour.received"),
        Binding("e", "edit", "Edit", id="edit"),
        Binding("d", "delete", "Delete", id="delete"),
        Binding("u", "undo", "Undo", id="undo"),
        Binding("U,ctrl+r", "redo", "Redo", show=False, id="redo"),
        Binding("A", "archive", "Archive", show=False, id="contact.archive"),
        Binding("slash", "filter", "Filter", key_display="/", id="contact.filter"),
        Binding("s", "toggle_sort", "Sort", id="contact.sort"),
        Binding("o", "toggle_everyone", "Everyone", id="scope.everyone"),
        Binding("t", "open_view('today')", "Today", id="view.today"),
        Binding("C", "open_view('circles')", "Circles", show=False, id="view.circles"),
        Binding("w", "open_view('who')", "Who knows", show=False, id="view.who"),
        Binding("a,colon", "capture", "Capture", id="capture.open"),
        Binding("i", "import_contacts", "Import", show=False, id="contacts.import"),
        Binding("m", "merge_contact", "Merge", show=False, id="contact.merge"),
    ]

    def __init__(self, *, today: date, dayfirst: bool = True, opened: tuple[Journal, People] | None = None) -> None:
        super().__init__()
        self._opened = opened  # the journal, if it is open already: shown in the first frame
        self.today = today
        self.dayfirst = dayfirst
        self.journal: Journal | None = None
        self.people = People()
        self.filter_text = ""
        self.sort_by_gap = False
        self.everyone = False
        self.selected_id: str | None = None
        self._panes_timer: Timer | None = None

    # ------------------------------------------------------------------ layout
    def compose(self) -> ComposeResult:
        yield Header(icon="◆")
        with Horizontal(id="panes"):
            with Vertical(id="contacts-pane", classes="pane"):
                yield FilterInput(placeholder="/ to filter: name, alias, org, tag", id="filter", compact=True)
                yield ContactList(id="contacts")
            with Vertical(id="right"):
                with Vertical(id="interactions-pane", classes="pane"):
                    yield ContactCard(id="card")
                    yield InteractionList(id="interactions")
                    with VerticalScroll(id="entry-scroll", can_focus=False):
                        yield EntryView(id="entry")
                with Vertical(id="ledger-pane", classes="pane"):
                    yield LedgerSummary(id="ledger-summary")
                    yield FavourList(id="favours")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.contacts.empty_text = "Opening the journal…"
        self.query_one("#contacts-pane").border_title = "1 Contacts"
        self.query_one("#interactions-pane").border_title = "2 Interactions"
        self.query_one("#ledger-pane").border_title = "3 Ledger"
        self.contacts.focus()
        if self._opened is not None:
            self.journal_ready(*self._opened)
            self._opened = None
            shown = getattr(self.app, "first_frame_shown", None)
            if shown is not None:
                self.call_after_refresh(shown)

    @property
    def contacts(self) -> ContactList:
        return self.query_one("#contacts", ContactList)

    @property
    def interactions(self) -> InteractionList:
        return self.query_one("#interactions", InteractionList)

    @property
    def favours(self) -> FavourList:
        return self.query_one("#favours", FavourList)

    # ------------------------------------------------------------------ data in
    def journal_ready(self, journal: Journal, people: People) -> None:
        """Called by the app once the worker has opened the journal."""
        self.journal = journal
        self.people = people
        self.contacts.empty_text = "No contacts yet: press c to add one"
        self.show_contacts()

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
        self.contacts.show(people, self.people.last_seen, self.today, cursor)
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
        self.show_interactions(entry_id, keep=keep)
        self.show_ledger(favour_id, keep=keep)

    def show_interactions(self, entry_id: str | None = None, keep: bool = False) -> None:
        journal = self.journal
        if journal is None:
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
                card.show_contact(journal.contact(cid), self.people.last_seen.get(cid, ""), self.today, count)
        pane.border_title = "2 Interactions · everyone" if self.everyone else "2 Interactions"
        pane.border_subtitle = f"{count:,}"
        cursor: int | None = None if keep else 0
        if entry_id is not None:
            ids = journal.interaction_ids(cid)
            cursor = ids.index(entry_id) if entry_id in ids else 0

        def fetch(index: int, cid: str | None = cid) -> Interaction:
            return journal.interaction_at(index, cid)

        self.interactions.show(count, fetch, self.people.names, cursor, self.today)

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
        net = f"{ledger.balance:+d}" if ledger.balance else "0"
        totals = f" · all time: gave {ledger.given_count}, got {ledger.received_count}, balance {net}" if count else ""
        self.query_one("#ledger-pane").border_subtitle = f"{count:,} favour{'s' if count != 1 else ''}{totals}"
        if who:
            self._reciprocity(None if self.everyone else self.selected_id)

    @work(exclusive=True, thread=True, group="reciprocity", exit_on_error=False)
    def _reciprocity(self, cid: str | None) -> None:
        """The weighted verdict from the app's Insights (cached; the first time may take a second)."""
        from netjournal.tui.insight_data import ledger_line

        insights = getattr(self.app, "insights", None)
        if insights is None:
            return
        line = ledger_line(insights, cid, self.today)
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._reciprocity_ready, cid, line)

    def _reciprocity_ready(self, cid: str | None, line: Reciprocity | dict[str, int]) -> None:
        if cid == (None if self.everyone else self.selected_id):
            self.query_one("#ledger-summary", LedgerSummary).show_reciprocity(line)

    def insights_ready(self) -> None:
        """The app's Insights exist now (they are made after the first frame, with the
        Markdown renderer): the verdict, and the entry as Markdown."""
        self.query_one("#entry", EntryView).markdown_ready()
        if self.everyone or self.selected_id is not None:
            self._reciprocity(None if self.everyone else self.selected_id)

    # ------------------------------------------------------------------ messages up
    @on(LineList.Highlighted, "#contacts")
    def _contact_highlighted(self, event: LineList.Highlighted) -> None:
        person = self.contacts.current
        new_id = person.id if person else None
        if new_id != self.selected_id:
            self.select_contact(person)

    @on(LineList.Highlighted, "#interactions")
    def _entry_highlighted(self, event: LineList.Highlighted) -> None:
        self.query_one("#entry", EntryView).show_entry(self.interactions.current, self.people.names)
        self.query_one("#entry-scroll").scroll_home(animate=False)

    @on(LineList.Selected, "#contacts")
    def _contact_opened(self, event: LineList.Selected) -> None:
        if self.everyone:
            self.action_toggle_everyone()
        self.interactions.focus()

    @on(LineList.Selected, "#interactions")
    @on(LineList.Selected, "#favours")
    def _item_opened(self, event: LineList.Selected) -> None:
        self.action_edit()

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

    def action_filter(self) -> None:
        self.query_one("#filter").focus()

    def action_toggle_sort(self) -> None:
        self.sort_by_gap = not self.sort_by_gap
        self.show_contacts()

    def action_toggle_everyone(self) -> None:
        self.everyone = not self.everyone
        self.select_contact(self.contacts.current)

    def jump_to(self, contact_id: str) -> None:
        """Select a contact (from the command palette), clearing a filter that hides them."""
        if self.filter_text:
            self.query_one("#filter", Input).value = ""
            self.filter_text = ""
        self.selected_id = contact_id
        self.show_contacts(refresh=True)
        self.contacts.focus()

    # ------------------------------------------------------------------ editing
    def writable(self) -> Journal | None:
        """The journal, if changes can be saved now; else None, and the person is told why."""
        if self.journal is None:
            self.notify("The journal is still opening…", severity="warning")
        elif self.journal.readonly:
            self.notify("This journal is open read-only", severity="warning")
            return None
        return self.journal

    def _resolve(self, ref: str) -> Contact:
        assert self.journal is not None
        return self.journal.resolve_contact(ref)

    def action_new_contact(self) -> None:
        if self.writable():
            self.open_contact_form(None)

    def has_people(self) -> bool:
        """True if there is someone to log with; else the person is told how to add one."""
        if self.people.contacts:
            return True
        self.notify("No people yet: press c to add one", severity="warning")
        return False

    def action_new_interaction(self) -> None:
        if self.writable() and self.has_people():
            person = self.selected_id
            self.open_interaction_form(Interaction(date=self.today.isoformat(), contact_ids=[person] if person else [], kind="meal"))

    def action_new_favour(self, direction: str) -> None:
        if self.writable() and self.has_people():
            self.open_favour_form(Favour(direction=direction, contact_id=self.selected_id or "", date=self.today.isoformat()))

    def action_edit(self) -> None:
        if not self.writable():
            return
        pane = self.pane_index()
        if pane == 0:
            person = self.contacts.current
            if person is not None:
                self.open_contact_form(person)
                return
        elif pane == 1:
            entry = self.interactions.current
            if entry is not None:
                self.open_interaction_form(entry)
                return
        else:
            row = self.favours.current
            if row is not None:
                self.open_favour_form(row.favour)
                return
        self.nothing_selected("edit")

    def nothing_selected(self, verb: str) -> None:
        """Say that ``e`` or ``d`` found nothing selected in the pane in front (and what adds one)."""
        what, key = (("contact", "c"), ("interaction", "n"), ("favour", "g or r"))[self.pane_index()]
        self.notify(f"No {what} selected to {verb}: press {key} to add one", severity="warning")

    def open_contact_form(self, person: Contact | None, errors: dict[str, str] | None = None) -> None:
        from netjournal.tui.screens.editors import ContactForm  # imported on first use: a faster start

        others = self.journal.contacts(archived=True) if self.journal is not None else []
        form = ContactForm(person, today=self.today, dayfirst=self.dayfirst, others=others, errors=errors)
        self.app.push_screen(form, self._save_contact)

    def open_interaction_form(self, entry: Interaction, errors: dict[str, str] | None = None) -> None:
        from netjournal.tui.screens.editors import InteractionForm

        journal = self.journal
        # Its people's favours (each read from their own lines): the ones recorded with it move with its date.
        favours = len({f.id for cid in entry.contact_ids for f in journal.favours(cid) if f.interaction_id == entry.id}
                      ) if entry.id and journal is not None else 0
        form = InteractionForm(
            entry, names=self.people.names, resolve=self._resolve, today=self.today, dayfirst=self.dayfirst,
            favours=favours, errors=errors,
        )
        self.app.push_screen(form, self._save_interaction)

    def open_favour_form(self, favour: Favour, errors: dict[str, str] | None = None) -> None:
        from netjournal.tui.screens.editors import FavourForm

        form = FavourForm(favour, names=self.people.names, resolve=self._resolve, today=self.today, dayfirst=self.dayfirst, errors=errors)
        self.app.push_screen(form, self._save_favour)

    def _save(self, write: Callable[[], object], reopen: Callable[[dict[str, str]], None]) -> bool:
        """Run a journal write; a refusal reopens the form with what was typed and the problem."""
        try:
            write()
        except ValidationError as exc:
            reopen(exc.errors)
            return False
        except NetjournalError as exc:
            self.notify(str(exc), title="Not saved", severity="error", markup=False)
            return False
        return True

    def _save_contact(self, person: Contact | None) -> None:
        if person is None or self.journal is None:
            return
        journal = self.journal
        saved: list[Contact] = []

        def write() -> None:
            saved.append(journal.update_contact(person) if person.id else journal.add_contact(person))

        if self._save(write, lambda errors: self.open_contact_form(person, errors)):
            if self.filter_text and saved[0].id not in {c.id for c in journal.find_contacts(self.filter_text)}:
                self.query_one("#filter", Input).value = ""
                self.filter_text = ""
            self.reload(contact_id=saved[0].id)
            self.notify(with_undo(f"Saved {saved[0].name}"), markup=False)

    def _save_interaction(self, entry: Interaction | None) -> None:
        if entry is None or self.journal is None:
            return
        journal = self.journal
        saved: list[Interaction] = []

        def write() -> None:
            saved.append(journal.update_interaction(entry) if entry.id else journal.add_interaction(entry))

        if self._save(write, lambda errors: self.open_interaction_form(entry, errors)):
            new = saved[0]
            person = self.selected_id if self.selected_id in new.contact_ids else new.contact_ids[0]
            self.people = read_people(journal, self.today)
            self.selected_id = person
            self.show_contacts()
            self.select_contact(journal.contact(person), entry_id=new.id)
            self.notify(with_undo(f"Saved the {new.kind} of {new.date}"), markup=False)

    def _save_favour(self, favour: Favour | None) -> None:
        if favour is None or self.journal is None:
            return
        journal = self.journal
        saved: list[Favour] = []

        def write() -> None:
            saved.append(journal.update_favour(favour) if favour.id else journal.add_favour(favour))

        if self._save(write, lambda errors: self.open_favour_form(favour, errors)):
            new = saved[0]
            if not self.everyone and self.selected_id != new.contact_id:
                self.jump_to(new.contact_id)
            self.people = read_people(journal, self.today)
            self.show_ledger(favour_id=new.id)
            self.notify(with_undo(f"Saved the favour {new.direction} on {new.date}"), markup=False)

    def action_delete(self) -> None:
        journal = self.writable()
        if journal is None:
            return
        pane = self.pane_index()
        if pane == 0:
            person = self.contacts.current
            if person is None:
                self.nothing_selected("delete")
                return
            entries = journal.interactions(person.id)
            alone = sum(1 for e in entries if e.contact_ids == [person.id])
            favours = len(journal.favours(person.id))
            parts = [f"{n} {word}{'' if n == 1 else 's'}" for n, word in ((alone, "interaction"), (favours, "favour")) if n]
            gone = f"Also deletes {' and '.join(parts)} with only them." if parts else "Nothing else goes with them."
            detail = f"{gone} u undoes it."
            self._confirm(f"Delete {person.name}?", detail, lambda: journal.delete_contact(person.id))
        elif pane == 1:
            entry = self.interactions.current
            if entry is None:
                self.nothing_selected("delete")
            else:
                self._confirm(f"Delete the {entry.kind} of {entry.date}?", "u undoes it.", lambda: journal.delete_interaction(entry.id))
        else:
            row = self.favours.current
            if row is None:
                self.nothing_selected("delete")
            else:
                fav = row.favour
                self._confirm(f"Delete the favour {fav.direction} on {fav.date}?", "u undoes it.", lambda: journal.delete_favour(fav.id))

    def _confirm(self, question: str, detail: str, delete: Callable[[], object]) -> None:
        def answered(yes: bool | None) -> None:
            if not yes:
                return
            try:
                delete()
            except NetjournalError as exc:
                self.notify(str(exc), title="Not deleted", severity="error", markup=False)
                return
            self._after_change(keep=True)
            self.notify(with_undo(question[:-1].replace("Delete", "Deleted", 1)), markup=False)

        self.app.push_screen(ConfirmScreen(question, detail), answered)

    def action_undo(self) -> None:
        self.undo()

    def action_redo(self) -> None:
        self.redo()

    def undo(self) -> bool:
        """Undo the newest change, saying which (the main screen's ``u`` and the views'); True if one was."""
        return changes.step(self)

    def redo(self) -> bool:
        """Put back what undo took most recently (``U`` / ``ctrl+r``); True if something was."""
        return changes.step(self, redo=True)

    def action_archive(self) -> None:
        changes.archive(self, self.contacts.current)

    def _after_change(self, *, keep: bool) -> None:
        self.reload(keep=keep)

    # ------------------------------------------------------------------ capture, import, merge
    async def action_capture(self) -> None:
        from netjournal.tui.widgets.capture import open_capture  # loaded on first use

        if self.writable():
            await open_capture(self)

    def action_import_contacts(self) -> None:
        from netjournal.tui.screens.importer import open_import

        if self.writable():
            open_import(self)

    def action_merge_contact(self) -> None:
        from netjournal.tui.screens.merge import open_merge

        if self.writable():
            open_merge(self)

    # ------------------------------------------------------------------ insight views
    def action_open_view(self, name: str) -> None:
        from netjournal.tui.screens.views import open_view  # loaded on first use

        open_view(self, name)

    # ------------------------------------------------------------------ for the palette
