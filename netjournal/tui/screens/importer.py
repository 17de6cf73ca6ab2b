"""``i``: import contacts from a file (vCard, Google or LinkedIn CSV, a netjournal .json).

Type a path and press ``enter``: a worker reads the file and plans the import
(netjournal.interop.merge) without writing anything; the dialog shows what would be added,
updated, left unchanged, left alone as ambiguous or skipped. ``ctrl+s`` (or the Import
button) writes it as one undoable change; ``u`` on the main screen undoes it. A missing file,
an unknown layout or a damaged card shows as one line in the dialog and nothing is written.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.suggester import Suggester
from textual.widgets import Button, Checkbox, Input, Static
from textual.worker import get_current_worker

from netjournal.domain.text import clean_line, counted, record_counts
from netjournal.errors import NetjournalError
from netjournal.tui.messages import Write, Written
from netjournal.tui.writes import ImportFile, with_undo

if TYPE_CHECKING:
    from netjournal.store.journal import Journal
    from netjournal.tui.screens.journal_panes import JournalPanes

CONTACT_FILES = ("vcf", "vcard", "csv")
MAX_LINES = 200  # names listed per preview; the counts are always complete
HINT = Content.assemble(
    ("enter", "bold"), " preview   ", ("ctrl+s", "bold"), " import   ", ("esc", "bold"), " close   ",
    ("→", "bold"), " complete the path",
)


class PathSuggester(Suggester):
    """Completes the last part of a path from the folder's entries (folders end with /)."""

    def __init__(self) -> None:
        super().__init__(use_cache=False, case_sensitive=True)

    async def get_suggestion(self, value: str) -> str | None:
        if not value:
            return None
        folder, sep, start = value.rpartition("/")
        where = os.path.expanduser((folder or "/") if sep else ".")
        try:
            names = sorted(
                e.name + ("/" if e.is_dir() else "")
                for e in os.scandir(where)
                if e.name.startswith(start) and (start.startswith(".") or not e.name.startswith("."))
            )
        except OSError:
            return None
        longer = [n for n in names if len(n) > len(start)]
        return value + longer[0][len(start):] if longer else None


@dataclass
class Planned:
    """A plan ready to apply, for the file that was typed."""

    typed: str
    path: Path
    kind: str  # "contacts" or "journal"
    plan: Any  # ImportPlan or JournalMerge
    writes: int


def resolve_path(typed: str) -> Path:
    return Path(os.path.expanduser(typed.strip())).absolute()


def read_plan(journal: Journal, typed: str, *, skip_bad: bool) -> Planned:
    """Read and plan (no writing); raises NetjournalError with one clear line."""
    from netjournal.interop import merge

    if not typed.strip():
        raise NetjournalError("type the path of a .vcf, .csv or .json file")
    path = resolve_path(typed)
    suffix = path.suffix.lstrip(".").lower()
    if suffix in CONTACT_FILES:
        parsed = merge.load_contacts_file(path, skip_bad=skip_bad)
        plan = merge.plan_import(journal, parsed)
        return Planned(typed, path, "contacts", plan, len(plan.records()))
    if suffix == "json":
        other = merge.load_other(path, lambda: journal.device or merge.READER)
        jplan = merge.plan_journal_merge(journal, other, source=path.name)
        return Planned(typed, path, "journal", jplan, len(jplan.records()) + len(jplan.deletions))
    if path.is_dir():
        raise NetjournalError(f"{path} is a folder, not a file")
    raise NetjournalError(f"cannot import {path.name}: unknown file type (known: .vcf, .csv, .json)")


def _lines(items: list[Any], limit: int) -> tuple[list[Any], int]:
    return items[:limit], max(0, len(items) - limit)


def preview_content(planned: Planned) -> Content:
    """The preview, from plain pieces (names are user text: never markup)."""
    if planned.kind == "contacts":
        parts = _contacts_preview(planned.plan)
    else:
        parts = _journal_preview(planned.plan)
    if not planned.writes:
        parts.append(("\nNothing to import: the journal already holds all of it.", "bold $text-muted"))
    return Content.assemble(*parts)


