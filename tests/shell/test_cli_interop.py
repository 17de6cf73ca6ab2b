"""export / import / merge / merge-contacts through the installed command, as a person runs them."""

from __future__ import annotations

import csv
import io
import json
import shutil
import stat
from pathlib import Path

import pytest
from clitools import assert_one_line_error, run

from netjournal.domain.model import Contact, Favour, Interaction
from netjournal.store import Journal

FIX = Path(__file__).parents[1] / "fixtures" / "interop"


@pytest.fixture
def jpath(tmp_path: Path) -> Path:
    """A journal with three people, two interactions and a favour."""
    path = tmp_path / "journal" / "journal.json"
    with Journal.open(path) as j:
        ana = j.add_contact(Contact(name="Ana Silva", emails=["ana@example.com"], tags=["design"], birthday="--04-15",
                                    aliases=["Aninha"], org="Lumen", role="Designer", phones=["+351 912 345 678"],
                                    notes="Two kids.\nLikes hiking."))
        bo = j.add_contact(Contact(name="Bo Stone", tags=["music"]))
        j.add_contact(Contact(name="Bob Stone", emails=["bob@stone.example"]))
        j.add_interaction(Interaction(date="2024-03-05T15:30", contact_ids=[ana.id, bo.id], kind="meal", text="Lunch *at* noon"))
        j.add_interaction(Interaction(date="2024-02-01", contact_ids=[bo.id], kind="call"))
        j.add_favour(Favour(date="2024-03-06", contact_id=ana.id, direction="received", kind="advice", text="CV review"))
    return path


def state(jpath: Path) -> tuple[bytes | None, bytes | None]:
    log = jpath.with_name(jpath.name + ".log")
    return (jpath.read_bytes() if jpath.exists() else None, log.read_bytes() if log.exists() else None)


def contacts(jpath: Path) -> dict[str, dict[str, object]]:
    r = run("contact", "list", "--json", "--archived", journal=jpath)
    assert r.code == 0, r.err
    return {c["name"]: c for c in json.loads(r.out)}


def private(path: Path) -> bool:
    return stat.S_IMODE(path.stat().st_mode) == 0o600


# ----------------------------------------------------------------------------- import
def test_import_vcard_preview_then_import_then_reimport(tmp_path: Path) -> None:
    jpath = tmp_path / "new" / "journal.json"
    r = run("import", str(FIX / "google_v30.vcf"), "--dry-run", journal=jpath)
    assert r.code == 0, r.err
    assert r.out.splitlines()[0] == "would import google_v30.vcf (vCard): 2 added, 0 updated, 0 unchanged, 0 ambiguous, 0 skipped"
    assert "  + Ana Silva" in r.out and not jpath.exists()
    r = run("import", str(FIX / "google_v30.vcf"), journal=jpath)
    assert r.code == 0 and r.out.startswith("imported google_v30.vcf (vCard): 2 added")
    before = state(jpath)
    r = run("import", str(FIX / "google_v30.vcf"), journal=jpath)
    assert r.code == 0 and "0 added, 0 updated, 2 unchanged" in r.out
    assert state(jpath) == before
    ana = contacts(jpath)["Ana Silva"]
    assert ana["aliases"] == ["Aninha", "Nana"] and ana["birthday"] == "--04-15" and ana["tags"] == ["Friends", "Science"]


def test_import_updates_a_known_person_and_previews_the_change(jpath: Path) -> None:
    before = state(jpath)
    r = run("import", str(FIX / "linkedin_connections.csv"), "--dry-run", journal=jpath)
    assert r.code == 0, r.err
    assert "2 added, 1 updated" in r.out
    assert "  ~ Ana Silva: how_met: 'LinkedIn (connected 2021-03-15)'" in r.out
    assert state(jpath) == before
    r = run("import", str(FIX / "linkedin_connections.csv"), "--json", journal=jpath)
    report = json.loads(r.out)
    assert report["added"] == ["Tomás Ferreira", "Lena Vogel"] and report["dry_run"] is False
    people = contacts(jpath)
    assert people["Ana Silva"]["how_met"] == "LinkedIn (connected 2021-03-15)"
    assert people["Ana Silva"]["org"] == "Lumen"  # never overwritten by an import


