"""The shell's two chokepoints between journal text and the terminal.

Commands build their output from user text (names, notes, interaction texts) and show it
with ``print`` or through Rich. Both paths pass through here, so no command can write a
control character from the journal, however it builds its line:

* :func:`safe_streams` puts ``sys.stdout`` and ``sys.stderr`` behind :class:`SafeText`, which
  shows each control character by a visible stand-in (``printable``) as it is written, and
  keeps only balanced isolates (the FSI...PDI the shell puts around a right-to-left name). Bytes
  written to ``.buffer`` (the exports) pass unchanged: each export format sanitises itself.
* :func:`make_console` gives Rich the real stream (its colour codes must reach the terminal)
  and a render hook that removes any control character left in the text it lays out. The
  text builders show them visibly first (``clean_line``, ``Listing``); what the hook finds had
  been measured as zero cells wide, so removing it keeps every column in place.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import IO, TYPE_CHECKING, Any

from netjournal.domain.safe import isolates_balanced, printable, strip_controls

if TYPE_CHECKING:
    from rich.console import Console, ConsoleOptions, ConsoleRenderable, RenderResult
    from rich.segment import Segment


class SafeText:
    """A text stream that writes ``printable(text)`` to the stream it wraps (newlines and tabs kept)."""

    def __init__(self, raw: IO[str]) -> None:
        self.raw = raw

    def write(self, text: str) -> int:
        self.raw.write(printable(text))
        return len(text)

    def writelines(self, lines: Any) -> None:
        for line in lines:
            self.write(line)

    def __getattr__(self, name: str) -> Any:  # flush, fileno, isatty, buffer, encoding, ...
        return getattr(self.raw, name)


def raw_stream(stream: Any) -> IO[str]:
    """The stream behind a :class:`SafeText` (or the stream itself)."""
    return stream.raw if isinstance(stream, SafeText) else stream


@contextmanager
def safe_streams() -> Iterator[None]:
    """``sys.stdout`` and ``sys.stderr`` behind :class:`SafeText` for the duration."""
    out, err = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = SafeText(out), SafeText(err)
    try:
        yield
    finally:
        sys.stdout, sys.stderr = out, err


class _Stripped:
    """A renderable drawn as ``inner`` with the control characters removed from its text (the
    isolates of a line kept where they are balanced: see ``isolates_balanced``)."""

    def __init__(self, inner: ConsoleRenderable) -> None:
        self.inner = inner

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        line: list[Segment] = []
        for segment in console.render(self.inner, options):
            line.append(segment)
            if "\n" in segment.text:
                yield from _safe_line(line)
                line = []
        yield from _safe_line(line)


def _safe_line(segments: list[Segment]) -> list[Segment]:
    from rich.segment import Segment

    text = "".join(s.text for s in segments if not s.control)
    if strip_controls(text) is text:
        return segments
    keep = isolates_balanced(text)
    out = []
    for segment in segments:
        safe = segment.text if segment.control else strip_controls(segment.text, keep_isolates=keep)
        out.append(segment if safe == segment.text else Segment(safe, segment.style))
    return out


class _StripHook:
    """A Rich render hook (``Console.push_render_hook``) wrapping each renderable in ``_Stripped``."""

    def process_renderables(self, renderables: list[ConsoleRenderable]) -> list[ConsoleRenderable]:
        return [_Stripped(r) for r in renderables]


def make_console(cls: type[Console] | None = None) -> Console:
    """A Rich console (of ``cls``, a Console subclass) on the real stdout whose output holds no
    control character from its text."""
    from rich.console import Console

    console = (cls or Console)(file=raw_stream(sys.stdout), highlight=False, soft_wrap=False)
    console.push_render_hook(_StripHook())  # type: ignore[arg-type]
    return console
