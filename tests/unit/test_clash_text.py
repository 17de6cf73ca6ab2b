"""How the app says a clash (tui/clashes.py, no Textual): the field, the value shown, the
other values with their device and time, each value one short, safe line."""

from __future__ import annotations

from netjournal.store.devicewiring import Clash
from netjournal.tui.clashes import MARK, Clashes, clash_lines, clash_rows

FSI, PDI = "\u2068", "\u2069"


def test_a_clash_says_the_field_the_value_shown_and_the_others_with_device_and_time() -> None:
    others = (("at school", "desk", "2026-11-01 09:00"), ("", "phone", "2026-11-01 09:05"))
    found = Clash("contacts", "c-1", "how_met", "at work", others)
    (line,) = clash_lines([found])
    assert line == (
        f"{MARK} how met: shows “at work”; also “at school” from desk, 2026-11-01 09:00 UTC; "
        "(empty) from phone, 2026-11-01 09:05 UTC (changed on two devices at once)"
    )
    ((label, value),) = clash_rows([found])
    assert label == f"{MARK} how met" and value.startswith("changed on two devices at once: shows “at work”")


def test_values_are_one_short_safe_line_in_any_script() -> None:
    notes = "line one\nline two\x1b[31m " + "word " * 40
    found = Clash("contacts", "c-1", "notes", notes, (("שלום עולם", "לפטופ", "2026-11-01 09:00"),))
    (line,) = clash_lines([found])
    assert "\n" not in line and "\x1b" not in line
    assert "line one line two" in line and "…”" in line  # cut, the end said
    assert f"“{FSI}שלום עולם{PDI}” from {FSI}לפטופ{PDI}," in line  # right to left, isolated
    tags = Clash("contacts", "c-1", "tags", ["design", "ux"], ((["climbing"], "desk", "2026-11-01 09:00"),))
    assert "shows “design, ux”; also “climbing” from desk" in clash_lines([tags])[0]


def test_the_people_marked_are_those_whose_own_record_has_a_clash() -> None:
    person = Clash("contacts", "c-1", "org", "a", (("b", "desk", "2026-11-01 09:00"),))
    entry = Clash("interactions", "i-1", "text", "a", (("b", "desk", "2026-11-01 09:00"),))
    clashes = Clashes([person, entry], revision=3)
    assert clashes.people == {"c-1"}
    assert clashes.of("interactions", "i-1") == (entry,) and clashes.of("favours", "i-1") == ()
    assert clashes.of("contacts", None) == () and not Clashes()
