"""Pilot tests: dates read back as they are typed, plans, the favour form's kind and the
contact form's namesake warning (the demo journal, today fixed on Sunday 1 November 2026)."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from conftest import TODAY, fill, read_journal, ready, settle
from textual.geometry import Region
from textual.widget import Widget
from textual.widgets import Select

from netjournal.domain.model import Favour, Interaction
from netjournal.store import Journal
from netjournal.tui.app import NetjournalApp
from netjournal.tui.screens.editors import ContactForm, FavourForm, InteractionForm
from netjournal.tui.screens.main import MainScreen
from netjournal.tui.screens.today import TodayScreen
from netjournal.tui.widgets.rows import RowList

ANA = "c-demo01"


def shown(widget: Widget) -> str:
    """What a widget draws, padding included, as one line of words."""
    region = Region(0, 0, widget.outer_size.width, widget.outer_size.height)
    return " ".join(" ".join(strip.text for strip in widget.render_lines(region)).split())


def reading(app: NetjournalApp, field: str) -> str:
    return shown(app.screen.query_one(f"#r-{field}")).strip()


def error_of(app: NetjournalApp, field: str) -> str:
    return shown(app.screen.query_one(f"#e-{field}"))


# ---------------------------------------------------------------- dates read back beside the field


async def test_a_date_field_says_how_it_reads_as_it_is_typed(app: NetjournalApp) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await pilot.press("n")
        await settle(pilot)
        assert isinstance(app.screen, InteractionForm)
        assert reading(app, "date") == "Sunday 1 November"  # "today", as the form opens
        await fill(pilot, "date", "fri")
        assert reading(app, "date") == "Friday 30 October"
        await fill(pilot, "date", "next tuesday")
        assert reading(app, "date") == "Tuesday 3 November, upcoming"
        await fill(pilot, "date", "5/3")
        assert reading(app, "date") == "Thursday 5 March"
        await fill(pilot, "date", "someday")
        assert reading(app, "date") == "?"
        await fill(pilot, "follow_up", "friday")
        assert reading(app, "follow_up") == "Friday 6 November"


async def test_a_birthday_field_reads_month_then_day(app: NetjournalApp, journal_path: Path) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await pilot.press("c")
        await settle(pilot)
        assert isinstance(app.screen, ContactForm)
        await fill(pilot, "name", "Zoë Tran")
        await fill(pilot, "birthday", "12-06")
        assert reading(app, "birthday") == "6 December"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)
    with read_journal(journal_path) as journal:
        assert [c.birthday for c in journal.contacts() if c.name == "Zoë Tran"] == ["--12-06"]


async def test_a_favour_dated_after_today_is_refused_beside_the_field(app: NetjournalApp, journal_path: Path) -> None:
    with read_journal(journal_path) as journal:
        before = len(journal.favours())
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await pilot.press("g")
        await settle(pilot)
        await fill(pilot, "text", "a book")
        await fill(pilot, "date", "tomorrow")
        assert reading(app, "date") == "Monday 2 November: after today"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, FavourForm)
        assert "after today" in error_of(app, "date")
        assert app.screen.value("date") == "tomorrow"  # what was typed stays
    with read_journal(journal_path) as journal:
        assert len(journal.favours()) == before


# ---------------------------------------------------------------- the favour form's kind


async def test_the_favour_form_reads_the_kind_from_the_words_until_chosen_by_hand(
    app: NetjournalApp, journal_path: Path
) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await pilot.press("g")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, FavourForm)
        await fill(pilot, "text", "Warm intro to a designer")
        assert form.value("kind") == "introduction"
        form.query_one("#f-kind", Select).value = "gift"  # by hand: the words no longer change it
        await pilot.pause()
        await fill(pilot, "text", "Advice on pricing")
        assert form.value("kind") == "gift"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)
        await pilot.press("r")
        await settle(pilot)
        await fill(pilot, "text", "Warm intro to a designer")
        await pilot.press("ctrl+s")
        await settle(pilot)
    with read_journal(journal_path) as journal:
        kinds = {(f.direction, f.text): f.kind for f in journal.favours(ANA)}
    assert kinds[("given", "Advice on pricing")] == "gift"
    assert kinds[("received", "Warm intro to a designer")] == "introduction"


# ---------------------------------------------------------------- the contact form's namesake warning


async def test_the_contact_form_warns_of_a_namesake_once(app: NetjournalApp, journal_path: Path) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await pilot.press("c")
        await settle(pilot)
        await fill(pilot, "name", "ana  SILVA")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ContactForm)
        warning = error_of(app, "name")
        assert "you already have a contact (c-demo01) named Ana Silva" in warning and "ctrl+s again" in warning
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)
    with read_journal(journal_path) as journal:
        assert sum(1 for c in journal.contacts() if c.name.lower().split() == ["ana", "silva"]) == 2


async def test_the_contact_form_warns_of_a_shared_email(app: NetjournalApp, journal_path: Path) -> None:
    with read_journal(journal_path) as journal:
        ana = journal.contact(ANA)
    email = ana.emails[0] if ana.emails else ""
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        if not email:  # the demo gives Ana no email: give her one
            await pilot.press("e")
            await settle(pilot)
            email = "ana@example.org"
            await fill(pilot, "emails", email)
            await pilot.press("ctrl+s")
            await settle(pilot)
        await pilot.press("c")
        await settle(pilot)
        await fill(pilot, "name", "Someone New")
        await fill(pilot, "emails", email.upper())
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ContactForm)
        assert "is already Ana Silva's" in error_of(app, "emails")


# ---------------------------------------------------------------- plans


def _plan(journal_path: Path, days: int = 3) -> None:
    with Journal.open(journal_path, today=TODAY) as journal:
        journal.add_interaction(Interaction(
            date=(TODAY + timedelta(days=days)).isoformat(), contact_ids=[ANA], kind="meal", text="## Lunch at **Rosa's**",
        ))


async def test_a_plan_is_upcoming_in_today_and_never_a_last_contact(app: NetjournalApp, journal_path: Path) -> None:
    with read_journal(journal_path) as journal:
        seen = journal.last_contact(ANA, TODAY)
    _plan(journal_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        screen = app.main_screen
        assert screen.people.last_seen[ANA] == seen  # the plan is not the last contact
        contacts = screen.contacts
        row = contacts.render_row(next(i for i, c in enumerate(contacts.contacts) if c.id == ANA), 60).plain
        assert "soon" not in row and f"{(TODAY - __import__('datetime').date.fromisoformat(seen[:10])).days}d" in row
        card = shown(screen.query_one("ContactCard"))
        assert "-3" not in card and "seen" in card
        entries = screen.interactions
        assert "upcoming · ## Lunch" in entries.render_row(0, 100).plain
        await pilot.press("t")
        await settle(pilot)
        assert isinstance(app.screen, TodayScreen)
        view = app.screen.query_one(RowList)
        upcoming = [view.render_row(i, 110).plain for i, r in enumerate(view.rows) if r.section == "upcoming" and r.selectable]
        assert len(upcoming) == 1
        assert "Ana Silva" in upcoming[0] and "in 3 days" in upcoming[0]
        assert "meal on Wednesday 4 November: Lunch at Rosa's" in upcoming[0]


async def test_a_new_date_in_the_interaction_form_moves_its_favours(app: NetjournalApp, journal_path: Path) -> None:
    with Journal.open(journal_path, today=TODAY) as journal:
        entry = journal.add_interaction(Interaction(date="2026-10-30", contact_ids=[ANA], kind="meal", text="lunch"))
        fav = journal.add_favour(Favour(date="2026-10-30", contact_id=ANA, direction="given", kind="advice",
                                        text="advice", interaction_id=entry.id))
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await pilot.press("2")
        screen = app.main_screen
        for _ in range(20):
            current = screen.interactions.current
            if current is not None and current.id == entry.id:
                break
            await pilot.press("j")
        await pilot.press("e")
        await settle(pilot)
        assert isinstance(app.screen, InteractionForm)
        await fill(pilot, "date", "tomorrow")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "favour recorded with it would move after today" in error_of(app, "date")
        await fill(pilot, "date", "2026-10-25")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)
    with read_journal(journal_path) as journal:
        assert journal.interaction(entry.id).date == "2026-10-25"
        assert journal.favour(fav.id).date == "2026-10-25"