def test_import_skip_bad_lists_the_skipped_cards(jpath: Path) -> None:
    r = run("import", str(FIX / "damaged.vcf"), "--skip-bad", journal=jpath)
    assert r.code == 0, r.err
    assert "2 added" in r.out and "2 skipped" in r.out
    assert "  ! skipped card 2 (line 6): line 9: unreadable property 'this line has no colon'" in r.out
    assert {"Good One", "Good Three"} <= set(contacts(jpath))


def test_json_backup_and_restore_still_work(jpath: Path, tmp_path: Path) -> None:
    backup = tmp_path / "backup.json"
    assert run("export", "-o", str(backup), journal=jpath).code == 0
    assert private(backup)
    fresh = tmp_path / "fresh" / "journal.json"
    r = run("import", str(backup), journal=fresh)
    assert r.code == 0 and "3 contacts, 2 interactions, 1 favour (6 new, 0 updated, 0 unchanged)" in r.out
    assert contacts(fresh) == contacts(jpath)


@pytest.mark.parametrize(
    "args, words",
    [
        (["import", "no-such-file.vcf"], ["no such file"]),
        (["import", str(FIX)], ["is a folder"]),
        (["import", str(FIX / "damaged.vcf")], ["card 2 (line 6)", "line 9", "nothing was imported"]),
        (["import", str(FIX / "truncated.vcf")], ["card 2 (line 5)", "no END:VCARD"]),
        (["import", str(FIX / "not_a_card.vcf")], ["line 1: text outside a card"]),
        (["import", str(FIX / "unknown_layout.csv")], ["unknown CSV layout", "Nom, Prénom, Courriel"]),
        (["import", str(FIX / "damaged_google.csv")], ["line 3 (Bad Email)", "not an email address"]),
        (["import", str(FIX / "google_v30.vcf"), "--format", "xls"], ["unknown file type .xls"]),
        (["import", str(FIX / "google_contacts.csv"), "--format", "vcf"], ["line 1: text outside a card"]),
    ],
)
def test_import_errors_leave_the_journal_unchanged(jpath: Path, args: list[str], words: list[str]) -> None:
    before = state(jpath)
    r = run(*args, journal=jpath)
    assert_one_line_error(r, *words)
    assert state(jpath) == before


def test_import_of_a_binary_or_empty_file(jpath: Path, tmp_path: Path) -> None:
    before = state(jpath)
    junk = tmp_path / "junk.vcf"
    junk.write_bytes(bytes(range(256)) * 4)
    assert_one_line_error(run("import", str(junk), journal=jpath), "junk.vcf")
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    assert_one_line_error(run("import", str(empty), journal=jpath), "empty.csv is empty")
    assert state(jpath) == before


def test_import_while_the_app_has_the_journal_open_and_while_it_writes(jpath: Path) -> None:
    with Journal.open(jpath) as app:
        before, people = state(jpath), len(app.contacts())
        with app.transaction():  # a write that keeps the lock for over a second: told, nothing made
            r = run("import", str(FIX / "google_v30.vcf"), journal=jpath)
        assert_one_line_error(r, "another netjournal process")
        assert state(jpath) == before
        r = run("import", str(FIX / "google_v30.vcf"), journal=jpath)  # open and idle: it goes ahead
        assert r.code == 0, r.err
        assert app.catch_up() and len(app.contacts()) > people


# ----------------------------------------------------------------------------- export
def test_export_vcard_round_trips_through_import(jpath: Path, tmp_path: Path) -> None:
    out = tmp_path / "people.vcf"
    r = run("export", "--format", "vcf", "-o", str(out), journal=jpath)
    assert r.code == 0, r.err
    assert private(out) and out.read_text().count("BEGIN:VCARD") == 3
    fresh = tmp_path / "fresh" / "journal.json"
    assert run("import", str(out), journal=fresh).code == 0
    keep = ("name", "aliases", "org", "role", "emails", "phones", "birthday", "notes", "tags", "id")
    a, b = contacts(jpath), contacts(fresh)
    assert {n: {k: a[n][k] for k in keep} for n in a} == {n: {k: b[n][k] for k in keep} for n in b}


