"""A person's card as lines (netjournal.domain.card): dates as people read them, the age when
the year is known, when they are next due, the verdict."""

from __future__ import annotations

from datetime import date

from netjournal.domain.card import PENDING, age_on, birthday_words, card_lines, due_words
from netjournal.domain.insights import touch_status
from netjournal.domain.model import Contact

TODAY = date(2026, 11, 1)


def test_birthdays_read_as_dates_with_the_age_when_the_year_is_known() -> None:
    assert birthday_words("--12-06", TODAY) == "6 December"
    assert birthday_words("1990-12-06", TODAY) == "6 December 1990, age 35"  # not 36 until the 6th
    assert birthday_words("1990-11-01", TODAY) == "1 November 1990, age 36"  # today
    assert age_on("2000-02-29", date(2027, 2, 28)) == 26 and age_on("2000-02-29", date(2027, 3, 1)) == 27
    assert age_on("--04-15", TODAY) is None and age_on("2030-01-01", TODAY) is None


def test_when_they_are_next_due() -> None:
    person = Contact(name="Ana", circle="inner", cadence_days=14)
    soon = touch_status(person, date(2026, 10, 29), TODAY)
    late = touch_status(person, date(2026, 10, 1), TODAY)
    assert soon is not None and late is not None
    assert due_words(soon, TODAY) == ("every 2 weeks · due in 11 days (Thursday 12 November)", "")
    assert due_words(late, TODAY) == ("every 2 weeks · 17 days late (was due Thursday 15 October)", "warn")


def test_the_lines_hold_the_person_and_wait_for_the_insights() -> None:
    person = Contact(name="Ana", org="Lumen", role="Designer", emails=["a@x.org", "b@x.org"], phones=["+351 1"],
                     how_met="Meetup\x1b[2J", tags=["ux"], circle="close")
    lines = {(line.label, line.value) for line in card_lines(person, TODAY)}
    assert ("works", "Designer at Lumen") in lines and ("email", "b@x.org") in lines and ("phone", "+351 1") in lines
    assert ("met", "Meetup␛[2J") in lines  # user text cleaned: a visible stand-in, never the escape
    assert ("cadence", f"close · {PENDING}") in lines and ("favours", PENDING) in lines and ("asks", PENDING) in lines
    bare = {line.label for line in card_lines(Contact(name="Bo"), TODAY, touch=None, reciprocity=None, asks=())}
    assert bare == {"cadence"}  # nothing empty is shown; with no cadence, it says so
