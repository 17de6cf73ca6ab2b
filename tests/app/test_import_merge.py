"""Pilot tests of the import dialog (i) and the contact merge (m), checked against the journal."""

from __future__ import annotations

from pathlib import Path

from conftest import TODAY, read_journal, ready, settle, type_text
from textual.geometry import Region
from textual.pilot import Pilot
from textual.widget import Widget
from textual.widgets import Button, Input, OptionList, Static

from netjournal.domain.model import Contact, Interaction
from netjournal.store import Journal
from netjournal.tui.app import NetjournalApp
from netjournal.tui.screens.importer import ImportScreen
from netjournal.tui.screens.main import MainScreen
from netjournal.tui.screens.merge import MergeScreen

ANA = "c-demo01"
CARD = (
    "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Zoe Lima\r\nEMAIL:zoe@example.org\r\nORG:Acme\r\nEND:VCARD\r\n"
    "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ana Silva\r\nEMAIL:ana.new@example.org\r\nEND:VCARD\r\n"
)
DAMAGED = (
    "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Zoe Lima\r\nEND:VCARD\r\n"
    "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Yuri Ito\r\nBDAY:not-a-date\r\nEND:VCARD\r\n"
)


def shown(widget: Widget) -> str:
    region = Region(0, 0, widget.size.width, widget.size.height)
    return "\n".join(strip.text.rstrip() for strip in widget.render_lines(region))


def error_line(screen: ImportScreen) -> str:
    """The dialog's error: one line of text (the screen may wrap it to fit)."""
    text = str(screen.query_one("#import-error", Static).content)
    assert "\n" not in text
    return text


def contact_names(path: Path) -> list[str]:
    with read_journal(path) as journal:
        return sorted(c.name for c in journal.contacts(archived=True))


async def open_import(pilot: Pilot[object], path: Path | str) -> ImportScreen:
    await ready(pilot)
    await pilot.press("i")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, ImportScreen)
    await type_text(pilot, str(path))
    await pilot.press("enter")
    await settle(pilot)
    return screen


# ---------------------------------------------------------------- import


async def test_import_previews_then_writes_on_ctrl_s_and_u_undoes(app: NetjournalApp, journal_path: Path, tmp_path: Path) -> None:
    card = tmp_path / "phone.vcf"
    card.write_text(CARD, encoding="utf-8")
    before = contact_names(journal_path)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_import(pilot, card)
        text = shown(screen.query_one("#import-preview"))
        assert "vCard · phone.vcf" in text
        assert "1 added" in text and "1 updated" in text and "0 unchanged" in text and "0 skipped" in text
        assert "+ Zoe Lima" in text and "~ Ana Silva  emails +ana.new@example.org" in text
        assert contact_names(journal_path) == before  # the preview writes nothing
        assert app.focused is screen.query_one("#import-run", Button)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)
        assert "Zoe Lima" in [c.name for c in app.main_screen.contacts.contacts]
        with read_journal(journal_path) as journal:
            assert "ana.new@example.org" in journal.contact(ANA).emails
        assert contact_names(journal_path) == sorted([*before, "Zoe Lima"])
        await pilot.press("u")
        await settle(pilot)
        assert "Zoe Lima" not in [c.name for c in app.main_screen.contacts.contacts]
    assert contact_names(journal_path) == before
    with read_journal(journal_path) as journal:
        assert "ana.new@example.org" not in journal.contact(ANA).emails


async def test_importing_the_same_file_again_changes_nothing(app: NetjournalApp, journal_path: Path, tmp_path: Path) -> None:
    card = tmp_path / "phone.vcf"
    card.write_text(CARD, encoding="utf-8")
    async with app.run_test(size=(120, 40)) as pilot:
        await open_import(pilot, card)
        await pilot.press("enter")  # enter on the focused Import button
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)
        after = contact_names(journal_path)
        screen = await open_import(pilot, card)
        text = shown(screen.query_one("#import-preview"))
        assert "0 added" in text and "2 unchanged" in text and "Nothing to import" in text
        assert screen.query_one("#import-run", Button).disabled
        await pilot.press("escape")
    assert contact_names(journal_path) == after


