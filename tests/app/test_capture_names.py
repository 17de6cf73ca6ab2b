"""The quick-capture prompt with names in every script: type the line, see the preview name the
person, save, and find the entry recorded with them."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from conftest import TODAY, make_app, read_journal, ready, settle
from test_capture_prompt import preview
from textual import events
from textual.keys import _character_to_key
from textual.pilot import Pilot

from netjournal.domain.model import Contact
from netjournal.domain.text import FSI, PDI
from netjournal.store import Journal
from netjournal.tui.app import NetjournalApp

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "unit"))
from test_names import CORPUS, OTHERS

NAME_OF = {cid: name for cid, name, _, _ in CORPUS}


async def capture(pilot: Pilot[object], line: str) -> None:
    """Open the prompt and type ``line`` as a terminal sends it: one key per character, with
    the character itself (Pilot's ``press`` loses combining marks such as Devanagari's)."""
    await ready(pilot)
    await pilot.press("a")
    await settle(pilot)
    for ch in line:
        key = ch if ch.isalnum() else _character_to_key(ch)
        pilot.app.post_message(events.Key(key, ch))
        await pilot.pause()
    await settle(pilot)


@pytest.fixture
def names_app(journal_path: Path) -> NetjournalApp:
    with Journal.open(journal_path, today=TODAY) as journal:
        journal.put_many([Contact(id=cid, name=name).stamped() for cid, name, _, _ in CORPUS] + [c.stamped() for c in OTHERS])
    return make_app(journal_path, label="journal.json")


@pytest.mark.parametrize("cid, mention", [(cid, first) for cid, _, first, _ in CORPUS])
async def test_a_mention_in_any_script_is_previewed_and_saved(names_app: NetjournalApp, journal_path: Path, cid: str, mention: str) -> None:
    try:
        async with names_app.run_test(size=(120, 40)) as pilot:
            await capture(pilot, f"coffee with {mention} 30m")
            text = preview(names_app).replace(FSI, "").replace(PDI, "")
            assert f"with {NAME_OF[cid]}" in text and "enter saves it" in text, text
            await pilot.press("enter")
            await settle(pilot)
            entry = names_app.main_screen.interactions.current
            assert entry is not None and entry.contact_ids == [cid]
            assert names_app.main_screen.selected_id == cid
    finally:
        names_app.close_journal()
    with read_journal(journal_path) as journal:
        assert journal.interaction(entry.id).minutes == 30


async def test_a_right_to_left_name_is_isolated_in_the_preview(names_app: NetjournalApp) -> None:
    try:
        async with names_app.run_test(size=(120, 40)) as pilot:
            await capture(pilot, "call @יוסי and @zoe")
            assert f"with {FSI}יוסי כהן{PDI}, Zoë Ångström" in preview(names_app)
    finally:
        names_app.close_journal()


async def test_an_unknown_name_in_another_script_is_offered_and_created_with_ctrl_n(names_app: NetjournalApp, journal_path: Path) -> None:
    try:
        async with names_app.run_test(size=(120, 40)) as pilot:
            await capture(pilot, "call @Παύλος")
            text = preview(names_app)
            assert "no contact named 'Παύλος'" in text and "ctrl+n: create Παύλος and save" in text, text
            await pilot.press("ctrl+n")
            await settle(pilot)
            current = names_app.main_screen.contacts.current
            assert current is not None and current.name == "Παύλος"
    finally:
        names_app.close_journal()
    with read_journal(journal_path) as journal:
        assert journal.resolve_contact("παυλος").id == current.id
