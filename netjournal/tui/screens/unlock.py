"""The passphrase of an encrypted journal, asked in the app (three tries). Each try is checked
in a worker (age's scrypt takes about a second); the passphrase is never shown."""

from __future__ import annotations

from collections.abc import Callable

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from netjournal.errors import NetjournalError
from netjournal.sealing import Codec

TRIES = 3


class UnlockScreen(ModalScreen[Codec | None]):
    """Dismissed with the journal's codec, or None (escape, or three wrong passphrases)."""

    BINDINGS = [Binding("escape", "give_up", "Quit", id="unlock.quit")]

    def __init__(self, unlock: Callable[[str], Codec], where: str) -> None:
        super().__init__()
        self.unlock = unlock
        self.where = where
        self.left = TRIES

    def compose(self) -> ComposeResult:
        with Vertical(id="unlock", classes="dialog"):
            yield Static(Content("This journal is encrypted: its passphrase"), classes="confirm-question")
            yield Static(Content(self.where), classes="confirm-detail")
            yield Input(password=True, id="passphrase", placeholder="passphrase (escape: quit)")
            yield Static("", id="unlock-problem", classes="confirm-detail")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        said = event.value
        if not said:
            return
        event.input.disabled = True
        self.query_one("#unlock-problem", Static).update(Content("unlocking…"))
        self.run_worker(lambda: self._try(said), thread=True, group="unlock", description="unlock the journal")

    def _try(self, said: str) -> None:
        try:
            codec = self.unlock(said)
        except NetjournalError as exc:
            self.app.call_from_thread(self._refused, str(exc))
            return
        self.app.call_from_thread(self.dismiss, codec)

    def _refused(self, why: str) -> None:
        self.left -= 1
        if self.left <= 0:
            self.dismiss(None)
            return
        field = self.query_one("#passphrase", Input)
        field.value, field.disabled = "", False
        field.focus()
        tries = f"{self.left} tr{'ies' if self.left > 1 else 'y'} left"
        self.query_one("#unlock-problem", Static).update(Content(f"{why} ({tries})"))

    def action_give_up(self) -> None:
        self.dismiss(None)
