"""The footer: the keys that apply where the focus is, drawn as one line of text.

Textual's ``Footer`` mounts a widget per key and recomposes them all whenever the bindings
change (every screen swap, every focus move): about 30 ms of restyling per swap on the main
screen. This footer is one widget: when the bindings change it re-reads them and repaints
its one line, and only if they differ from what it shows.

What it shows follows Textual's footer: the active bindings of its screen (the focused
widget's, then its parents', then the screen's and the app's) that have ``show=True``, one
per action, ``key_display`` honoured; bindings of one :class:`~textual.binding.Binding.Group`
side by side as one item (``1 2 3 Panes``); a binding whose ``check_action`` says "disabled"
dimmed; the command palette key on the right. While a modal screen (a form, a question) is
in front of its screen, it shows the modal's keys, since those are the ones that apply.
Keys that do not fit are left out whole, the most used kept (``keep``: ``?`` opens the help
with every key). A click on a key presses it.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.cells import cell_len
from rich.text import Text
from textual import events
from textual.binding import ActiveBinding, Binding
from textual.screen import ModalScreen, Screen
from textual.widget import Widget


@dataclass(frozen=True, slots=True)
class FooterItem:
    """One thing the footer shows: a key (or the keys of a group) and what it does."""

    keys: tuple[tuple[str, str], ...]  # (key as pressed, key as shown), one per binding
    description: str
    enabled: bool = True
    ids: tuple[str, ...] = ()  # the bindings' ids


def declared_order(active: dict[str, ActiveBinding]) -> list[ActiveBinding]:
    """The active bindings, each node's in the order it declares them: a keymap moves the keys
    it changes to the end of their node's map, and the footer would show them last (where a
    narrow footer leaves them out). ``DOMNode._bindings`` (Textual's, private) is that order;
    a binding is found in it by its id (the keymap keeps it), else by its key."""
    entries = list(active.values())
    nodes: dict[int, int] = {}
    places: dict[tuple[int, str], int] = {}
    for entry in entries:
        node = entry.node
        if id(node) not in nodes:
            nodes[id(node)] = len(nodes)
            declared = [_name(b) for found in node._bindings.key_to_bindings.values() for b in found]
            for place, name in enumerate(declared):
                places.setdefault((id(node), name), place)
    return sorted(entries, key=lambda e: (nodes[id(e.node)], places.get((id(e.node), _name(e.binding)), len(places))))


def _name(binding: Binding) -> str:
    return binding.id or f"key {binding.key}"


class KeyFooter(Widget, can_focus=False):
    """One line: ``key description`` for each key that applies where the focus is."""

    ALLOW_SELECT = False
    COMPONENT_CLASSES = {
        "key-footer--key",
        "key-footer--description",
        "key-footer--disabled",
        "key-footer--separator",
    }
    DEFAULT_CSS = """
    KeyFooter {
        dock: bottom;
        height: 1;
        width: 1fr;
        color: $footer-foreground;
        background: $footer-background;
    }
    KeyFooter > .key-footer--key {
        color: $footer-key-foreground;
        background: $footer-key-background;
        text-style: bold;
    }
    KeyFooter > .key-footer--description {
        color: $footer-description-foreground;
        background: $footer-description-background;
    }
    KeyFooter > .key-footer--disabled {
        text-style: dim;
    }
    KeyFooter > .key-footer--separator {
        color: $foreground 20%;
    }
    """

    def __init__(
        self, *, show_command_palette: bool = True, keep: tuple[str, ...] = (), id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(id=id, classes=classes)
        self.show_command_palette = show_command_palette
        self.keep = keep  # binding ids, the most used first: when not every key fits, these stay
        self.items: tuple[FooterItem, ...] = ()
        self.palette: FooterItem | None = None
        self._source: Screen[object] | None = None  # whose bindings are shown: this screen, or a modal over it
        self._spans: list[tuple[int, int, str]] = []  # (from x, to x, key) of each key drawn, for clicks

    # ------------------------------------------------------------------ following the bindings
    def on_mount(self) -> None:
        self.app.screen_change_signal.subscribe(self, self._screen_changed)
        self._follow(self._source_screen())

    def on_unmount(self) -> None:
        self.app.screen_change_signal.unsubscribe(self)
        if self._source is not None:
            self._source.bindings_updated_signal.unsubscribe(self)
        self._source = None

    def _source_screen(self) -> Screen[object]:
        """The screen whose keys apply: this footer's, or the modal screens' in front of it."""
        own = self.screen
        stack = self.app.screen_stack
        if own in stack:
            above = stack[stack.index(own) + 1 :]
            if above and all(isinstance(s, ModalScreen) for s in above):
                return above[-1]
        return own

    def _follow(self, screen: Screen[object]) -> None:
        if screen is not self._source:
            if self._source is not None:
                self._source.bindings_updated_signal.unsubscribe(self)
            self._source = screen
            screen.bindings_updated_signal.subscribe(self, self._bindings_changed)
        self.update_keys()

    def _screen_changed(self, _screen: Screen[object]) -> None:
        if self.is_attached:
            self._follow(self._source_screen())

    def _bindings_changed(self, screen: Screen[object]) -> None:
        if screen is self._source and self.is_attached:
            self.update_keys()

    def update_keys(self) -> None:
        """Read the active bindings again; repaint if what to show changed."""
        screen = self._source
        if screen is None or not screen.is_attached:
            return
        items, palette = self.read_bindings(screen)
        if items != self.items or palette != self.palette:
            self.items, self.palette = items, palette
            self.refresh()

    def read_bindings(self, screen: Screen[object]) -> tuple[tuple[FooterItem, ...], FooterItem | None]:
        """What Textual's footer would show for ``screen``, as items."""
        app = self.app
        active = screen.active_bindings
        seen: set[str] = set()
        shown: list[tuple[Binding, bool]] = []
        for _node, binding, enabled, _tooltip in declared_order(active):
            if binding.show and binding.action not in seen:
                seen.add(binding.action)
                shown.append((binding, enabled))
        items: list[FooterItem] = []
        i = 0
        while i < len(shown):
            binding, enabled = shown[i]
            group = binding.group
            j = i + 1
            while group is not None and j < len(shown) and shown[j][0].group == group:
                j += 1
            if group is not None and j - i > 1:
                members = shown[i:j]
                keys = tuple((b.key, app.get_key_display(b)) for b, _ in members)
                ids = tuple(b.id for b, _ in members if b.id)
                items.append(FooterItem(keys, group.description, any(e for _, e in members), ids))
            else:
                keys = ((binding.key, app.get_key_display(binding)),)
                items.append(FooterItem(keys, binding.description, enabled, (binding.id,) if binding.id else ()))
            i = j
        palette = None
        if self.show_command_palette and app.ENABLE_COMMAND_PALETTE:
            found = active.get(app.COMMAND_PALETTE_BINDING)
            if found is not None:
                binding = found.binding
                palette = FooterItem(((binding.key, app.get_key_display(binding)),), binding.description, found.enabled)
        return tuple(items), palette

    # ------------------------------------------------------------------ drawing
    def _piece(self, item: FooterItem, tail: str) -> tuple[Text, list[tuple[int, int, str]]]:
        """``key description`` then ``tail``, and where each key is in it. Each styled run
        ends with the spaces after it and none starts with one: SVG screenshots drop the
        leading spaces of a run ("^s Save" showed as "^sSave" behind a dialog)."""
        key_style = self.get_component_rich_style("key-footer--key")
        description_style = self.get_component_rich_style("key-footer--description")
        if not item.enabled:
            dim = self.get_component_rich_style("key-footer--disabled", partial=True)
            key_style, description_style = key_style + dim, description_style + dim
        text = Text(end="")
        spans: list[tuple[int, int, str]] = []
        for n, (key, display) in enumerate(item.keys):
            if n:
                text.append(" ", style=key_style)
            x = cell_len(text.plain)
            text.append(display, style=key_style)
            spans.append((x, x + cell_len(display), key))
        if item.description:
            text.append(" ", style=key_style)
            text.append(item.description + tail, style=description_style)
        else:
            text.append(tail, style=key_style)
        return text, spans

    def _fitting(self, room: int, gap: str) -> tuple[FooterItem, ...]:
        """The items that fit whole in ``room``, the most used (``keep``) chosen first, in their order."""
        keep = self.keep

        def rank(index: int) -> int:
            found = [keep.index(i) for i in self.items[index].ids if i in keep]
            return min(found) if found else len(keep) + index

        chosen: set[int] = set()
        used = 1
        for index in sorted(range(len(self.items)), key=rank):
            width = cell_len(self._piece(self.items[index], gap)[0].plain)
            if used + width - len(gap) + 1 <= room:
                chosen.add(index)
                used += width
        return tuple(item for index, item in enumerate(self.items) if index in chosen)

    def _layout(self, room: int, gap: str) -> tuple[Text, list[tuple[int, int, str]], bool]:
        """The keys from the left, ``gap`` apart, as many as fit whole in ``room`` with a
        space to spare on each side (the most used first); and whether they all did."""
        line = Text(" ", no_wrap=True, overflow="crop", end="")
        spans: list[tuple[int, int, str]] = []
        used = 1
        fitting = self._fitting(room, gap)
        for item in fitting:
            piece, piece_spans = self._piece(item, gap)
            spans += [(a + used, b + used, key) for a, b, key in piece_spans]
            line.append_text(piece)
            used += cell_len(piece.plain)
        return line, spans, len(fitting) == len(self.items)

    def render(self) -> Text:
        width = self.size.width
        right = Text(end="")
        right_spans: list[tuple[int, int, str]] = []
        if self.palette is not None:
            piece, piece_spans = self._piece(self.palette, " ")
            right = Text("▏ ", style=self.get_component_rich_style("key-footer--separator"), end="")
            right.append_text(piece)
            right_spans = [(a + 2, b + 2, key) for a, b, key in piece_spans]
            if cell_len(right.plain) > width // 2:
                right, right_spans = Text(end=""), []
        room = width - cell_len(right.plain)
        line, spans, fits = self._layout(room, "  ")
        if not fits:  # closer together before leaving keys out
            line, spans, _ = self._layout(room, " ")
        if right.plain:
            line.truncate(room, pad=True)
            spans += [(a + room, b + room, key) for a, b, key in right_spans]
            line.append_text(right)
        self._spans = spans
        return line

    def on_click(self, event: events.Click) -> None:
        for start, end, key in self._spans:
            if start <= event.x < end:
                event.stop()
                self.app.simulate_key(key)
                return