def test_export_selected_contacts(jpath: Path) -> None:
    r = run("export", "-f", "vcf", "--contact", "ana", "--contact", "Bob Stone", journal=jpath)
    assert r.code == 0 and "FN:Ana Silva" in r.out and "FN:Bob Stone" in r.out and "FN:Bo Stone" not in r.out
    r = run("export", "-f", "csv", "--tag", "music", journal=jpath)
    assert [row["name"] for row in csv.DictReader(io.StringIO(r.out))] == ["Bo Stone"]


def test_export_csv_of_interactions_and_favours(jpath: Path) -> None:
    r = run("export", "-f", "csv", "--what", "interactions", journal=jpath)
    rows = list(csv.DictReader(io.StringIO(r.out)))
    assert [(x["date"], x["people"]) for x in rows] == [("2024-02-01", "Bo Stone"), ("2024-03-05T15:30", "Ana Silva\nBo Stone")]
    r = run("export", "-f", "csv", "--what", "favours", "--contact", "Bo Stone", journal=jpath)
    assert list(csv.DictReader(io.StringIO(r.out))) == []
    r = run("export", "-f", "csv", "--what", "favours", journal=jpath)
    assert [x["person"] for x in csv.DictReader(io.StringIO(r.out))] == ["Ana Silva"]


def test_export_markdown_document_and_per_contact_folder(jpath: Path, tmp_path: Path) -> None:
    r = run("export", "-f", "md", journal=jpath)
    assert r.code == 0 and "## March 2024" in r.out and "### Tuesday 5 March 2024" in r.out
    folder = tmp_path / "people"
    r = run("export", "-f", "md", "--per-contact", "-o", str(folder), journal=jpath)
    assert r.code == 0, r.err
    assert sorted(p.name for p in folder.iterdir()) == ["ana-silva.md", "bo-stone.md", "bob-stone.md", "index.md"]
    assert all(private(p) for p in folder.iterdir())
    assert "Lunch *at* noon" in (folder / "bo-stone.md").read_text()


@pytest.mark.parametrize(
    "args, words",
    [
        (["export", "-f", "xml"], ["unknown export format 'xml'"]),
        (["export", "--contact", "Ana"], ["json is always the whole journal"]),
        (["export", "-f", "vcf", "--what", "favours"], ["--what applies to csv"]),
        (["export", "-f", "csv", "--per-contact", "-o", "x"], ["--per-contact applies to md"]),
        (["export", "-f", "md", "--per-contact"], ["give a folder with -o DIR"]),
        (["export", "-f", "csv", "--what", "everything"], ["invalid choice"]),
        (["export", "-f", "vcf", "--contact", "Zed"], ["no contact named 'Zed'"]),
        (["export", "-f", "vcf", "--contact", "stone"], ["no contact named 'stone' (did you mean Bo Stone, Bob Stone?)"]),
        (["export", "-f", "vcf", "--tag", "nope"], ["no contact has the tag #nope"]),
        (["export", "-f", "vcf", "-o", "/nonexistent-folder/x.vcf"], ["cannot write"]),
    ],
)
def test_export_errors(jpath: Path, args: list[str], words: list[str]) -> None:
    before = state(jpath)
    r = run(*args, journal=jpath)
    assert_one_line_error(r, *words)
    assert r.out == ""
    assert state(jpath) == before


def test_per_contact_export_into_a_file_is_refused(jpath: Path, tmp_path: Path) -> None:
    target = tmp_path / "afile"
    target.write_text("keep me")
    assert_one_line_error(run("export", "-f", "md", "--per-contact", "-o", str(target), journal=jpath), "not a folder")
    assert target.read_text() == "keep me"


# ----------------------------------------------------------------------------- merge-contacts
def test_merge_contacts_in_the_shell(jpath: Path) -> None:
    before = state(jpath)
    r = run("merge-contacts", "Bo Stone", "Bob Stone", "--dry-run", journal=jpath)
    assert r.code == 0 and r.out.startswith("would merge Bob Stone into Bo Stone: 0 interactions and 0 favours moved")
    assert state(jpath) == before
    r = run("merge-contacts", "Bob Stone", "Bo Stone", journal=jpath)
    assert r.code == 0, r.err
    assert r.out.startswith("merged Bo Stone into Bob Stone: 2 interactions and 0 favours moved")
    people = contacts(jpath)
    assert "Bo Stone" not in people
    bob = people["Bob Stone"]
    assert bob["aliases"] == ["Bo Stone"] and bob["tags"] == ["music"] and bob["last_contact"] == "2024-03-05T15:30"


