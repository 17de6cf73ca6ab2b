"""Quick capture: a one-line prompt at the top of the main screen (keys ``a`` and ``:``).

The line is read by the domain's capture parser (netjournal.domain.capture, through
:mod:`netjournal.tui.capture_reading`) as it is typed, in a worker; a preview beneath it
shows what ``enter`` will record (date, kind, people, time, tags, favours) and every
problem, whose part of the line is highlighted in the prompt (:mod:`.capture_preview`).
``enter`` asks for the interaction and its favours as one undoable change (a :class:`Write`
message), ``escape`` closes the prompt saving nothing (asking first if a line was typed, as
the forms do), ``ctrl+n`` creates the unknown @people and saves. ``up`` and ``down`` recall
the last 100 lines saved (:mod:`netjournal.tui.capture_history`). The placeholder's example
names people of the journal.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.style import Style
from textual import events, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Input, Static
from textual.worker import get_current_worker

from netjournal.domain.capture import Capture
from netjournal.domain.model import Contact
from netjournal.tui.app_services import AppServices, services
from netjournal.tui.capture_history import CaptureHistory
from netjournal.tui.capture_reading import LineReader, Reading, capture_change, new_people
from netjournal.tui.confirm import ConfirmScreen
from netjournal.tui.messages import Write, Written
from netjournal.tui.widgets.capture_preview import (
    GRAMMAR_HELP,
    PLACEHOLDER,
    SpanHighlighter,
    empty_preview,
    line_spans,
    placeholder,
    render_preview,
)

if TYPE_CHECKING:
    from textual.screen import Screen


__all__ = ["GRAMMAR_HELP", "CaptureBar", "CaptureInput", "open_capture"]


class CaptureInput(Input):
    """The prompt itself. ``enter`` saves, ``escape`` closes, ``ctrl+n`` creates unknown people,
    ``up``/``down`` recall the lines saved before."""

    BINDINGS = [
        Binding("enter", "save", "Save", id="capture.save"),
        Binding("escape", "close", "Close", id="capture.close"),
        Binding("ctrl+n", "create", "Create people", id="capture.create"),
        Binding("up", "recall(-1)", "Earlier line", show=False, id="capture.earlier"),
        Binding("down", "recall(1)", "Later line", show=False, id="capture.later"),
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
        """The style of one kind of span (date, person, favour, error), from the CSS."""
        return self.get_component_rich_style(f"capture--{name}", partial=True)

    @property
    def bar(self) -> CaptureBar:
        return self.query_ancestor(CaptureBar)

    async def on_key(self, event: events.Key) -> None:
        if event.character == "?" and not self.value:
            # On an empty line, ? shows the grammar (the help screen's Quick capture section), as
            # the placeholder says; anywhere else it is typed (a question in the notes).
            event.stop()
            event.prevent_default()  # Input's own handler does not type it
            await self.run_action("app.help")

    def action_save(self) -> None:
        self.bar.save()

    def action_close(self) -> None:
        self.bar.ask_close()

    def action_recall(self, step: int) -> None:
        self.bar.recall(step)

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

    class Closed(Message):
        """The prompt closed; ``back_to``: what had the focus before it opened (if still there)."""

        def __init__(self, back_to: Widget | None) -> None:
            super().__init__()
            self.back_to = back_to

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._reading: Reading | None = None  # what the line reads as (None while it is empty)
        self._refused = False  # enter was pressed on a line with problems
        self._back_to: Widget | None = None
        self._first_names: list[str] = []  # people of the journal, for the examples
        self.history: CaptureHistory | None = None  # read when the prompt first opens

    def compose(self) -> ComposeResult:
        yield CaptureInput(id="capture-input")
        yield Static("", id="capture-preview")

    def on_mount(self) -> None:
        self.border_title = "Capture"
        self.border_subtitle = "enter save · esc close"

    # ------------------------------------------------------------------ parts
    @property
    def app_services(self) -> AppServices:
        """The app's services (the journal, the settings, today)."""
        return services(self)

    @property
    def prompt(self) -> CaptureInput:
        return self.query_one(CaptureInput)

    @property
    def is_open(self) -> bool:
        return self.has_class("-open")

    @property
    def capture(self) -> Capture | None:
        """What the line currently reads as (None while it is empty)."""
        return self._reading.capture if self._reading is not None else None

    def reader(self) -> LineReader | None:
        """Reads lines against the journal's people (its own index, the one that resolves
        names in the shell and the forms, kept per journal revision)."""
        journal = self.app_services.journal
        if journal is None:
            return None
        return LineReader(journal.people_index(), self.app_services.today, self.app_services.settings.dayfirst)

    # ------------------------------------------------------------------ open / close
    def open(self, first_names: list[str] | None = None) -> None:
        """Show the prompt; ``first_names``: people of the journal for the placeholder's example."""
        focused = self.screen.focused
        self._back_to = focused if focused is not None and not isinstance(focused, CaptureInput) else None
        if self.history is None:
            self.history = CaptureHistory(self.app_services.source.capture_history_file())
            problem = self.history.load()
            if problem:
                self.notify(problem, severity="warning", markup=False)
        self._first_names = first_names or []
        self.prompt.placeholder = placeholder(self._first_names)
        self.add_class("-open")
        self.prompt.focus()
        self.show(self.prompt.value)

    def ask_close(self) -> None:
        """``escape``: close, asking first if a line was typed (a line recalled as it was is not typed)."""
        line = self.prompt.value
        if not line.strip() or (self.history is not None and self.history.recalled(line)):
            self.close()
            return

        def answered(discard: bool | None) -> None:
            if discard:
                self.close()
            else:
                self.prompt.focus()

        self.app.push_screen(ConfirmScreen("Discard the line you typed?", yes="Discard", no="Keep editing"), answered)

    def recall(self, step: int) -> None:
        """``up`` (-1): the line saved before the one shown; ``down`` (1): the next, then what was typed."""
        if self.history is None:
            return
        line = self.history.older(self.prompt.value) if step < 0 else self.history.newer()
        if line is not None:
            self.prompt.value = line
            self.prompt.cursor_position = len(line)

    def close(self, *, restore_focus: bool = True) -> None:
        if self.history is not None:
            self.history.rewind()
        self.remove_class("-open")
        self.prompt.value = ""
        self._reading = None
        back, self._back_to = self._back_to, None
        if restore_focus:
            self.post_message(self.Closed(back if back is not None and back.is_attached else None))

    # ------------------------------------------------------------------ reading the line
    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        self._refused = False
        self.show(event.value)

    def show(self, line: str) -> None:
        """Preview ``line``: read in a worker, so typing never waits on a search for close names."""
        reader = self.reader()
        if not line.strip() or reader is None:
            self._reading = None
            prompt = self.prompt
            prompt.spans.spans = []
            prompt.refresh()
            self.query_one("#capture-preview", Static).update(empty_preview(self._first_names))
            return
        self._read(line, reader, self._refused)

    @work(thread=True, exclusive=True, group="capture-preview")
    def _read(self, line: str, reader: LineReader, refused: bool) -> None:
        reading = reader.read(line)
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._show_read, line, reading, refused)

    def _show_read(self, line: str, reading: Reading, refused: bool) -> None:
        prompt = self.prompt
        if prompt.value != line or not self.is_open:
            return  # the line changed meanwhile: a newer preview is on its way
        self._reading = reading
        prompt.spans.spans = line_spans(reading.capture, prompt.span_style)
        prompt.refresh()
        self.query_one("#capture-preview", Static).update(
            render_preview(reading.capture, reading.creatable, refused=refused)
        )

    # ------------------------------------------------------------------ saving
    def save(self, *, create: bool = False) -> None:
        reader = self.reader() if self.app_services.writable() is not None else None
        if reader is None:
            return
        line = self.prompt.value
        if not line.strip():
            self.close()
            return
        reading = self._reading
        capture = reading.capture if reading is not None and reading.capture.line == line else reader.parse(line)
        created: list[Contact] = []
        if create:
            if not new_people(capture):
                self.notify("Everyone in the line is already a contact: enter saves", markup=False)
                return
            capture, created = reader.with_new_people(capture)
        if not capture.ok:
            self._refused = True
            self.show(line)
            return
        self.post_message(Write(capture_change(capture, created), origin=self))

    def on_written(self, message: Written) -> None:
        outcome = message.outcome
        problem = None
        if outcome.ok:
            if self.history is not None:
                problem = self.history.add(self.prompt.value)
            self.close(restore_focus=False)  # the main screen selects the new entry
        self.notify(outcome.notice, title=outcome.title, severity=outcome.severity, markup=False)
        if problem:
            self.notify(problem, severity="warning", markup=False)


async def open_capture(main: Screen[None], first_names: list[str] | None = None) -> None:
    """Show the prompt (mounting it under the header on first use) and focus it;
    ``first_names``: people of the journal for the placeholder's example."""
    from textual.widgets import Header

    found = main.query(CaptureBar)
    bar = found.first() if found else None
    if bar is None:
        bar = CaptureBar(id="capture")
        await main.mount(bar, after=main.query_one(Header))
    bar.open(first_names)
