"""Quick capture: a one-line prompt at the top of the main screen (keys ``a`` and ``:``).

The line is read by the domain's capture parser (netjournal.domain.capture) on every
keystroke; a preview beneath it shows what ``enter`` will record (date, kind, people, time,
tags, favours) and every problem, whose part of the line is highlighted in the prompt.
``enter`` saves the interaction and its favours as one undoable change, ``escape`` closes
the prompt saving nothing, ``ctrl+n`` creates the unknown @people and saves.

User text never goes through markup: the preview is built from Content pieces and the
prompt's highlighter styles spans of a plain Text.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from rich.highlighter import Highlighter
from rich.style import Style
from rich.text import Text
from textual import events, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.widget import Widget
from textual.widgets import Input, Static
from textual.worker import get_current_worker

from netjournal.domain.capture import Capture, capture_records, parse_capture
from netjournal.domain.model import Contact
from netjournal.domain.people import ContactIndex, Resolution, Resolver
from netjournal.domain.text import clean_line, fold, isolate
from netjournal.errors import NetjournalError, ValidationError
from netjournal.store.undo import describe
from netjournal.tui.changes import with_undo
from netjournal.tui.state import read_people

if TYPE_CHECKING:
    from netjournal.domain.model import Interaction
    from netjournal.store.journal import Journal
    from netjournal.tui.screens.main import MainScreen

PLACEHOLDER = "yesterday: lunch with @ana #pricing 1h30 +gave intro to Carla   (? on an empty line: the grammar)"

# The grammar in short, for the help screen (key column, explanation column).
GRAMMAR_HELP: list[tuple[str, str]] = [
    ("yesterday:", "a date before the first ': ' (today, fri, last friday, 3 days ago, 2024-03-05 15:30, 5 Mar)"),
    ("tomorrow:", "a plan: tomorrow, next tuesday, in 2 weeks or a date with its year; no favours on it"),
    ("@ana @Ольга", "people by first name, alias, slug or id, in any script; @\"Ana Silva\" by full name; at least one"),
    ("#pricing", "tags"),
    ("45m 1h30 2h", "time spent"),
    ("lunch, call…", "the first words set the kind (lunch, coffee: meal; intro: introduction)"),
    ("+gave intro", "a favour given (+gave intro to Carla), to the people named after it, else everyone"),
    ("+got!4 advice", "a favour received; !1 to !5 is its weight (default 2); put favours last"),
    ("note", "the rest, as prose: @ana becomes her name; date, time and favours are fields"),
    ("e.g.", "friday: coffee with @bruno 45m #design +gave intro to Carla"),
    ("e.g.", "2024-03-05: call @ana +got!4 advice on pricing"),
]


class SpanHighlighter(Highlighter):
    """Styles given (start, end) spans of the prompt's text; nothing else is interpreted."""

    def __init__(self) -> None:
        self.spans: list[tuple[int, int, Style]] = []

    def highlight(self, text: Text) -> None:
        size = len(text.plain)
        for start, end, style in self.spans:
            if 0 <= start < end <= size:
                text.stylize(style, start, end)