@pytest.mark.parametrize(
    "args, words",
    [
        (["merge-contacts", "Ana Silva", "Aninha"], ["cannot merge a contact with itself"]),
        (["merge-contacts", "Ana Silva", "Zed"], ["no contact named 'Zed'"]),
        (["merge-contacts", "stone", "Ana"], ["did you mean Bo Stone, Bob Stone?"]),
        (["merge-contacts", "Ana"], ["required"]),
    ],
)
def test_merge_contacts_errors(jpath: Path, args: list[str], words: list[str]) -> None:
    before = state(jpath)
    assert_one_line_error(run(*args, journal=jpath), *words)
    assert state(jpath) == before


def test_merge_contacts_with_an_ambiguous_name(jpath: Path) -> None:
    assert run("contact", "add", "Ana Silva", journal=jpath).code == 0
    before = state(jpath)
    ids = [c["id"] for c in json.loads(run("contact", "list", "--json", journal=jpath).out) if c["name"] == "Ana Silva"]
    assert len(ids) == 2
    assert_one_line_error(run("merge-contacts", "Ana Silva", "Bo Stone", journal=jpath),
                          "could be", *(f"Ana Silva ({i}" for i in ids))
    assert state(jpath) == before


# ----------------------------------------------------------------------------- merge
def test_merge_another_copy(jpath: Path, tmp_path: Path) -> None:
    other = tmp_path / "laptop" / "journal.json"
    other.parent.mkdir()
    shutil.copy(jpath, other)
    assert run("contact", "add", "Dee", journal=other).code == 0
    assert run("contact", "edit", "Bo Stone", "--org", "Laptop Org", journal=other).code == 0
    assert run("contact", "edit", "Ana Silva", "--role", "Lead", journal=jpath).code == 0
    before = state(jpath)
    r = run("merge", str(other), "--dry-run", journal=jpath)
    assert r.code == 0, r.err
    assert r.out.startswith("would merge journal.json: added 1 contact, 0 interactions, 0 favours; updated 1 contact")
    assert "0 in conflict; 1 newer here" in r.out
    assert state(jpath) == before
    r = run("merge", str(other), "--json", journal=jpath)
    report = json.loads(r.out)
    assert report["added"]["contacts"] == 1 and report["conflicts"] == []
    people = contacts(jpath)
    assert "Dee" in people and people["Bo Stone"]["org"] == "Laptop Org" and people["Ana Silva"]["role"] == "Lead"


def test_merge_reports_a_conflict(jpath: Path, tmp_path: Path) -> None:
    other = tmp_path / "laptop" / "journal.json"
    other.parent.mkdir()
    shutil.copy(jpath, other)
    assert run("contact", "edit", "Bo Stone", "--org", "Here", journal=jpath).code == 0
    assert run("contact", "edit", "Bo Stone", "--org", "There", journal=other).code == 0
    r = run("merge", str(other), journal=jpath)
    assert r.code == 0, r.err
    assert "1 in conflict" in r.out
    assert "  ! conflict: Bo Stone: kept theirs" in r.out and "dropped org: 'There' -> 'Here'" in r.out
    assert contacts(jpath)["Bo Stone"]["org"] == "There"


@pytest.mark.parametrize(
    "content, words",
    [
        (None, ["no such file"]),
        (b"{broken", ["not valid JSON"]),
        (b'{"hello": 1}', ["neither a netjournal export nor a journal file"]),
        (b'{"format": "netjournal", "version": 7}', ["format version 7"]),
        (b'{"format": "netjournal", "version": 1, "favours": [{"id": "f-1", "date": "2024-01-01", "contact_id": "c-x",'
         b' "direction": "given"}]}', ["unknown contact 'c-x'", "nothing was merged"]),
        (b'{"format": "netjournal", "version": 1, "contacts": [{"id": "c-1", "name": "A", "circle": "best"}]}', ["circle"]),
    ],
)
def test_merge_errors_leave_the_journal_unchanged(jpath: Path, tmp_path: Path, content: bytes | None, words: list[str]) -> None:
    other = tmp_path / "other.json"
    if content is not None:
        other.write_bytes(content)
    before = state(jpath)
    assert_one_line_error(run("merge", str(other), journal=jpath), *words)
    assert state(jpath) == before
