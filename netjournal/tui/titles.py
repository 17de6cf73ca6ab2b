"""Long names of the actions and how their keys read, for the help screen and the palette."""

from __future__ import annotations

from textual.app import App
from textual.binding import Binding

from netjournal.tui.keymap import keys_for


def keys_of(app: App[object], binding: Binding) -> str:
    """The binding's keys as a person reads them: "a / :" for ``a,colon``; the person's own
    keys if their keymap sets this binding's (see :mod:`netjournal.tui.keymap`)."""
    keys = keys_for(app, binding)
    if binding.key_display and keys == binding.key:
        return binding.key_display
    return " / ".join(app.get_key_display(Binding(key, binding.action)) for key in keys.split(","))


LONG_TITLES: dict[str, str] = {
    "pane.contacts": "Go to the contacts pane",
    "pane.interactions": "Go to the interactions pane",
    "pane.ledger": "Go to the ledger pane",
    "contact.new": "New contact",
    "interaction.new": "Log an interaction",
    "favour.given": "Record a favour given",
    "favour.received": "Record a favour received",
    "edit": "Edit the selected item",
    "delete": "Delete the selected item",
    "undo": "Undo the newest change of any kind (saves too), saying which",
    "redo": "Redo: put back what u undid",
    "contact.archive": "Archive the selected contact (off the lists; u brings them back)",
    "contact.filter": "Filter contacts; in the interactions pane: search",
    "journal.search": "Search the whole journal as you type: words, @person, #tag, a period",
    "search.close": "End the search: back to the list and the entry you were on",
    "search.back": "(in a search's results) End the search: back to where you were",
    "search.results": "To the results (enter there opens one)",
    "card.toggle": "The selected person's card (p in the card hides it)",
    "card.down": "Scroll the card down",
    "card.up": "Scroll the card up",
    "card.page": "Scroll the card a page down",
    "card.leave": "Back to the contacts list",
    "export.close": "Close, exporting nothing",
    "contact.sort": "Sort contacts: by name / longest since last contact",
    "scope.everyone": "Show everyone / the selected contact",
    "pane.next": "Next pane",
    "pane.previous": "Previous pane",
    "app.help": "Help: every key",
    "app.quit": "Quit",
    "capture.open": "Quick capture: one line with @people, #tags, time and +favours",
    "capture.save": "Save the line (an interaction and its favours)",
    "capture.close": "Close the prompt, saving nothing",
    "capture.create": "Create the unknown @people and save",
    "contacts.import": "Import contacts from a file…",
    "contact.merge": "Merge this contact with…",
    "import.run": "Import what the preview shows",
    "import.close": "Close, importing nothing",
    "merge.run": "Merge the chosen duplicate into this contact",
    "merge.close": "Close, merging nothing",
    "view.today": "Today: overdue, due soon, gestures, this week's time, whom to serve",
    "view.circles": "Circles: people by circle, last contact, balance, drifting",
    "view.who": "Who knows what: search people by topic; whom can I help",
    "today.close": "Back to the main screen",
    "today.snooze": "Snooze the selected person for 2 weeks (off the overdue list)",
    "today.log": "Log an interaction with the selected person",
    "today.undo": "Undo the newest change of any kind (snoozes too), saying which",
    "today.redo": "Redo: put back what u undid",
    "rows.open": "Go to the selected person on the main screen",
    "who.search": "Type a topic to search",
    "list.open": "Open: a contact shows their interactions; an entry or favour opens its editor",
    "list.down": "Down",
    "list.up": "Up",
    "entry.down": "Scroll the selected entry's text down a line",
    "entry.up": "Scroll the selected entry's text up a line",
    "entry.page_down": "Scroll the selected entry's text down half a page",
    "entry.page_up": "Scroll the selected entry's text up half a page",
    "text.editor": "In notes: edit the text in your editor ($VISUAL or $EDITOR)",
}
