"""The app never writes a control character from the journal to the terminal: a contact whose
name, notes, organisation, tags and asks hold terminal escapes (OSC 52, OSC 0, CSI 2J), C1
controls and bidi overrides shows, visibly, in every pane, form, view and notification."""

from __future__ import annotations

from pathlib import Path

from conftest import TODAY, make_app, ready, settle
from textual.geometry import Region

from netjournal.domain.model import Contact, Favour, Interaction
from netjournal.domain.safe import isolates_balanced
from netjournal.store import Journal
from netjournal.tui.app import NetjournalApp

OSC52 = "\x1b]52;c;ZXZpbA==\x07"
OSC0 = "\x1b]0;pwned\x07"
C1 = "".join(chr(c) for c in range(0x80, 0xA0))
BIDI = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
NAME = f"Eve{OSC0} \u202eliamE\u202c Hacker\x9b2J\x00"


def unsafe(text: str) -> list[str]:
    """Control characters, bidi overrides, and isolates on a line where they are not balanced."""
    bad = {ch for ch in text if (ord(ch) < 0x20 and ch != "\n") or 0x7F <= ord(ch) <= 0x9F or ch in BIDI[:5]}
    bad |= {ch for line in text.split("\n") if not isolates_balanced(line) for ch in line if ch in BIDI[5:]}
    return sorted(hex(ord(ch)) for ch in bad)


def shown(app: NetjournalApp) -> str:
    """What every widget on the screen draws, line by line (through the app's line filters,
    as the terminal gets it), with the screenshot the app exports."""
    lines: list[str] = []
    for widget in app.screen.walk_children(with_self=True):
        if widget.display and widget.size.area:
            lines += [strip.text for strip in widget.render_lines(Region(0, 0, *widget.size))]  # type: ignore[attr-defined]
    return "\n".join(lines) + app.export_screenshot()


def hostile_journal(path: Path) -> None:
    with Journal.open(path, today=TODAY) as j:
        eve = j.add_contact(Contact(name=NAME, org=f"Org{C1}", role=f"boss{OSC0}", tags=["t\x1b[5m"], asks=[f"wants {OSC52}"],
                                    notes=f"clip {OSC52} wipe \x1b[2J C1 {C1} \u202eeert\u202c end", circle="inner"))
        j.add_contact(Contact(name="Анна Каренина"))
        j.add_interaction(Interaction(date="2026-10-01", contact_ids=[eve.id], kind="meal", text=f"lunch {OSC52}\x9b2J talk"))
        j.add_favour(Favour(date="2026-10-02", contact_id=eve.id, direction="given", kind="advice", text=f"cv {OSC0} review"))


async def test_hostile_text_never_reaches_the_terminal(tmp_path: Path) -> None:
    path = tmp_path / "journal.json"
    hostile_journal(path)
    app = make_app(path)
    screens: dict[str, str] = {}
    async with app.run_test(size=(140, 40), notifications=True) as pilot:
        await ready(pilot)
        main = app.main_screen
        main.jump_to(next(c.id for c in main.contacts.contacts if c.name == NAME))
        await settle(pilot)
        screens["main"] = shown(app)
        for pane in ("2", "3"):
            await pilot.press(pane)
            await settle(pilot)
            screens[f"pane {pane}"] = shown(app)
        await pilot.press("1", "e")  # the contact form, prefilled
        await settle(pilot)
        screens["form"] = shown(app)
        await pilot.press("ctrl+s")  # saved unchanged: a notification names the person
        await settle(pilot)
        screens["saved"] = shown(app)
        for key in ("t", "C", "w"):
            await pilot.press(key)
            await settle(pilot)
            screens[f"view {key}"] = shown(app)
            await pilot.press("escape")
            await settle(pilot)
    leaks = {where: unsafe(text) for where, text in screens.items() if unsafe(text)}
    assert not leaks
    assert "Hacker" in screens["main"] and "Анна" in screens["main"] and "ZXZpbA==" in screens["main"]
    assert "Eve␛]0;pwned" in screens["main"]  # the escape shows as a visible stand-in
    assert "Hacker" in screens["form"]
    assert "Hacker" in screens["view t"] and "Hacker" in screens["view C"]  # Today (overdue) and Circles
    assert "Saved" in screens["saved"] and "Hacker" in screens["saved"]
    with Journal.open(path, readonly=True, today=TODAY) as j:  # the data is kept as it was given
        assert any(c.name == NAME for c in j.contacts())


async def test_importing_a_hostile_vcard_previews_and_lists_it_safely(tmp_path: Path) -> None:
    from conftest import type_text

    path = tmp_path / "journal.json"
    Journal.open(path, today=TODAY).close()
    fixture = Path(__file__).parent.parent / "fixtures" / "interop" / "hostile.vcf"
    app = make_app(path)
    async with app.run_test(size=(140, 40), notifications=True) as pilot:
        await ready(pilot)
        await pilot.press("i")
        await settle(pilot)
        await type_text(pilot, str(fixture))
        await pilot.press("enter")
        await settle(pilot)
        preview = shown(app)
        await pilot.press("ctrl+s")
        await settle(pilot)
        listed = shown(app)
    assert not unsafe(preview) and not unsafe(listed)
    for text in (preview, listed):
        assert "Hacker" in text and "李小龍" in text and "Анна Каренина" in text and "محمد علي" in text
