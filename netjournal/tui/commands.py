"""The command palette (ctrl+p): every action of the main screen, and "jump to contact"."""

from __future__ import annotations

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


class ActionCommands(Provider):
    """Each binding of the main screen, by its description ("Contact", "Log"...)."""

    def _commands(self) -> list[tuple[str, str, Binding]]:
        main = _main(self)
        if main is None:
            return []
        out = []
        for b in main.BINDINGS:
            if isinstance(b, Binding) and b.action not in ("cycle_pane(1)", "cycle_pane(-1)"):
                out.append((LONG_TITLES.get(b.id or "", b.description), keys_of(self.app, b), b))
        return out

    async def discover(self) -> Hits:
        main = _main(self)
        for title, key, binding in self._commands():
            assert main is not None
            yield DiscoveryHit(title, partial(main.run_action, binding.action), help=f"key: {key}")

    async def search(self, query: str) -> Hits:
        main = _main(self)
        matcher = self.matcher(query)
        for title, key, binding in self._commands():
            score = matcher.match(title)
            if score > 0 and main is not None:
                yield Hit(
                    score,
                    highlight(matcher, title),
                    partial(main.run_action, binding.action),
                    text=title,
                    help=f"key: {key}",
                )


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
