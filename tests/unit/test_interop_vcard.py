"""vCard in (2.1, 3.0, 4.0 as phones, Google, Apple and khard write them) and out (4.0)."""

from __future__ import annotations

import string
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from netjournal.domain.model import CIRCLES, Contact
from netjournal.domain.safe import BIDI_CONTROLS  # text exports neutralise them by design
from netjournal.domain.text import fold
from netjournal.errors import NetjournalError
from netjournal.interop.contact_files import load_contacts_file
from netjournal.interop.vcard import dump_vcards, parse_vcards

FIX = Path(__file__).parents[1] / "fixtures" / "interop"


def people(name: str, *, skip_bad: bool = False) -> list[Contact]:
    return [c for _, c in load_contacts_file(FIX / name, skip_bad=skip_bad).people]


def test_vcard_21_from_an_old_phone() -> None:
    joerg, renee = people("phone_v21.vcf")
    # quoted-printable UTF-8 name, a QP soft line break in a Latin-1 note, nameless TEL parameters
    assert joerg.name == "Jörg Müller"
    assert joerg.phones == ["+49 170 1234567", "+49 30 1111"]
    assert joerg.emails == ["joerg@example.de"]
    assert joerg.notes == "Runs the café on the corner.\nMet at the Straßenfest."
    assert joerg.birthday == "1984-11-02"
    # a card with N but no FN, in raw ISO-8859-1 bytes
    assert renee.name == "Renée Lefèvre"
    assert renee.org == "Boulangerie Lefèvre"
    assert renee.role == "Gérante"


def test_vcard_30_from_google() -> None:
    ana, chidi = people("google_v30.vcf")
    assert ana.name == "Ana Silva"
    assert ana.aliases == ["Aninha", "Nana"]
    # item1.EMAIL (a grouped property) is an email like the others
    assert ana.emails == ["ana@example.com", "ana.silva@acme.example", "ana.old@example.org"]
    assert ana.org == "Acme Research" and ana.role == "Lead Scientist"
    assert ana.birthday == "--04-15"
    # folded lines joined, escaped comma unescaped; Google's system group is not a tag
    assert ana.notes.endswith("follow up with a list before the summer break.")
    assert "two kids, Rui and Inês" in ana.notes
    assert ana.tags == ["Friends", "Science"]
    # N without FN: given name first, the honorific prefix dropped
    assert chidi.name == "Chidi Okafor"
    assert chidi.tags == []


def test_vcard_30_from_apple_with_photo_and_birthday_without_year() -> None:
    (yuki,) = people("apple_v30.vcf")
    assert yuki.name == "Yuki Tanaka"
    assert yuki.birthday == "--08-30"  # X-APPLE-OMIT-YEAR
    assert yuki.emails == ["yuki@kumo.example"]
    assert yuki.phones == ["+81 90 1234 5678"]
    assert yuki.org == "Kumo Design, Studio"
    assert yuki.role == "Art Director"


def test_vcard_40_from_khard() -> None:
    (zoe,) = people("khard_v40.vcf")
    assert zoe.name == "Zoë Brennan"  # after a UTF-8 byte order mark
    assert zoe.aliases == ["Zo", "ZB"]
    assert zoe.phones == ["+353-87-123-4567"]  # tel: URI
    assert zoe.birthday == "1990-04-15"  # basic format
    assert zoe.role == "Organiser"  # ROLE when there is no TITLE
    assert zoe.notes == "First line\nSecond line, with a comma; and a semicolon"
    assert zoe.tags == ["makers", "Dublin"]
    assert zoe.id == ""  # a foreign UID is not taken as a netjournal id


def test_a_damaged_card_refuses_the_file_and_names_the_card_and_line() -> None:
    with pytest.raises(NetjournalError) as err:
        load_contacts_file(FIX / "damaged.vcf")
    msg = str(err.value)
    assert "damaged.vcf: card 2 (line 6)" in msg and "line 9" in msg and "nothing was imported" in msg


def test_skip_bad_keeps_the_good_cards_and_lists_the_others() -> None:
    parsed = load_contacts_file(FIX / "damaged.vcf", skip_bad=True)
    assert [c.name for _, c in parsed.people] == ["Good One", "Good Three"]
    assert [p.where for p in parsed.skipped] == ["card 2 (line 6)", "card 3 (line 11, Good Two)"]
    assert "not an email address" in parsed.skipped[1].message


