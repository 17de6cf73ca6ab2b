"""The shape every editor shares: labelled fields, an error beside each, ctrl+s / escape.

A form never writes to the journal: it checks what was typed, shows each problem beside its
field (keeping every character typed), and dismisses with a record for the main screen to
save. ``escape`` asks before throwing typed text away.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import TYPE_CHECKING, Generic, TypeVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.suggester import Suggester
from textual.widget import Widget
from textual.widgets import Input, Label, Select, Static, TextArea

from netjournal.domain.text import fold
from netjournal.errors import ValidationError
from netjournal.tui.clashes import clash_lines
from netjournal.tui.confirm import ConfirmScreen
from netjournal.tui.widgets.long_text import LongText

if TYPE_CHECKING:
    from netjournal.store.devicewiring import Clash

R = TypeVar("R")

HINT = Content.assemble(  # no run starts with a space (SVG screenshots would drop it)
    ("ctrl+s ", "bold"), "save   ", ("esc ", "bold"), "cancel   ", ("tab ", "bold"), "next field   ",
    ("→ ", "bold"), "accept a suggestion",
)


class NameSuggester(Suggester):
    """Completes the last name of a comma-separated list, case- and accent-insensitively."""

    def __init__(self, names: Iterable[str], *, many: bool) -> None:
        super().__init__(use_cache=False, case_sensitive=True)
        self.names = sorted(set(names), key=fold)
        self.keys = [fold(n) for n in self.names]
        self.many = many

    async def get_suggestion(self, value: str) -> str | None:
        start = value.rfind(",") + 1 if self.many else 0
        while start < len(value) and value[start] == " ":
            start += 1
        typed = fold(value[start:])
        if not typed:
            return None
        for name, key in zip(self.names, self.keys, strict=True):
            if key.startswith(typed) and len(name) > len(value) - start:
                return value[:start] + name
        return None


class FormScreen(ModalScreen[R | None], Generic[R]):
    """Subclasses compose their fields with :meth:`field` and implement :meth:`build`."""

    BINDINGS = [
        Binding("ctrl+s", "save", "Save", priority=True, id="form.save"),
        Binding("escape", "cancel", "Cancel", id="form.cancel"),
    ]
    heading = "Edit"
    AUTO_FOCUS = ""  # on_mount focuses the starting field (focusing another first restyled both fields)
    FIELD_OF: dict[str, str] = {}  # model field -> form field, where the names differ
    # The record's fields two devices changed at once, said under the heading (set by whoever opens the form).
    clashes: tuple[Clash, ...] = ()

    def __init__(self, *, today: date, dayfirst: bool = True, errors: dict[str, str] | None = None) -> None:
        super().__init__()
        self.today = today
        self.dayfirst = dayfirst  # how a date such as 03/04 is read
        self._start_errors = dict(errors or {})
        self._initial: dict[str, str] = {}
        self._refused: dict[str, str] = {}  # what each field held when its problem was shown

    # ------------------------------------------------------------------ layout
    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog form"):
            yield Static(Content(self.heading), classes="form-title")
            if self.clashes:
                yield Static(Content("\n".join(clash_lines(self.clashes))), classes="form-clash")
            with VerticalScroll(classes="form-fields", can_focus=False):  # tab stops at fields only
                yield from self.fields()
            yield Static(HINT, classes="form-hint")

    def fields(self) -> ComposeResult:
        raise NotImplementedError
        yield  # pragma: no cover

    def field(self, name: str, label: str, widget: Widget, *, tall: bool = False, reading: bool = False) -> Vertical:
        """A labelled row with its error line beneath; the widget's id must be ``f-<name>``.
        With ``reading``, how the value reads (:meth:`reading`) shows beside it as it is typed."""
        parts: list[Widget] = [Label(label, classes="field-label"), widget]
        if reading:
            parts.append(Static("", id=f"r-{name}", classes="field-reading"))
        row = Horizontal(*parts, classes="field-row" + (" -tall" if tall else ""))
        return Vertical(row, id=f"field-{name}", classes="field")  # its error line comes with the first error

    def reading(self, name: str, value: str) -> str:
        """How a field's value reads ("Friday 27 November" for a date), or "" (nothing to say)."""
        return ""

    def show_reading(self, name: str) -> None:
        found = self.query(f"#r-{name}")
        if found:
            found.first(Static).update(Content(self.reading(name, self.value(name))))

    @staticmethod
    def text_input(name: str, value: str, placeholder: str = "", suggester: Suggester | None = None) -> Input:
        return Input(
            value, placeholder=placeholder, id=f"f-{name}", compact=True, suggester=suggester, select_on_focus=False
        )

    @staticmethod
    def choice(name: str, options: Iterable[str], value: str) -> Select[str]:
        return Select([(o, o) for o in options], value=value, allow_blank=False, id=f"f-{name}", compact=True)

    @staticmethod
    def text_area(name: str, value: str) -> TextArea:
        """A long-text field: F4 opens the person's editor on it."""
        return LongText(value, id=f"f-{name}", compact=True, tab_behavior="focus", soft_wrap=True)

    def on_mount(self) -> None:
        self._initial = self.values()
        for shown in self.query(".field-reading"):
            self.show_reading((shown.id or "")[2:])
        if self._start_errors:
            self.show_errors(self._start_errors)
        else:
            start = self.start_field()
            if start is not None:
                self.query_one(f"#f-{start}").focus()
            else:
                self.query(".field-row > Input, .field-row > Select, .field-row > TextArea").first().focus()

    def start_field(self) -> str | None:
        """The field the cursor starts in (None: the first one)."""
        return None

    # ------------------------------------------------------------------ values
    def value(self, name: str) -> str:
        widget = self.query_one(f"#f-{name}")
        if isinstance(widget, Input):
            return widget.value
        if isinstance(widget, TextArea):
            return widget.text
        if isinstance(widget, Select):
            return "" if widget.value is Select.BLANK else str(widget.value)
        raise TypeError(name)

    def values(self) -> dict[str, str]:
        return {w.id[2:]: self.value(w.id[2:]) for w in self.query(".field-row > *") if w.id and w.id.startswith("f-")}

    @property
    def dirty(self) -> bool:
        return self.values() != self._initial

    # ------------------------------------------------------------------ errors
    @on(Input.Changed)
    @on(TextArea.Changed)
    @on(Select.Changed)
    def _edited(self, event: Input.Changed | TextArea.Changed | Select.Changed) -> None:
        """A field's problem goes once its value changes (the next save checks it again)."""
        name = (event.control.id or "")[2:]
        self.show_reading(name)
        if name in self._refused and self.value(name) != self._refused[name]:
            del self._refused[name]
            self.query_one(f"#field-{name}").remove_class("-invalid")

    def show_errors(self, errors: dict[str, str]) -> None:
        """Each problem beside its field; focus goes to the first one."""
        named = {self.FIELD_OF.get(k, k): v for k, v in errors.items()}
        known = {f.id[6:] for f in self.query(".field") if f.id}
        stray = [f"{k}: {v}" for k, v in named.items() if k not in known]
        first: Widget | None = None
        for container in self.query(".field"):
            assert container.id is not None
            name = container.id[6:]
            message = named.get(name, "")
            container.set_class(bool(message), "-invalid")
            if message:
                self._refused[name] = self.value(name)
            lines = container.query(f"#e-{name}")
            if lines:
                lines.first(Static).update(Content(message))
            elif message:
                container.mount(Static(Content(message), id=f"e-{name}", classes="field-error"))
            if message and first is None:
                first = self.query_one(f"#f-{name}")
        if stray:
            self.notify("; ".join(stray), title="Not saved", severity="error", markup=False)
        if first is not None:
            first.focus()

    # ------------------------------------------------------------------ actions
    def build(self) -> tuple[R | None, dict[str, str]]:
        """The record from the fields, or the problems by field name."""
        raise NotImplementedError

    def action_save(self) -> None:
        record, errors = self.build()
        if errors or record is None:
            self.show_errors(errors)
            return
        self.dismiss(record)

    def action_cancel(self) -> None:
        if not self.dirty:
            self.dismiss(None)
            return

        def answered(discard: bool | None) -> None:
            if discard:
                self.dismiss(None)

        self.app.push_screen(ConfirmScreen("Discard what you typed?", yes="Discard", no="Keep editing"), answered)


def first_problem(exc: ValidationError) -> str:
    """The message of a one-field ValidationError (dates, durations...)."""
    return next(iter(exc.errors.values()), str(exc))