MARKS = {"+ ": "bold $text-success", "~ ": "bold $text-accent", "? ": "bold $text-warning", "! ": "bold $text-error"}


def _contacts_preview(plan: Any) -> list[Any]:
    from netjournal.interop.merge import describe_change

    parts: list[Any] = [(f"{clean_line(plan.kind)} · {clean_line(plan.source)}\n", "bold")]
    added, updated, ambiguous = plan.added, plan.updated, plan.ambiguous
    counts = [
        (f"{len(added)} added", "$text-success"),
        (f"{len(updated)} updated", "$text-accent"),
        (f"{plan.unchanged} unchanged", "$text-muted"),
        (f"{len(ambiguous)} ambiguous", "$text-warning" if ambiguous else "$text-muted"),
        (f"{len(plan.skipped)} skipped", "$text-error" if plan.skipped else "$text-muted"),
    ]
    for n, piece in enumerate(counts):
        parts += [("  ·  ", "$text-muted")] if n else []
        parts.append(piece)
    lines: list[tuple[str, str, str]] = [("+ ", c.name, "") for c in added]
    lines += [("~ ", after.name, describe_change(before, after)) for before, after in updated]
    for i in ambiguous:
        matches = ", ".join(c.name for c in i.candidates)
        lines.append(("? ", i.incoming.name, f"({i.where}) matches {matches}: left alone, merge them first"))
    lines += [("! ", "skipped", str(p)) for p in plan.skipped]
    shown, more = _lines(lines, MAX_LINES)
    for mark, name, detail in shown:
        parts += ["\n", (mark, MARKS[mark]), (clean_line(name), "bold")]
        if detail:
            parts.append((f"  {clean_line(detail)}", "$text-muted"))
    if more:
        parts.append((f"\n… and {more} more", "$text-muted"))
    return parts


def _journal_preview(plan: Any) -> list[Any]:
    summary = plan.summary()
    parts: list[Any] = [(f"netjournal journal · {clean_line(plan.source)}\n", "bold")]
    for label, key, style in (
        ("added", "added", "$text-success"),
        ("updated (newer there)", "updated", "$text-accent"),
        ("kept (newer here)", "kept_newer_here", "$text-muted"),
    ):
        parts.append((f"{label}: {record_counts(summary[key])}\n", style))
    parts.append((f"unchanged: {summary['unchanged']}", "$text-muted"))
    notes = [("conflict", c) for c in summary["conflicts"]]
    notes += [("duplicate?", d) for d in summary["possible_duplicates"]]
    shown_notes, more = _lines(notes, MAX_LINES)
    for label, text in shown_notes:
        parts += ["\n", (f"! {label} ", "bold $text-warning"), (clean_line(text), "")]
    if more:
        parts.append((f"\n… and {more} more", "$text-muted"))
    return parts


