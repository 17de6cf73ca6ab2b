"""Names in every script: mentions, the one resolver, folding, slugs and right-to-left names.

The corpus holds people in nine scripts; each first word is unique, so each can be mentioned
by it. Every test here failed before names in other scripts were handled (tokens were cut at
combining marks, names without Latin letters had an empty slug that matched each other, and
folding dropped the marks of Devanagari and Thai)."""

from __future__ import annotations

from datetime import datetime

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from rich.cells import cell_len

from netjournal.domain.capture import parse_capture
from netjournal.domain.model import Contact
from netjournal.domain.people import ContactIndex
from netjournal.domain.text import FSI, PDI, fold, isolate, slug
from netjournal.errors import AmbiguousError, NotFoundError
from netjournal.interop.markdown import contact_file_names

NOW = datetime(2024, 3, 10, 12, 0)

# (id, name, a mention that names them, the other ways to name them)
CORPUS = [
    ("c-wang", "王小明", "@王小明", ["@\"王小明\""]),
    ("c-olga", "Ольга Петрова", "@Ольга", ["@ольга", "@ОЛЬГА", "@\"ольга петрова\"", "@ольга-петрова"]),
    ("c-moh", "محمد الأحمد", "@\"محمد الأحمد\"", ["@محمد", "@محمد-الأحمد"]),
    ("c-nikos", "Νίκος Παπαδόπουλος", "@Νίκος", ["@νικος", "@ΝΊΚΟΣ", "@\"νικος παπαδοπουλος\""]),
    ("c-priya", "प्रिया शर्मा", "@प्रिया", ["@\"प्रिया शर्मा\"", "@प्रिया-शर्मा"]),
    ("c-somchai", "สมชาย ใจดี", "@สมชาย", ["@\"สมชาย ใจดี\""]),
    ("c-yossi", "יוסי כהן", "@יוסי", ["@\"יוסי כהן\""]),
    ("c-kim", "김민준", "@김민준", []),
    ("c-zoe", "Zoë Ångström", "@zoe", ["@Zoë", "@\"zoe angstrom\"", "@zoe-angstrom"]),
]
OTHERS = [  # same scripts, other first words: each mention above must pick one person
    Contact(id="c-li", name="李雷"),
    Contact(id="c-anna", name="Анна Иванова"),
    Contact(id="c-ahmad", name="أحمد علي"),
    Contact(id="c-giorgos", name="Γιώργος Νικολάου"),
    Contact(id="c-rahul", name="राहुल वर्मा"),
    Contact(id="c-nat", name="ณัฐ ศรีสุข"),
    Contact(id="c-dana", name="דנה לוי"),
    Contact(id="c-seo", name="이서연"),
    Contact(id="c-ana", name="Ana Silva"),
]
PEOPLE = [Contact(id=cid, name=name) for cid, name, _, _ in CORPUS] + OTHERS
INDEX = ContactIndex(PEOPLE)

MENTIONS = [(cid, mention) for cid, _, first, more in CORPUS for mention in [first, *more]]


def people_of(line: str, people: list[Contact] | ContactIndex = INDEX) -> list[str]:
    capture = parse_capture(line, now=NOW, resolve=people)
    assert capture.ok, capture.errors
    return [p.id for p in capture.people]


@pytest.mark.parametrize("cid, mention", MENTIONS)
def test_a_name_in_any_script_is_mentioned_by_first_word_full_name_or_slug(cid: str, mention: str) -> None:
    assert people_of(f"coffee with {mention} 45m") == [cid]


@pytest.mark.parametrize("cid, mention", MENTIONS)
def test_a_mention_followed_by_punctuation_keeps_the_whole_name(cid: str, mention: str) -> None:
    assert people_of(f"coffee with {mention}, then a walk") == [cid]


