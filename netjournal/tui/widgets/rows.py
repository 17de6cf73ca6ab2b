"""A list of short, prepared rows grouped under headings (Today, circles, who knows what).

Rows are built in a worker from the insight results (plain data, no Textual); the list
draws only the rows on screen. Headings and notes are skipped by the cursor: it lands on
rows that name a person, so ``enter`` always has someone to jump to.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from rich.cells import cell_len
from rich.style import Style
from rich.text import Text
from textual.binding import Binding

from netjournal.tui.widgets.line_list import LineList, fit


@dataclass(frozen=True, slots=True)
class Cell:
    """One column: ``width`` 0 takes what the fixed columns leave. In a narrow row (see
    :func:`fitting_cells`) a fixed cell with ``least`` narrows down to it, a flexible one wants
    ``least`` cells (FLEX_MIN if 0), and cells with ``drop`` > 0 are left out, the highest
    first, so that what is left keeps its meaning."""

    text: str
    width: int = 0
    style: str = ""  # a LineList style: dim, accent, warn, good, bad
    right: bool = False
    drop: int = 0
    least: int = 0


@dataclass(frozen=True, slots=True)
class Row:
    cells: tuple[Cell, ...]
    contact_id: str = ""  # "" for headings and notes: the cursor skips them
    section: str = ""  # which part of the view the row belongs to ("overdue", "circle:inner"...)
    heading: bool = False
    extra: tuple[str, ...] = field(default=())  # more ids a row stands for (the people of a follow-up)

    @property
    def selectable(self) -> bool:
        return bool(self.contact_id)


def heading(title: str, note: str = "", section: str = "") -> Row:
    cells = (Cell(title, cell_len(title) + 1, "accent"), Cell(note, 0, "dim"))
    return Row(cells, section=section, heading=True)


def note(text: str, section: str = "") -> Row:
    return Row((Cell("  " + text, 0, "dim"),), section=section)


def blank() -> Row:
    return Row((Cell(""),))


FLEX_MIN = 12  # cells a flexible column wants before the droppable ones go


def _need(cells: list[Cell]) -> int:
    """The cells a row needs: the fixed widths, the flexible cells' wants, a space before each."""
    return sum(c.width or c.least or FLEX_MIN for c in cells) + len(cells)


def fitting_cells(cells: tuple[Cell, ...], width: int) -> tuple[Cell, ...]:
    """``cells`` fitted to ``width``: fixed cells with ``least`` narrowed first, then the
    droppable ones left out (highest ``drop`` first) until the rest fit."""
    kept = list(cells)
    short = _need(kept) - width
    if short <= 0:
        return cells
    for i, cell in enumerate(kept):
        if cell.width and cell.least and short > 0:
            cut = min(cell.width - cell.least, short)
            kept[i], short = replace(cell, width=cell.width - cut), short - cut
    while _need(kept) > width and any(c.drop for c in kept):
        kept.remove(max((c for c in kept if c.drop), key=lambda c: c.drop))
    return tuple(kept)


class RowList(LineList):
    """Prepared rows; the cursor moves between rows that name a person."""

    COMPONENT_CLASSES = LineList.COMPONENT_CLASSES | {"line-list--heading"}
    BINDINGS = [Binding("enter", "select", "Go to", id="rows.open")]
    DEFAULT_CSS = """
    RowList > .line-list--heading {
        text-style: bold;
    }
    """

    def __init__(self, *, empty_text: str = "Nothing here", id: str | None = None) -> None:
        super().__init__(empty_text=empty_text, id=id)
        self.rows: list[Row] = []

    def show_rows(self, rows: list[Row], contact_id: str | None = None, section: str | None = None) -> None:
        """New rows; the cursor goes to ``contact_id`` (in ``section`` if given), else stays
        on the same row number, else the first person."""
        self.rows = rows
        target = self.cursor
        if contact_id is not None:
            found = [i for i, r in enumerate(rows) if r.contact_id == contact_id]
            inside = [i for i in found if section is None or rows[i].section == section]
            if inside or found:
                target = (inside or found)[0]
        self.set_row_count(len(rows), self._nearest(target, 1))

    @property
    def current(self) -> Row | None:
        if not self.rows or not 0 <= self.cursor < len(self.rows):
            return None
        row = self.rows[self.cursor]
        return row if row.selectable else None

    def _nearest(self, index: int, step: int) -> int:
        """The selectable row at ``index``, or the next one in ``step``'s direction, or back."""
        n = len(self.rows)
        if not n:
            return 0
        index = max(0, min(index, n - 1))
        for direction in (step or 1, -(step or 1)):
            i = index
            while 0 <= i < n:
                if self.rows[i].selectable:
                    return i
                i += direction
        return index

    def set_cursor(self, index: int, *, force: bool = False) -> None:
        if self.rows and 0 <= index < len(self.rows) and not self.rows[index].selectable:
            index = self._nearest(index, 1 if index >= self.cursor else -1)
        super().set_cursor(index, force=force)
        if self.cursor <= 1 or (self.rows and not any(r.selectable for r in self.rows[: self.cursor])):
            self.scroll_to(y=0, animate=False, immediate=True)  # keep the first heading in view

    def render_row(self, index: int, width: int) -> Text:
        row = self.rows[index]
        cells = fitting_cells(row.cells, width)
        fixed = sum(c.width for c in cells) + len(cells)  # one space before each cell
        parts: list[str | Text] = []
        for cell in cells:
            w = cell.width or max(width - fixed, 0)
            style = self.style(cell.style) if cell.style else Style()
            if row.heading and cell is row.cells[0]:
                style += self.style("heading")
            parts += [" ", fit(cell.text, w, style=style, right=cell.right)]
        return Text.assemble(*parts)