class CaptureInput(Input):
    """The prompt itself. ``enter`` saves, ``escape`` closes, ``ctrl+n`` creates unknown people."""

    BINDINGS = [
        Binding("enter", "save", "Save", id="capture.save"),
        Binding("escape", "close", "Close", id="capture.close"),
        Binding("ctrl+n", "create", "Create people", id="capture.create"),
    ]
    COMPONENT_CLASSES = {"capture--error", "capture--person", "capture--date", "capture--favour"}
    DEFAULT_CSS = """
    CaptureInput > .capture--error { color: $text-error; text-style: bold underline; }
    CaptureInput > .capture--person { color: $text-accent; text-style: bold; }
    CaptureInput > .capture--date { color: $text-secondary; }
    CaptureInput > .capture--favour { color: $text-success; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        self.spans = SpanHighlighter()
        super().__init__(placeholder=PLACEHOLDER, highlighter=self.spans, id=id, compact=True, select_on_focus=False)

    def span_style(self, name: str) -> Style:
        return self.get_component_rich_style(f"capture--{name}", partial=True)

    @property
    def bar(self) -> CaptureBar:
        return self.query_ancestor(CaptureBar)

    def on_key(self, event: events.Key) -> None:
        if event.character == "?" and not self.value:
            # On an empty line, ? shows the grammar (the help screen's Quick capture section), as
            # the placeholder says; anywhere else it is typed (a question in the notes).
            event.stop()
            event.prevent_default()  # Input's own handler does not type it
            self.app.action_help()  # type: ignore[attr-defined]

    def action_save(self) -> None:
        self.bar.save()

    def action_close(self) -> None:
        self.bar.close()

    def action_create(self) -> None:
        self.bar.save(create=True)


class CaptureBar(Vertical):
    """The prompt and its live preview; hidden until opened."""

    DEFAULT_CSS = """
    CaptureBar {
        height: auto;
        border: round $accent;
        border-title-color: $accent;
        border-title-style: bold;
        padding: 0 1;
        background: $surface;
        display: none;
    }
    CaptureBar.-open { display: block; }
    CaptureBar > CaptureInput { width: 1fr; background: $boost; }
    CaptureBar > #capture-preview { height: auto; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._capture: Capture | None = None
        self._refused = False  # enter was pressed on a line with problems
        self._back_to: Widget | None = None

    def compose(self) -> ComposeResult:
        yield CaptureInput(id="capture-input")
        yield Static("", id="capture-preview")

    def on_mount(self) -> None:
        self.border_title = "Capture"
        self.border_subtitle = "enter save · esc close"

    # ------------------------------------------------------------------ parts
    @property
    def main(self) -> MainScreen:
        from netjournal.tui.screens.main import MainScreen

        screen = self.screen
        assert isinstance(screen, MainScreen)
        return screen

    @property
    def prompt(self) -> CaptureInput:
        return self.query_one(CaptureInput)

    @property
    def is_open(self) -> bool:
        return self.has_class("-open")

    @property
    def capture(self) -> Capture | None:
        """What the line currently reads as (None while it is empty)."""
        return self._capture

    def index(self, journal: Journal) -> ContactIndex:
        """The people, indexed once per journal revision: the journal's own index, the one that
        resolves names in the shell and the forms."""
        return journal.people_index()

    # ------------------------------------------------------------------ open / close
    def open(self) -> None:
        focused = self.screen.focused
        self._back_to = focused if focused is not None and not isinstance(focused, CaptureInput) else None
        self.add_class("-open")
        self.prompt.focus()
        self.show(self.prompt.value)

    def close(self) -> None:
        self.remove_class("-open")
        self.prompt.value = ""
        self._capture = None
        back = self._back_to
        self._back_to = None
        if back is not None and back.is_attached:
            back.focus()
        else:
            self.main.contacts.focus()

    # ------------------------------------------------------------------ reading the line
    def parse(self, line: str, extra: dict[str, Contact] | None = None, *, index: ContactIndex | None = None) -> Capture:
        """Read ``line``; ``extra`` resolves unknown refs to people about to be created.
        Pass ``index`` to parse off the UI thread (the index is built on it)."""
        main = self.main
        if index is None:
            assert main.journal is not None
            index = self.index(main.journal)
        resolver: Resolver = index if not extra else _with_new_people(index, extra)
        today = main.today
        return parse_capture(line, now=datetime(today.year, today.month, today.day), resolve=resolver, dayfirst=main.dayfirst)

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        self._refused = False
        self.show(event.value)

    def show(self, line: str) -> None:
        """Preview ``line``: parsed in a worker, so typing never waits on a search for close names."""
        journal = self.main.journal
        if not line.strip() or journal is None:
            self._capture = None
            prompt = self.prompt
            prompt.spans.spans = []
            prompt.refresh()
            self.query_one("#capture-preview", Static).update(_empty_preview())
            return
        self._read(line, self.index(journal), self._refused)

    @work(thread=True, exclusive=True, group="capture-preview")
    def _read(self, line: str, index: ContactIndex, refused: bool) -> None:
        capture = self.parse(line, index=index)
        creatable = self.creatable(capture, index)
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._show_read, line, capture, creatable, refused)

    def _show_read(self, line: str, capture: Capture, creatable: tuple[list[str], bool], refused: bool) -> None:
        prompt = self.prompt
        if prompt.value != line or not self.is_open:
            return  # the line changed meanwhile: a newer preview is on its way
        self._capture = capture
        prompt.spans.spans = self.spans(capture)
        prompt.refresh()
        self.query_one("#capture-preview", Static).update(render_preview(capture, creatable, refused=refused))

    def creatable(self, capture: Capture, index: ContactIndex) -> tuple[list[str], bool]:
        """The names ctrl+n would create, and whether the line is then fine."""
        new = _new_people(capture)
        if not new:
            return [], False
        after = self.parse(capture.line, new, index=index)
        return [c.name for c in _unique_people(new)], after.ok

    def spans(self, capture: Capture) -> list[tuple[int, int, Style]]:
        prompt = self.prompt
        out: list[tuple[int, int, Style]] = []
        if capture.date_text:
            start = capture.line.find(capture.date_text)
            out.append((start, start + len(capture.date_text), prompt.span_style("date")))
        for fav in capture.favours:
            out.append((fav.start, fav.end, prompt.span_style("favour")))
        for m in capture.mentions:
            if m.contact is not None:
                out.append((m.start, m.end, prompt.span_style("person")))
        for e in capture.errors:
            if e.end > e.start:
                out.append((e.start, e.end, prompt.span_style("error")))
        return out

    # ------------------------------------------------------------------ saving
    def save(self, *, create: bool = False) -> None:
        main = self.main
        journal = main.writable()
        if journal is None:
            return
        line = self.prompt.value
        if not line.strip():
            self.close()
            return
        created: list[Contact] = []
        capture = self.parse(line)
        if create:
            new = _new_people(capture)
            if not new:
                self.notify("Everyone in the line is already a contact: enter saves", markup=False)
                return
            stamped = {ref: c.stamped() for ref, c in _stamp_once(new).items()}
            capture = self.parse(line, stamped)
            created = _unique_people(stamped)
        if not capture.ok:
            self._refused = True
            self.show(line)
            return
        try:
            records = capture_records(capture)
            names = {c.id: c.name for c in [*created, *capture.people]}
            label = "capture of " + describe("interactions", records.interaction.to_dict(), lambda cid: names.get(cid, "someone"))
            journal.apply([*created, *records.all], undo_label=label)
        except ValidationError as exc:
            self.notify(str(exc), title="Not saved", severity="error", markup=False)
            return
        except NetjournalError as exc:
            self.notify(str(exc), title="Not saved", severity="error", markup=False)
            return
        self._back_to = None
        self.close()
        show_new_entry(main, journal, records.interaction)
        people = ", ".join(isolate(c.name) for c in capture.people)
        favours = len(records.favours)
        extra = f" and {favours} favour{'s' if favours != 1 else ''}" if favours else ""
        made = f"; new contact{'s' if len(created) != 1 else ''} {', '.join(isolate(c.name) for c in created)}" if created else ""
        self.notify(with_undo(f"Saved the {records.interaction.kind} with {people}{extra}{made}"), markup=False)


