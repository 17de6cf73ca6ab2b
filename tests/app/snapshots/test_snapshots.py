"""Snapshot tests (pytest-textual-snapshot) on the demo journal with a fixed today.

Review the SVGs under __snapshots__ before accepting changes with --snapshot-update.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable
from pathlib import Path
from typing import Any

import pytest
from conftest import make_app, ready, settle
from textual.pilot import Pilot
from textual.widgets import Input, TextArea

Snap = Callable[..., bool]


def steps(keys: Iterable[str] = ()) -> Callable[[Pilot[Any]], Awaitable[None]]:
    """Wait for the journal, press ``keys``, settle, and stop cursors blinking (stable images)."""

    async def run(pilot: Pilot[Any]) -> None:
        await ready(pilot)
        for key in keys:
            await pilot.press(key)
            await settle(pilot)
        for widget in pilot.app.screen.query("Input, TextArea"):
            if isinstance(widget, (Input, TextArea)):
                widget.cursor_blink = False
        await pilot.pause(0.3)  # the panes follow a filter after a short pause in the typing
        await settle(pilot)

    return run


def snap(snap_compare: Snap, journal_path: Path, keys: Iterable[str] = (), size: tuple[int, int] = (120, 40)) -> bool:
    app = make_app(journal_path, label="~/.local/share/netjournal/journal.json")
    try:
        return snap_compare(app, terminal_size=size, run_before=steps(keys))
    finally:
        app.close_journal()


def test_main_screen(snap_compare: Snap, journal_path: Path) -> None:
    assert snap(snap_compare, journal_path)


def test_main_screen_small_terminal(snap_compare: Snap, journal_path: Path) -> None:
    assert snap(snap_compare, journal_path, size=(80, 24))


def test_search_results(snap_compare: Snap, journal_path: Path) -> None:
    assert snap(snap_compare, journal_path, ["2", "slash", *"design"])


def test_search_results_small_terminal(snap_compare: Snap, journal_path: Path) -> None:
    assert snap(snap_compare, journal_path, ["2", "slash", *"design"], size=(80, 24))


def test_main_screen_small_terminal_with_the_card(snap_compare: Snap, journal_path: Path) -> None:
    """p: the card beside the contacts, in place of the interactions and the ledger."""
    assert snap(snap_compare, journal_path, ["p"], size=(80, 24))


def test_ledger_everyone_small_terminal(snap_compare: Snap, journal_path: Path) -> None:
    """Who and what: the weight, the date and the balance make room for them."""
    assert snap(snap_compare, journal_path, ["3", "o"], size=(80, 24))


def test_interactions_pane_second_contact(snap_compare: Snap, journal_path: Path) -> None:
    assert snap(snap_compare, journal_path, ["j", "2", "j"])


def test_ledger_everyone(snap_compare: Snap, journal_path: Path) -> None:
    assert snap(snap_compare, journal_path, ["3", "o"])


def test_contact_form(snap_compare: Snap, journal_path: Path) -> None:
    assert snap(snap_compare, journal_path, ["e"])


def test_contact_form_with_errors(snap_compare: Snap, journal_path: Path) -> None:
    assert snap(snap_compare, journal_path, ["c", "tab", "tab", "tab", "tab", "tab", "tab", *"30 Feb 1990", "ctrl+s"])


def test_interaction_form(snap_compare: Snap, journal_path: Path) -> None:
    assert snap(snap_compare, journal_path, ["2", "e"])


def test_favour_form(snap_compare: Snap, journal_path: Path) -> None:
    assert snap(snap_compare, journal_path, ["g"])


def test_delete_confirmation(snap_compare: Snap, journal_path: Path) -> None:
    assert snap(snap_compare, journal_path, ["d"])


def test_help_screen(snap_compare: Snap, journal_path: Path) -> None:
    assert snap(snap_compare, journal_path, ["question_mark"])


@pytest.mark.parametrize("keys", [["slash", *"clim"]], ids=["filter"])
def test_filtered_contacts(snap_compare: Snap, journal_path: Path, keys: list[str]) -> None:
    assert snap(snap_compare, journal_path, keys)


def test_capture_prompt_with_a_preview(snap_compare: Snap, journal_path: Path) -> None:
    assert snap(snap_compare, journal_path, ["a", *"fri: coffee @ana 45m #ux +gave!3 intro to @zoe"])


def test_import_preview(snap_compare: Snap, journal_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "phone.vcf").write_text(
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Zoe Lima\r\nEMAIL:zoe@example.org\r\nEND:VCARD\r\n"
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ana Silva\r\nEMAIL:ana.new@example.org\r\nEND:VCARD\r\n",
        encoding="utf-8",
    )
    monkeypatch.chdir(tmp_path)  # a relative path: the same picture wherever the test runs
    assert snap(snap_compare, journal_path, ["i", *"phone.vcf", "enter"])
