"""``m``: fold a duplicate into the selected contact.

Pick the duplicate in a filterable list of the other contacts; ``enter`` shows what the
merge does (interactions and favours that move, fields that combine) and ``ctrl+s`` (or the
Merge button) does it as one change; ``u`` on the main screen undoes it. The selected
contact survives; the duplicate is deleted once everything it held has moved.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Input, OptionList, Static
from textual.widgets.option_list import Option

from netjournal.domain.model import Contact
from netjournal.domain.text import clean_line
from netjournal.errors import NetjournalError
from netjournal.tui.messages import Write, Written
from netjournal.tui.writes import MergeContacts

if TYPE_CHECKING:
    from netjournal.interop.merge import ContactMerge
    from netjournal.store.journal import Journal
    from netjournal.tui.screens.journal_panes import JournalPanes

MAX_OPTIONS = 300
HINT = Content.assemble(
    ("type", "bold"),
    " filter   ",
    ("↓ enter", "bold"),
    " choose   ",
    ("ctrl+s", "bold"),
    " merge   ",
    ("esc", "bold"),
    " close",
)


class PickFilter(Input):
    """The filter above the list: ``down`` goes to the list, ``enter`` chooses the first match."""

    BINDINGS = [Binding("down", "to_list", "To the list", show=False, id="merge.list")]

    def action_to_list(self) -> None:
        self.screen.query_one("#merge-list", OptionList).focus()


def _option(person: Contact) -> Option:
    text = Text(clean_line(person.name), style="bold")
    extra = [*person.aliases, *(p for p in (person.org, person.emails[0] if person.emails else "") if p)]
    if extra:
        text.append("  " + clean_line(", ".join(extra)), style="dim")
    if person.archived:
        text.append("  archived", style="dim italic")
    return Option(text, id=person.id)


def combined(keep: Contact, survivor: Contact) -> str:
    """What the survivor gains, shortly: "emails +a@b.org; org 'Acme'; notes: a paragraph added"."""
    from netjournal.interop.merge import differences

    parts: list[str] = []
    for name, (old, new) in differences(keep, survivor).items():
        if isinstance(old, list) and isinstance(new, list):
            parts.append(f"{name} " + " ".join(f"+{v}" for v in new if v not in old))
        elif name == "notes":
            parts.append("notes: a paragraph added")
        elif old in ("", 0, None):
            parts.append(f"{name} {new!r}")
        else:
            parts.append(f"{name} {old!r} -> {new!r}")
    return "; ".join(parts)


def merge_preview(plan: ContactMerge) -> Content:
    moved_i, moved_f = len(plan.interactions), len(plan.favours)
    keep, other = clean_line(plan.keep.name), clean_line(plan.removed.name)
    parts: list[Any] = [
        ("Fold ", ""),
        (other, "bold"),
        (" into ", ""),
        (keep, "bold"),
        (":\n", ""),
        ("→ ", "bold $text-success"),
        f"{moved_i} interaction{'s' if moved_i != 1 else ''} and "
        f"{moved_f} favour{'s' if moved_f != 1 else ''} move to {keep}\n",
        ("→ ", "bold $text-success"),
    ]
    changes = combined(plan.keep, plan.survivor)
    parts.append(f"combines: {clean_line(changes)}\n" if changes else f"{other} adds no detail {keep} lacks\n")
    parts += [("✗ ", "bold $text-error"), f"{other} is then deleted (u undoes the merge)"]
    return Content.assemble(*parts)


class MergeScreen(ModalScreen[str | None]):
    """Dismisses with a one-line report of the merge (None: nothing merged)."""

    BINDINGS = [
        Binding("ctrl+s", "run", "Merge", priority=True, id="merge.run"),
        Binding("escape", "close", "Close", id="merge.close"),
    ]
    DEFAULT_CSS = """
    MergeScreen .merge { width: 84; }
    MergeScreen #merge-filter { background: $boost; }
    MergeScreen #merge-list { height: auto; max-height: 14; border: none; background: $surface; margin: 1 0; }
    MergeScreen #merge-preview { height: auto; }
    MergeScreen .merge-about { color: $text-muted; padding-bottom: 1; }
    """

    def __init__(self, journal: Journal, keep: Contact) -> None:
        super().__init__()
        self.journal = journal
        self.keep = keep
        self.plan: ContactMerge | None = None

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog merge"):
            yield Static(Content(f"Merge a duplicate into {clean_line(self.keep.name)}"), classes="form-title")
            yield Static(
                Content(
                    "Choose the duplicate: its interactions and favours move here, its details combine, "
                    "then it is deleted."
                ),
                classes="merge-about",
            )
            yield PickFilter(
                placeholder="type to filter: name, alias, organisation, tag", id="merge-filter", compact=True
            )
            yield OptionList(id="merge-list", compact=True)
            yield Static("", id="merge-preview")
            with Horizontal(classes="confirm-buttons"):
                yield Button("Merge (ctrl+s)", variant="error", id="merge-run", compact=True, disabled=True)
                yield Button("Cancel (esc)", id="merge-cancel", compact=True)
            yield Static(HINT, classes="form-hint")

    def on_mount(self) -> None:
        self.fill("")
        self.query_one("#merge-filter", Input).focus()

    # ------------------------------------------------------------------ choosing
    def candidates(self, text: str) -> list[Contact]:
        people = (
            self.journal.find_contacts(text, archived=True) if text.strip() else self.journal.contacts(archived=True)
        )
        return [c for c in people if c.id != self.keep.id]

    def fill(self, text: str) -> None:
        people = self.candidates(text)
        options = self.query_one("#merge-list", OptionList)
        options.clear_options()
        options.add_options([_option(c) for c in people[:MAX_OPTIONS]])
        if len(people) > MAX_OPTIONS:
            options.add_option(
                Option(Text(f"… {len(people) - MAX_OPTIONS} more: type to narrow", style="dim"), disabled=True)
            )
        if people:
            options.highlighted = 0

    @on(Input.Changed, "#merge-filter")
    def _filter(self, event: Input.Changed) -> None:
        self.fill(event.value)
        self.choose(None)

    @on(Input.Submitted, "#merge-filter")
    def _first(self, event: Input.Submitted) -> None:
        options = self.query_one("#merge-list", OptionList)
        if options.highlighted is not None:
            option = options.get_option_at_index(options.highlighted)
            if option.id:
                self.choose(option.id)

    @on(OptionList.OptionSelected, "#merge-list")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        if event.option.id:
            self.choose(event.option.id)

    def choose(self, other_id: str | None) -> None:
        """Show what merging ``other_id`` would do (None: clear the preview)."""
        from netjournal.interop.merge import plan_contact_merge

        preview = self.query_one("#merge-preview", Static)
        button = self.query_one("#merge-run", Button)
        self.plan = None
        button.disabled = True
        if other_id is None:
            preview.update("")
            return
        try:
            self.plan = plan_contact_merge(self.journal, self.keep.id, other_id)
        except NetjournalError as exc:
            preview.update(Content.styled(clean_line(str(exc)), "bold $text-error"))
            return
        preview.update(merge_preview(self.plan))
        button.disabled = False
        button.focus()

    # ------------------------------------------------------------------ merging
    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "merge-run":
            self.action_run()
        else:
            self.dismiss(None)

    def action_run(self) -> None:
        if self.plan is None:
            self.query_one("#merge-preview", Static).update(
                Content.styled("Choose the duplicate first (enter on a name)", "bold $text-warning")
            )
            return
        self.post_message(Write(MergeContacts(self.keep.id, self.plan.removed.id), origin=self))

    def on_written(self, message: Written) -> None:
        outcome = message.outcome
        if outcome.ok:
            self.dismiss(outcome.notice)
        else:
            self.query_one("#merge-preview", Static).update(Content.styled(outcome.notice, "bold $text-error"))

    def action_close(self) -> None:
        self.dismiss(None)


def open_merge(main: JournalPanes) -> None:
    """Ask which duplicate to fold into the selected contact."""
    journal = main.journal
    assert journal is not None
    if main.selected_id is None:
        main.notify("Select the contact to keep first (in the contacts pane)", severity="warning")
        return
    keep = journal.contact(main.selected_id)

    def done(message: str | None) -> None:
        if message:  # (the panes heard of the change and select the one kept)
            main.notify(message, markup=False)

    main.app.push_screen(MergeScreen(journal, keep), done)
