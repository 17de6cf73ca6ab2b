"""The command palette (ctrl+p): every action of the main screen, and "jump to contact"."""

from __future__ import annotations

from functools import partial

from textual.binding import Binding
from textual.command import DiscoveryHit, Hit, Hits, Provider

from netjournal.tui.screens.main import MainScreen
from netjournal.tui.titles import LONG_TITLES


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
                out.append((LONG_TITLES.get(b.id or "", b.description), self.app.get_key_display(b), b))
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
                yield Hit(score, matcher.highlight(title), partial(main.run_action, binding.action), text=title, help=f"key: {key}")


class JumpToContact(Provider):
    """"Jump to Ana Silva": selects the contact (clearing a filter that hides them)."""

    async def discover(self) -> Hits:
        main = _main(self)
        if main is not None and main.journal is not None:
            yield DiscoveryHit("Jump to contact…", main.action_filter, help="type a name here, or / filters the list")

    async def search(self, query: str) -> Hits:
        main = _main(self)
        if main is None:
            return
        matcher = self.matcher(query)
        scored: list[tuple[float, str, str]] = []
        for cid, name in main.contact_names():
            title = f"Jump to {name}"
            score = matcher.match(title)
            if score > 0:
                scored.append((score, title, cid))
        scored.sort(key=lambda s: -s[0])
        for score, title, cid in scored[:40]:
            yield Hit(score, matcher.highlight(title), partial(main.jump_to, cid), text=title, help="contact")
