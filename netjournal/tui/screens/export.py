"""Exports from the command palette: the JSON backup, Markdown or vCard of the whole journal,
to a path you type.

``enter`` checks the path at once (one line in the dialog if it cannot be written; what was
typed stays) and a worker makes and writes the file (netjournal.interop.exports, as
``netjournal export`` does; written 0600 through netjournal.services.writing), so the app
never waits for it. Done, the dialog closes and a notification says where the file went.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, Static
from textual.worker import get_current_worker

from netjournal.errors import NetjournalError
from netjournal.interop.exports import export_bytes, export_target
from netjournal.services.writing import write_private
from netjournal.tui.screens.importer import PathSuggester

if TYPE_CHECKING:
    from netjournal.store.journal import Journal
    from netjournal.tui.screens.journal_panes import JournalPanes

# format -> (what the palette calls it, the file's suffix)
EXPORTS: dict[str, tuple[str, str]] = {
    "json": ("JSON backup (the whole journal)", "json"),
    "md": ("Markdown (people, interactions, favours)", "md"),
    "vcf": ("vCard (contacts)", "vcf"),
}
HINT = Content.assemble(
    ("enter", "bold"), " export   ", ("esc", "bold"), " close   ", ("→", "bold"), " complete the path"
)


def suggested_path(fmt: str, today: date) -> str:
    return f"~/netjournal-{today.isoformat()}.{EXPORTS[fmt][1]}"


class ExportScreen(ModalScreen[str | None]):
    """Dismisses with the line that says where the file went (None: closed, nothing written)."""

    BINDINGS = [Binding("escape", "close", "Close", id="export.close")]
    DEFAULT_CSS = """
    ExportScreen .export { width: 84; }
    ExportScreen #export-path { background: $boost; }
    ExportScreen #export-status { height: auto; color: $text-muted; padding-top: 1; }
    ExportScreen #export-status.-error { color: $text-error; text-style: bold; }
    """

    def __init__(self, journal: Journal, fmt: str, today: date) -> None:
        super().__init__()
        self.journal = journal
        self.fmt = fmt
        self.today = today
        self.busy = False

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog export"):
            yield Static(Content(f"Export: {EXPORTS[self.fmt][0]}"), classes="form-title")
            yield Input(suggested_path(self.fmt, self.today), id="export-path", suggester=PathSuggester())
            yield Static("", id="export-status")
            yield Static(HINT, classes="form-hint")

    def on_mount(self) -> None:
        self.query_one("#export-path", Input).focus()

    def status(self, text: str, *, error: bool = False) -> None:
        line = self.query_one("#export-status", Static)
        line.update(Content(text))  # a path is user text: plain, never markup
        line.set_class(error, "-error")

    @on(Input.Submitted, "#export-path")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if self.busy:
            return
        try:
            target = export_target(event.value)
        except NetjournalError as exc:
            self.status(str(exc), error=True)
            return
        self.busy = True
        self.status(f"Writing {target}…")
        self._export(target.absolute())

    @work(thread=True, exclusive=True, group="export", exit_on_error=False)
    def _export(self, target: Path) -> None:
        try:
            written = write_private(export_bytes(self.journal, self.fmt, self.today), target)
        except (NetjournalError, OSError) as exc:
            problem = str(exc) if isinstance(exc, NetjournalError) else f"cannot write {target}: {exc.strerror or exc}"
            self.app.call_from_thread(self._failed, problem)
            return
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self.dismiss, f"Exported {EXPORTS[self.fmt][0].split(' (')[0]} to {written}")

    def _failed(self, problem: str) -> None:
        self.busy = False
        self.status(problem, error=True)

    def action_close(self) -> None:
        self.dismiss(None)


def open_export(main: JournalPanes, fmt: str) -> None:
    """Open the dialog for ``fmt`` (one of EXPORTS); once written, a notification says where."""
    journal = main.journal
    if journal is None:
        main.notify("The journal is still opening…", severity="warning")
        return

    def done(message: str | None) -> None:
        if message:
            main.notify(message, markup=False)

    main.app.push_screen(ExportScreen(journal, fmt, main.today), done)
