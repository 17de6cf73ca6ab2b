"""The main screen: the three panes (:mod:`netjournal.tui.screens.journal_panes`) and the
keys that change the journal.

A change is asked for with a :class:`Write` message (a form's record, a deletion, an undo);
the app makes it and answers with :class:`Written`, which this screen hears for every change,
wherever it was asked: it redraws the panes and selects what the change made.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual import on
from textual.binding import Binding

from netjournal.domain.model import Contact, Favour, Interaction
from netjournal.services.people import read_people
from netjournal.tui import clashes
from netjournal.tui.confirm import ConfirmScreen
from netjournal.tui.messages import JournalChanged, Write, Written
from netjournal.tui.screens.journal_panes import FAVOUR_GROUP, PANE_GROUP, JournalPanes
from netjournal.tui.widgets.line_list import LineList
from netjournal.tui.writes import Archive, Change, Delete, MergeContacts, Outcome, Record, SaveCapture, SaveRecord, Undo

if TYPE_CHECKING:
    from netjournal.store.journal import Journal
    from netjournal.tui.screens.form import FormScreen
    from netjournal.tui.widgets.capture import CaptureBar


class MainScreen(JournalPanes):
    """The three panes; ``a``/``:`` open quick capture, ``i`` imports, ``m`` merges, ``t`` opens Today."""

    _base: Record | None = None  # the record the open form began from (see open_editor)

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
        Binding("p", "card", "Card", id="card.toggle"),
        Binding("t", "open_view('today')", "Today", id="view.today"),
        Binding("C", "open_view('circles')", "Circles", show=False, id="view.circles"),
        Binding("w", "open_view('who')", "Who knows", show=False, id="view.who"),
        Binding("a,colon", "capture", "Capture", id="capture.open"),
        Binding("i", "import_contacts", "Import", show=False, id="contacts.import"),
        Binding("m", "merge_contact", "Merge", show=False, id="contact.merge"),
        Binding("J", "scroll_entry(1)", "Entry down", show=False, id="entry.down"),
        Binding("K", "scroll_entry(-1)", "Entry up", show=False, id="entry.up"),
        Binding("ctrl+d", "scroll_entry_page(1)", "Entry half page down", show=False, id="entry.page_down"),
        Binding("ctrl+u", "scroll_entry_page(-1)", "Entry half page up", show=False, id="entry.page_up"),
    ]

    FOOTER_KEEP = (
        "app.help", "interaction.new", "capture.open", "view.today", "card.toggle", "contact.new", "contact.filter",
        "edit", "undo", "pane.contacts", "favour.given", "delete", "scope.everyone", "contact.sort",
    )

    @on(LineList.Selected, "#interactions")
    @on(LineList.Selected, "#favours")
    def _item_opened(self, event: LineList.Selected) -> None:
        self.action_edit()

    # ------------------------------------------------------------------ asking for changes
    def writable(self) -> Journal | None:
        """The journal, if changes can be saved now; else None, and the person is told why."""
        return self.app_services.writable()

    def ask(self, change: Change) -> None:
        """Ask the app to make ``change``; the answer comes back as :class:`Written`."""
        self.post_message(Write(change, origin=self))

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
            self.open_interaction_form(
                Interaction(date=self.today.isoformat(), contact_ids=[person] if person else [], kind="meal")
            )

    def action_new_favour(self, direction: str) -> None:
        if self.writable() and self.has_people():
            self.open_favour_form(
                Favour(direction=direction, contact_id=self.selected_id or "", date=self.today.isoformat())
            )

    def action_edit(self) -> None:
        if not self.writable():
            return
        pane = self.pane_index()
        row = self.favours.current
        current = (self.contacts.current, self.interactions.current, row.favour if row else None)[pane]
        if current is None:
            self.nothing_selected("edit")
        else:
            self.open_editor(current)

    def nothing_selected(self, verb: str) -> None:
        """Say that ``e`` or ``d`` found nothing selected in the pane in front (and what adds one)."""
        what, key = (("contact", "c"), ("interaction", "n"), ("favour", "g or r"))[self.pane_index()]
        self.notify(f"No {what} selected to {verb}: press {key} to add one", severity="warning")

    def open_editor(self, record: Record, errors: dict[str, str] | None = None, base: Record | None = None) -> None:
        """The form for ``record`` (a new one if it has no id); saving it asks for the change.
        ``base``: the record as it was when the person began editing it (a form opened again
        after a refusal), so that only what they changed is saved over what changed meanwhile."""
        self._base = base if base is not None else (record if record.id else None)
        if isinstance(record, Contact):
            self.open_contact_form(record, errors)
        elif isinstance(record, Interaction):
            self.open_interaction_form(record, errors)
        else:
            self.open_favour_form(record, errors)

    def open_contact_form(self, person: Contact | None, errors: dict[str, str] | None = None) -> None:
        from netjournal.tui.screens.editors import ContactForm  # imported on first use: a faster start

        others = self.journal.contacts(archived=True) if self.journal is not None else []
        form = ContactForm(person, today=self.today, dayfirst=self.dayfirst, others=others, errors=errors)
        self._push_form(form, "contacts", person.id if person else None)

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
        self._push_form(form, "interactions", entry.id)

    def open_favour_form(self, favour: Favour, errors: dict[str, str] | None = None) -> None:
        from netjournal.tui.screens.editors import FavourForm

        form = FavourForm(
            favour,
            names=self.people.names,
            resolve=self._resolve,
            today=self.today,
            dayfirst=self.dayfirst,
            errors=errors,
        )
        self._push_form(form, "favours", favour.id)

    def _push_form(self, form: FormScreen[Any], table: str, rid: str | None) -> None:
        """Open ``form`` for the record ``rid`` of ``table`` (None: a new one), saying its clashes."""
        if self.journal is not None:  # (a change made here since the panes were drawn may have settled one)
            self.clashes = clashes.current(self.journal, self.clashes)
        form.clashes = self.clashes.of(table, rid)
        self.app.push_screen(form, self._save)

    def _save(self, record: Record | None) -> None:
        """A form closed: save what it holds (None: it was cancelled)."""
        base, self._base = self._base, None
        if record is not None and self.journal is not None:
            self.ask(SaveRecord(record, base if base is not None and base.id == record.id else None))

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
            parts = [
                f"{n} {word}{'' if n == 1 else 's'}" for n, word in ((alone, "interaction"), (favours, "favour")) if n
            ]
            gone = f"Also deletes {' and '.join(parts)} with only them." if parts else "Nothing else goes with them."
            self._confirm(Delete("contacts", person.id, f"Delete {person.name}?"), f"{gone} u undoes it.")
        elif pane == 1:
            entry = self.interactions.current
            if entry is None:
                self.nothing_selected("delete")
            else:
                self._confirm(
                    Delete("interactions", entry.id, f"Delete the {entry.kind} of {entry.date}?"), "u undoes it."
                )
        else:
            row = self.favours.current
            if row is None:
                self.nothing_selected("delete")
            else:
                fav = row.favour
                self._confirm(
                    Delete("favours", fav.id, f"Delete the favour {fav.direction} on {fav.date}?"), "u undoes it."
                )

    def _confirm(self, change: Delete, detail: str) -> None:
        def answered(yes: bool | None) -> None:
            if yes:
                self.ask(change)

        self.app.push_screen(ConfirmScreen(change.question, detail), answered)

    def action_undo(self) -> None:
        if self.writable():
            self.ask(Undo())

    def action_redo(self) -> None:
        if self.writable():
            self.ask(Undo(redo=True))

    def action_archive(self) -> None:
        """Hide the selected person from the lists (nothing is deleted; u brings them back)."""
        person = self.contacts.current
        if self.writable() is None:
            return
        if person is None:
            self.notify("Select a contact to archive first (in the contacts pane)", severity="warning")
            return
        self.ask(Archive(person.id))

    # ------------------------------------------------------------------ changes made
    def on_journal_changed(self, message: JournalChanged) -> None:
        """Another process changed the journal: every pane shows it, the selection kept, and
        the clashes found again (another device's change may make one without changing a record)."""
        if self.journal is not None:
            self.clashes = clashes.Clashes()
            self.reload(keep=True)

    def on_written(self, message: Written) -> None:
        outcome = message.outcome
        if message.asked:
            self._answer(outcome)
        if outcome.changed:
            self._show_change(outcome)

    def _answer(self, outcome: Outcome) -> None:
        """What this screen asked for was done or refused: say so (a form refused reopens)."""
        change = outcome.change
        if outcome.errors and isinstance(change, SaveRecord):
            self.open_editor(change.record, outcome.errors, base=change.base)
        elif outcome.notice:
            self.notify(outcome.notice, title=outcome.title, severity=outcome.severity, markup=False)

    def _show_change(self, outcome: Outcome) -> None:
        """Redraw the panes after a change, selecting what it made."""
        change, saved = outcome.change, outcome.saved
        if isinstance(change, SaveRecord) and isinstance(saved, Contact):
            self._reveal(saved.id)
            self.reload(contact_id=saved.id)
        elif isinstance(change, SaveRecord) and isinstance(saved, Interaction):
            self._show_entry(saved)
        elif isinstance(change, SaveCapture):
            self._show_entry(change.entry, reveal=True)
            self.interactions.focus()
        elif isinstance(change, SaveRecord) and isinstance(saved, Favour):
            if not self.everyone and self.selected_id != saved.contact_id:
                self.jump_to(saved.contact_id)
            assert self.journal is not None
            self.people = read_people(self.journal, self.today)
            self.show_ledger(favour_id=saved.id)
        elif isinstance(change, MergeContacts):
            self.reload(contact_id=change.keep_id)
        else:
            self.reload(keep=True)

    def _reveal(self, contact_id: str) -> None:
        """Clear the filter if it hides this person."""
        assert self.journal is not None
        if self.filter_text.strip() and contact_id not in {c.id for c in self.journal.find_contacts(self.filter_text)}:
            self.clear_filter()

    def _show_entry(self, entry: Interaction, *, reveal: bool = False) -> None:
        """Select ``entry``'s person (the one selected, if it is theirs) and the entry."""
        journal = self.journal
        assert journal is not None
        person = self.selected_id if self.selected_id in entry.contact_ids else entry.contact_ids[0]
        if reveal:
            self._reveal(person)
        self.people = read_people(journal, self.today)
        self.selected_id = person
        self.show_contacts()
        self.select_contact(journal.contact(person), entry_id=entry.id)

    # ------------------------------------------------------------------ capture, import, merge
    def on_capture_bar_closed(self, message: CaptureBar.Closed) -> None:
        (message.back_to or self.contacts).focus()

    async def action_capture(self) -> None:
        from netjournal.tui.widgets.capture import open_capture  # loaded on first use
        from netjournal.tui.widgets.capture_preview import example_names

        if self.writable():
            await open_capture(self, example_names(c.name for c in self.people.contacts))

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
        from netjournal.tui.screens.view_switch import open_view  # loaded on first use

        open_view(self, name)
