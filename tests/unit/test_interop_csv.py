"""CSV in (Google Contacts, LinkedIn Connections, netjournal's own) and out."""

from __future__ import annotations

import csv
import io
import string
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from netjournal.domain.model import CIRCLES, Contact, Favour, Interaction
from netjournal.domain.safe import BIDI_CONTROLS  # text exports neutralise them by design
from netjournal.errors import NetjournalError
from netjournal.interop import csvio
from netjournal.interop.contact_files import load_contacts_file

FIX = Path(__file__).parents[1] / "fixtures" / "interop"


def people(name: str) -> list[Contact]:
    return [c for _, c in load_contacts_file(FIX / name).people]


def test_google_contacts_current_layout() -> None:
    parsed = load_contacts_file(FIX / "google_contacts.csv")
    assert parsed.kind == "Google Contacts CSV"
    ana, marcus, plumber = [c for _, c in parsed.people]
    assert ana.name == "Ana Silva" and ana.aliases == ["Aninha"]
    assert ana.emails == ["ana@example.com", "ana.silva@acme.example"]  # " ::: " holds several values
    assert ana.birthday == "--04-15"
    assert ana.tags == ["Friends", "Science"]  # system labels (* myContacts) are not tags
    assert ana.notes == "Loves hiking.\nTwo kids."
    assert (ana.org, ana.role) == ("Acme Research", "Lead Scientist")
    assert marcus.name == "Marcus J. Webb" and marcus.phones == ["+44 20 7946 0000", "+44 20 7946 0001"]
    assert marcus.tags == []
    assert plumber.name == "Plumbing Heroes Ltd"  # a business card: the organisation is the name


def test_a_year_less_birthday_in_a_csv_is_month_then_day(tmp_path: Path) -> None:
    path = tmp_path / "people.csv"
    path.write_text("First Name,Last Name,Birthday,E-mail 1 - Value,Phone 1 - Value\nAna,Silva,12-06,,\nBruno,Costa,1990-12-06,,\n",
                    encoding="utf-8")
    assert [(c.name, c.birthday) for _, c in load_contacts_file(path).people] == [
        ("Ana Silva", "--12-06"), ("Bruno Costa", "1990-12-06"),
    ]


def test_google_contacts_older_layout() -> None:
    (priya,) = people("google_contacts_old.csv")
    assert priya.name == "Priya Raman"
    assert (priya.org, priya.role) == ("Raman & Co", "Partner")
    assert priya.emails == ["priya@raman.example"] and priya.phones == ["+91 98765 43210"]
    assert priya.birthday == "1988-07-09"
    assert priya.tags == ["Running club"]


def test_linkedin_connections_after_the_notes_lines() -> None:
    parsed = load_contacts_file(FIX / "linkedin_connections.csv")
    assert parsed.kind == "LinkedIn Connections CSV"
    ana, tomas, lena = [c for _, c in parsed.people]
    assert ana.how_met == "LinkedIn (connected 2021-03-15)"
    assert ana.emails == ["ana@example.com"] and ana.org == "Acme Research" and ana.role == "Lead Scientist"
    assert ana.notes == "LinkedIn: https://www.linkedin.com/in/ana-silva-example"
    assert tomas.name == "Tomás Ferreira" and tomas.org == "Ferreira, Lda" and tomas.emails == []
    assert lena.how_met == "LinkedIn (connected 2024-02-28)"
    assert parsed.people[0][0] == "line 5 (Ana Silva)"


def test_unknown_layout_is_named_with_its_first_row() -> None:
    with pytest.raises(NetjournalError, match=r"unknown CSV layout \(first row: Nom, Prénom, Courriel\)"):
        load_contacts_file(FIX / "unknown_layout.csv")


def test_empty_csv() -> None:
    with pytest.raises(NetjournalError, match="empty"):
        csvio.parse_contacts_csv(b"\n\n", source="e.csv")


def test_a_bad_row_refuses_the_file_naming_the_line() -> None:
    with pytest.raises(NetjournalError) as err:
        load_contacts_file(FIX / "damaged_google.csv")
    assert "damaged_google.csv: line 3 (Bad Email): emails: not an email address" in str(err.value)


def test_skip_bad_imports_the_good_rows() -> None:
    parsed = load_contacts_file(FIX / "damaged_google.csv", skip_bad=True)
    assert [c.name for _, c in parsed.people] == ["Fine Person", "Also Fine"]
    assert [p.where for p in parsed.skipped] == ["line 3 (Bad Email)", "line 4 (Bad Birthday)"]
    assert "no such date" in parsed.skipped[1].message


def test_windows_1252_file_is_read() -> None:
    raw = "First Name,Last Name,E-mail 1 - Value\nRenée,Lefèvre,r@l.fr\n".encode("cp1252")
    (c,) = [c for _, c in csvio.parse_contacts_csv(raw, source="w.csv").people]
    assert c.name == "Renée Lefèvre"


