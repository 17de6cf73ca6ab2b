"""The search grammar (domain/query.py): words as word prefixes, @person, #tag, a period."""

from __future__ import annotations

import pytest

from netjournal.domain.model import Contact
from netjournal.domain.people import ContactIndex
from netjournal.domain.query import Query, combine, match_spans, parse_query, words

PEOPLE = ContactIndex([
    Contact(id="c-ana", name="Ana Silva"),
    Contact(id="c-anab", name="Ana Bruno"),
    Contact(id="c-eva", name="Éva Nagy"),
    Contact(id="c-olga", name="Ольга Петрова"),
    Contact(id="c-priya", name="प्रिया शर्मा"),
    Contact(id="c-wang", name="王小明"),
    Contact(id="c-moh", name="محمد الأحمد"),
])


def doc(text: str, *, day: str = "2026-03-05", people: tuple[str, ...] = ("c-eva",), tags: tuple[str, ...] = ()) -> dict:
    return {"text": text, "date": day, "contact_ids": list(people), "tags": list(tags)}


def test_words_are_whole_word_prefixes_ignoring_case_and_accents() -> None:
    q = parse_query("pric RÉSUMÉ", PEOPLE)
    assert q.words == ("pric", "resume") and not q.error
    assert q.matches(doc("Talked Pricing and her resume"))
    assert not q.matches(doc("Talked pricing only"))
    assert not parse_query("ricing", PEOPLE).matches(doc("Talked pricing"))  # not inside a word
    assert parse_query("follow-up", PEOPLE).words == ("follow", "up")


def test_words_in_other_scripts() -> None:
    assert parse_query("प्रि", PEOPLE).matches(doc("मिले प्रिया से"))  # the marks belong to the word
    assert not parse_query("रि", PEOPLE).matches(doc("मिले प्रिया से"))
    assert parse_query("ольг", PEOPLE).matches(doc("Обед с Ольгой"))
    # Chinese and Thai are written without spaces: a word is found anywhere.
    assert parse_query("小明", PEOPLE).matches(doc("今天和王小明吃饭"))
    assert parse_query("กินข้าว", PEOPLE).matches(doc("สมชายกินข้าว"))
    assert words("Ångström's, 김민준") == ["angstrom", "s", "김민준"]


@pytest.mark.parametrize(("typed", "who"), [
    ("@ana-silva", "c-ana"), ('@"Ana Silva"', "c-ana"), ("@éva", "c-eva"), ("@eva,", "c-eva"),
    ("@Ольга", "c-olga"), ("@प्रिया", "c-priya"), ("@王小明", "c-wang"), ('@"محمد الأحمد"', "c-moh"),
])
def test_people_in_any_script_resolve_with_the_one_resolver(typed: str, who: str) -> None:
    q = parse_query(f"lunch {typed}", PEOPLE)
    assert q.error == "" and q.people == (who,) and q.words == ("lunch",)
    assert q.matches(doc("Lunch at noon", people=(who,)))
    assert not q.matches(doc("Lunch at noon", people=("c-nobody",)))


@pytest.mark.parametrize(("typed", "problem"), [
    ("@zed", "no contact named 'zed'"),
    ("@ana", "@ana could be Ana Bruno, Ana Silva"),
    ('@"Ana Sil', 'close the quote, as in @"Ana Silva"'),
    ("2026-13", "no such month: 2026-13"),
    ("2026-02-30..", "no such date: 2026-02-30"),
    ("2026-05..2026-03", "2026-05..2026-03: the period ends before it starts"),
    ("2026-03 2026-05", "one period at a time"),
    ("..", "a period needs a date"),
])
def test_a_bad_query_is_one_line_naming_the_problem(typed: str, problem: str) -> None:
    q = parse_query(f"coffee {typed}", PEOPLE)
    assert problem in q.error and "\n" not in q.error


def test_tags_and_periods() -> None:
    q = parse_query("#Design, 2026-03..2026-04", PEOPLE)
    assert (q.tags, q.date_from, q.date_to) == (("design",), "2026-03-01", "2026-04-30")
    assert q.matches(doc("x", day="2026-04-30T18:00", tags=("design",)))
    assert not q.matches(doc("x", day="2026-05-01", tags=("design",)))
    assert not q.matches(doc("x", day="2026-03-02", tags=("ux",)))
    assert (parse_query("2024-02").date_from, parse_query("2024-02").date_to) == ("2024-02-01", "2024-02-29")
    assert parse_query("2025..").date_from == "2025-01-01" and parse_query("..2025").date_to == "2025-12-31"
    assert parse_query("2026").words == ("2026",)  # a year alone is a word; 2026..2026 is the year


def test_typing_half_a_term_asks_for_nothing_yet() -> None:
    assert parse_query("@ # ", PEOPLE) == Query("@ # ")
    assert parse_query("", PEOPLE).empty


def test_the_shells_flags_narrow_the_query() -> None:
    q = combine(parse_query("coffee 2026", PEOPLE), people=["c-eva"], tags=["#Work"], date_from="2026-01-01",
                date_to="2026-06-30")
    assert (q.words, q.people, q.tags, q.date_from, q.date_to) == (
        ("coffee", "2026"), ("c-eva",), ("work",), "2026-01-01", "2026-06-30")


def test_match_spans_mark_the_words_a_query_found() -> None:
    q = parse_query("pric résu 小明", PEOPLE)
    line = "Pricing: her Résumé, pricey; 王小明 said"
    assert [line[s:e] for s, e in match_spans(line, q)] == ["Pricing", "Résumé", "pricey", "小明"]
    assert match_spans(line, parse_query("@eva", PEOPLE)) == []
