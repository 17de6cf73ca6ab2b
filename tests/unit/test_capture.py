"""The capture line, read against a fixed "now": Sunday 10 March 2024, 12:00."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest

from netjournal.domain.capture import (
    Capture,
    ContactIndex,
    capture_records,
    guess_favour_kind,
    parse_capture,
)
from netjournal.domain.model import Contact
from netjournal.errors import ValidationError

NOW = datetime(2024, 3, 10, 12, 0)  # a Sunday

PEOPLE = [
    Contact(id="c-ana", name="Ana Silva", aliases=["Nana"]),
    Contact(id="c-anac", name="Ana Costa"),
    Contact(id="c-bruno", name="Bruno Costa"),
    Contact(id="c-eva", name="Éva Nagy"),
    Contact(id="c-carla", name="Carla Mendes"),
    Contact(id="c-old", name="Olga Berg", archived=True),
    Contact(id="c-olga", name="Olga Novak"),
]
INDEX = ContactIndex(PEOPLE)


def cap(line: str, **kw: Any) -> Capture:
    return parse_capture(line, now=NOW, resolve=INDEX, **kw)


# --- dates --------------------------------------------------------------------------------

DATES = [
    ("lunch @bruno", "2024-03-10"),
    ("today: lunch @bruno", "2024-03-10"),
    ("yesterday: lunch @bruno", "2024-03-09"),
    ("Yesterday: lunch @bruno", "2024-03-09"),
    ("friday: lunch @bruno", "2024-03-08"),
    ("FRI: lunch @bruno", "2024-03-08"),
    ("sun: lunch @bruno", "2024-03-03"),  # today is Sunday: the one before
    ("Monday: lunch @bruno", "2024-03-04"),
    ("last friday: lunch @bruno", "2024-03-08"),
    ("3 days ago: lunch @bruno", "2024-03-07"),
    ("2 weeks ago: lunch @bruno", "2024-02-25"),
    ("a week ago: lunch @bruno", "2024-03-03"),
    ("2024-03-05: lunch @bruno", "2024-03-05"),
    ("2024-03-05 15:30: lunch @bruno", "2024-03-05T15:30"),
    ("june 9 2013: lunch @bruno", "2013-06-09"),
    ("5 Mar: lunch @bruno", "2024-03-05"),
    ("Dec 24: lunch @bruno", "2023-12-24"),  # no year, would be in the future: last year
    ("5/3: lunch @bruno", "2024-03-05"),  # day first by default
    ("25/12/2023: lunch @bruno", "2023-12-25"),  # unambiguous
    ("5.3.2024: lunch @bruno", "2024-03-05"),
    ("Lunch with @bruno: great", "2024-03-10"),  # not a date: the colon is text
    ("Notes: lunch @bruno", "2024-03-10"),
    ("3 people came: lunch @bruno", "2024-03-10"),  # words that are no date: text
]


@pytest.mark.parametrize(("line", "date"), DATES)
def test_dates(line: str, date: str) -> None:
    c = cap(line)
    assert c.errors == (), c.errors
    assert c.date == date


def test_month_first_setting() -> None:
    assert cap("5/3: lunch @bruno", dayfirst=False).date == "2023-05-03"  # 3 May 2024 is ahead
    assert cap("3/25/2023: lunch @bruno", dayfirst=False).date == "2023-03-25"
    assert cap("25/3/2023: lunch @bruno", dayfirst=False).date == "2023-03-25"  # unambiguous wins


def test_text_keeps_everything_after_the_date() -> None:
    c = cap("yesterday: Lunch with @bruno: great talk")
    assert c.text == "Lunch with @bruno: great talk" and c.date_text == "yesterday"
    assert cap("Lunch with @bruno: great").text == "Lunch with @bruno: great"


def test_a_date_given_apart_from_the_line() -> None:
    assert cap("lunch @bruno", on="2024-01-02").date == "2024-01-02"
    c = cap("yesterday: lunch @bruno", on="2024-01-02")
    assert [e.field for e in c.errors] == ["date"] and "two dates" in c.errors[0].message


# --- people -------------------------------------------------------------------------------

PEOPLE_CASES = [
    ("lunch @bruno", ["Bruno Costa"]),
    ("lunch @BRUNO", ["Bruno Costa"]),
    ('lunch @"Ana Silva"', ["Ana Silva"]),
    ('lunch @"ana  silva"', ["Ana Silva"]),
    ("lunch @ana-silva", ["Ana Silva"]),
    ("lunch @ana_silva", ["Ana Silva"]),
    ("lunch @nana", ["Ana Silva"]),  # alias
    ("lunch @eva", ["Éva Nagy"]),  # accents folded
    ("lunch @Éva", ["Éva Nagy"]),
    ("lunch @eva-nagy", ["Éva Nagy"]),
    ("lunch @olga", ["Olga Novak"]),  # the archived Olga does not make it ambiguous
    ("lunch @olga-berg", ["Olga Berg"]),  # but can still be named
    ("lunch @c-carla", ["Carla Mendes"]),  # by id
    ("lunch with @bruno and @carla", ["Bruno Costa", "Carla Mendes"]),
    ("lunch with @bruno, @Bruno and @bruno-costa.", ["Bruno Costa"]),  # once each; full stop ignored
    ("at @bruno's place", ["Bruno Costa"]),  # possessive
    ("wrote to bruno@example.org and @carla", ["Carla Mendes"]),  # an email is not a mention
]


@pytest.mark.parametrize(("line", "names"), PEOPLE_CASES)
def test_people(line: str, names: list[str]) -> None:
    c = cap(line)
    assert c.errors == (), c.errors
    assert [p.name for p in c.people] == names


def test_a_contact_list_works_as_the_resolver() -> None:
    c = parse_capture("call @bruno", now=NOW, resolve=PEOPLE)
    assert [p.id for p in c.people] == ["c-bruno"]


# --- kinds, tags, durations ------------------------------------------------------------------

FIELDS = [
    ("lunch with @bruno", "meal", 0, ()),
    ("Dinner @bruno", "meal", 0, ()),
    ("coffee @bruno #design #ux", "meal", 0, ("design", "ux")),
    ("quick call with @bruno 45m", "call", 45, ()),
    ("@bruno quick call", "call", 0, ()),
    ("meeting @bruno 1h30 #hiring", "meeting", 90, ("hiring",)),
    ("intro @bruno to @carla 2h", "introduction", 120, ()),
    ("emailed @bruno", "message", 0, ()),
    ("conference with @bruno 90 min", "event", 90, ()),
    ("walk with @bruno 1h30m", "other", 90, ()),
    ("walk with @bruno 1h 30m", "other", 90, ()),  # hours then minutes: one duration
    ("meeting @bruno 2 hours 15 min", "meeting", 135, ()),
    ("walked in the park with @bruno", "other", 0, ()),
    ("lunch @bruno #Pricing #pricing #q1-plans, c# and #1", "meal", 0, ("Pricing", "q1-plans")),
    ("lunch @bruno at 12:45m", "meal", 0, ()),  # a clock time is not a duration
]


@pytest.mark.parametrize(("line", "kind", "minutes", "tags"), FIELDS)
def test_kind_tags_and_duration(line: str, kind: str, minutes: int, tags: tuple[str, ...]) -> None:
    c = cap(line)
    assert c.errors == (), c.errors
    assert (c.kind, c.minutes, c.tags) == (kind, minutes, tags)


# --- favours ----------------------------------------------------------------------------------

FAVOURS = [
    ("coffee with @bruno +gave intro to Carla",
     [("given", "introduction", "intro to Carla", 2, ["Bruno Costa"])]),
    ("call @bruno +got advice on pricing",
     [("received", "advice", "advice on pricing", 2, ["Bruno Costa"])]),
    ("call @bruno +got!4 advice on pricing #pricing 45m",
     [("received", "advice", "advice on pricing", 4, ["Bruno Costa"])]),
    ("lunch @bruno +gave a book, +got a ride home",
     [("given", "gift", "a book", 2, ["Bruno Costa"]), ("received", "time", "a ride home", 2, ["Bruno Costa"])]),
    ("dinner with @bruno and @carla +got advice from @carla",
     [("received", "advice", "advice from Carla Mendes", 2, ["Carla Mendes"])]),
    ("dinner with @bruno and @carla +gave!5 my time",
     [("given", "time", "my time", 5, ["Bruno Costa", "Carla Mendes"])]),
    ("lunch @bruno +GOT something nice",
     [("received", "other", "something nice", 2, ["Bruno Costa"])]),
    ("lunch @bruno, the +1 was mine", []),  # +1 is not a favour
]


@pytest.mark.parametrize(("line", "favours"), FAVOURS)
def test_favours(line: str, favours: list[tuple[str, str, str, int, list[str]]]) -> None:
    c = cap(line)
    assert c.errors == (), c.errors
    got = [(f.direction, f.kind, f.text, f.weight, [p.name for p in f.people]) for f in c.favours]
    assert got == favours


def test_the_favour_clause_tags_and_duration_belong_to_the_interaction() -> None:
    c = cap("call @bruno +got!4 advice on pricing #pricing 45m")
    assert c.tags == ("pricing",) and c.minutes == 45 and c.kind == "call"


def test_the_interaction_kind_is_not_taken_from_a_favour() -> None:
    assert cap("@bruno +gave intro to Carla").kind == "other"


@pytest.mark.parametrize(
    ("text", "kind"),
    [("intro to Carla", "introduction"), ("feedback on my deck", "advice"), ("lent 50 euros", "money"),
     ("a referral to Acme", "referral"), ("helped me move", "time"), ("a gift", "gift"), ("the thing", "other")],
)
def test_favour_kinds_from_words(text: str, kind: str) -> None:
    assert guess_favour_kind(text) == kind


# --- errors: every problem is listed, none raised ---------------------------------------------------

ERRORS = [
    ("2019-02-29: lunch @bruno", "date", "no such date: 2019-02-29"),
    ("2020-08-32: lunch @bruno", "date", "no such date: 2020-08-32"),
    ("31 Feb: lunch @bruno", "date", "no such date"),
    ("13/13/2024: lunch @bruno", "date", "no such date"),
    ("2 hours ago: call @bruno", "date", "not a date I understand: '2 hours ago'"),
    ("lunch @ana", "people", "@ana could be Ana Costa, Ana Silva"),  # sorted by name
    ("lunch @costa", "people", "no contact named 'costa' (did you mean Ana Costa, Bruno Costa?)"),  # a surname
    ("lunch @brunno", "people", "no contact named 'brunno' (did you mean Bruno Costa?)"),
    ("lunch @zed", "people", "no contact named 'zed'"),
    ('lunch @"Ana Silva', "people", "close the quote"),
    ("lunch with nobody", "people", "mention at least one person"),
    ("yesterday: ", "text", "nothing to record"),
    ("", "text", "nothing to record"),
    ("call @bruno 25h", "minutes", "longer than a day"),
    ("call @bruno 1h75", "minutes", "under 60"),
    ("call @bruno 0m", "minutes", "more than 0"),
    ("call @bruno 45m 1h", "minutes", "two durations: '45m' and '1h'"),
    ("call @bruno 1h 90m", "minutes", "two durations: '1h' and '90m'"),
    ("call @bruno 1h and 30m", "minutes", "two durations: '1h' and '30m'"),
    ("call @bruno +gave!9 time", "favour", "weight after ! is 1 to 5"),
    ("call @bruno +gave!x time", "favour", "weight after ! is 1 to 5"),
    ("call @bruno +gave", "favour", "+gave needs a few words"),
    ("call @bruno +helped move", "favour", "+helped is not a favour"),
]


@pytest.mark.parametrize(("line", "field", "words"), ERRORS)
def test_errors(line: str, field: str, words: str) -> None:
    c = cap(line)
    assert not c.ok
    messages = c.error_dict()
    assert field in messages, messages
    assert words in messages[field], messages[field]
    with pytest.raises(ValidationError):
        capture_records(c)


def test_all_problems_are_reported_together_with_their_place_in_the_line() -> None:
    line = "2019-02-29: lunch @zed 25h +gave!9 x"
    c = cap(line)
    assert sorted(c.error_dict()) == ["date", "favour", "minutes", "people"]
    spans = {e.field: line[e.start:e.end] for e in c.errors}
    assert spans == {"date": "2019-02-29", "people": "@zed", "minutes": "25h", "favour": "+gave!9"}


def test_unknown_mentions_are_listed_with_a_name_to_create() -> None:
    c = cap("lunch @zed and @ana_lima and @\"Jean-Luc Picard\" and @bruno")
    assert [m.ref for m in c.unresolved] == ["zed", "ana_lima", "Jean-Luc Picard"]
    assert [m.new_name for m in c.unresolved] == ["Zed", "Ana Lima", "Jean-Luc Picard"]
    assert [p.name for p in c.people] == ["Bruno Costa"]
    amb = cap("lunch @ana").unresolved[0]
    assert amb.ambiguous and set(amb.candidates) == {"Ana Silva", "Ana Costa"}


# --- records -------------------------------------------------------------------------------------


def test_capture_records() -> None:
    c = cap("yesterday: dinner with @bruno and @carla 2h #food +gave!3 intro to Eva +got advice from @carla")
    recs = capture_records(c, stamp="2024-03-10T12:00:00.000000Z")
    i = recs.interaction
    assert (i.date, i.kind, i.minutes, i.tags) == ("2024-03-09", "meal", 120, ["food"])
    assert i.contact_ids == ["c-bruno", "c-carla"]
    assert i.text == "dinner with Bruno Costa and Carla Mendes #food" and i.id.startswith("i-") and i.created == "2024-03-10T12:00:00.000000Z"
    favs = [(f.contact_id, f.direction, f.kind, f.weight, f.text, f.date) for f in recs.favours]
    assert favs == [
        ("c-bruno", "given", "introduction", 3, "intro to Eva", "2024-03-09"),
        ("c-carla", "given", "introduction", 3, "intro to Eva", "2024-03-09"),
        ("c-carla", "received", "advice", 2, "advice from Carla Mendes", "2024-03-09"),
    ]
    assert all(f.interaction_id == i.id and f.id.startswith("f-") for f in recs.favours)
    assert recs.all == [i, *recs.favours]


def test_describe_is_a_readable_preview() -> None:
    rows = dict(cap("yesterday: call @bruno 45m #x +got advice").describe())
    assert rows == {
        "date": "2024-03-09 (Saturday 9 March)", "kind": "call", "with": "Bruno Costa", "time": "45m", "tags": "#x",
        "favour": "received from Bruno Costa: advice (advice, weight 2)",
    }


def test_the_index_takes_stored_documents_and_builds_only_the_people_mentioned() -> None:
    docs = [c.to_dict() for c in PEOPLE]
    index = ContactIndex(docs)
    c = parse_capture("call @nana and @eva-nagy", now=NOW, resolve=index)
    assert [(p.id, p.name, type(p).__name__) for p in c.people] == [
        ("c-ana", "Ana Silva", "Contact"), ("c-eva", "Éva Nagy", "Contact"),
    ]
    assert cap("call @ana").error_dict() == parse_capture("call @ana", now=NOW, resolve=index).error_dict()


@pytest.mark.parametrize("stored", [False, True], ids=["records", "documents"])
def test_people_sharing_a_name_are_told_apart_by_the_id_a_mention_takes(stored: bool) -> None:
    """Two people called Ana Silva: the message names each by id and organisation, and says
    how to pick one; the id as a mention then records that person."""
    twins = [*PEOPLE, Contact(id="c-ana2", name="Ana Silva", org="Acme")]
    index = ContactIndex([c.to_dict() for c in twins] if stored else twins)
    message = parse_capture('lunch @"Ana Silva"', now=NOW, resolve=index).error_dict()["people"]
    assert "could be Ana Silva (c-ana), Ana Silva (c-ana2, Acme)" in message
    assert "write @ and the id" in message
    # Different names among the candidates need no ids.
    assert "write @" not in cap("lunch @ana").error_dict()["people"]
    picked = parse_capture("lunch @c-ana2", now=NOW, resolve=index)
    assert [p.org for p in picked.people] == ["Acme"]


# --- plans and what the line saves as text ------------------------------------------------

PLANS = [
    ("tomorrow: lunch with @nana", "2024-03-11"),
    ("next tuesday: call @bruno", "2024-03-12"),
    ("2024-12-24: dinner @carla", "2024-12-24"),
    ("in 2 weeks: coffee @eva", "2024-03-24"),
]


@pytest.mark.parametrize(("line", "day"), PLANS)
def test_a_plan_is_typed_with_tomorrow_next_weekday_or_its_year(line: str, day: str) -> None:
    c = cap(line)
    assert c.ok, c.errors
    assert c.date == day and c.plan
    assert "upcoming" in dict(c.describe())["date"]
    assert c.summary().startswith("a plan: ")


def test_a_past_line_is_not_a_plan_and_says_how_its_date_was_read() -> None:
    c = cap("5 Mar: lunch with @nana")
    assert not c.plan
    assert dict(c.describe())["date"] == "2024-03-05 (Tuesday 5 March)"
    assert c.summary() == "a meal with Ana Silva on Tuesday 5 March 2024"


def test_a_favour_on_a_plan_is_refused_with_what_to_do() -> None:
    c = cap("tomorrow: lunch with @nana +gave intro to Carla")
    assert not c.ok
    [error] = c.errors
    assert error.field == "favour"
    assert "after today" in error.message and "on its day" in error.message
    assert cap("tomorrow: lunch with @nana").ok


PROSE = [
    ("yesterday: coffee with @nana about payments 45m", "coffee with Ana Silva about payments"),
    ('2024-03-05 15:30: call with @"Bruno Costa" #pricing 1h30 +got!4 advice on pricing', "call with Bruno Costa #pricing"),
    ("lunch with @nana and @eva 1h 30m #food", "lunch with Ana Silva and Éva Nagy #food"),
    ("@bruno's launch party, 2h", "Bruno Costa's launch party"),
    ("coffee @nana", "coffee Ana Silva"),
]


@pytest.mark.parametrize(("line", "note"), PROSE)
def test_the_note_reads_as_prose(line: str, note: str) -> None:
    c = cap(line)
    assert c.ok, c.errors
    assert c.note == note
    assert capture_records(c).interaction.text == note


FAVOUR_WORDS = [
    ("lunch @nana @carla +gave intro to Priya @carla", "intro to Priya"),
    ("lunch @nana @carla +gave intro @nana and @carla", "intro"),
    ("lunch @nana +got advice from @nana #x 45m", "advice from Ana Silva"),
    ("lunch @nana +gave intro to @carla and @bruno", "intro to Carla Mendes and Bruno Costa"),
]


@pytest.mark.parametrize(("line", "text"), FAVOUR_WORDS)
def test_favour_words_lose_their_routing_mentions(line: str, text: str) -> None:
    c = cap(line)
    assert c.ok, c.errors
    assert [f.text for f in c.favours] == [text]


def test_the_note_keeps_every_character_of_what_was_written() -> None:
    """Only the spaces left by the parts taken out are tidied: the rest is kept as typed
    (control characters too: they are data, escaped where they are shown)."""
    odd = "met \x85about\x1c the\u00a0plan \u202eeert\u202c,  twice  spaced"
    c = cap(f"@nana {odd} 30m")
    assert c.note == f"Ana Silva {odd}"
