"""The app's chokepoints between journal text and the terminal.

What the app shows of the journal is built as text in the panes, forms and views; the
builders pass user text through ``clean_line`` / ``printable`` (netjournal.domain.safe), so a
control character shows as a visible stand-in ("␛" for ESC). Two chokepoints make sure that
nothing else gets through, whatever widget draws it (an ``Input`` or ``TextArea`` holding a
name being edited, a toast, the command palette, a title):

* :class:`ControlFilter`, a Textual line filter (``App.get_line_filters``): every line every
  widget draws passes through it before it is written to the terminal, and it removes the
  control characters and bidi controls still in its text (isolates only where unbalanced on
  the line: a balanced FSI...PDI around a right-to-left name stays). Textual and Rich measured
  each of them as zero cells wide, so removing them keeps every column in place. (Textual's
  ``Content`` and Rich's ``Text`` strip only BEL, BS, VT, FF and CR: ESC and the C1 controls
  reach the terminal without this.)
* :func:`safe_notification`: a notification's message and title shown through ``printable``
  (newlines kept), since they are often built from a name or an error naming a value.

Notifications show one at a time: the newest replaces the one showing, so they never stack
up over the panes (Textual piles them up until each times out).

:class:`SafeTextApp` puts both in place; the netjournal app is one.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, TypeVar

from rich.segment import Segment
from textual.app import App
from textual.color import Color
from textual.filter import LineFilter

if TYPE_CHECKING:
    from textual.notifications import Notify, SeverityLevel

from netjournal.domain.safe import isolates_balanced, printable, strip_controls


class ControlFilter(LineFilter):
    """Removes control characters (C0, DEL, C1) and bidi controls from drawn lines."""

    def apply(self, segments: list[Segment], background: Color) -> list[Segment]:
        line = "".join(segment.text for segment in segments if segment.control is None)
        if strip_controls(line) is line:
            return segments
        keep = isolates_balanced(line)  # the FSI...PDI around a right-to-left name stay
        out = []
        for segment in segments:
            text = segment.text if segment.control is not None else strip_controls(segment.text, keep_isolates=keep)
            out.append(segment if text == segment.text else Segment(text, segment.style))
        return out


def safe_notification(message: str, title: str) -> tuple[str, str]:
    """A notification's message and title with their control characters shown visibly."""
    return printable(message, keep="\n"), printable(title, keep="")


ReturnType = TypeVar("ReturnType")


class SafeTextApp(App[ReturnType]):
    """An app whose every drawn line and notification goes through the chokepoints above."""

    def __init__(self) -> None:
        super().__init__()
        self._control_filter = ControlFilter()  # one instance: Textual caches the filtered lines by filter

    def get_line_filters(self) -> Sequence[LineFilter]:
        """Textual's filters, then :class:`ControlFilter` on every line every widget draws."""
        return [*super().get_line_filters(), self._control_filter]

    def notify(
        self, message: str, *, title: str = "", severity: SeverityLevel = "information", timeout: float | None = None,
        markup: bool = True,
    ) -> None:
        """A notification, its message and title shown with their control characters visible."""
        message, title = safe_notification(message, title)
        super().notify(message, title=title, severity=severity, timeout=timeout, markup=markup)

    def _on_notify(self, event: Notify) -> None:
        """A notification arrives: it replaces the one showing. Textual's handler is private
        (``App._on_notify``, its set ``_notifications``): tests/app/test_notifications.py checks it."""
        self._notifications.clear()
        super()._on_notify(event)
