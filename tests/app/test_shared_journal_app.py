"""The app on a journal shared between devices (issue #14 part 2): the header names this device,
another device's changes show within a poll, this app's own changes land in its own file, and
a field two devices changed at once is marked and said (the people list, the card, the
contact's detail, the entry, the forms), as plain text."""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path
from types import SimpleNamespace

import pytest
from conftest import TODAY, make_app, ready, settle
from pyrage import x25519
from sealed import plaintext_in
from shared_journal import clash, concurrently, fix_clock, on_device, share
from textual.geometry import Region
from textual.pilot import Pilot
from textual.widget import Widget
from textual.widgets import Static

from netjournal.config import Settings
from netjournal.domain.model import Contact, Favour, Interaction
from netjournal.sealing import Keys
from netjournal.store import Journal, devicemode, encryption
from netjournal.tui.app import NetjournalApp, create_app
from netjournal.tui.clashes import MARK
from netjournal.tui.state import JournalSource
from netjournal.tui.widgets.panes import ContactCard, EntryView
from netjournal.tui.widgets.person_card import PersonCard


@pytest.fixture
def shared(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A small journal shared between devices; the app runs as the laptop."""
    monkeypatch.setenv("NETJOURNAL_DEVICE", "laptop")
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    fix_clock(monkeypatch)
    path = tmp_path / "sync" / "journal.json"
    path.parent.mkdir()
    with Journal.open(path, today=TODAY) as journal:
        ana = journal.add_contact(Contact(name="Ana Silva", org="Acme"))
        journal.add_contact(Contact(name="Bruno Costa"))
        journal.add_interaction(Interaction(date="2026-10-30", contact_ids=[ana.id], kind="meal", text="lunch"))
        journal.add_favour(Favour(date="2026-10-20", contact_id=ana.id, text="advice"))
    share(path)
    return path


@pytest.fixture
def app(shared: Path) -> Iterator[NetjournalApp]:
    application = make_app(shared, label="journal.json")
    yield application
    application.close_journal()


def names(app: NetjournalApp) -> list[str]:
    return [c.name for c in app.main_screen.contacts.contacts]


async def until(pilot: Pilot[object], done: object) -> bool:
    """Pause (the app polls twice a second) until ``done()`` holds, for at most ~10 s."""
    assert callable(done)
    for _ in range(200):
        if done():
            return True
        await pilot.pause(0.05)
    return bool(done())


def plain(widget: Static) -> str:
    return str(widget.render())


def drawn(widget: Widget) -> str:
    """What ``widget`` draws on screen, as words one space apart."""
    lines = widget.render_lines(Region(0, 0, widget.size.width, widget.size.height))
    return " ".join(" ".join(strip.text for strip in lines).split())


async def test_the_header_names_this_device(app: NetjournalApp) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        assert app.sub_title == "on laptop · journal.json"


async def test_another_devices_adds_edits_and_deletes_show_after_a_poll(app: NetjournalApp, shared: Path) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        assert names(app) == ["Ana Silva", "Bruno Costa"]
        with on_device(shared, "desk") as desk:
            carla = desk.add_contact(Contact(name="Carla Dias"))
        assert await until(pilot, lambda: "Carla Dias" in names(app))
        with on_device(shared, "desk") as desk:
            desk.update_contact(replace(desk.contact(carla.id), name="Carla Dias Mendes"))
        assert await until(pilot, lambda: "Carla Dias Mendes" in names(app))
        with on_device(shared, "desk") as desk:
            bruno = next(c for c in desk.contacts() if c.name == "Bruno Costa")
            desk.delete_contact(bruno.id)
        assert await until(pilot, lambda: "Bruno Costa" not in names(app))
        assert names(app) == ["Ana Silva", "Carla Dias Mendes"]


async def test_the_apps_own_change_lands_in_its_own_file(app: NetjournalApp, shared: Path) -> None:
    own_log = devicemode.folder(shared) / "laptop.json.log"
    before = own_log.read_bytes() if own_log.exists() else b""
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await pilot.press("e")
        await settle(pilot)
        field = app.screen.query_one("#f-org")
        field.value = "Acme Brasil"  # type: ignore[attr-defined]
        await pilot.press("ctrl+s")
        await settle(pilot)
    grown = own_log.read_bytes()
    assert grown.startswith(before) and len(grown) > len(before)
    assert not any(p.name.startswith("desk") for p in devicemode.folder(shared).iterdir())
    with on_device(shared, "desk") as desk:
        assert next(c for c in desk.contacts() if c.name == "Ana Silva").org == "Acme Brasil"


def first_person(journal: Journal) -> Contact:
    return next(c for c in journal.contacts() if c.name == "Ana Silva")


async def test_a_clash_is_marked_in_the_list_and_said_in_the_card_and_the_detail(shared: Path) -> None:
    clash(shared, first_person, "org", "Laptop [bold]Org[/bold]", "Desk Org")
    app = make_app(shared, label="journal.json")
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            await ready(pilot)
            screen = app.main_screen
            assert screen.contacts.marked == {screen.contacts.contacts[0].id}
            row = screen.contacts.render_row(0, 40).plain
            assert "Ana Silva" in row and MARK in row
            assert MARK not in screen.contacts.render_row(1, 40).plain
            detail = plain(screen.query_one("#card", ContactCard))
            # The markup typed stays text; the time is the laptop's stamp (the devices' clock, fixed).
            assert f"{MARK} org: shows “Desk Org”; also “Laptop [bold]Org[/bold]” from laptop, 2026-11-01 09:0" in detail
            card = drawn(screen.query_one("#person", PersonCard).query_one("#card-body"))
            assert f"Ana Silva {MARK}" in card
            assert f"{MARK} org changed on two devices at once: shows “Desk Org”; also “Laptop [bold]Org[/bold]” from laptop" in card
    finally:
        app.close_journal()


async def test_a_clash_is_said_in_the_form_and_saving_the_field_settles_it(shared: Path) -> None:
    clash(shared, first_person, "org", "Laptop Org", "Desk Org")
    app = make_app(shared, label="journal.json")
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            await ready(pilot)
            await pilot.press("e")
            await settle(pilot)
            said = plain(app.screen.query_one(".form-clash", Static))
            assert f"{MARK} org: shows “Desk Org”; also “Laptop Org” from laptop" in said
            field = app.screen.query_one("#f-org")
            field.value = "Both Orgs"  # type: ignore[attr-defined]
            await pilot.press("ctrl+s")  # editing the field settles the clash: the mark goes
            await settle(pilot)
            assert not app.main_screen.contacts.marked
            assert MARK not in plain(app.main_screen.query_one("#card", ContactCard))
    finally:
        app.close_journal()


async def test_a_clash_made_elsewhere_shows_after_a_poll(app: NetjournalApp, shared: Path) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        assert not app.main_screen.contacts.marked
        clash(shared, first_person, "org", "Laptop Org", "Desk Org")
        assert await until(pilot, lambda: bool(app.main_screen.contacts.marked))
        assert "“Laptop Org” from laptop" in plain(app.main_screen.query_one("#card", ContactCard))


async def test_an_interactions_clash_is_said_with_the_entry_and_in_its_form(shared: Path) -> None:
    def edit_entry(text: str) -> Callable[[Journal], None]:
        def edit(journal: Journal) -> None:
            (entry,) = journal.interactions(None)
            journal.update_interaction(replace(entry, text=text))

        return edit

    concurrently(shared, edit_entry("lunch at the laptop's"), edit_entry("lunch at the desk's"))
    app = make_app(shared, label="journal.json")
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            await ready(pilot)
            said = drawn(app.main_screen.query_one("#entry", EntryView))
            assert f"{MARK} text: shows “lunch at the desk's”; also “lunch at the laptop's” from laptop" in said
            await pilot.press("2", "e")
            await settle(pilot)
            assert "“lunch at the laptop's” from laptop" in plain(app.screen.query_one(".form-clash", Static))
    finally:
        app.close_journal()


async def test_a_favours_clash_is_said_in_its_form(shared: Path) -> None:
    def edit_favour(weight: int) -> Callable[[Journal], None]:
        def edit(journal: Journal) -> None:
            (favour,) = journal.favours(None)
            journal.update_favour(replace(favour, weight=weight))

        return edit

    concurrently(shared, edit_favour(4), edit_favour(5))
    app = make_app(shared, label="journal.json")
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            await ready(pilot)
            await pilot.press("3", "e")
            await settle(pilot)
            assert f"{MARK} weight: shows “5”; also “4” from laptop" in plain(app.screen.query_one(".form-clash", Static))
    finally:
        app.close_journal()


async def test_an_encrypted_shared_journal_opens_in_the_app(
    shared: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Through the command's own path (cli/app.py): the device's own file is the encrypted one."""
    key = tmp_path / "key.txt"
    key.write_text(f"{x25519.Identity.generate()}\n")
    plain_path = tmp_path / "plain" / "journal.json"
    plain_path.parent.mkdir()
    with Journal.open(plain_path, today=TODAY) as journal:
        journal.add_contact(Contact(name="Dora Reis"))
        encryption.encrypt(journal, Keys(identity=key))
    share(plain_path, keys=Keys(identity=key))
    from netjournal.cli import app as cli_app
    from netjournal.tui import launch

    sources: list[JournalSource] = []

    def run(source: JournalSource, settings: Settings) -> int:  # the app, started below instead
        sources.append(source)
        return 0

    monkeypatch.setattr(launch, "run", run)
    ctx = SimpleNamespace(
        args=SimpleNamespace(demo=False), journal_path=plain_path, keys=Keys(identity=key),
        settings=Settings.load(JournalSource(plain_path).config_file),
    )
    try:
        assert cli_app.run_app(ctx) == 0  # type: ignore[arg-type]
    finally:
        gc.enable()
    (source,) = sources
    assert source.encrypted
    app = create_app(Settings.load(source.config_file), replace(source, label="journal.json"), clock=lambda: TODAY)
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            await ready(pilot)
            assert app.startup_error is None
            assert names(app) == ["Dora Reis"]
            assert app.sub_title == "encrypted · on laptop · journal.json"
    finally:
        app.close_journal()
    assert plaintext_in(devicemode.folder(plain_path), (b"Dora Reis",)) == []  # (journal.json: the plain marker)
    assert devicemode.is_marker(plain_path)
