"""The ``netjournal`` command for people, backups and checks, run as a person runs it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from clitools import assert_one_line_error, log_changes, run

from netjournal import __version__
from netjournal.store import Journal


@pytest.fixture
def jpath(tmp_path: Path) -> Path:
    return tmp_path / "journal" / "journal.json"


def test_version(jpath: Path) -> None:
    r = run("--version")
    assert r.code == 0 and r.out.strip() == f"netjournal {__version__}"


def test_python_dash_m_is_the_same_command(jpath: Path) -> None:
    p = subprocess.run([sys.executable, "-m", "netjournal", "--journal", str(jpath), "contact", "add", "Ana"],
                       capture_output=True, text=True)
    assert p.returncode == 0, p.stderr
    assert "added Ana" in p.stdout


def test_add_then_list_and_show(jpath: Path) -> None:
    r = run("contact", "add", "Ana Silva", "--alias", "Annie", "--tag", "design", "--tag", "#ux", "--org", "Lumen",
            "--email", "ana@example.org", "--birthday=--04-15", "--circle", "close", "--every", "2w", journal=jpath)
    assert r.code == 0, r.err
    assert r.out.startswith("added Ana Silva (c-")
    r = run("contact", "list", "--json", journal=jpath)
    rows = json.loads(r.out)
    assert [row["name"] for row in rows] == ["Ana Silva"]
    row = rows[0]
    assert row["aliases"] == ["Annie"] and row["tags"] == ["design", "ux"] and row["org"] == "Lumen"
    assert row["birthday"] == "--04-15" and row["circle"] == "close" and row["cadence_days"] == 14
    assert row["last_contact"] is None
    r = run("contact", "show", "annie", "--json", journal=jpath)
    assert json.loads(r.out)["name"] == "Ana Silva"
    r = run("contact", "show", "ANA-SILVA", journal=jpath)
    assert r.code == 0 and "Lumen" in r.out and "every 2 weeks" in r.out


def test_markup_in_a_name_prints_literally(jpath: Path) -> None:
    run("contact", "add", "[bold red]x[/]", journal=jpath)
    r = run("contact", "list", journal=jpath)
    assert "[bold red]x[/]" in r.out
    r = run("contact", "show", "[bold red]x[/]", journal=jpath)
    assert "[bold red]x[/]" in r.out


def test_edit_archive_and_delete(jpath: Path) -> None:
    run("contact", "add", "Bruno", journal=jpath)
    assert run("contact", "edit", "bruno", "--name", "Bruno Costa", "--tag", "python", journal=jpath).code == 0
    assert json.loads(run("contact", "show", "bruno costa", "--json", journal=jpath).out)["tags"] == ["python"]
    assert run("contact", "archive", "bruno", journal=jpath).code == 0
    assert json.loads(run("contact", "list", "--json", journal=jpath).out) == []
    assert len(json.loads(run("contact", "list", "--json", "--archived", journal=jpath).out)) == 1
    assert_one_line_error(run("contact", "delete", "bruno", journal=jpath), "--yes")
    assert run("contact", "delete", "bruno", "--yes", journal=jpath).code == 0
    assert json.loads(run("contact", "list", "--json", "--archived", journal=jpath).out) == []


def test_the_journal_path_comes_from_flag_then_env_then_user_data_dir(tmp_path: Path) -> None:
    env_path = tmp_path / "env.json"
    r = run("contact", "add", "Ana", env={"NETJOURNAL_JOURNAL": str(env_path)})
    assert r.code == 0 and env_path.exists()
    data_home = tmp_path / "xdg"
    r = run("contact", "add", "Bruno", env={"XDG_DATA_HOME": str(data_home), "HOME": str(tmp_path)})
    assert r.code == 0, r.err
    default = data_home / "netjournal" / "journal.json"
    assert default.exists()
    assert oct(default.parent.stat().st_mode & 0o777) == "0o700"
    assert oct(default.stat().st_mode & 0o777) == "0o600"


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["contact", "add", "Ana", "--birthday", "31 February"], ["birthday"]),
        (["contact", "add", "Ana", "--birthday", "1990-02-30"], ["no such date"]),
        (["contact", "add", "Ana", "--circle", "family"], ["circle", "inner"]),
        (["contact", "add", "Ana", "--every", "sometimes"], ["every", "cadence"]),
        (["contact", "add", "Ana", "--email", "nope"], ["emails"]),
        (["contact", "add", "  "], ["name"]),
        (["contact", "show", "Nobody"], ["no contact named 'Nobody'"]),
        (["contact", "frobnicate"], ["invalid choice"]),
        (["import", "/nonexistent/x.json"], ["no such file"]),
    ],
)
def test_bad_input_is_one_line_and_changes_nothing(jpath: Path, args: list[str], words: list[str]) -> None:
    run("contact", "add", "Bruno", journal=jpath)
    before = jpath.read_bytes()
    r = run(*args, journal=jpath)
    assert_one_line_error(r, *words)
    assert jpath.read_bytes() == before
    assert log_changes(jpath) == []


def test_unknown_name_suggests_close_matches(jpath: Path) -> None:
    run("contact", "add", "Carla Mendes", journal=jpath)
    assert_one_line_error(run("contact", "show", "carl", journal=jpath), "did you mean Carla Mendes")


def test_ambiguous_name_lists_the_candidates(jpath: Path) -> None:
    run("contact", "add", "Ana Silva", journal=jpath)
    run("contact", "add", "Ana Costa", journal=jpath)
    assert_one_line_error(run("contact", "show", "ana", journal=jpath), "Ana Costa", "Ana Silva")


def test_a_damaged_journal_is_refused_and_left_alone(jpath: Path) -> None:
    run("contact", "add", "Ana", journal=jpath)
    jpath.write_bytes(b'{"contacts": {"c-1": {"name": "An')
    before = jpath.read_bytes()
    r = run("contact", "list", journal=jpath)
    assert_one_line_error(r, "damaged", "backup")
    r = run("contact", "add", "Bruno", journal=jpath)
    assert_one_line_error(r, "damaged")
    assert jpath.read_bytes() == before


def test_a_journal_open_elsewhere_is_written_and_a_write_that_keeps_it_busy_is_told(jpath: Path) -> None:
    with Journal.open(jpath) as app:  # the app, open and idle: the command goes ahead
        r = run("contact", "add", "Ana", journal=jpath)
        assert r.code == 0, r.err
        with app.transaction():  # a write in progress that holds the lock for over a second
            r = run("contact", "add", "Bruno", journal=jpath)
    assert_one_line_error(r, str(jpath), "another netjournal process", "nothing was saved")
    with Journal.open(jpath, readonly=True) as j:
        assert [c.name for c in j.contacts()] == ["Ana"]


def test_doctor_reports_a_good_journal_and_restores_a_damaged_one(jpath: Path) -> None:
    run("contact", "add", "Ana", journal=jpath)  # the first open takes the day's backup
    run("contact", "add", "Bruno", journal=jpath)
    r = run("doctor", journal=jpath)
    assert r.code == 0 and "good" in r.out and "1. daily-" in r.out
    jpath.write_bytes(b"garbage")
    r = run("doctor", journal=jpath)
    assert r.code != 0 and "DAMAGED" in r.out and "doctor --restore 1" in r.err
    r = run("doctor", "--restore", "1", journal=jpath)
    assert r.code == 0, r.err
    kept = [p for p in jpath.parent.iterdir() if p.name.startswith("journal.json.damaged-")]
    assert len(kept) == 1 and kept[0].read_bytes() == b"garbage"
    names = [row["name"] for row in json.loads(run("contact", "list", "--json", journal=jpath).out)]
    assert "Ana" in names


def test_doctor_prompts_for_the_backup_on_a_terminal(jpath: Path) -> None:
    # Without a terminal it never waits for input: it says what to run.
    run("contact", "add", "Ana", journal=jpath)
    run("contact", "add", "Bruno", journal=jpath)  # this open takes the day's backup
    jpath.write_bytes(b"")
    r = run("doctor", journal=jpath, stdin="")
    assert r.code == 1 and "netjournal doctor --restore" in r.err


def test_json_backup_round_trips_every_field(jpath: Path, tmp_path: Path) -> None:
    demo = run("--demo", "export", "--format", "json")
    assert demo.code == 0, demo.err
    backup = tmp_path / "backup.json"
    backup.write_text(demo.out)
    fresh = tmp_path / "fresh" / "journal.json"
    r = run("import", str(backup), journal=fresh)
    assert r.code == 0, r.err
    again = json.loads(run("export", journal=fresh).out)
    original = json.loads(demo.out)
    for table in ("contacts", "interactions", "favours"):
        assert again[table] == original[table]
        assert len(again[table]) > 5


def test_export_to_a_file_is_private(jpath: Path, tmp_path: Path) -> None:
    run("contact", "add", "Ana", journal=jpath)
    out = tmp_path / "out.json"
    assert run("export", "-o", str(out), journal=jpath).code == 0
    assert oct(out.stat().st_mode & 0o777) == "0o600"
    assert json.loads(out.read_text())["contacts"][0]["name"] == "Ana"


def test_import_rejects_a_file_with_one_bad_record_and_changes_nothing(jpath: Path, tmp_path: Path) -> None:
    run("contact", "add", "Ana", journal=jpath)
    before = json.loads(run("export", journal=jpath).out)
    bad = {
        "format": "netjournal", "version": 1,
        "contacts": [{"id": "c-x1", "name": "Good"}, {"id": "c-x2", "name": "Bad", "circle": "family"}],
        "interactions": [], "favours": [],
    }
    f = tmp_path / "bad.json"
    f.write_text(json.dumps(bad))
    r = run("import", str(f), journal=jpath)
    assert_one_line_error(r, "contacts #2", "circle")
    after = json.loads(run("export", journal=jpath).out)
    assert after["contacts"] == before["contacts"]


def test_import_rejects_dangling_references(jpath: Path, tmp_path: Path) -> None:
    doc = {"format": "netjournal", "version": 1, "contacts": [],
           "interactions": [{"id": "i-1", "date": "2024-01-01", "contact_ids": ["c-ghost"], "kind": "call",
                             "text": "", "tags": [], "minutes": 0}], "favours": []}
    f = tmp_path / "dangling.json"
    f.write_text(json.dumps(doc))
    assert_one_line_error(run("import", str(f), journal=jpath), "interactions #1", "c-ghost")


def test_errors_never_show_a_traceback_even_for_an_unwritable_place(tmp_path: Path) -> None:
    if os.geteuid() == 0:
        target = Path("/proc/netjournal-cannot/j.json")
    else:
        ro = tmp_path / "ro"
        ro.mkdir(mode=0o500)
        target = ro / "sub" / "j.json"
    r = run("contact", "add", "Ana", journal=target)
    assert r.code != 0 and "Traceback" not in r.err and len(r.err.strip().splitlines()) == 1


@pytest.mark.parametrize("dayfirst", ["true", "false"])
def test_a_birthday_without_a_year_is_month_then_day_and_is_said_back(jpath: Path, dayfirst: str) -> None:
    assert run("config", "set", "dayfirst", dayfirst, journal=jpath).code == 0
    r = run("contact", "add", "Ana", "--birthday", "12-06", journal=jpath)
    assert r.code == 0, r.err
    assert r.out.splitlines()[1] == "birthday: 6 December"
    assert json.loads(run("contact", "show", "Ana", "--json", journal=jpath).out)["birthday"] == "--12-06"
    r = run("contact", "edit", "Ana", "--birthday", "5/3", journal=jpath)
    assert r.out.splitlines()[1] == ("birthday: 5 March" if dayfirst == "true" else "birthday: 3 May")


def test_adding_someone_with_an_email_already_known_says_whose_it_is(jpath: Path) -> None:
    assert run("contact", "add", "Ana Silva", "--email", "ana@example.org", journal=jpath).code == 0
    r = run("contact", "add", "Annie S", "--email", "ANA@example.org", journal=jpath)
    assert r.code == 0 and r.out.startswith("added Annie S")
    assert r.err.strip() == "note: ana@example.org is already Ana Silva's"
