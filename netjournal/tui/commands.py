"""The command palette (ctrl+p): every action of the main screen, and "jump to contact"."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from textual.binding import Binding
from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.content import Content
from textual.fuzzy import Matcher

from netjournal.domain.model import Contact
from netjournal.domain.text import clean_line, fold
from netjournal.tui.messages import JumpTo
from netjournal.tui.screens.main import MainScreen
from netjournal.tui.titles import LONG_TITLES, keys_of

EXPORT_COMMANDS = {  # format -> (title, help): netjournal.tui.screens.export
    "json": ("Export: JSON backup of the whole journal…", "to a file you name; netjournal import restores it"),
    "md": ("Export: Markdown of the whole journal…", "people, interactions and favours, to a file you name"),
    "vcf": ("Export: vCard of every contact…", "for a phone or an address book, to a file you name"),
}


def highlight(matcher: Matcher, text: str, matched: str | None = None) -> Content:
    """``text`` as plain content (never markup: names are data), with the letters the query
    matched in ``matched`` (``text`` folded, same length) highlighted."""
    content = Content(text)
    candidate = matched if matched is not None else text
    if len(candidate) != len(text):
        return content
    score, offsets = matcher.fuzzy_search.match(matcher.query, candidate)
    if score:
        for offset in offsets:
            if not text[offset].isspace():
                content = content.stylize(matcher.match_style, offset, offset + 1)
    return content


def _main(provider: Provider) -> MainScreen | None:
    for screen in reversed(provider.app.screen_stack):
        if isinstance(screen, MainScreen):
            return screen
    return None


def _export(main: MainScreen, fmt: str) -> None:
    from netjournal.tui.screens.export import open_export  # loaded when chosen

    open_export(main, fmt)


class ActionCommands(Provider):
    """Each binding of the main screen, by its description ("Contact", "Log"...), and the
    exports (palette only: a JSON backup, Markdown, vCard to a path you type)."""

    def _commands(self) -> list[tuple[str, str, Callable[[], object]]]:
        main = _main(self)
        if main is None:
            return []
        out: list[tuple[str, str, Callable[[], object]]] = []
        for b in main.BINDINGS:
            if isinstance(b, Binding) and b.action not in ("cycle_pane(1)", "cycle_pane(-1)"):
                title = LONG_TITLES.get(b.id or "", b.description)
                out.append((title, f"key: {keys_of(self.app, b)}", partial(main.run_action, b.action)))
        for fmt, (title, about) in EXPORT_COMMANDS.items():
            out.append((title, about, partial(_export, main, fmt)))
        return out

    async def discover(self) -> Hits:
        for title, about, run in self._commands():
            yield DiscoveryHit(title, run, help=about)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for title, about, run in self._commands():
            score = matcher.match(title)
            if score > 0:
                yield Hit(score, highlight(matcher, title), run, text=title, help=about)


class JumpToContact(Provider):
    """"Jump to Ana Silva": selects the contact (clearing a filter that hides them)."""

    async def discover(self) -> Hits:
        main = _main(self)
        if main is not None and main.journal is not None:
            hint = "type a name here, or / filters the list"
            yield DiscoveryHit("Jump to contact…", partial(main.run_action, "filter"), help=hint)

    async def search(self, query: str) -> Hits:
        """Fuzzy, case- and accent-insensitive, over each person's name and aliases."""
        main = _main(self)
        if main is None:
            return
        matcher = self.matcher(fold(query))
        scored: list[tuple[float, str, str, Contact]] = []
        for person in main.people.contacts:
            title = f"Jump to {clean_line(person.name)}"
            folded = fold(title)
            score = max(
                [matcher.match(folded), *(matcher.match(f"jump to {fold(alias)}") for alias in person.aliases)]
            )
            if score > 0:
                scored.append((score, title, folded, person))
        scored.sort(key=lambda s: -s[0])
        for score, title, folded, person in scored[:40]:
            # The organisation and circle tell apart people who share a name.
            about = " · ".join(filter(None, ["contact", clean_line(person.org), person.circle]))
            yield Hit(
                score,
                highlight(matcher, title, folded),
                partial(self.app.post_message, JumpTo(person.id)),
                text=title,
                help=about,
            )