def test_a_file_cut_short_is_named() -> None:
    with pytest.raises(NetjournalError, match=r"card 2 \(line 5\): no END:VCARD"):
        load_contacts_file(FIX / "truncated.vcf")


@pytest.mark.parametrize(
    "text, problem",
    [
        ("", "holds no vCard"),
        ("Hello\n", "line 1: text outside a card"),
        ("BEGIN:VCARD\nVERSION:3.0\nNOTE:no name here\nEND:VCARD\n", "no name"),
        ("BEGIN:VCARD\nVERSION:3.0\nFN:X\nBDAY:1990-02-30\nEND:VCARD\n", "not a birthday"),
        ("BEGIN:VCARD\nVERSION:2.1\nFN;ENCODING=QUOTED-PRINTABLE;CHARSET=no-such-charset:A=E9\nEND:VCARD\n", "undecodable"),
    ],
)
def test_bad_input_is_one_clear_error(text: str, problem: str) -> None:
    with pytest.raises(NetjournalError, match=problem):
        parse_vcards(text.encode(), source="x.vcf")


def test_a_card_without_fn_or_n_falls_back_to_nickname_org_then_email() -> None:
    raw = (
        b"BEGIN:VCARD\nVERSION:3.0\nORG:Acme\nEND:VCARD\n"
        b"BEGIN:VCARD\nVERSION:3.0\nEMAIL:x@y.z\nEND:VCARD\n"
        b"BEGIN:VCARD\nVERSION:3.0\nNICKNAME:Bo\nORG:Acme\nEND:VCARD\n"
    )
    assert [c.name for _, c in parse_vcards(raw, source="x").people] == ["Acme", "x@y.z", "Bo"]


def test_birthday_given_as_text_goes_to_notes() -> None:
    raw = b"BEGIN:VCARD\nVERSION:4.0\nFN:Old Friend\nBDAY;VALUE=text:circa 1960\nEND:VCARD\n"
    (c,) = [c for _, c in parse_vcards(raw, source="x").people]
    assert c.birthday == "" and c.notes == "Birthday: circa 1960"


def test_export_is_vcard_40_with_crlf_and_folded_lines() -> None:
    c = Contact(id="c-0123456789abcdef", name="Ana Silva", notes="word " * 40, birthday="--04-15")
    text = dump_vcards([c]).decode()
    assert text.startswith("BEGIN:VCARD\r\nVERSION:4.0\r\n")
    assert "UID:c-0123456789abcdef\r\n" in text and "BDAY:--0415\r\n" in text
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))


def test_fixtures_survive_export_and_reimport() -> None:
    for name in ("phone_v21.vcf", "google_v30.vcf", "apple_v30.vcf", "khard_v40.vcf"):
        before = people(name)
        after = [c for _, c in parse_vcards(dump_vcards(before), source="again").people]
        assert [c.to_dict() for c in after] == [c.to_dict() for c in before], name


# ----------------------------------------------------------------------------- round trip property
_CHARS = st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp", "Co", "Cn"), blacklist_characters=BIDI_CONTROLS)
_word = st.text(_CHARS, min_size=1, max_size=12).map(lambda s: "".join(s.split())).filter(bool)
_line = st.lists(_word, min_size=1, max_size=4).map(" ".join)
_notes = st.lists(_line, max_size=3).map("\n".join)
_email = st.builds(lambda a, b: f"{a}@{b}", st.text(string.ascii_letters + string.digits + ".,;_+-", min_size=1, max_size=10),
                   st.text(string.ascii_lowercase + ".", min_size=1, max_size=10))
_phone = st.text(string.digits + " +-()", min_size=1, max_size=15).map(str.strip).filter(bool)
_birthday = st.one_of(
    st.just(""),
    st.dates().filter(lambda d: d.year >= 1000).map(lambda d: d.isoformat()),
    st.dates().map(lambda d: f"--{d.month:02d}-{d.day:02d}"),
)