def test_formula_cells_are_neutralised_and_restored() -> None:
    c = Contact(id="c-0123456789abcdef", name="=HYPERLINK(\"http://x\")", phones=["+44 20 7946 0000"], notes="@home")
    raw = csvio.dump_contacts_csv([c])
    row = list(csv.DictReader(io.StringIO(raw.decode())))[0]
    assert row["name"].startswith("'=") and row["notes"] == "'@home"
    assert row["phones"] == "+44 20 7946 0000"  # a phone number is not a formula
    (back,) = [b for _, b in csvio.parse_contacts_csv(raw, source="x.csv").people]
    assert back.name == c.name and back.notes == "@home"


def test_interactions_and_favours_csv_name_the_people() -> None:
    names = {"c-1": "Ana", "c-2": "Bo"}
    ix = [Interaction(id="i-1", date="2024-03-05T15:30", contact_ids=["c-1", "c-2"], kind="meal", text="Lunch, long", minutes=90)]
    rows = list(csv.DictReader(io.StringIO(csvio.dump_interactions_csv(ix, names).decode())))
    assert rows[0]["people"] == "Ana\nBo" and rows[0]["minutes"] == "90" and rows[0]["text"] == "Lunch, long"
    favs = [Favour(id="f-1", date="2024-03-06", contact_id="c-2", direction="received", kind="advice", weight=4)]
    rows = list(csv.DictReader(io.StringIO(csvio.dump_favours_csv(favs, names).decode())))
    assert rows[0]["person"] == "Bo" and rows[0]["direction"] == "received" and rows[0]["weight"] == "4"


# ----------------------------------------------------------------------------- round trip property
_CHARS = st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp", "Co", "Cn"), blacklist_characters=BIDI_CONTROLS)
_word = st.text(_CHARS, min_size=1, max_size=12).map(lambda s: "".join(s.split())).filter(bool)
_line = st.lists(_word, min_size=1, max_size=4).map(" ".join)
_email = st.builds(lambda a, b: f"{a}@{b}", st.text(string.ascii_letters + "=+-'.", min_size=1, max_size=8),
                   st.text(string.ascii_lowercase, min_size=1, max_size=8))
_date = st.dates().filter(lambda d: d.year >= 1000).map(lambda d: d.isoformat())


@st.composite
def contacts(draw: st.DrawFn) -> Contact:
    return Contact(
        id="c-" + draw(st.text("0123456789abcdef", min_size=16, max_size=16)),
        name=draw(_line)[:200],
        aliases=list(dict.fromkeys(draw(st.lists(_line, max_size=3)))),
        org=draw(st.one_of(st.just(""), _line)),
        role=draw(st.one_of(st.just(""), _line)),
        emails=list(dict.fromkeys(draw(st.lists(_email, max_size=3)))),
        phones=list(dict.fromkeys(draw(st.lists(st.text(string.digits + " +-()", min_size=1).map(str.strip).filter(bool), max_size=2)))),
        birthday=draw(st.one_of(st.just(""), _date, st.dates().map(lambda d: f"--{d.month:02d}-{d.day:02d}"))),
        how_met=draw(st.one_of(st.just(""), _line)),
        circle=draw(st.sampled_from(CIRCLES)),
        cadence_days=draw(st.integers(0, 3650)),
        tags=list(dict.fromkeys(draw(st.lists(_word, max_size=3)))),
        notes=draw(st.lists(_line, max_size=3).map("\n".join)),
        asks=list(dict.fromkeys(draw(st.lists(_line, max_size=2)))),
        snoozed_until=draw(st.one_of(st.just(""), _date)),
        archived=draw(st.booleans()),
    )


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(contacts(), min_size=1, max_size=4))
def test_contacts_csv_round_trip_keeps_every_field(people_in: list[Contact]) -> None:
    for c in people_in:
        assert not c.problems()
    parsed = csvio.parse_contacts_csv(csvio.dump_contacts_csv(people_in), source="rt.csv")
    assert parsed.kind == "netjournal CSV"
    assert [c.to_dict() for _, c in parsed.people] == [c.to_dict() for c in people_in]


_ROWS = st.lists(st.lists(st.sampled_from(["", "x", "a@b", "nope", "--04-15", "1990-02-30", "=1+1", "'", "²", "\n", '"', "a\nb", "c-0123456789abcdef"]),
                          max_size=6), max_size=6)


@settings(max_examples=300, deadline=None)
@given(st.sampled_from([",".join(csvio.CONTACT_COLUMNS), "First Name,Last Name,URL,Email Address,Company,Position,Connected On",
                        "First Name,Last Name,Birthday,E-mail 1 - Value,Phone 1 - Value", "a,b"]),
       _ROWS, st.binary(max_size=50))
def test_any_csv_gives_people_or_one_clear_error(header: str, rows: list[list[str]], junk: bytes) -> None:
    buf = io.StringIO()
    csv.writer(buf).writerows(rows)
    raw = header.encode() + b"\r\n" + buf.getvalue().encode() + junk
    for skip_bad in (False, True):
        try:
            parsed = csvio.parse_contacts_csv(raw, source="fuzz.csv", skip_bad=skip_bad)
        except NetjournalError as exc:
            assert "\n" not in str(exc)
            continue
        for _, c in parsed.people:
            assert not c.problems()