def show_new_entry(main: MainScreen, journal: Journal, entry: Interaction) -> None:
    """Redraw the panes and select ``entry`` in the interactions pane (focused)."""
    person = main.selected_id if main.selected_id in entry.contact_ids else entry.contact_ids[0]
    if main.filter_text.strip() and person not in {c.id for c in journal.find_contacts(main.filter_text)}:
        main.query_one("#filter", Input).value = ""
        main.filter_text = ""
    main.people = read_people(journal, main.today)
    main.reload(contact_id=person)
    main.select_contact(main.contacts.current, entry_id=entry.id)
    main.interactions.focus()


# ---------------------------------------------------------------------- new people
def _new_people(capture: Capture) -> dict[str, Contact]:
    """Unknown (not ambiguous) mentions -> the contact ctrl+n would create (one per folded name)."""
    by_name: dict[str, Contact] = {}
    out: dict[str, Contact] = {}
    for m in capture.unresolved:
        if m.ambiguous or not m.new_name:
            continue
        person = by_name.setdefault(fold(m.new_name), Contact(name=m.new_name))
        out[m.ref] = person
    return out


def _stamp_once(people: dict[str, Contact]) -> dict[str, Contact]:
    """Stamp each distinct person once (several refs may name the same new person)."""
    stamped: dict[int, Contact] = {}
    return {ref: stamped.setdefault(id(c), c.stamped()) for ref, c in people.items()}