@pytest.mark.parametrize(
    "line, ids",
    [
        ("见了@王小明、@李雷。", ["c-wang", "c-li"]),  # ideographic comma and full stop
        ("غداء مع @محمد، @أحمد", ["c-moh", "c-ahmad"]),  # Arabic comma
        ("кофе с @Ольгой… нет, с @Ольга!", None),  # a declined name is another word: not found
        ("@प्रिया। @राहुल", ["c-priya", "c-rahul"]),  # the danda ends a Devanagari sentence
    ],
)
def test_a_mention_ends_at_the_punctuation_of_its_script(line: str, ids: list[str] | None) -> None:
    capture = parse_capture(line, now=NOW, resolve=INDEX)
    if ids is None:
        assert [m.ref for m in capture.mentions] == ["Ольгой", "Ольга"] and not capture.ok
    else:
        assert capture.ok, capture.errors
        assert [p.id for p in capture.people] == ids


def test_the_mention_span_covers_the_combining_marks() -> None:
    line = "lunch @प्रिया #food"
    capture = parse_capture(line, now=NOW, resolve=INDEX)
    (mention,) = capture.mentions
    assert line[mention.start:mention.end] == "@प्रिया" and mention.ref == "प्रिया"
    assert capture.tags == ("food",)


def test_a_mention_by_alias_and_by_id_in_any_script() -> None:
    people = [*PEOPLE, Contact(id="c-sasha", name="Alexander Berg", aliases=["Саша"])]
    assert people_of("call @саша and @c-kim", people) == ["c-sasha", "c-kim"]


def test_a_mention_right_after_chinese_text_is_a_mention_but_an_email_is_not() -> None:
    assert people_of("和@王小明 喝咖啡") == ["c-wang"]
    capture = parse_capture("wrote to ana@silva.org and @zoe", now=NOW, resolve=INDEX)
    assert [p.id for p in capture.people] == ["c-zoe"]


def test_names_without_latin_letters_are_no_longer_all_alike() -> None:
    """An unknown non-Latin name gets a "no contact named", not "could be" everyone."""
    capture = parse_capture("lunch @Παύλος", now=NOW, resolve=INDEX)
    message = capture.error_dict()["people"]
    assert message.startswith("no contact named 'Παύλος'") and "could be" not in message


def test_people_sharing_a_non_latin_first_word_are_listed_with_ids_when_they_share_the_name() -> None:
    twins = [*PEOPLE, Contact(id="c-wang2", name="王小明", org="清华")]
    capture = parse_capture("lunch @王小明", now=NOW, resolve=twins)
    assert "could be 王小明 (c-wang), 王小明 (c-wang2, 清华)" in capture.error_dict()["people"]
    assert people_of("lunch @c-wang2", twins) == ["c-wang2"]
    olgas = [*PEOPLE, Contact(id="c-olga2", name="Ольга Смирнова")]
    message = parse_capture("lunch @ольга", now=NOW, resolve=olgas).error_dict()["people"]
    assert "could be Ольга Петрова, Ольга Смирнова" in message


def test_closest_names_in_other_scripts() -> None:
    message = parse_capture("lunch @प्रियंका", now=NOW, resolve=INDEX).error_dict()["people"]  # not Priya
    assert message == "no contact named 'प्रियंका' (did you mean प्रिया शर्मा?)"
    message = parse_capture("lunch @Ольгa", now=NOW, resolve=INDEX).error_dict()["people"]  # a Latin a at the end
    assert "did you mean Ольга Петрова?" in message


# --- folding and slugs ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, folded",
    [
        ("Éva NAGY", "eva nagy"),
        ("𝘈na", "ana"),  # a mathematical letter is its plain one
        ("Ångström", "angstrom"),
        ("Νίκος", "νικοσ"),  # the final sigma folds like the capital one
        ("ΝΊΚΟΣ", "νικοσ"),
        ("Алёна", "алена"),
        ("Андрей", "андрей"),  # й is a letter of its own, not an accented и
        ("प्रिया", "प्रिया"),  # the virama and vowel signs are the name
        ("สมชาย ใจดี", "สมชาย ใจดี"),
        ("ก่อน", "ก่อน"),  # a Thai tone mark stays
        ("김민준", "김민준"),  # Hangul stays syllables, not jamo
        ("王小明", "王小明"),
        ("مُحَمَّد", "محمد"),  # Arabic vowel marks are optional: they fold
        ("יוֹסִי", "יוסי"),  # as do Hebrew points
    ],
)
def test_fold_strips_accents_but_keeps_the_letters_of_other_scripts(text: str, folded: str) -> None:
    assert fold(text) == folded
    assert fold(folded) == folded


