"""``?``: every key of the app, read from the bindings themselves (so it cannot drift)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from netjournal.domain.query import QUERY_HELP
from netjournal.tui.confirm import ConfirmScreen
from netjournal.tui.screens.form import FormScreen
from netjournal.tui.screens.importer import ImportScreen
from netjournal.tui.screens.main import MainScreen
from netjournal.tui.screens.merge import MergeScreen, PickFilter
from netjournal.tui.screens.view_switch import view_sections
from netjournal.tui.titles import LONG_TITLES, keys_of
from netjournal.tui.widgets.capture import GRAMMAR_HELP, CaptureInput
from netjournal.tui.widgets.line_list import LineList
from netjournal.tui.widgets.lists import InteractionList
from netjournal.tui.widgets.long_text import LongText
from netjournal.tui.widgets.panes import FilterInput
from netjournal.tui.widgets.person_card import PersonCard
from netjournal.tui.widgets.search import SearchInput

EXTRA: dict[str, list[tuple[str, str]]] = {
    "Everywhere": [("ctrl+p", "Command palette: every action, jump to contact, exports, theme")],
    "In a form": [("tab / shift+tab", "Next / previous field"), ("→ (at the end)", "Accept the suggested name")],
    "Quick capture": GRAMMAR_HELP,
    "In the search": QUERY_HELP,  # also netjournal search QUERY
}


def _bindings(items: Iterable[BindingType]) -> list[Binding]:
    return [b for b in items if isinstance(b, Binding)]


class HelpScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,question_mark,q", "dismiss", "Close", id="help.close")]

    def __init__(self, sections: Sequence[tuple[str, Iterable[BindingType]]]) -> None:
        super().__init__()
        self.sections = sections

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog help"):
            yield Static("Keys", classes="form-title")
            with VerticalScroll(classes="help-body"):
                yield Static(self.table())
            yield Static("esc or ? closes", classes="form-hint")

    def table(self) -> Table:
        table = Table.grid(padding=(0, 2))
        table.add_column(justify="right", style="bold", min_width=16)
        table.add_column()
        for title, items in self.sections:
            table.add_row(Text(""), Text(title, style="bold underline"))
            seen: set[str] = set()
            for binding in _bindings(items):
                if binding.key in seen:
                    continue
                seen.add(binding.key)
                table.add_row(
                    Text(keys_of(self.app, binding)), Text(LONG_TITLES.get(binding.id or "", binding.description))
                )
            for key, text in EXTRA.get(title, []):
                table.add_row(Text(key), Text(text))
            table.add_row(Text(""), Text(""))
        return table


def help_sections(everywhere: Sequence[BindingType]) -> list[tuple[str, Sequence[BindingType]]]:
    """The help screen's sections: ``everywhere`` (the app's keys), then each screen's."""
    return [
        ("Everywhere", everywhere),  # and ctrl+p
        ("Main screen", MainScreen.BINDINGS),
        ("In a list", LineList.BINDINGS),
        ("In the card (p)", PersonCard.BINDINGS),
        ("In the filter", FilterInput.BINDINGS),
        ("In the interactions pane", InteractionList.BINDINGS),
        ("In the search", SearchInput.BINDINGS),
        ("In a form", [*FormScreen.BINDINGS, *LongText.BINDINGS]),
        ("In a question", ConfirmScreen.BINDINGS),
        ("Quick capture", CaptureInput.BINDINGS),
        ("Import and merge dialogs", [*ImportScreen.BINDINGS, *MergeScreen.BINDINGS, *PickFilter.BINDINGS]),
        *view_sections(),
    ]