def _unique_people(people: dict[str, Contact]) -> list[Contact]:
    out: list[Contact] = []
    for c in people.values():
        if all(c is not o for o in out):
            out.append(c)
    return out


def _with_new_people(index: ContactIndex, extra: dict[str, Contact]) -> Resolver:
    def resolve(ref: str) -> Resolution:
        found = index(ref)
        if found.contact is None and not found.ambiguous and ref.strip() in extra:
            return Resolution(extra[ref.strip()])
        return found

    return resolve


# ---------------------------------------------------------------------- the preview
def _empty_preview() -> Content:
    return Content.assemble(
        ("Type what happened: ", "$text-muted"),
        ("friday: coffee with @bruno 45m #design +gave intro to Carla", "$text-secondary"),
        ("\n? on an empty line lists the grammar · esc closes", "$text-muted"),
    )


def render_preview(capture: Capture, creatable: tuple[list[str], bool] = ([], False), *, refused: bool = False) -> Content:
    """What ``enter`` will record, then each problem and what to do about it."""
    parts: list[Any] = []
    rows = capture.describe()
    main_rows = [(label, value) for label, value in rows if label != "favour"]
    for n, (label, value) in enumerate(main_rows):
        if n:
            parts.append(("  ·  ", "$text-muted"))
        parts.append((f"{label} ", "$text-muted"))
        if value:
            parts.append((clean_line(value), "bold"))
        else:
            parts.append(("?", "bold $text-error"))
    if capture.note:
        parts.append(("\nnote ", "$text-muted"))
        parts.append((clean_line(capture.note), ""))
    for draft in capture.favours:
        given = draft.direction == "given"
        who = ", ".join(isolate(c.name) for c in draft.people) or "?"
        parts.append("\n")
        parts.append(("→ " if given else "← ", "bold $text-success" if given else "bold $text-error"))
        parts.append(("favour given to " if given else "favour received from ", ""))
        parts.append((clean_line(who), "bold"))
        parts.append((f": {clean_line(draft.text) or '(no words)'} ({draft.kind}, weight {draft.weight})", ""))
    names, fixed = creatable
    shown = [e for e in capture.errors if not (e.field == "text" and not capture.line.strip())]
    if shown:
        parts.append("\n")
        if refused:
            parts.append(("Not saved: ", "bold $text-error"))
        for n, error in enumerate(shown):
            if n:
                parts.append("\n")
            parts.append((f"✗ {error.field}: ", "bold $text-error"))
            parts.append((clean_line(error.message), "$text-error"))
    if names:
        parts.append("\n")
        parts.append(("ctrl+n", "bold $text-accent"))
        what = f": create {', '.join(isolate(clean_line(n)) for n in names)}"
        parts.append((what + (" and save" if fixed else " (fix the other problems to save)"), "$text-accent"))
    elif not shown:
        parts.append(("\n✓ enter saves it", "$text-success"))
    return Content.assemble(*parts)


async def open_capture(main: MainScreen) -> None:
    """Show the prompt (mounting it under the header on first use) and focus it."""
    from textual.widgets import Header

    found = main.query(CaptureBar)
    bar = found.first() if found else None
    if bar is None:
        bar = CaptureBar(id="capture")
        await main.mount(bar, after=main.query_one(Header))
    bar.open()