class ImportScreen(ModalScreen[str | None]):
    """Dismisses with a one-line report of what was imported (None: nothing was)."""

    BINDINGS = [
        Binding("ctrl+s", "run", "Import", priority=True, id="import.run"),
        Binding("escape", "close", "Close", id="import.close"),
    ]
    DEFAULT_CSS = """
    ImportScreen .import { width: 96; }
    ImportScreen #import-path { background: $boost; margin-bottom: 1; }
    ImportScreen #import-error { color: $text-error; text-style: bold; height: auto; }
    ImportScreen #import-scroll { height: auto; max-height: 60vh; scrollbar-size-vertical: 1; }
    ImportScreen #import-preview { height: auto; }
    ImportScreen Checkbox { border: none; padding: 0; background: $surface; }
    """

    def __init__(self, journal: Journal, *, path: str = "") -> None:
        super().__init__()
        self.journal = journal
        self.start_path = path
        self.planned: Planned | None = None

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog import"):
            yield Static(Content("Import contacts from a file"), classes="form-title")
            yield Input(
                self.start_path,
                placeholder="path: ~/Downloads/contacts.vcf (vCard, Google or LinkedIn CSV, netjournal .json)",
                id="import-path",
                compact=True,
                suggester=PathSuggester(),
                select_on_focus=False,
            )
            yield Checkbox(
                "skip damaged entries (import the good ones and list the others)", id="import-skip", compact=True
            )
            yield Static("", id="import-error")
            with VerticalScroll(id="import-scroll", can_focus=False):
                yield Static(
                    Content.styled(
                        "enter shows what the file would add and update; nothing is written before ctrl+s",
                        "$text-muted",
                    ),
                    id="import-preview",
                )
            with Horizontal(classes="confirm-buttons"):
                yield Button("Import (ctrl+s)", variant="primary", id="import-run", compact=True, disabled=True)
                yield Button("Cancel (esc)", id="import-cancel", compact=True)
            yield Static(HINT, classes="form-hint")

    def on_mount(self) -> None:
        self.query_one("#import-path", Input).focus()

    # ------------------------------------------------------------------ reading
    @on(Input.Submitted, "#import-path")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.preview()

    @on(Input.Changed, "#import-path")
    @on(Checkbox.Changed, "#import-skip")
    def _changed(self) -> None:
        self.planned = None
        self.query_one("#import-run", Button).disabled = True
        self.show_error("")

    def preview(self) -> None:
        typed = self.query_one("#import-path", Input).value
        self.show_error("")
        self.query_one("#import-preview", Static).update(
            Content.styled(f"Reading {clean_line(typed.strip())}…", "$text-muted")
        )
        self._read(typed, self.query_one("#import-skip", Checkbox).value)

    @work(thread=True, exclusive=True, group="import")
    def _read(self, typed: str, skip_bad: bool) -> None:
        try:
            planned = read_plan(self.journal, typed, skip_bad=skip_bad)
        except NetjournalError as exc:
            message = str(exc)
        except (OSError, ValueError, UnicodeError) as exc:  # a file no reader expected: still one line
            message = f"cannot read {typed.strip()}: {exc}"
        else:
            if not get_current_worker().is_cancelled:
                self.app.call_from_thread(self._planned, planned)
            return
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._failed, typed, message)

    def _current(self, typed: str) -> bool:
        return self.query_one("#import-path", Input).value == typed

    def _planned(self, planned: Planned) -> None:
        if not self._current(planned.typed):
            return
        self.planned = planned
        self.query_one("#import-preview", Static).update(preview_content(planned))
        button = self.query_one("#import-run", Button)
        button.disabled = not planned.writes
        if planned.writes:
            button.focus()

    def _failed(self, typed: str, message: str) -> None:
        if not self._current(typed):
            return
        self.planned = None
        self.query_one("#import-preview", Static).update("")
        message = message.replace(
            "--skip-bad imports the good entries", 'tick "skip damaged entries" to import the good ones'
        )
        self.show_error(message)

    def show_error(self, message: str) -> None:
        self.query_one("#import-error", Static).update(Content(clean_line(message)) if message else "")

    # ------------------------------------------------------------------ writing
    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "import-run":
            self.action_run()
        else:
            self.dismiss(None)

    def action_run(self) -> None:
        planned = self.planned
        if planned is None:
            self.preview()  # ctrl+s before enter: show the preview first, write nothing yet
            return
        if not planned.writes:
            self.show_error("Nothing to import: the journal already holds all of it")
            return
        self.post_message(Write(ImportFile(planned.kind, planned.plan, report(planned)), origin=self))  # type: ignore[arg-type]

    def on_written(self, message: Written) -> None:
        outcome = message.outcome
        if outcome.ok:
            self.dismiss(outcome.notice)
        else:
            self.show_error(outcome.notice)

    def action_close(self) -> None:
        self.dismiss(None)


def report(planned: Planned) -> str:
    plan = planned.plan
    if planned.kind == "contacts":
        return with_undo(f"Imported {plan.source}: {len(plan.added)} added, {len(plan.updated)} updated")
    return with_undo(f"Merged {plan.source}: {counted(planned.writes, 'record')} added or updated")


def open_import(main: JournalPanes) -> None:
    """Open the dialog; after an import the panes show the new people."""
    journal = main.journal
    assert journal is not None

    def done(message: str | None) -> None:
        if message:  # (the panes heard of the change and show the new people)
            main.notify(message, markup=False)

    main.app.push_screen(ImportScreen(journal), done)
