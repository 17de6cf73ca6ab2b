"""Pilot tests: every binding and every form, checked against the journal's contents."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import TODAY, fill, make_app, read_journal, ready, settle, type_text
from textual.geometry import Region
from textual.widget import Widget
from textual.widgets import Input, Select

from netjournal.config import Settings
from netjournal.domain.model import Contact
from netjournal.paths import config_path
from netjournal.store import Journal
from netjournal.tui.app import NetjournalApp
from netjournal.tui.confirm import ConfirmScreen
from netjournal.tui.screens.editors import ContactForm, FavourForm, InteractionForm
from netjournal.tui.screens.form import FormScreen
from netjournal.tui.screens.help import HelpScreen
from netjournal.tui.screens.main import MainScreen
from netjournal.tui.state import JournalSource
from netjournal.tui.titles import LONG_TITLES

ANA = "c-demo01"
BRUNO = "c-demo02"


def main(app: NetjournalApp) -> MainScreen:
    return app.main_screen


def names(app: NetjournalApp) -> list[str]:
    return [c.name for c in main(app).contacts.contacts]


def shown(widget: Widget) -> str:
    """The text a widget draws on screen."""
    region = Region(0, 0, widget.size.width, widget.size.height)
    return "\n".join(strip.text for strip in widget.render_lines(region))


def error_of(app: NetjournalApp, field: str) -> str:
    return shown(app.screen.query_one(f"#e-{field}"))


# ---------------------------------------------------------------- the main screen


async def test_main_screen_shows_the_journal(app: NetjournalApp, journal_path: Path) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        screen = main(app)
        assert names(app)[:3] == ["Ana Silva", "Bruno Costa", "Carla Mendes"]
        assert len(names(app)) == 12
        assert screen.selected_id == ANA
        with read_journal(journal_path) as journal:
            assert screen.interactions.row_count == journal.interaction_count(ANA) > 0
            newest = journal.interaction_at(0, ANA)
        assert screen.interactions.current == newest
        assert "interdependent" in shown(screen.query_one("#ledger-summary"))
        # Rows carry name, circle and days since the last interaction.
        row = screen.contacts.render_row(0, 40).plain
        assert "Ana Silva" in row and "inner" in row and "3d" in row


async def test_j_k_and_arrows_move_and_update_the_other_panes(app: NetjournalApp, journal_path: Path) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await pilot.press("j")
        await settle(pilot)
        screen = main(app)
        assert screen.selected_id == BRUNO
        with read_journal(journal_path) as journal:
            assert screen.interactions.row_count == journal.interaction_count(BRUNO)
            assert len(screen.favours.ledger.rows) == len(journal.favours(BRUNO))
        await pilot.press("down", "down", "k", "up")
        await settle(pilot)
        assert screen.selected_id == BRUNO
        await pilot.press("end")
        await settle(pilot)
        assert screen.contacts.current is not None and screen.contacts.current.name == "Luca Romano"


async def test_panes_by_number_and_tab(app: NetjournalApp) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        screen = main(app)
        assert app.focused is screen.contacts
        await pilot.press("2")
        assert app.focused is screen.interactions
        await pilot.press("3")
        assert app.focused is screen.favours
        await pilot.press("1")
        assert app.focused is screen.contacts
        await pilot.press("tab")
        assert app.focused is screen.interactions
        await pilot.press("tab", "tab")
        assert app.focused is screen.contacts
        await pilot.press("shift+tab")
        assert app.focused is screen.favours


async def test_moving_in_the_interactions_pane_shows_the_entry(app: NetjournalApp, journal_path: Path) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await pilot.press("2", "j")
        await settle(pilot)
        with read_journal(journal_path) as journal:
            second = journal.interaction_at(1, ANA)
        assert main(app).interactions.current == second
        text = shown(app.screen.query_one("#entry"))
        assert second.date in text and second.kind in text and "follow up on the book" in text


async def test_filter_is_accent_and_case_insensitive_and_escape_clears(app: NetjournalApp) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await pilot.press("slash")
        assert isinstance(app.focused, Input)
        await type_text(pilot, "EVA")
        await settle(pilot)
        assert names(app) == ["Éva Nagy"]
        assert main(app).selected_id == "c-demo05"
        await pilot.press("backspace", "backspace", "backspace")
        await type_text(pilot, "python")  # a tag
        await settle(pilot)
        assert names(app) == ["Bruno Costa", "Carla Mendes"]
        await pilot.press("escape")
        await settle(pilot)
        assert len(names(app)) == 12
        assert app.focused is main(app).contacts


async def test_filter_by_organisation_then_enter_goes_to_the_list(app: NetjournalApp) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await pilot.press("slash")
        await type_text(pilot, "northwind")
        await pilot.press("enter")
        await settle(pilot)
        assert names(app) == ["Carla Mendes"]
        assert app.focused is main(app).contacts


async def test_filter_on_a_long_list_keeps_scrolling_and_the_scrollbar_right(tmp_path: Path) -> None:
    """The list changes length without a relayout while its scrollbar stays: the end key must
    still reach the last match, and the scrollbar must go when the matches fit."""
    path = tmp_path / "journal.json"
    with Journal.open(path, today=TODAY) as journal:
        for n in range(80):
            journal.add_contact(Contact(name=f"{'Ana' if n % 2 else 'Bo'} Person {n:02d}"))
    application = make_app(path, label="journal.json")
    try:
        async with application.run_test(size=(100, 30)) as pilot:
            await ready(pilot)
            contacts = main(application).contacts
            assert contacts.show_vertical_scrollbar
            await pilot.press("slash", "e", "backspace")  # the filter's first change lays it out, once
            await settle(pilot)
            await type_text(pilot, "ana")
            await pilot.pause()  # before the other panes follow (their layout would set the scrollbar too)
            assert len(names(application)) == 40
            assert contacts.show_vertical_scrollbar and contacts.vertical_scrollbar.window_virtual_size == 40
            await settle(pilot)
            await pilot.press("down", "end")
            await settle(pilot)
            assert contacts.current is not None and contacts.current.name == "Ana Person 79"
            assert "Ana Person 79" in shown(contacts) and "Bo Person" not in shown(contacts)
            await pilot.press("slash")
            await type_text(pilot, "ana person 7")  # focus selects the old text: typing replaces it
            await settle(pilot)
            assert names(application) == [f"Ana Person 7{d}" for d in (1, 3, 5, 7, 9)]
            assert not contacts.show_vertical_scrollbar
            assert "Ana Person 71" in shown(contacts)
    finally:
        application.close_journal()


async def test_sort_toggle_puts_the_longest_unseen_first(app: NetjournalApp) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await pilot.press("s")
        await settle(pilot)
        order = names(app)
        seen = main(app).people.last_seen
        ids = [c.id for c in main(app).contacts.contacts]
        assert [seen[i] for i in ids] == sorted(seen[i] for i in ids)
        assert order[0] != "Ana Silva"
        assert "longest" in str(app.screen.query_one("#contacts-pane").border_subtitle)
        await pilot.press("s")
        await settle(pilot)
        assert names(app)[0] == "Ana Silva"


async def test_everyone_toggle_shows_all_interactions_and_the_whole_ledger(app: NetjournalApp, journal_path: Path) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await pilot.press("o")
        await settle(pilot)
        with read_journal(journal_path) as journal:
            assert main(app).interactions.row_count == journal.interaction_count()
            assert len(main(app).favours.ledger.rows) == len(journal.favours())
        await pilot.press("o")
        await settle(pilot)
        with read_journal(journal_path) as journal:
            assert main(app).interactions.row_count == journal.interaction_count(ANA)


async def test_enter_on_a_contact_goes_to_their_interactions_and_enter_there_edits(app: NetjournalApp) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await pilot.press("enter")
        assert app.focused is main(app).interactions
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, InteractionForm)
        assert app.screen.entry.id == main(app).interactions.current.id  # type: ignore[union-attr]


# ---------------------------------------------------------------- contacts


async def test_create_a_contact(app: NetjournalApp, journal_path: Path) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await pilot.press("c")
        await settle(pilot)
        assert isinstance(app.screen, ContactForm)
        await type_text(pilot, "Zoë Quinn")
        await fill(pilot, "org", "Acme")
        await fill(pilot, "tags", "#rust, chess")
        await fill(pilot, "cadence", "2w")
        await fill(pilot, "birthday", "15 April")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)
        assert main(app).contacts.current is not None and main(app).contacts.current.name == "Zoë Quinn"
    with read_journal(journal_path) as journal:
        zoe = journal.resolve_contact("zoe quinn")
        assert (zoe.org, zoe.tags, zoe.cadence_days, zoe.birthday) == ("Acme", ["rust", "chess"], 14, "--04-15")


async def test_tab_moves_between_form_fields(app: NetjournalApp) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await pilot.press("c")
        await settle(pilot)
        assert app.focused is app.screen.query_one("#f-name")
        await pilot.press("tab")
        assert app.focused is app.screen.query_one("#f-aliases")
        await pilot.press("shift+tab")
        assert app.focused is app.screen.query_one("#f-name")


async def test_the_label_of_the_field_being_typed_in_is_the_highlighted_one(app: NetjournalApp) -> None:
    """The label beside the cursor stands out, and only that one, as tab moves (it used to
    stay on the first field); the favour form starts at What and highlights that label."""

    def highlighted() -> list[str]:
        return [str(label.render()) for label in app.screen.query(".field-label") if label.styles.text_style.bold]

    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await pilot.press("c")
        await settle(pilot)
        assert highlighted() == ["Name"]
        await pilot.press("tab", "tab")
        await pilot.pause()
        assert app.focused is app.screen.query_one("#f-org")
        assert highlighted() == ["Organisation"]
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("g")
        await settle(pilot)
        assert isinstance(app.screen, FavourForm)
        assert highlighted() == ["What"]


async def test_a_problem_shown_beside_a_field_goes_when_that_field_is_changed(app: NetjournalApp) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await pilot.press("c")
        await settle(pilot)
        await fill(pilot, "birthday", "30 Feb 1990")
        await pilot.press("ctrl+s")
        await settle(pilot)
        form = app.screen
        birthday, name = form.query_one("#field-birthday"), form.query_one("#field-name")
        assert birthday.has_class("-invalid") and name.has_class("-invalid")
        await fill(pilot, "birthday", "3 Feb 1990")
        await pilot.pause()
        assert not birthday.has_class("-invalid")  # its stale message is hidden
        assert name.has_class("-invalid")  # the other problem stays until it is fixed
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ContactForm) and "required" in error_of(app, "name")


async def test_contact_validation_keeps_the_text_and_saves_nothing(app: NetjournalApp, journal_path: Path) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await pilot.press("c")
        await settle(pilot)
        await fill(pilot, "org", "Typed organisation")
        await fill(pilot, "birthday", "1990-02-30")
        await fill(pilot, "emails", "not-an-email")
        await pilot.press("ctrl+s")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, ContactForm)
        assert "required" in error_of(app, "name")
        assert "no such" in error_of(app, "birthday")
        assert "email" in error_of(app, "emails")
        assert form.value("org") == "Typed organisation" and form.value("birthday") == "1990-02-30"
        assert app.focused is form.query_one("#f-name")
        # Fixing the fields lets it save; the errors go away.
        await type_text(pilot, "Fixed Person")
        await fill(pilot, "birthday", "1990-02-28")
        await fill(pilot, "emails", "fixed@example.org")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)
    with read_journal(journal_path) as journal:
        assert len(journal.contacts()) == 13
        assert journal.resolve_contact("Fixed Person").org == "Typed organisation"


async def test_edit_a_contact(app: NetjournalApp, journal_path: Path) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await pilot.press("e")
        await settle(pilot)
        assert isinstance(app.screen, ContactForm)
        assert app.screen.value("name") == "Ana Silva"
        await fill(pilot, "role", "Head of design")
        app.screen.query_one("#f-circle", Select).value = "close"
        await pilot.press("ctrl+s")
        await settle(pilot)
    with read_journal(journal_path) as journal:
        ana = journal.contact(ANA)
        assert (ana.role, ana.circle, ana.org) == ("Head of design", "close", "Lumen Labs")


async def test_delete_a_contact_asks_first_then_undo_restores_everything(app: NetjournalApp, journal_path: Path) -> None:
    with read_journal(journal_path) as journal:
        before = journal.all_records()
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await pilot.press("d")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")
        await settle(pilot)
        assert "Ana Silva" in names(app)
        await pilot.press("d")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        assert "Ana Silva" not in names(app)
        with read_journal(journal_path) as journal:
            assert all(c.id != ANA for c in journal.contacts())
            assert journal.favours(ANA) == []
            assert journal.interaction_count(ANA) == 0
        await pilot.press("u")
        await settle(pilot)
        assert "Ana Silva" in names(app)
    with read_journal(journal_path) as journal:
        after = journal.all_records()
    key = lambda d: d["id"]  # noqa: E731
    for table in before:
        assert sorted(before[table], key=key) == sorted(after[table], key=key)


async def test_undo_with_nothing_to_undo_changes_nothing(app: NetjournalApp, journal_path: Path) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await pilot.press("u")
        await settle(pilot)
        assert len(names(app)) == 12


# ---------------------------------------------------------------- interactions


async def test_new_interaction_has_the_selected_contact_and_accepts_natural_dates(app: NetjournalApp, journal_path: Path) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await pilot.press("j", "n")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, InteractionForm)
        assert form.value("people") == "Bruno Costa"
        await fill(pilot, "date", "yesterday")
        await fill(pilot, "minutes", "1h30")
        await fill(pilot, "tags", "python data")
        await fill(pilot, "follow_up", "5 Nov")
        await fill(pilot, "text", "Long lunch.")
        await pilot.press("enter")
        await type_text(pilot, "- [bold]literal[/] *markdown*")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)
        current = main(app).interactions.current
        assert current is not None and current.text.startswith("Long lunch.")
    with read_journal(journal_path) as journal:
        entry = journal.interaction_at(0, BRUNO)
        assert entry.date == "2026-10-31"
        assert (entry.minutes, entry.tags, entry.follow_up, entry.kind) == (90, ["python", "data"], "2026-11-05", "meal")
        assert entry.text == "Long lunch.\n- [bold]literal[/] *markdown*"
        assert entry.contact_ids == [BRUNO]


async def test_a_date_without_a_year_is_past_for_what_happened_and_ahead_for_a_follow_up(
    app: NetjournalApp, journal_path: Path
) -> None:
    """As in a capture line: "1 Dec" for what happened means last December (not a month
    ahead, which showed "seen -30 days ago"); a follow-up on "friday" is the next Friday."""
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await pilot.press("j", "n")
        await settle(pilot)
        await fill(pilot, "date", "1 Dec")
        await fill(pilot, "follow_up", "friday")  # TODAY is a Sunday
        await fill(pilot, "text", "Planning.")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)
        await pilot.press("g")
        await settle(pilot)
        await fill(pilot, "date", "2 Dec")
        await fill(pilot, "text", "A book.")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)
    with read_journal(journal_path) as journal:
        entry = next(i for i in journal.interactions(BRUNO) if i.text == "Planning.")
        assert (entry.date, entry.follow_up) == ("2025-12-01", "2026-11-06")
        assert [f.date for f in journal.favours(BRUNO) if f.text == "A book."] == ["2025-12-02"]


async def test_people_are_completed_by_name(app: NetjournalApp, journal_path: Path) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await pilot.press("n")
        await settle(pilot)
        field = app.screen.query_one("#f-people", Input)
        field.focus()
        field.cursor_position = len(field.value)
        await type_text(pilot, ", eva")
        await settle(pilot)
        await pilot.press("right")
        assert field.value == "Ana Silva, Éva Nagy"
        await pilot.press("ctrl+s")
        await settle(pilot)
    with read_journal(journal_path) as journal:
        assert journal.interaction_at(0, "c-demo05").contact_ids == [ANA, "c-demo05"]


async def test_interaction_validation_shows_each_problem_and_saves_nothing(app: NetjournalApp, journal_path: Path) -> None:
    with read_journal(journal_path) as journal:
        count = journal.interaction_count()
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await pilot.press("n")
        await settle(pilot)
        await fill(pilot, "date", "2019-02-29")
        await fill(pilot, "people", "Ana Silva, Nobody Known")
        await fill(pilot, "minutes", "forever")
        await fill(pilot, "text", "Typed notes stay.")
        await pilot.press("ctrl+s")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, InteractionForm)
        assert "no such date" in error_of(app, "date")
        assert "Nobody Known" in error_of(app, "people")
        assert "duration" in error_of(app, "minutes")
        assert form.value("text") == "Typed notes stay." and form.value("date") == "2019-02-29"
        await pilot.press("ctrl+s")  # still refused
        await settle(pilot)
        assert isinstance(app.screen, InteractionForm)
    with read_journal(journal_path) as journal:
        assert journal.interaction_count() == count


async def test_edit_and_delete_an_interaction_then_undo(app: NetjournalApp, journal_path: Path) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await pilot.press("2", "e")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, InteractionForm)
        entry_id = form.entry.id
        await fill(pilot, "text", "Rewritten")
        await pilot.press("ctrl+s")
        await settle(pilot)
        with read_journal(journal_path) as journal:
            assert journal.interaction(entry_id).text == "Rewritten"
        await pilot.press("d")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")
        await settle(pilot)
        with read_journal(journal_path) as journal:
            assert entry_id not in journal.interaction_ids()
        await pilot.press("u")
        await settle(pilot)
    with read_journal(journal_path) as journal:
        assert journal.interaction(entry_id).text == "Rewritten"


# ---------------------------------------------------------------- favours


@pytest.mark.parametrize("key,direction", [("g", "given"), ("r", "received")])
async def test_record_a_favour(app: NetjournalApp, journal_path: Path, key: str, direction: str) -> None:
    with read_journal(journal_path) as journal:
        before = len(journal.favours(ANA))
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await pilot.press(key)
        await settle(pilot)
        form = app.screen
        assert isinstance(form, FavourForm)
        assert form.value("person") == "Ana Silva" and form.value("direction") == direction
        assert app.focused is form.query_one("#f-text")  # the key chose the direction: start at What
        form.query_one("#f-weight", Select).value = "5"
        await fill(pilot, "date", "2026-10-20")
        await fill(pilot, "text", "Intro to a climbing gym")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)
        row = main(app).favours.current
        assert row is not None and row.favour.text == "Intro to a climbing gym"
    with read_journal(journal_path) as journal:
        favours = journal.favours(ANA)
        assert len(favours) == before + 1
        new = next(f for f in favours if f.text == "Intro to a climbing gym")
        assert (new.direction, new.weight, new.date) == (direction, 5, "2026-10-20")


async def test_favour_needs_a_known_person(app: NetjournalApp, journal_path: Path) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await pilot.press("g")
        await settle(pilot)
        await fill(pilot, "person", "Someone Else")
        await fill(pilot, "date", "someday")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, FavourForm)
        assert "Someone Else" in error_of(app, "person")
        assert "not a date" in error_of(app, "date")
        assert "say what it was" in error_of(app, "text")
    with read_journal(journal_path) as journal:
        assert len(journal.favours()) == 14


async def test_edit_and_delete_a_favour_from_the_ledger(app: NetjournalApp, journal_path: Path) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await pilot.press("3")
        row = main(app).favours.current
        assert row is not None
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, FavourForm)
        await fill(pilot, "text", "Edited favour")
        await pilot.press("ctrl+s")
        await settle(pilot)
        with read_journal(journal_path) as journal:
            assert journal.favour(row.favour.id).text == "Edited favour"
        await pilot.press("d", "y")
        await settle(pilot)
        with read_journal(journal_path) as journal:
            assert all(f.id != row.favour.id for f in journal.favours())
        await pilot.press("u")
        await settle(pilot)
    with read_journal(journal_path) as journal:
        assert journal.favour(row.favour.id).text == "Edited favour"


# ---------------------------------------------------------------- cancel, help, palette, theme


async def test_escape_on_an_untouched_form_closes_it_at_once(app: NetjournalApp) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await pilot.press("n")
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)


async def test_escape_after_typing_asks_before_discarding(app: NetjournalApp, journal_path: Path) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await pilot.press("c")
        await settle(pilot)
        await type_text(pilot, "Half typed")
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")  # keep editing
        await settle(pilot)
        assert isinstance(app.screen, ContactForm) and app.screen.value("name") == "Half typed"
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)
    with read_journal(journal_path) as journal:
        assert len(journal.contacts()) == 12


async def test_help_lists_every_binding(app: NetjournalApp) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await pilot.press("question_mark")
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)
        table = app.screen.table()
        text = "\n".join(str(cell) for column in table.columns for cell in column.cells)
        for binding in MainScreen.BINDINGS:
            assert binding.id is not None and LONG_TITLES.get(binding.id, binding.description) in text  # type: ignore[union-attr]
        for needle in ("Command palette", "Quit", "Clear filter", "Save", "Next / previous field", "Yes", "Open"):
            assert needle in text
        assert app.get_key_display(FormScreen.BINDINGS[0]) in text  # ctrl+s
        await pilot.press("escape")
        assert isinstance(app.screen, MainScreen)


def test_every_binding_has_an_id() -> None:
    from netjournal.tui.widgets.line_list import LineList
    from netjournal.tui.widgets.lists import InteractionList
    from netjournal.tui.widgets.panes import FilterInput
    from netjournal.tui.widgets.search import SearchInput

    for cls in (NetjournalApp, MainScreen, LineList, FilterInput, FormScreen, ConfirmScreen, HelpScreen,
                InteractionList, SearchInput):
        for binding in cls.BINDINGS:
            assert getattr(binding, "id", None), f"{cls.__name__}: {binding}"


async def test_command_palette_jumps_to_a_contact(app: NetjournalApp) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await pilot.press("slash")
        await type_text(pilot, "ana")  # a filter that hides Luca
        await pilot.press("ctrl+p")
        await settle(pilot)
        await type_text(pilot, "jump luca")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await settle(pilot)
        assert main(app).selected_id == "c-demo12"
        assert len(names(app)) == 12


async def test_command_palette_runs_actions(app: NetjournalApp) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await pilot.press("ctrl+p")
        await settle(pilot)
        await type_text(pilot, "new contact")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ContactForm)


async def test_theme_is_remembered_beside_the_journal(app: NetjournalApp, journal_path: Path) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        app.theme = "nord"
        await settle(pilot)
    assert Settings.load(config_path(journal_path)).theme == "nord"
    again = make_app(journal_path)
    async with again.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        assert again.theme == "nord"


async def test_quit_closes_the_journal(app: NetjournalApp, journal_path: Path) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await pilot.press("q")
    assert app.return_code == 0
    with Journal.open(journal_path, today=TODAY) as journal:  # the lock is free again
        assert len(journal.contacts()) == 12


# ---------------------------------------------------------------- text is data, errors at start

NASTY = ["[bold red]x[/]", "[link=https://evil.example]click[/link]", "😀👩‍👩‍👧 Family", "李小龍 王菲", "שלום עליכם", "bell\x07 esc\x1b[31m red", "W" * 300]


@pytest.mark.parametrize("size", [(120, 40), (80, 24)])
async def test_user_text_shows_literally_and_keeps_the_layout(tmp_path: Path, size: tuple[int, int]) -> None:
    path = tmp_path / "journal.json"
    with Journal.open(path, today=TODAY) as journal:
        for name in NASTY:
            journal.add_contact(Contact(name=name[:200], tags=["[b]tag[/b]"]))
    app = make_app(path)
    async with app.run_test(size=size) as pilot:
        await ready(pilot)
        screen = main(app)
        lines = [screen.contacts.render_line(y) for y in range(len(NASTY))]
        texts = [line.text for line in lines]
        assert any("[bold red]x[/]" in t for t in texts)
        assert any("[link=https://" in t for t in texts)
        width = screen.contacts.scrollable_content_region.width
        assert all(line.cell_length == width for line in lines)
        assert not any("\x1b" in t or "\x07" in t for t in texts)
        await pilot.press("n")  # the forms take them too
        await settle(pilot)
        await pilot.press("escape")
        svg = app.export_screenshot()
        assert "[bold&#160;red]x[/]" in svg or "[bold red]x[/]" in svg


async def test_a_journal_kept_busy_by_another_write_ends_with_one_line_and_exit_2(
    journal_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import netjournal.store.sharing as sharing

    monkeypatch.setattr(sharing, "WAIT_SECONDS", 0.1)
    with Journal.open(journal_path, today=TODAY) as other:
        app = make_app(journal_path)  # open elsewhere and idle: the app opens it too
        async with app.run_test(size=(80, 24)) as pilot:
            await ready(pilot)
        assert app.startup_error is None
        with other.transaction():  # a write that holds the lock too long (a stuck process)
            app = make_app(journal_path)
            async with app.run_test(size=(80, 24)) as pilot:
                for _ in range(100):
                    if app.startup_error:
                        break
                    await pilot.pause(0.05)
    assert app.return_code == 2
    assert app.startup_error is not None and "another netjournal process" in app.startup_error
    assert "\n" not in app.startup_error


def test_run_prints_start_errors_on_stderr(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    from textual.app import App

    from netjournal.tui import launch as app_module

    path = tmp_path / "journal.json"
    path.write_text("{ this is not json")
    monkeypatch.setattr(NetjournalApp, "run", lambda self, **kw: App.run(self, headless=True))
    code = app_module.run(JournalSource(path), Settings())
    err = capsys.readouterr().err
    assert code == 2
    assert err.startswith("netjournal: ") and err.count("\n") == 1
    assert "Traceback" not in err
    assert path.read_text() == "{ this is not json"  # left as it was
