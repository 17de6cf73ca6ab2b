"""Keys of your own (issue 16): ``keymap.<binding-id>`` in the config file, applied at start;
the footer, the help screen and the palette show the person's keys; unknown ids and clashes
are said in one line each, and the app starts all the same."""

from __future__ import annotations

from pathlib import Path

from conftest import make_app, ready, settle, type_text
from test_footer import footer
from textual.binding import Binding
from textual.command import CommandList

from netjournal.config import Settings
from netjournal.tui.app import NetjournalApp
from netjournal.tui.keymap import keymap_problems
from netjournal.tui.screens.help import HelpScreen, help_sections
from netjournal.tui.screens.main import MainScreen
from netjournal.tui.state import JournalSource
from netjournal.tui.widgets.capture import CaptureBar


def app_with_keys(journal_path: Path, **keymap: str) -> NetjournalApp:
    config = JournalSource(journal_path).config_file
    Settings(keymap={k.replace("__", "."): v for k, v in keymap.items()}).save(config)
    return make_app(journal_path)


def notices(app: NetjournalApp) -> list[str]:
    return [str(n.message) for n in app._notifications]


def help_text(app: NetjournalApp) -> str:
    assert isinstance(app.screen, HelpScreen)
    table = app.screen.table()
    rows = zip(*(column.cells for column in table.columns), strict=True)
    return "\n".join(" | ".join(str(cell) for cell in row) for row in rows)


async def test_a_remapped_key_works_and_the_old_one_does_not(journal_path: Path) -> None:
    app = app_with_keys(journal_path, capture__open="x")
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await pilot.press("a")
        await settle(pilot)
        assert not app.screen.query(CaptureBar)  # a is no longer quick capture
        await pilot.press("x")
        await settle(pilot)
        assert app.screen.query_one(CaptureBar).is_open
        assert notices(app) == []  # nothing wrong with this keymap
    app.close_journal()


async def test_the_footer_help_and_palette_show_the_persons_keys(journal_path: Path) -> None:
    app = app_with_keys(journal_path, capture__open="x", app__help="f1")
    async with app.run_test(size=(160, 40)) as pilot:  # room for every key in the footer
        await ready(pilot)
        line = footer(app)
        assert "x Capture" in line and "a Capture" not in line
        assert "f1 Help" in line and "? Help" not in line
        assert line.startswith(" f1 Help") and line.index("x Capture") > line.index("t Today")  # in their places
        await pilot.press("f1")
        await settle(pilot)
        shown = help_text(app)
        assert "x | Quick capture" in shown and "a / : | Quick capture" not in shown
        await pilot.press("escape")
        await pilot.press("ctrl+p")
        await settle(pilot)
        await type_text(pilot, "capture")
        await pilot.pause(0.4)
        found = app.screen.query_one(CommandList)
        hits = [str(found.get_option_at_index(i).prompt) for i in range(found.option_count)]
        assert any("key: x" in hit for hit in hits) and not any("key: a / :" in hit for hit in hits)
    app.close_journal()


async def test_an_unknown_binding_id_is_said_and_the_rest_still_works(journal_path: Path) -> None:
    app = app_with_keys(journal_path, capture__opne="x", contact__new="ctrl+k")
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        (said,) = notices(app)
        assert "capture.opne" in said and "journal.config.json" in said and "\n" not in said
        await pilot.press("ctrl+k")
        await settle(pilot)
        assert app.screen.__class__.__name__ == "ContactForm"
    app.close_journal()


async def test_a_clash_is_said_at_start_naming_both_bindings(journal_path: Path) -> None:
    app = app_with_keys(journal_path, contact__new="t")  # t is Today's key
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        (said,) = notices(app)
        assert "t is set for both contact.new and view.today" in said and "\n" not in said
        assert isinstance(app.screen, MainScreen)
    app.close_journal()


async def test_every_problem_of_the_keymap_is_said_at_once_and_a_bad_key_keeps_the_default(journal_path: Path) -> None:
    """Found by a fresh-clone trial: each problem was a notification of its own, and the newest
    replaces the one showing, so only the last was ever seen; a key the app cannot read
    ("ctrl+") left its binding with no key."""
    app = app_with_keys(journal_path, capture__opne="x", contact__new="t", edit="ctrl+")
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        (said,) = notices(app)
        lines = said.splitlines()
        assert len(lines) == 3
        assert "capture.opne" in lines[0]
        assert "edit: 'ctrl+' is not a key" in said and "its own keys kept" in said
        assert "t is set for both contact.new and view.today" in said
        await pilot.press("e")  # edit keeps its own key
        await settle(pilot)
        assert app.screen.__class__.__name__ != "MainScreen"
    app.close_journal()


def test_clashes_are_found_across_the_keys_that_apply_together() -> None:
    sections = help_sections(NetjournalApp.BINDINGS)
    assert keymap_problems({"capture.open": "x"}, sections, "c.json") == []
    # q quits everywhere: a main screen key on q clashes; a form's key on q does not (a form hides q)
    (clash,) = keymap_problems({"contact.new": "q"}, sections, "c.json")
    assert "q is set for both app.quit and contact.new" in clash
    assert keymap_problems({"form.save": "q"}, sections, "c.json") == []
    # two of the person's own keys on one key
    (clash,) = keymap_problems({"contact.new": "x", "capture.open": "x"}, sections, "c.json")
    assert "x is set for both capture.open and contact.new" in clash
    # a key a binding has anyway is no clash (/ filters the contacts, and searches in the interactions pane)
    assert keymap_problems({"journal.search": "/", "contact.filter": "slash,f"}, sections, "c.json") == []
    # a main screen key taken by the focused list: the list's wins, so it is said
    (clash,) = keymap_problems({"contact.new": "j"}, sections, "c.json")
    assert "j is set for both contact.new and list.down" in clash
    # the key written as a character or by its name is the same key
    (clash,) = keymap_problems({"contact.new": "?"}, sections, "c.json")
    assert "question_mark is set for both app.help and contact.new" in clash


def test_the_readme_lists_every_binding_id() -> None:
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    sections = [*help_sections(NetjournalApp.BINDINGS), ("In the help", HelpScreen.BINDINGS)]
    ids = {b.id for _title, items in sections for b in items if isinstance(b, Binding)}
    assert None not in ids  # every binding can be remapped
    assert sorted(i for i in ids if f"`{i}`" not in readme) == []
