"""One undo stack for every change made in the app: u walks back through a chain of every kind
of change, saying what it undid, and U / ctrl+r walks forward again; each step is checked
against the journal. A step whose record changed since is refused, naming the record."""

from __future__ import annotations

import dataclasses
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from conftest import TODAY, fill, read_journal, ready, record_notifications, settle, type_text
from textual.pilot import Pilot

from netjournal.tui.app import NetjournalApp
from netjournal.tui.confirm import ConfirmScreen
from netjournal.tui.screens.editors import ContactForm, FavourForm, InteractionForm
from netjournal.tui.screens.help import HelpScreen
from netjournal.tui.screens.importer import ImportScreen
from netjournal.tui.screens.main import MainScreen
from netjournal.tui.screens.merge import MergeScreen
from netjournal.tui.screens.today import TodayScreen
from netjournal.tui.widgets.rows import RowList

ANA, FARID = "c-demo01", "c-demo06"
DAY = TODAY.isoformat()
CARD = "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Yuri Ito\r\nEMAIL:yuri@example.org\r\nEND:VCARD\r\n"


def records(app: NetjournalApp) -> dict[str, list[dict[str, Any]]]:
    assert app.journal is not None
    return app.journal.all_records()


async def keys(pilot: Pilot[object], *pressed: str) -> None:
    await pilot.press(*pressed)
    await settle(pilot)


async def form(pilot: Pilot[object], opening: str, kind: type, **fields: str) -> None:
    """Open a form with the keys ``opening`` (space-separated), type the fields, save."""
    await keys(pilot, *opening.split())
    assert isinstance(pilot.app.screen, kind)
    for name, text in fields.items():
        await fill(pilot, name, text)
    await keys(pilot, "ctrl+s")
    assert isinstance(pilot.app.screen, MainScreen)


def select(app: NetjournalApp, name: str) -> None:
    main = app.main_screen
    main.jump_to(next(c.id for c in main.people.contacts if c.name == name))


async def merge_yuri_into_zoe(pilot: Pilot[object]) -> None:
    select(pilot.app, "Zoe Lima")  # type: ignore[arg-type]
    await keys(pilot, "m")
    assert isinstance(pilot.app.screen, MergeScreen)
    await type_text(pilot, "yuri")
    await keys(pilot, "enter")
    await keys(pilot, "ctrl+s")


async def to_farid(pilot: Pilot[object]) -> RowList:
    """Open Today and put the cursor on Farid's row among the overdue people."""
    await keys(pilot, "t")
    assert isinstance(pilot.app.screen, TodayScreen)
    view = pilot.app.screen.query_one(RowList)
    for _ in range(len(view.rows)):
        if view.current is not None and view.current.contact_id == FARID and view.current.section == "overdue":
            break
        await pilot.press("j")
    return view


async def snooze_farid(pilot: Pilot[object]) -> None:
    await to_farid(pilot)
    await keys(pilot, "z")
    await keys(pilot, "escape")