def _unique(items: list[str], *, avoid: str = "") -> list[str]:
    out: list[str] = []
    seen = {fold(avoid)} if avoid else set()
    for v in items:
        if fold(v) not in seen:
            seen.add(fold(v))
            out.append(v)
    return out


@st.composite
def contacts(draw: st.DrawFn) -> Contact:
    name = draw(_line)
    return Contact(
        id="c-" + draw(st.text("0123456789abcdef", min_size=16, max_size=16)),
        name=name[:200],
        aliases=_unique(draw(st.lists(_line, max_size=3)), avoid=name[:200]),
        org=draw(st.one_of(st.just(""), _line)),
        role=draw(st.one_of(st.just(""), _line)),
        emails=_unique(draw(st.lists(_email, max_size=3))),
        phones=_unique(draw(st.lists(_phone, max_size=3))),
        birthday=draw(_birthday),
        how_met=draw(st.one_of(st.just(""), _line)),
        circle=draw(st.sampled_from(CIRCLES)),
        cadence_days=draw(st.integers(0, 3650)),
        tags=_unique(draw(st.lists(_word, max_size=4))),
        notes=draw(_notes),
        asks=list(dict.fromkeys(draw(st.lists(_line, max_size=2)))),
    )


def test_a_tag_named_like_googles_system_group_survives_a_round_trip() -> None:
    """Found by the round-trip property: a person tagged "starred" or "myContacts" lost the tag
    (Google's system groups are dropped from its cards, not from netjournal's own)."""
    person = Contact(name="Ana", tags=["MYCONTACTS", "starred", "design"]).stamped()
    [(_, back)] = parse_vcards(dump_vcards([person]), source="rt.vcf").people
    assert back.tags == ["MYCONTACTS", "starred", "design"]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(contacts(), min_size=1, max_size=3))
def test_vcard_round_trip_keeps_every_field(people_in: list[Contact]) -> None:
    for c in people_in:
        assert not c.problems()
    parsed = parse_vcards(dump_vcards(people_in), source="rt.vcf")
    assert parsed.skipped == []
    assert [c.to_dict() for _, c in parsed.people] == [c.to_dict() for c in people_in]


def test_a_birthday_in_1604_is_a_year_unless_apple_says_it_stands_for_none() -> None:
    """(Found by Hypothesis on CI.) Apple writes a birthday without a year as 1604 with
    X-APPLE-OMIT-YEAR=1604; a 1604 without that mark is a year like any other."""
    people = [Contact(id="c-0000000000000000", name="0", birthday="1604-01-01")]
    parsed = parse_vcards(dump_vcards(people), source="rt.vcf")
    assert [c.birthday for _, c in parsed.people] == ["1604-01-01"]
    card = b"BEGIN:VCARD\nVERSION:3.0\nFN:Yuki\nBDAY;X-APPLE-OMIT-YEAR=1604:1604-08-30\nEND:VCARD\n"
    assert [c.birthday for _, c in parse_vcards(card, source="a.vcf").people] == ["--08-30"]


_VCARD_LINES = st.sampled_from([
    "BEGIN:VCARD", "END:VCARD", "VERSION:2.1", "VERSION:4.0", "FN:Ana", "N:Silva;Ana;;;", "EMAIL:a@b", "EMAIL:nope",
    "BDAY:--0230", "BDAY:19900415", "BDAY:x", "NOTE;ENCODING=QUOTED-PRINTABLE:caf=E9=", " folded", "item1.TEL:1",
    "X-NETJOURNAL-CADENCE:²", "CATEGORIES:a\\,b", "NICKNAME:\\", "PHOTO;ENCODING=b:////", ":", ";;;", "FN;CHARSET=x-none:y",
])


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.binary(max_size=300), st.lists(st.one_of(_VCARD_LINES, st.text(max_size=20)), max_size=25).map(
    lambda lines: "\r\n".join(lines).encode("utf-8", "surrogatepass"))))
def test_any_input_gives_people_or_one_clear_error(raw: bytes) -> None:
    for skip_bad in (False, True):
        try:
            parsed = parse_vcards(raw, source="fuzz.vcf", skip_bad=skip_bad)
        except NetjournalError as exc:
            assert "\n" not in str(exc)
            continue
        for _, c in parsed.people:
            assert not c.problems()