@pytest.mark.parametrize(
    "name, expected",
    [
        ("Ana Silva", "ana-silva"),
        ("Éva Nagy", "eva-nagy"),
        ("王小明", "王小明"),
        ("Ольга Петрова", "ольга-петрова"),
        ("ΝΊΚΟΣ Παπαδόπουλος", "νικος-παπαδοπουλος"),  # a final sigma again at the end of a word
        ("محمد الأحمد", "محمد-الاحمد"),
        ("प्रिया शर्मा", "प्रिया-शर्मा"),
        ("김민준", "김민준"),
        ("  O'Brien, Seán  ", "o-brien-sean"),
        ("🙂", ""),
    ],
)
def test_slugs_keep_the_script(name: str, expected: str) -> None:
    assert slug(name) == expected


def test_per_contact_markdown_files_are_named_in_the_persons_script() -> None:
    people = [*PEOPLE[:3], Contact(id="c-smile", name="🙂"), Contact(id="c-wang2", name="王小明")]
    names = contact_file_names(people)
    assert names["c-olga"] == "ольга-петрова.md"
    assert names["c-moh"] == "محمد-الاحمد.md"
    assert names["c-wang"] == "王小明-c-wang.md" and names["c-wang2"] == "王小明-c-wang2.md"  # namesakes
    assert names["c-smile"] == "c-smile.md"  # no letters at all: the id


def test_a_very_long_name_gives_a_file_name_the_disk_takes() -> None:
    name = "प्रिया " * 40
    (file_name,) = contact_file_names([Contact(id="c-long", name=name)]).values()
    assert len(file_name.encode()) <= 200 and file_name.startswith("प्रिया-प्रिया")
    assert file_name.endswith("ा.md")  # not cut between a letter and its vowel sign


# --- right to left ---------------------------------------------------------------------------------


def test_isolate_wraps_right_to_left_text_only() -> None:
    assert isolate("Ana Silva") == "Ana Silva"
    assert isolate("王小明") == "王小明"
    assert isolate("محمد الأحمد") == f"{FSI}محمد الأحمد{PDI}"
    assert isolate("יוסי (Yossi)") == f"{FSI}יוסי (Yossi){PDI}"
    assert cell_len(isolate("יוסי כהן")) == cell_len("יוסי כהן")


def test_isolate_keeps_a_name_from_closing_its_isolate_early() -> None:
    assert isolate(f"דנה{PDI} x") == f"{FSI}דנה x{PDI}"


def test_right_to_left_names_are_isolated_in_messages_and_previews() -> None:
    twins = [*PEOPLE, Contact(id="c-moh2", name="محمد الأحمد")]
    message = parse_capture("lunch @محمد", now=NOW, resolve=twins).error_dict()["people"]
    assert f"could be {FSI}محمد الأحمد{PDI} (c-moh), {FSI}محمد الأحمد{PDI} (c-moh2)" in message
    missing = parse_capture("lunch @שרה", now=NOW, resolve=INDEX).error_dict()["people"]
    assert missing.startswith(f"no contact named '{FSI}שרה{PDI}'")
    rows = dict(parse_capture("call @יוסי and @zoe +gave advice", now=NOW, resolve=INDEX).describe())
    assert rows["with"] == f"{FSI}יוסי כהן{PDI}, Zoë Ångström"
    assert rows["favour"].startswith(f"given to {FSI}יוסי כהן{PDI}, Zoë Ångström: advice")


# --- the one resolver ---------------------------------------------------------------------------------