async def test_a_damaged_card_is_named_in_one_line_and_nothing_is_written(app: NetjournalApp, journal_path: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad.vcf"
    bad.write_text(DAMAGED, encoding="utf-8")
    before = contact_names(journal_path)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_import(pilot, bad)
        error = error_line(screen)
        assert error.startswith("bad.vcf: card 2") and "not a birthday" in error and "nothing was imported" in error
        assert screen.query_one("#import-run", Button).disabled
        await pilot.press("ctrl+s")  # still nothing to write
        await settle(pilot)
        assert isinstance(app.screen, ImportScreen)
        # Ticking "skip damaged entries" imports the good card and lists the bad one.
        screen.query_one("#import-skip").focus()
        await pilot.press("space")
        screen.query_one("#import-path", Input).focus()
        await pilot.press("enter")
        await settle(pilot)
        text = shown(screen.query_one("#import-preview"))
        assert "1 added" in text and "1 skipped" in text and "not a birthday" in text
    assert contact_names(journal_path) == before


async def test_a_missing_file_and_an_unknown_layout_are_one_line_errors(app: NetjournalApp, journal_path: Path, tmp_path: Path) -> None:
    odd = tmp_path / "odd.csv"
    odd.write_text("a,b,c\n1,2,3\n", encoding="utf-8")
    before = contact_names(journal_path)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_import(pilot, tmp_path / "nowhere.vcf")
        assert error_line(screen) == f"no such file: {tmp_path / 'nowhere.vcf'}"
        path_input = screen.query_one("#import-path", Input)
        path_input.value = ""
        path_input.focus()
        await type_text(pilot, str(odd))
        await pilot.press("enter")
        await settle(pilot)
        assert "unknown CSV layout" in error_line(screen)
    assert contact_names(journal_path) == before


async def test_a_netjournal_export_is_merged_by_id(app: NetjournalApp, journal_path: Path, tmp_path: Path) -> None:
    other = tmp_path / "laptop.json"
    with Journal.open(other, today=TODAY) as journal:
        journal.add_contact(Contact(name="Quinn Moss"))
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_import(pilot, other)
        assert "added: 1 contact," in shown(screen.query_one("#import-preview"))
        await pilot.press("ctrl+s")
        await settle(pilot)
    assert "Quinn Moss" in contact_names(journal_path)


async def test_the_palette_opens_the_import_dialog(app: NetjournalApp) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await pilot.press("ctrl+p")
        await settle(pilot)
        await type_text(pilot, "Import contacts from a file")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ImportScreen)


# ---------------------------------------------------------------- merge


async def test_merge_folds_a_duplicate_into_the_selected_contact_and_u_undoes(app: NetjournalApp, journal_path: Path) -> None:
    with Journal.open(journal_path, today=TODAY) as journal:
        dup = journal.add_contact(Contact(name="Silva A.", emails=["ana@old.example"], aliases=["Aninha"]))
        entry = journal.add_interaction(Interaction(date="2026-10-30", contact_ids=[dup.id], kind="call", text="old number"))
        ana_before = journal.interaction_count(ANA)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        assert app.main_screen.selected_id == ANA
        await pilot.press("m")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, MergeScreen)
        await type_text(pilot, "aninha")
        await settle(pilot)
        options = screen.query_one("#merge-list", OptionList)
        assert options.option_count == 1 and options.get_option_at_index(0).id == dup.id
        await pilot.press("enter")
        await settle(pilot)
        text = shown(screen.query_one("#merge-preview"))
        assert "Fold Silva A. into Ana Silva" in text
        assert "1 interaction and 0 favours move to Ana Silva" in text
        assert "ana@old.example" in text and "Silva A. is then deleted" in text
        with read_journal(journal_path) as journal:
            assert journal.contact(dup.id).name == "Silva A."  # the preview writes nothing
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)
        assert app.main_screen.selected_id == ANA
        assert app.main_screen.interactions.row_count == ana_before + 1
        with read_journal(journal_path) as journal:
            assert dup.id not in {c.id for c in journal.contacts(archived=True)}
            assert journal.interaction(entry.id).contact_ids == [ANA]
            ana = journal.contact(ANA)
            assert "ana@old.example" in ana.emails and "Aninha" in ana.aliases and "Silva A." in ana.aliases
        await pilot.press("u")
        await settle(pilot)
    with read_journal(journal_path) as journal:
        assert journal.contact(dup.id).name == "Silva A."
        assert journal.interaction(entry.id).contact_ids == [dup.id]
        assert "ana@old.example" not in journal.contact(ANA).emails


async def test_escape_leaves_the_merge_undone(app: NetjournalApp, journal_path: Path) -> None:
    before = contact_names(journal_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await pilot.press("m")
        await settle(pilot)
        await pilot.press("down", "enter")  # to the list, choose the first other contact
        await settle(pilot)
        assert "is then deleted" in shown(app.screen.query_one("#merge-preview"))
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)
    assert contact_names(journal_path) == before
