"""Long names of the actions, for the help screen and the command palette."""

from __future__ import annotations

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
    "undo": "Undo the last delete",
    "contact.filter": "Filter contacts",
    "contact.sort": "Sort contacts: by name / longest since last contact",
    "scope.everyone": "Show everyone / the selected contact",
    "pane.next": "Next pane",
    "pane.previous": "Previous pane",
    "app.help": "Help: every key",
    "app.quit": "Quit",
    "list.open": "Open: a contact shows their interactions; an entry or favour opens its editor",
    "list.down": "Down",
    "list.up": "Up",
}
