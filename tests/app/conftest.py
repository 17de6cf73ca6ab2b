"""Shared helpers for the app's tests: a demo journal with a fixed today, waiting for data."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Input, TextArea

from netjournal.config import Settings
from netjournal.demo import build_demo
from netjournal.store import Journal
from netjournal.tui.app import NetjournalApp, create_app
from netjournal.tui.state import EarlyOpen, JournalSource

TODAY = date(2026, 11, 1)


@pytest.fixture
def journal_path(tmp_path: Path) -> Path:
    path = tmp_path / "journal.json"
    with Journal.open(path, today=TODAY) as journal:
        build_demo(journal, TODAY)
    return path


@pytest.fixture
def app(journal_path: Path) -> Iterator[NetjournalApp]:
    application = make_app(journal_path, label="journal.json")
    yield application
    application.close_journal()


def make_app(
    path: Path, *, today: date = TODAY, label: str | None = None, early: EarlyOpen | None = None
) -> NetjournalApp:
    """The app as the command builds it, on ``path`` with its settings, on a fixed day."""
    settings = Settings.load(JournalSource(path).config_file)
    return create_app(settings, JournalSource(path, label=label, early=early), clock=lambda: today)


async def ready(pilot: Pilot[object]) -> None:
    """Wait until the panes show the journal (the journal opens in a worker)."""
    app = pilot.app
    assert isinstance(app, NetjournalApp)
    for _ in range(500):
        if app.loaded or app.startup_error:
            break
        await pilot.pause(0.01)
    await settle(pilot)


async def settle(pilot: Pilot[object]) -> None:
    """Let workers finish and messages drain (the panes follow the filter after 0.12 s)."""
    await pilot.app.workers.wait_for_complete()
    await pilot.pause(0.15)
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def type_text(pilot: Pilot[object], text: str) -> None:
    await pilot.press(*text)


def read_journal(path: Path) -> Journal:
    """The file as another process would see it (read-only, no lock)."""
    return Journal.open(path, readonly=True, today=TODAY)


async def fill(pilot: Pilot[object], field: str, text: str) -> None:
    """Focus a form field, clear it, and type ``text`` key by key."""
    widget = pilot.app.screen.query_one(f"#f-{field}")
    widget.focus()
    if isinstance(widget, Input):
        widget.value = ""
    elif isinstance(widget, TextArea):
        widget.text = ""
    await pilot.pause()
    await type_text(pilot, text)
    await pilot.pause()


def record_notifications(app: NetjournalApp) -> list[str]:
    """Every notification the app shows from now on, in order."""
    messages: list[str] = []
    notify = app.notify

    def spy(message: str, *args: Any, **kwargs: Any) -> None:
        messages.append(str(message))
        notify(message, *args, **kwargs)

    app.notify = spy  # type: ignore[method-assign]
    return messages
