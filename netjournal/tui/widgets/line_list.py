"""A list that draws only the rows on screen (Textual's line API).

DataTable and ListView build every row up front (100,000 rows: 13 s and more before the
first frame); this widget asks its subclass for the text of a visible row only, so a list of
100,000 interactions costs what a list of 30 does. Rows are built from rich ``Text`` pieces,
never from markup, so user text shows literally.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Hashable

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.geometry import Region, Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from netjournal.domain.text import FSI, PDI, clean_line, right_to_left

_CACHE_ROWS = 400


def fit(text: str | Text, width: int, *, style: Style | str = "", right: bool = False) -> Text:
    """One cell-exact column: user text cleaned of control characters, cut with an ellipsis,
    right-to-left text isolated (FSI...PDI) so it keeps its order without moving the columns."""
    if width <= 0:
        return Text()
    piece = text.copy() if isinstance(text, Text) else Text(clean_line(text), style=style)
    piece.no_wrap = True
    if cell_len(piece.plain) > width:
        piece.truncate(width, overflow="ellipsis")
    pad = width - cell_len(piece.plain)
    if right_to_left(piece.plain):  # isolated once cut: both ends stay, and they take no cells
        piece = Text.assemble(FSI, piece, PDI, no_wrap=True)
    if pad > 0:
        if right:
            piece = Text.assemble(" " * pad, piece)
        else:
            piece.append(" " * pad)
    return piece


class LineList(ScrollView, can_focus=True):
    """A cursor over ``row_count`` rows; subclasses implement :meth:`render_row`."""

    COMPONENT_CLASSES = {
        "line-list--cursor",
        "line-list--dim",
        "line-list--accent",
        "line-list--warn",
        "line-list--good",
        "line-list--bad",
    }
    BINDINGS = [
        Binding("down,j", "cursor_down", "Down", show=False, id="list.down"),
        Binding("up,k", "cursor_up", "Up", show=False, id="list.up"),
        Binding("pagedown", "page_down", "Page down", show=False, id="list.page_down"),
        Binding("pageup", "page_up", "Page up", show=False, id="list.page_up"),
        Binding("home", "first", "First", show=False, id="list.first"),
        Binding("end", "last", "Last", show=False, id="list.last"),
        Binding("enter", "select", "Open", show=False, id="list.open"),
    ]

    class Highlighted(Message):
        """The cursor moved to ``index``."""

        def __init__(self, line_list: LineList, index: int) -> None:
            super().__init__()
            self.line_list = line_list
            self.index = index

        @property
        def control(self) -> LineList:
            return self.line_list

    class Selected(Highlighted):
        """``enter`` (or a double click) on ``index``."""

    def __init__(
        self, *, empty_text: str = "Nothing here yet", id: str | None = None, classes: str | None = None
    ) -> None:
        super().__init__(id=id, classes=classes)
        self.empty_text = empty_text
        self._count = 0
        self._texts: OrderedDict[Hashable, Text] = OrderedDict()  # rows as render_row made them, by row_key
        self._rows: dict[Hashable, Strip] = {}  # the same rows drawn (not under the cursor)
        self._look: tuple[object, ...] = ()  # what the drawn rows depend on besides their data
        self._styles: dict[str, Style] = {}  # component styles, resolved once per drawing pass
        self._base = Style()
        self._cursor = 0

    # ------------------------------------------------------------------ data
    @property
    def row_count(self) -> int:
        return self._count

    def set_row_count(self, count: int, cursor: int | None = None, *, keep_rows: bool = False) -> None:
        """New data: forget drawn rows (unless ``keep_rows``: :meth:`row_key` still names the
        same content), keep the cursor in range, redraw."""
        self._count = count
        if not keep_rows:
            self._forget_rows()
        self._resize(count)
        target = self.cursor if cursor is None else cursor
        self.set_cursor(max(0, min(target, count - 1)) if count else 0, force=True)
        self.refresh()

    def _resize(self, count: int) -> None:
        """Make the list ``count`` rows long. A new virtual size lays out the whole screen, and
        after a layout every list redraws its scrollbar one frame (17 to 33 ms) later; when the
        scrollbar stays (or stays away), the length and the scrollbar's range change quietly."""
        if self.virtual_size.height == count:
            return
        height = self.container_size.height
        quiet = (
            self.is_mounted
            and height > 0
            and self.styles.overflow_y == "auto"
            and self.styles.overflow_x == "hidden"
            and (count > height) == (self.virtual_size.height > height) == self.show_vertical_scrollbar
        )
        if not quiet:
            self.virtual_size = Size(0, count)
            return
        self.set_reactive(LineList.virtual_size, Size(0, count))
        if self.show_vertical_scrollbar:
            self.vertical_scrollbar.window_virtual_size = count
        if self.scroll_offset.y > self.max_scroll_y:
            self.scroll_to(y=self.max_scroll_y, animate=False, immediate=True)

    def _forget_rows(self) -> None:
        self._texts.clear()
        self._rows.clear()

    def row_key(self, index: int) -> Hashable:
        """What names row ``index``'s content among the drawn rows: the index itself, unless a
        subclass knows better (a contact's id keeps their drawn row while a filter moves it)."""
        return index

    def render_row(self, index: int, width: int) -> Text:
        raise NotImplementedError

    def style(self, name: str) -> Style:
        """A component's own style, its colour resolved against the background: a partial
        style drops the alpha of "$text-muted" (auto 60%), which showed dim text as white.
        Resolved once per drawing pass (see :meth:`render_lines`)."""
        style = self._styles.get(name)
        if style is None:
            component = f"line-list--{name}"
            style = self.get_component_rich_style(component, partial=True)
            if style.color is not None:
                style += Style(color=self.get_component_rich_style(component).color)
            self._styles[name] = style
        return style

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._styles.clear()
        self._forget_rows()

    # ------------------------------------------------------------------ drawing
    def render_lines(self, crop: Region) -> list[Strip]:
        """One drawing pass: styles are resolved once here, not for every line, and drawn rows
        are reused while what they look like (base style, focus, width) stays the same."""
        self._styles.clear()
        self._base = self.rich_style
        look = (self._base, self.has_focus, self.scrollable_content_region.width)
        if look != self._look:
            self._look = look
            self._forget_rows()
        return super().render_lines(crop)

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        base = self._base
        index = y + int(self.scroll_offset.y)
        if self._count == 0:
            if y == 1:
                msg = fit(self.empty_text, max(width - 2, 0), style=self.style("dim"))
                return self._strip(Text.assemble("  ", msg), width, base)
            return Strip.blank(width, base)
        if index >= self._count:
            return Strip.blank(width, base)
        key = self.row_key(index)
        if index == self.cursor:
            row = self._text(key, index, width)
            cursor = self.style("cursor")
            if self.has_focus:  # one calm, uniform bar: the cursor's colours win over the row's
                return self._strip(row, width, base + cursor, over=cursor)
            return self._strip(row, width, base + cursor)
        strip = self._rows.get(key)
        if strip is None:
            strip = self._rows[key] = self._strip(self._text(key, index, width), width, base)
        return strip

    def _text(self, key: Hashable, index: int, width: int) -> Text:
        text = self._texts.get(key)
        if text is None:
            text = self._texts[key] = self.render_row(index, width)
            if len(self._texts) > _CACHE_ROWS:
                old, _ = self._texts.popitem(last=False)
                self._rows.pop(old, None)
        return text

    def _strip(self, row: Text, width: int, style: Style, over: Style | None = None) -> Strip:
        segments: list[Segment] = []
        for seg in row.render(self.app.console):
            seg_style = style + seg.style if seg.style else style
            segments.extend(_space_apart(Segment(seg.text, seg_style + over if over is not None else seg_style)))
        return Strip(segments).adjust_cell_length(width, style)

    # ------------------------------------------------------------------ cursor
    @property
    def cursor(self) -> int:
        return self._cursor

    def set_cursor(self, index: int, *, force: bool = False) -> None:
        index = max(0, min(index, self._count - 1)) if self._count else 0
        old = self.cursor
        if index == old and not force:
            return
        self._cursor = index
        self.refresh_line(old)
        self.refresh_line(index)
        self.scroll_to_cursor()
        self.post_message(self.Highlighted(self, index))

    def scroll_to_cursor(self) -> None:
        height = self.scrollable_content_region.height
        top = int(self.scroll_offset.y)
        if height <= 0:
            return
        if self.cursor < top:
            self.scroll_to(y=self.cursor, animate=False, immediate=True)
        elif self.cursor >= top + height:
            self.scroll_to(y=self.cursor - height + 1, animate=False, immediate=True)

    def on_focus(self) -> None:
        self.refresh()

    def on_blur(self) -> None:
        self.refresh()

    def on_resize(self) -> None:
        self.scroll_to_cursor()

    def action_cursor_down(self) -> None:
        self.set_cursor(self.cursor + 1)

    def action_cursor_up(self) -> None:
        self.set_cursor(self.cursor - 1)

    def action_page_down(self) -> None:
        self.set_cursor(self.cursor + max(1, self.scrollable_content_region.height - 1))

    def action_page_up(self) -> None:
        self.set_cursor(self.cursor - max(1, self.scrollable_content_region.height - 1))

    def action_first(self) -> None:
        self.set_cursor(0)

    def action_last(self) -> None:
        self.set_cursor(self._count - 1)

    def action_select(self) -> None:
        if self._count:
            self.post_message(self.Selected(self, self.cursor))

    def on_click(self, event: events.Click) -> None:
        index = event.y + int(self.scroll_offset.y)
        if 0 <= index < self._count:
            self.set_cursor(index)
            if event.chain >= 2:
                self.post_message(self.Selected(self, index))


def _space_apart(seg: Segment) -> tuple[Segment, ...]:
    """Leading spaces as a segment of their own, styled so they do not merge with the text.

    Screenshots (SVG) draw each run of one style as a text element, and some renderers
    (librsvg) drop the leading spaces of an element: "+0  Introduced" showed as
    "+0Introduced". Spaces coloured like their background look the same in a terminal."""
    text, style = seg.text, seg.style
    body = text.lstrip(" ")
    if not body or body is text or style is None or style.reverse or style.underline or style.strike:
        return (seg,)
    pad = Style(color=style.bgcolor, bgcolor=style.bgcolor) if style.bgcolor is not None else Style(bold=not style.bold)
    return Segment(text[: len(text) - len(body)], pad), Segment(body, style)
