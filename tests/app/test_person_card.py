"""A person's card on the main screen (issue 16): the selected person's details without a
form, the insights' word on them, their notes as Markdown; at 80x24 ``p`` shows and hides
it, and it scrolls from the keyboard."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from conftest import TODAY, make_app, ready, settle
from textual.geometry import Region

from netjournal.domain.model import Contact
from netjournal.store import Journal
from netjournal.tui.app import NetjournalApp
from netjournal.tui.widgets.person_card import PersonCard
from netjournal.tui.writes import SaveRecord


def card_of(app: NetjournalApp) -> PersonCard:
    return app.main_screen.query_one("#person", PersonCard)


def card_text(app: NetjournalApp) -> str:
    """What the card draws on screen (its visible lines), as words one space apart."""
    card = card_of(app)
    if not card.display or not card.size.area:
        return ""
    body = card.query_one("#card-body")
    lines = body.render_lines(Region(0, 0, body.size.width, body.size.height))
    return " ".join(" ".join(strip.text for strip in lines).split())


async def test_the_card_shows_the_selected_persons_details(app: NetjournalApp) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        text = card_text(app)
        for seen in (
            "Ana Silva", "works Product designer at Lumen Labs", "aka Ana", "email ana@example.org",
            "birthday 6 November 1988, age 37", "met Design meetup, 2019", "tags #design #ux #climbing",
            "cadence inner · every 2 weeks · due in 11 days", "favours interdependent · gave 5.9, got 5.4",
            "asks looking for a frontend developer", "Loves good coffee. Two kids.",
        ):
            assert seen in text, seen
        assert "**" not in text  # the notes are Markdown, drawn as such
        await pilot.press("j")  # the next person: the card follows the selection
        await settle(pilot)
        text = card_text(app)
        assert "Bruno Costa" in text and "bruno@example.org" in text and "ana@example.org" not in text


async def test_a_birthday_without_a_year_and_an_overdue_person(app: NetjournalApp) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        for _ in range(3):  # David Okafor: birthday with no year, quarterly, overdue
            await pilot.press("j")
            await settle(pilot)
        text = card_text(app)
        assert "birthday 12 November" in text and "age" not in text
        assert "cadence active · quarterly · 39 days late (was due" in text


async def test_the_card_follows_a_change(app: NetjournalApp) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        main = app.main_screen
        person = main.contacts.current
        assert person is not None
        main.ask(SaveRecord(replace(person, phones=["+351 912 345 678"])))  # as a form saved
        await settle(pilot)
        assert "phone +351 912 345 678" in card_text(app)


async def test_at_80x24_p_shows_and_hides_the_card(app: NetjournalApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        main = app.main_screen
        assert card_text(app) == ""  # a small terminal: the three panes, the card on request
        assert main.query_one("#interactions").display
        await pilot.press("p")
        await settle(pilot)
        assert "Product designer at Lumen Labs" in card_text(app)
        assert app.focused is card_of(app)
        assert main.query_one("#contacts").region.width  # the contacts stay beside it...
        assert not main.query_one("#right").display  # ...in place of the interactions and the ledger
        await pilot.press("escape", "j")  # back to the list: the card follows the selection
        await settle(pilot)
        assert "Bruno Costa" in card_text(app)
        await pilot.press("p", "p")  # into the card, then p again hides it
        await settle(pilot)
        assert card_text(app) == "" and main.query_one("#right").display
        assert app.focused is main.contacts


async def test_at_80x24_going_to_another_pane_hides_the_card(app: NetjournalApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        await pilot.press("p", "2")
        await settle(pilot)
        main = app.main_screen
        assert app.focused is main.interactions and main.query_one("#right").display
        assert card_text(app) == ""


async def test_the_card_scrolls_from_the_keyboard(journal_path: Path) -> None:
    with Journal.open(journal_path, today=TODAY) as journal:
        notes = "\n\n".join(f"- point {n}" for n in range(1, 41)) + "\n\nThe end."
        journal.add_contact(Contact(name="Aaron Long", org="Verbose Inc", notes=notes))
    app = make_app(journal_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        await pilot.press("p")
        await settle(pilot)
        card = card_of(app)
        assert "Aaron Long" in card_text(app) and card.max_scroll_y > 0 and card.scroll_y == 0
        await pilot.press("j", "j", "j")
        await settle(pilot)
        assert card.scroll_y == 3
        await pilot.press("end")
        await settle(pilot)
        assert card.scroll_y == card.max_scroll_y
        await pilot.press("home")
        await settle(pilot)
        assert card.scroll_y == 0
    app.close_journal()


async def test_names_and_notes_in_any_script(journal_path: Path) -> None:
    with Journal.open(journal_path, today=TODAY) as journal:
        for name, notes in (
            ("Анна Каренина", "Любит **чай**."), ("王小明", "喜欢*围棋*。"), ("فاطمة الزهراء", "تحب القهوة."),
            ("דוד לוי", "אוהב ספרים."), ("अनुष्का शर्मा", "किताबें पसंद।"), ("สมชาย ใจดี", "ชอบกาแฟ"),
        ):
            journal.add_contact(Contact(name=name, org="Mir", notes=notes))
    app = make_app(journal_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        main = app.main_screen
        for person in main.people.contacts:
            if person.org != "Mir":
                continue
            main.jump_to(person.id)
            await settle(pilot)
            text = card_text(app)
            words = person.notes.replace("*", "").split()
            assert person.name.split()[0] in text and words[0] in text, person.name
    app.close_journal()


async def test_hostile_notes_are_shown_not_obeyed(journal_path: Path) -> None:
    with Journal.open(journal_path, today=TODAY) as journal:
        journal.add_contact(Contact(
            name="Aaa Eve\x1b]0;pwned\x07", emails=["eve@example.org"], how_met="[bold]x[/bold] \x9b2J",
            notes="clip \x1b]52;c;ZXZpbA==\x07 [link](https://evil.example/\x1b[2J) [red]not markup[/red]",
        ))
    app = make_app(journal_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        text = card_text(app)
        assert "Aaa Eve␛]0;pwned" in text and "[bold]x[/bold]" in text and "[red]not markup[/red]" in text
        assert "clip ␛]52;c;ZXZpbA==" in text and "evil.example" in text
        assert not any(ord(ch) < 0x20 or 0x7F <= ord(ch) <= 0x9F for ch in text)
    app.close_journal()
