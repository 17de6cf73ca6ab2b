"""Dates, birthdays, durations and cadences as people type them (now: Sunday 10 March 2024, 12:00)."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from netjournal.domain.dates import (
    format_cadence,
    format_minutes,
    parse_birthday,
    parse_cadence,
    parse_date,
    parse_datetime,
    parse_duration,
    parse_when,
)
from netjournal.errors import ValidationError

NOW = datetime(2024, 3, 10, 12, 0)

WHEN = [
    ("today", "2024-03-10"),
    ("now", "2024-03-10"),
    ("yesterday", "2024-03-09"),
    ("tomorrow", "2024-03-11"),
    ("friday", "2024-03-08"),
    ("Fri", "2024-03-08"),
    ("THURS", "2024-03-07"),
    ("sunday", "2024-03-03"),
    ("last friday", "2024-03-08"),
    ("next friday", "2024-03-15"),
    ("3 days ago", "2024-03-07"),
    ("3d ago", "2024-03-07"),
    ("2 weeks ago", "2024-02-25"),
    ("a month ago", "2024-02-10"),
    ("one year ago", "2023-03-10"),
    ("in 2 weeks", "2024-03-24"),
    ("2024-03-05", "2024-03-05"),
    ("2024-3-5", "2024-03-05"),
    ("2024-03-05 15:30", "2024-03-05T15:30"),
    ("2024-03-05T15:30", "2024-03-05T15:30"),
    ("5 Mar", "2024-03-05"),
    ("june 9 2013", "2013-06-09"),
    ("9 June 2013 3pm", "2013-06-09T15:00"),
    ("5/3", "2024-03-05"),
    ("5/3/2024", "2024-03-05"),
    ("05.03.24", "2024-03-05"),
    ("25/12/2023", "2023-12-25"),
    ("12/25/2023", "2023-12-25"),  # unambiguous month-first
    ("29 feb 2024", "2024-02-29"),
]


@pytest.mark.parametrize(("text", "expected"), WHEN)
def test_parse_when(text: str, expected: str) -> None:
    assert parse_when(text, NOW) == expected


@pytest.mark.parametrize(
    ("text", "dayfirst", "expected"),
    [("5/3/2024", True, "2024-03-05"), ("5/3/2024", False, "2024-05-03"), ("13/3/2024", False, "2024-03-13")],
)
def test_dayfirst_setting(text: str, dayfirst: bool, expected: str) -> None:
    assert parse_when(text, NOW, dayfirst=dayfirst) == expected


PAST = [
    ("12/25", "2023-12-25"),  # no year, ahead of now: last year
    ("Dec 24", "2023-12-24"),
    ("5 Mar", "2024-03-05"),  # already past this year: this year
    ("10 Mar", "2024-03-10"),  # today
    ("2024-12-01", "2024-12-01"),  # a year was given: kept
    ("Dec 24 2024", "2024-12-24"),
    ("tomorrow", "2024-03-11"),  # relative words mean what they say
]


@pytest.mark.parametrize(("text", "expected"), PAST)
def test_past_keeps_yearless_dates_out_of_the_future(text: str, expected: str) -> None:
    assert parse_when(text, NOW, past=True) == expected


def test_past_is_off_by_default() -> None:
    assert parse_when("12/25", NOW) == "2024-12-25"


def test_past_on_29_february_of_a_leap_year_ahead() -> None:
    with pytest.raises(ValidationError, match="no 29 February in 2023"):
        parse_when("29 feb", datetime(2024, 1, 10), past=True)


BAD_WHEN = [
    ("2019-02-29", "no such date: 2019-02-29"),
    ("2020-08-32", "no such date: 2020-08-32"),
    ("2024-13-01", "no such date"),
    ("2024-03-05 25:00", "no such date"),
    ("31 Feb", "no such date: 31 Feb"),
    ("Jun 31 2024", "no such date"),
    ("32/01/2024", "no such date"),
    ("13/13/2024", "no such date"),
    ("blah", "not a date I understand: 'blah'"),
    ("", "a date is required"),
    ("   ", "a date is required"),
]


@pytest.mark.parametrize(("text", "words"), BAD_WHEN)
def test_bad_dates_are_errors_never_shifted(text: str, words: str) -> None:
    with pytest.raises(ValidationError) as info:
        parse_when(text, NOW, field="on")
    assert list(info.value.errors) == ["on"]
    assert words in info.value.errors["on"]


def test_parse_date_and_datetime() -> None:
    assert parse_date("yesterday", date(2024, 3, 10)) == date(2024, 3, 9)
    assert parse_date("12/25", date(2024, 3, 10), past=True) == date(2023, 12, 25)
    assert parse_datetime("2024-03-05 15:30", NOW) == (datetime(2024, 3, 5, 15, 30), True)
    assert parse_datetime("5 Mar", NOW) == (datetime(2024, 3, 5), False)


BIRTHDAYS = [
    ("1990-04-15", "1990-04-15"),
    ("--04-15", "--04-15"),
    ("--0415", "--04-15"),
    ("15 April", "--04-15"),
    ("April 15 1990", "1990-04-15"),
    ("--02-29", "--02-29"),
    ("", ""),
]


@pytest.mark.parametrize(("text", "expected"), BIRTHDAYS)
def test_parse_birthday(text: str, expected: str) -> None:
    assert parse_birthday(text) == expected


@pytest.mark.parametrize(("text", "words"), [("--02-30", "no such day"), ("1990-02-30", "no such date"), ("soon", "not a birthday")])
def test_bad_birthdays(text: str, words: str) -> None:
    with pytest.raises(ValidationError, match=words):
        parse_birthday(text)


DURATIONS = [("45m", 45), ("1h30", 90), ("1h30m", 90), ("2h", 120), ("90", 90), ("90 min", 90), ("2 hours", 120), ("", 0)]


@pytest.mark.parametrize(("text", "minutes"), DURATIONS)
def test_parse_duration(text: str, minutes: int) -> None:
    assert parse_duration(text) == minutes


@pytest.mark.parametrize(("text", "words"), [("25h", "longer than a day"), ("soon", "not a duration"), ("h", "not a duration")])
def test_bad_durations(text: str, words: str) -> None:
    with pytest.raises(ValidationError, match=words):
        parse_duration(text)


CADENCES = [("2w", 14), ("weekly", 7), ("monthly", 30), ("quarterly", 91), ("90d", 90), ("6 months", 180), ("never", 0)]


@pytest.mark.parametrize(("text", "days"), CADENCES)
def test_parse_cadence(text: str, days: int) -> None:
    assert parse_cadence(text) == days


@pytest.mark.parametrize(("text", "words"), [("0d", "between 1 day and 10 years"), ("11y", "between"), ("often", "not a cadence")])
def test_bad_cadences(text: str, words: str) -> None:
    with pytest.raises(ValidationError, match=words):
        parse_cadence(text)


@pytest.mark.parametrize(("days", "text"), [(0, ""), (7, "weekly"), (14, "every 2 weeks"), (21, "every 3 weeks"), (10, "every 10 days")])
def test_format_cadence(days: int, text: str) -> None:
    assert format_cadence(days) == text


@pytest.mark.parametrize(("minutes", "text"), [(0, ""), (45, "45m"), (60, "1h"), (90, "1h30")])
def test_format_minutes(minutes: int, text: str) -> None:
    assert format_minutes(minutes) == text


@pytest.mark.parametrize(
    ("text", "ahead", "past"),
    [
        ("friday", "2026-11-27", "2026-11-20"),  # from Sunday 2026-11-22
        ("fri", "2026-11-27", "2026-11-20"),
        ("next friday", "2026-11-27", "2026-11-27"),
        ("1 Dec", "2026-12-01", "2025-12-01"),
        ("1 Nov", "2027-11-01", "2026-11-01"),
        ("2026-11-01", "2026-11-01", "2026-11-01"),  # a year given is kept
        ("in 3 days", "2026-11-25", "2026-11-25"),
    ],
)
def test_dates_ahead_for_follow_ups_and_past_for_what_happened(text: str, ahead: str, past: str) -> None:
    today = date(2026, 11, 22)
    assert parse_date(text, today, ahead=True).isoformat() == ahead
    assert parse_date(text, today, past=True).isoformat() == past


# --- documented birthday forms and the day-first setting -----------------------------------

DOCUMENTED_BIRTHDAYS = [
    ("12-06", "--12-06"),  # month then day, as the README documents: 6 December
    ("04-15", "--04-15"),
    ("4-5", "--04-05"),
    ("--12-06", "--12-06"),
    ("1990-12-06", "1990-12-06"),
]


@pytest.mark.parametrize("dayfirst", [True, False])
@pytest.mark.parametrize(("text", "expected"), DOCUMENTED_BIRTHDAYS)
def test_documented_birthday_forms_ignore_the_dayfirst_setting(text: str, expected: str, dayfirst: bool) -> None:
    assert parse_birthday(text, dayfirst=dayfirst) == expected


@pytest.mark.parametrize(("dayfirst", "expected"), [(True, "--03-05"), (False, "--05-03")])
def test_ambiguous_birthday_numbers_follow_the_dayfirst_setting(dayfirst: bool, expected: str) -> None:
    assert parse_birthday("5/3", dayfirst=dayfirst) == expected


def test_month_day_birthday_with_no_such_month_is_an_error() -> None:
    with pytest.raises(ValidationError, match="no such day: 13-06"):
        parse_birthday("13-06")


def test_dates_are_spelled_back_in_words() -> None:
    from netjournal.domain.dates import spell_birthday, spell_day, spell_when

    assert spell_day(date(2026, 11, 27)) == "Friday 27 November 2026"
    assert spell_day(date(2026, 11, 27), date(2026, 12, 5)) == "Friday 27 November"
    assert spell_day(date(2025, 11, 27), date(2026, 12, 5)) == "Thursday 27 November 2025"
    assert spell_when("2024-03-05T15:30", date(2024, 3, 10)) == "Tuesday 5 March 15:30"
    assert spell_birthday(parse_birthday("12-06")) == "6 December"
    assert spell_birthday("1990-04-15") == "15 April 1990"


@pytest.mark.parametrize(("text", "expected"), [("tomorrow", "2024-03-11"), ("next tuesday", "2024-03-12"), ("2024-12-24", "2024-12-24")])
def test_plans_are_read_ahead_even_in_the_past_mode(text: str, expected: str) -> None:
    """A capture line reads a date without a year as past, but a plan written as tomorrow, next
    tuesday or with its year is kept in the future."""
    assert parse_when(text, NOW, past=True) == expected
