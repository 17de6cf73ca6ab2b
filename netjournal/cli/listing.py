"""Tables for the shell: rows in aligned columns, drawn as lines of text.

Rich's ``Table`` measures, wraps and pads every cell separately: 2,000 people took 1.7 s to
print. A listing only needs each column as wide as its widest cell, the widest columns cut
with an ellipsis when the terminal is narrower, and the header in bold: ``Listing`` does that
in one pass (about 0.1 s for the same rows) and prints through Rich like any renderable.
Cells are ``rich.text.Text`` (never markup) or plain strings. A right-to-left cell (Hebrew,
Arabic) is wrapped in Unicode isolates once cut to its width: it shows in its order without
reordering the columns around it, and the isolates take no cells.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING

from rich.cells import cell_len
from rich.text import Span, Text

from netjournal.domain.text import FSI, PDI, clean_line, right_to_left

if TYPE_CHECKING:
    from rich.console import Console, ConsoleOptions
    from rich.segment import Segment

GAP = 2  # spaces between columns
NARROWEST = 4  # a column is never cut below this (an ellipsis and a few letters)


class Listing:
    """``add_row`` cells under ``headers``; columns named in ``right`` are right-aligned."""

    def __init__(self, *headers: str, right: Sequence[str] = ()) -> None:
        self.headers = list(headers)
        self._right = [h in right for h in headers]
        self.rows: list[list[str | Text]] = []  # (a plain string cell stays a string: cheaper)
        self._sizes: list[list[int]] = []  # each cell's width in cells

    @property
    def row_count(self) -> int:
        return len(self.rows)

    def add_row(self, *cells: str | Text) -> None:
        row = list(cells)
        for n, cell in enumerate(row):
            plain = cell if isinstance(cell, str) else cell.plain
            if not plain.isprintable():  # a new line or a control character: one line, kept literal
                text = cell if isinstance(cell, Text) else Text(cell)  # (as Rich takes the string)
                row[n] = Text(clean_line(text.plain), style=text.style)
        self.rows.append(row)
        self._sizes.append([cell_len(c) if isinstance(c, str) else c.cell_len for c in row])

    def widths(self, room: int) -> list[int]:
        """Each column's width: its widest cell, the widest columns cut first to fit ``room``."""
        widths = [max([cell_len(h), *(sizes[n] for sizes in self._sizes)]) for n, h in enumerate(self.headers)]
        excess = sum(widths) + GAP * (len(widths) - 1) - room
        while excess > 0:
            widest = max(range(len(widths)), key=widths.__getitem__)
            if widths[widest] <= NARROWEST:
                break
            widths[widest] -= 1
            excess -= 1
        return widths

    def lines(self, room: int) -> list[Text]:
        widths = self.widths(room)
        last = len(widths) - 1
        heads: list[str | Text] = [Text(h, style="bold") for h in self.headers]
        out = [self._line(heads, [cell_len(h) for h in self.headers], widths, last)]
        out += [self._line(row, sizes, widths, last) for row, sizes in zip(self.rows, self._sizes, strict=True)]
        return out

    def _line(self, cells: list[str | Text], sizes: list[int], widths: list[int], last: int) -> Text:
        """One row: its cells' text and their styles laid out at once (appending cell by cell
        to a Text costs five times as much: 2,000 rows are printed every morning)."""
        parts: list[str] = []
        spans: list[Span] = []
        at = 0
        for n, (cell, size, width) in enumerate(zip(cells, sizes, widths, strict=False)):
            if n:
                parts.append(" " * GAP)
                at += GAP
            if size > width:
                cell = cell.copy() if isinstance(cell, Text) else Text(cell)
                cell.truncate(width, overflow="ellipsis")
                size = cell.cell_len
            pad = " " * (width - size)
            if right_to_left(cell if isinstance(cell, str) else cell.plain):  # isolated once cut: both
                cell = Text.assemble(FSI, cell, PDI)  # ends stay, and they take no cells
            if self._right[n]:
                parts.append(pad)
                at += len(pad)
            at = _put(cell, parts, spans, at)  # (as Text.append_text)
            if not self._right[n] and n < last:
                parts.append(pad)
                at += len(pad)
        line = Text("".join(parts), no_wrap=True, overflow="ignore", end="", spans=spans)
        line.rstrip()
        return line

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> Iterator[Segment]:
        text = Text("\n", no_wrap=True, overflow="ignore").join(self.lines(options.max_width))
        # As Rich draws a Text that is neither wrapped nor cut (its lines split at each newline
        # and joined again: the same text) without that round trip: 2,000 rows every morning.
        yield from text.render(console, end=text.end)


def _put(cell: str | Text, parts: list[str], spans: list[Span], at: int) -> int:
    """Lay ``cell`` out at ``at`` as ``Text.append_text`` would; the offset after it."""
    if isinstance(cell, str):
        parts.append(cell)
        return at + len(cell)
    plain = cell.plain
    end = at + len(plain)
    if cell.style:
        spans.append(Span(at, end, cell.style))
    spans.extend(Span(start + at, stop + at, style) for start, stop, style in cell.spans)
    parts.append(plain)
    return end