async def test_u_walks_back_through_every_kind_of_change_and_redo_walks_forward(app: NetjournalApp, journal_path: Path, tmp_path: Path) -> None:
    card = tmp_path / "phone.vcf"
    card.write_text(CARD, encoding="utf-8")

    async def capture(pilot: Pilot[object]) -> None:
        await keys(pilot, "a")
        await type_text(pilot, "call @ana +got advice on pricing")
        await keys(pilot, "enter")

    async def import_card(pilot: Pilot[object]) -> None:
        await keys(pilot, "i")
        assert isinstance(pilot.app.screen, ImportScreen)
        await type_text(pilot, str(card))
        await keys(pilot, "enter")
        await keys(pilot, "ctrl+s")

    async def delete_favour(pilot: Pilot[object]) -> None:
        await keys(pilot, "3", "d")
        assert isinstance(pilot.app.screen, ConfirmScreen)
        await keys(pilot, "y")

    async def archive_zoe(pilot: Pilot[object]) -> None:
        select(pilot.app, "Zoe Lima")  # type: ignore[arg-type]
        await keys(pilot, "A")

    # (what to do, what the step is called, what the notification after it says)
    chain: list[tuple[Callable[[Pilot[object]], Awaitable[None]], str, str]] = [
        (lambda p: form(p, "c", ContactForm, name="Zoe Lima"), "new contact Zoe Lima", "Saved Zoe Lima — u to undo"),
        (lambda p: form(p, "1 e", ContactForm, role="Editor"), "edit of Zoe Lima", "Saved Zoe Lima — u to undo"),
        (lambda p: form(p, "n", InteractionForm, text="First call"), f"new meal with Zoe Lima on {DAY}", f"Saved the meal of {DAY} — u to undo"),
        (lambda p: form(p, "2 e", InteractionForm, text="Long call"), f"edit of the meal with Zoe Lima on {DAY}", f"Saved the meal of {DAY} — u to undo"),
        (lambda p: form(p, "g", FavourForm, text="an intro"), f"new favour given to Zoe Lima on {DAY}", f"Saved the favour given on {DAY} — u to undo"),
        (lambda p: form(p, "3 e", FavourForm, text="two intros"), f"edit of the favour given to Zoe Lima on {DAY}", f"Saved the favour given on {DAY} — u to undo"),
        (delete_favour, f"deletion of the favour given to Zoe Lima on {DAY}", f"Deleted the favour given on {DAY} — u to undo"),
        (capture, f"capture of the call with Ana Silva on {DAY}", "Saved the call with Ana Silva and 1 favour — u to undo"),
        (import_card, "import of phone.vcf", "Imported phone.vcf: 1 added, 0 updated — u to undo"),
        (merge_yuri_into_zoe, "merge of Yuri Ito into Zoe Lima", "Merged Yuri Ito into Zoe Lima: 0 records moved — u to undo"),
        (snooze_farid, "snooze of Farid Haddad", "Snoozed Farid Haddad until 2026-11-15 — u to undo"),
        (archive_zoe, "archiving of Zoe Lima", "Archived Zoe Lima (hidden from the lists) — u to undo"),
    ]
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        messages = record_notifications(app)
        states = [records(app)]
        for do, label, said in chain:
            await do(pilot)
            assert isinstance(app.screen, MainScreen), label
            assert messages[-1] == said
            assert app.journal is not None and app.journal.undo_label() == label
            states.append(records(app))
            assert states[-1] != states[-2], label
        app.main_screen.contacts.focus()

        for step in range(len(chain) - 1, -1, -1):
            await keys(pilot, "u")
            assert messages[-1] == f"Undid: {chain[step][1]} — U to redo"
            assert records(app) == states[step], chain[step][1]
        await keys(pilot, "u")
        assert messages[-1] == "Nothing to undo"
        assert records(app) == states[0]

        for step in range(len(chain)):
            await keys(pilot, "U" if step % 2 else "ctrl+r")
            assert messages[-1] == f"Redid: {chain[step][1]} — u to undo"
            assert records(app) == states[step + 1], chain[step][1]
        await keys(pilot, "U")
        assert messages[-1] == "Nothing to redo"
        await keys(pilot, "u")
        assert messages[-1] == f"Undid: {chain[-1][1]} — U to redo"
        assert "Zoe Lima" in [c.name for c in app.main_screen.people.contacts]  # the archive is undone on screen too
    with read_journal(journal_path) as journal:  # every undo and redo was saved
        assert journal.all_records() == states[-2]


async def test_a_new_change_after_an_undo_clears_redo(app: NetjournalApp) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        messages = record_notifications(app)
        await form(pilot, "e", ContactForm, role="Head of design")
        await keys(pilot, "u")
        assert messages[-1] == "Undid: edit of Ana Silva — U to redo"
        await form(pilot, "e", ContactForm, org="Lumen")
        await keys(pilot, "U")
        assert messages[-1] == "Nothing to redo"
        assert app.journal is not None and app.journal.contact(ANA).role != "Head of design"


async def test_a_later_change_blocks_undoing_an_earlier_step_and_says_so(app: NetjournalApp, journal_path: Path) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        messages = record_notifications(app)
        await form(pilot, "e", ContactForm, role="Head of design")
        journal = app.journal
        assert journal is not None
        # A change that is not on the stack (anything else writing the journal): it overtakes the edit.
        journal.apply([dataclasses.replace(journal.contact(ANA), role="Founder").stamped()])
        await keys(pilot, "u")
        assert messages[-1] == (
            "Not undone: edit of Ana Silva (Ana Silva was changed since; left as it is) — u goes on to the change before"
        )
        assert journal.contact(ANA).role == "Founder"
        await keys(pilot, "u")
        assert messages[-1] == "Nothing to undo"
    with read_journal(journal_path) as again:
        assert again.contact(ANA).role == "Founder"


async def test_help_names_undo_and_redo_keys(app: NetjournalApp) -> None:
    async with app.run_test(size=(120, 60)) as pilot:
        await ready(pilot)
        await keys(pilot, "question_mark")
        assert isinstance(app.screen, HelpScreen)
        text = "\n".join(str(row) for row in _help_rows(app.screen))
        assert "u  Undo the newest change" in text
        assert "U / ^r  Redo: put back what u undid" in text
        assert "A  Archive the selected contact" in text


def _help_rows(screen: HelpScreen) -> list[str]:
    table = screen.table()
    keys_col, text_col = table.columns
    return [f"{k}  {t}" for k, t in zip(keys_col.cells, text_col.cells, strict=True)]


async def test_today_undoes_and_redoes_a_snooze(app: NetjournalApp) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        messages = record_notifications(app)
        view = await to_farid(pilot)
        await keys(pilot, "z")
        assert messages[-1] == "Snoozed Farid Haddad until 2026-11-15 — u to undo"
        assert app.journal is not None
        await keys(pilot, "u")
        assert isinstance(app.screen, TodayScreen)
        assert messages[-1] == "Undid: snooze of Farid Haddad — U to redo"
        assert app.journal.contact(FARID).snoozed_until == ""
        await keys(pilot, "ctrl+r")
        assert messages[-1] == "Redid: snooze of Farid Haddad — u to undo"
        assert app.journal.contact(FARID).snoozed_until == "2026-11-15"
        assert FARID not in [r.contact_id for r in view.rows if r.section == "overdue"]
