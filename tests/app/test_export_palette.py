"""Exports from the command palette (issue 16): the JSON backup, Markdown and vCard of the
whole journal to a path you type, made in a worker, written 0600; a bad path is one line in
the dialog and what was typed stays."""

from __future__ import annotations

import json
import threading
from pathlib import Path
from typing import Any

import pytest
from conftest import ready, settle, type_text
from textual.pilot import Pilot
from textual.widgets import Input, Static
from textual.widgets._toast import Toast  # not exported by textual.widgets

from netjournal.errors import NetjournalError
from netjournal.tui.app import NetjournalApp
from netjournal.tui.screens import export
from netjournal.tui.screens.export import ExportScreen


async def open_export(pilot: Pilot[Any], words: str) -> ExportScreen:
    """ctrl+p, type ``words``, enter: the export dialog, its path box emptied."""
    await pilot.press("ctrl+p")
    await settle(pilot)
    await type_text(pilot, words)
    await pilot.pause(0.4)
    await pilot.press("enter")
    for _ in range(500):
        if isinstance(pilot.app.screen, ExportScreen):
            break
        await pilot.pause(0.01)
    await pilot.pause(0.05)
    screen = pilot.app.screen
    assert isinstance(screen, ExportScreen)
    screen.query_one("#export-path", Input).value = ""
    return screen


async def submit(pilot: Pilot[Any], screen: ExportScreen, path: str) -> None:
    """Put ``path`` in the box (as typed) and press enter; wait until the dialog closes or says something."""
    screen.query_one("#export-path", Input).value = path
    await pilot.press("enter")
    for _ in range(1000):
        if pilot.app.screen is not screen or (status(screen) and not status(screen).startswith("Writing")):
            break
        await pilot.pause(0.01)
    await pilot.pause()


def status(screen: ExportScreen) -> str:
    return str(screen.query_one("#export-status", Static).render())


def toasts(app: NetjournalApp) -> str:
    return " ".join(str(t.render()) for t in app.screen.query(Toast))


@pytest.mark.parametrize(
    ("words", "name", "holds"),
    [("export json", "backup.json", '"format": "netjournal"'), ("export markdown", "journal.md", "# "),
     ("export vcard", "people.vcf", "BEGIN:VCARD")],
    ids=["json", "md", "vcf"],
)
async def test_the_palette_exports_to_a_typed_path(
    app: NetjournalApp, tmp_path: Path, words: str, name: str, holds: str
) -> None:
    target = tmp_path / name
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await ready(pilot)
        screen = await open_export(pilot, words)
        await submit(pilot, screen, str(target))
        assert not isinstance(app.screen, ExportScreen)  # done: the dialog closed...
        assert f"to {target}" in " ".join(toasts(app).split())  # ...and said where the file went
    text = target.read_text(encoding="utf-8")
    assert holds in text and "Ana Silva" in text
    assert target.stat().st_mode & 0o777 == 0o600
    if name.endswith(".json"):
        assert len(json.loads(text)["contacts"]) == 12  # the whole journal


@pytest.mark.parametrize(
    ("typed", "says"),
    [("{tmp}/no/such/folder/x.json", "there is no folder"), ("{tmp}", "is a folder"), ("   ", "type the path")],
    ids=["no-folder", "a-folder", "empty"],
)
async def test_a_bad_path_is_one_line_and_keeps_what_was_typed(
    app: NetjournalApp, tmp_path: Path, typed: str, says: str
) -> None:
    typed = typed.format(tmp=tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        screen = await open_export(pilot, "export json")
        await submit(pilot, screen, typed)
        assert app.screen is screen and says in status(screen) and "\n" not in status(screen)
        assert screen.query_one("#export-path", Input).value == typed
    assert not (tmp_path / "no").exists()  # nothing made on the way


async def test_a_write_that_fails_in_the_worker_is_one_line(
    app: NetjournalApp, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(data: bytes, target: Path) -> Path:
        raise NetjournalError(f"cannot write {target}: No space left on device")

    monkeypatch.setattr(export, "write_private", refuse)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        screen = await open_export(pilot, "export json")
        await submit(pilot, screen, str(tmp_path / "full.json"))
        assert app.screen is screen and "No space left on device" in status(screen)
        assert screen.query_one("#export-path", Input).value == str(tmp_path / "full.json")


async def test_the_export_runs_in_a_worker(app: NetjournalApp, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """While the file is being made the app goes on answering keys (here: typing in the box)."""
    started, release = threading.Event(), threading.Event()
    real = export.export_bytes

    def slow(*args: Any) -> bytes:
        started.set()
        release.wait(10)
        return real(*args)

    monkeypatch.setattr(export, "export_bytes", slow)
    target = tmp_path / "slow.json"
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        screen = await open_export(pilot, "export json")
        screen.query_one("#export-path", Input).value = str(target)
        await pilot.press("enter")
        assert started.wait(10)
        await pilot.press("end", "x")  # handled while the worker waits
        assert screen.query_one("#export-path", Input).value == f"{target}x"
        assert "Writing" in status(screen)
        release.set()
        for _ in range(500):  # the worker finishes: the dialog closes
            if not isinstance(app.screen, ExportScreen):
                break
            await pilot.pause(0.01)
        assert not isinstance(app.screen, ExportScreen)
    assert target.exists()