@pytest.fixture
def journal(tmp_path):  # type: ignore[no-untyped-def]
    from netjournal.store import Journal

    with Journal.open(tmp_path / "journal.json") as j:
        j.put_many([c.stamped() for c in [*PEOPLE, Contact(id="c-anac", name="Ana Costa")]])
        yield j


@pytest.mark.parametrize("cid, mention", MENTIONS)
def test_the_journal_resolves_every_script_as_the_capture_line_does(journal, cid: str, mention: str) -> None:  # type: ignore[no-untyped-def]
    assert journal.resolve_contact(mention).id == cid


@pytest.mark.parametrize("ref", ["ana", "Ольгa", "Παύλος", "stone", "王", "zo"])
def test_the_journal_and_the_capture_line_give_the_same_answer(journal, ref: str) -> None:  # type: ignore[no-untyped-def]
    index = ContactIndex(journal.raw_documents("contacts"))
    found = index(ref)
    try:
        journal.resolve_contact(ref)
    except AmbiguousError as exc:
        assert found.ambiguous and all(label in str(exc) for label in found.candidates)
    except NotFoundError as exc:
        assert found.contact is None and not found.ambiguous
        assert all(label in str(exc) for label in found.candidates)
    else:
        raise AssertionError(f"{ref!r} resolved")


# --- any name --------------------------------------------------------------------------------------

NAME_CHARS = st.characters(categories=("L", "M", "N", "Zs", "P"), exclude_characters='"')


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(name=st.text(NAME_CHARS, min_size=1, max_size=30), others=st.lists(st.text(NAME_CHARS, min_size=1, max_size=12), max_size=4))
def test_any_name_can_be_mentioned_quoted_by_id_and_by_a_unique_first_word(name: str, others: list[str]) -> None:
    assume(any(ch.isalnum() for ch in name) and name.strip())
    others = [o for o in others if o.strip() and fold(" ".join(o.split())) != fold(" ".join(name.split()))]
    people = [Contact(id="c-target", name=name), *(Contact(id=f"c-other{n}", name=o) for n, o in enumerate(others))]
    index = ContactIndex(people)
    assert people_of(f'call @"{name}"', index) == ["c-target"]
    assert people_of("call @c-target", index) == ["c-target"]
    first = slug(name).split("-")[0]
    assume(first)
    for other in others:
        assume(first not in {fold(w) for w in other.split()} | set(slug(other).split("-")))
    assert people_of(f"call @{first}", index) == ["c-target"]


# --- columns ---------------------------------------------------------------------------------------


def _listing_lines(rows: list[tuple[str, str]], width: int) -> list[str]:
    import io

    from rich.console import Console
    from rich.text import Text

    from netjournal.cli.listing import Listing

    table = Listing("name", "circle")
    for name, circle in rows:
        table.add_row(Text(name), circle)
    out = io.StringIO()
    Console(file=out, width=width, highlight=False, soft_wrap=False, color_system=None).print(table)
    return out.getvalue().splitlines()


@pytest.mark.parametrize("width", [80, 14])
def test_a_right_to_left_name_in_a_shell_column_is_isolated_and_the_columns_stay_put(width: int) -> None:
    lines = _listing_lines([("Ana Silva", "inner"), ("محمد الأحمد عبد الله", "close"), ("יוסי", "active")], width)
    rtl = lines[2]
    assert rtl.startswith(FSI) and rtl.count(FSI) == 1 and rtl.count(PDI) == 1  # cut or not, the isolate is closed
    assert rtl.index(PDI) < rtl.index("close")
    starts = [cell_len(line[: line.index(word)]) for line, word in zip(lines[1:], ["inner", "close", "active"], strict=True)]
    assert len(set(starts)) == 1, lines  # the second column starts at the same cell on every row


def test_a_right_to_left_name_in_an_app_column_is_isolated_within_its_width() -> None:
    from netjournal.tui.widgets.line_list import fit

    for width in (30, 8):
        cell = fit("محمد الأحمد عبد الله", width).plain
        assert cell.startswith(FSI) and PDI in cell and cell_len(cell) == width
    assert fit("Ana Silva", 12).plain == "Ana Silva   "
