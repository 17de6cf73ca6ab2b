"""What a new user meets first, from a fresh clone: shared names, a journal that does not
exist yet, the wording of lists, and output piped into another program."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from clitools import assert_one_line_error, run


@pytest.fixture
def jpath(tmp_path: Path) -> Path:
    return tmp_path / "journal" / "journal.json"


def added_id(out: str) -> str:
    m = re.fullmatch(r"added .+ \((c-[0-9a-f]+)\)\n", out)
    assert m, out
    return m.group(1)


# ----------------------------------------------------------------------------- shared names
def test_people_who_share_a_name_are_told_apart_by_id(jpath: Path) -> None:
    first = run("contact", "add", "Ana Souza", journal=jpath)
    assert first.code == 0 and first.err == ""  # nobody else is called that yet: no note
    ids = [added_id(first.out)]
    for _ in range(2):
        r = run("contact", "add", "Ana Souza", journal=jpath)
        assert r.code == 0, r.err
        ids.append(added_id(r.out))  # stdout as it always was
        note = r.err.strip().splitlines()
        assert len(note) == 1 and note[0].startswith("note: you already have"), r.err
        assert "named Ana Souza" in note[0] and "told apart by id" in note[0]
        assert all(i in note[0] for i in ids[:-1]) and ids[-1] not in note[0]
    assert len(set(ids)) == 3
    rows = json.loads(run("contact", "list", "--json", journal=jpath).out)
    assert sorted(row["id"] for row in rows) == sorted(ids)  # three people all the same

    # By name: which one? The message names each by id...
    for action in (("contact", "show"), ("contact", "delete"), ("contact", "archive")):
        r = run(*action, "Ana Souza", journal=jpath)
        assert_one_line_error(r, "could be", *(f"Ana Souza ({i})" for i in ids), "give the id instead")
    # ... and the id picks one.
    r = run("contact", "show", ids[1], "--json", journal=jpath)
    assert r.code == 0 and json.loads(r.out)["id"] == ids[1]
    r = run("merge-contacts", ids[0], ids[1], journal=jpath)
    assert r.code == 0, r.err
    assert r.out.startswith("merged Ana Souza into Ana Souza")
    r = run("contact", "delete", ids[2], "--yes", journal=jpath)
    assert r.code == 0 and r.out == "deleted Ana Souza\n"
    assert [row["id"] for row in json.loads(run("contact", "list", "--json", journal=jpath).out)] == [ids[0]]


def test_a_shared_name_is_noticed_across_case_and_accents(jpath: Path) -> None:
    org = run("contact", "add", "Éva Nagy", "--org", "Archive", journal=jpath)
    eva = added_id(org.out)
    r = run("contact", "add", "EVA  nagy", "--json", journal=jpath)
    assert r.code == 0
    assert json.loads(r.out)["name"] == "EVA  nagy"  # --json: stdout is only the record
    assert r.err.strip() == f"note: you already have a contact named Éva Nagy ({eva}); they are told apart by id"
    r = run("contact", "show", "eva nagy", journal=jpath)
    assert_one_line_error(r, f"Éva Nagy ({eva}, Archive)")
    # A different name says nothing, even when it starts the same.
    r = run("contact", "add", "Éva Nagy-Kiss", journal=jpath)
    assert r.code == 0 and r.err == ""


def test_an_archived_namesake_is_mentioned_as_archived(jpath: Path) -> None:
    old = added_id(run("contact", "add", "Bo Stone", journal=jpath).out)
    assert run("contact", "archive", "Bo Stone", journal=jpath).code == 0
    r = run("contact", "add", "Bo Stone", journal=jpath)
    assert r.code == 0
    assert f"({old}, archived)" in r.err


def test_names_without_latin_letters_are_not_all_the_same_person(jpath: Path) -> None:
    # Their slugs are empty: that once made every such name match every other.
    li = added_id(run("contact", "add", "李明", journal=jpath).out)
    r = run("contact", "add", "王芳", journal=jpath)
    wang = added_id(r.out)
    assert r.err == ""  # not a namesake
    assert json.loads(run("contact", "show", "李明", "--json", journal=jpath).out)["id"] == li
    assert json.loads(run("contact", "show", "王芳", "--json", journal=jpath).out)["id"] == wang
    assert_one_line_error(run("contact", "show", "王", journal=jpath), "no contact named '王'", "王芳")


# ----------------------------------------------------------------------------- no journal yet
def nothing_created(jpath: Path) -> None:
    assert not jpath.parent.exists(), sorted(p.name for p in jpath.parent.iterdir())


@pytest.mark.parametrize(
    ("args", "shown"),
    [
        (["contact", "list"], "no contacts yet: netjournal contact add NAME\n"),
        (["contact", "list", "--archived", "--json"], "[]\n"),
        (["search", "lunch"], "no interaction matches\n"),
        (["search", "lunch", "--json"], "[]\n"),
        (["ledger"], "no favours yet"),
        (["ledger", "--json"], "[]\n"),
        (["who", "design"], "no people yet: add one with netjournal contact add NAME\n"),
        (["circles"], "no people yet: add one with netjournal contact add NAME\n"),
        (["overdue"], "no people yet: add one with netjournal contact add NAME\n"),
        (["overdue", "--json"], "[]\n"),
        (["today"], "no people yet: add one with netjournal contact add NAME"),
        (["export", "--format", "csv"], "id,name,"),
    ],
)
def test_reading_a_journal_that_does_not_exist_yet_shows_an_empty_one(
    jpath: Path, args: list[str], shown: str
) -> None:
    r = run(*args, journal=jpath)
    assert r.code == 0 and r.err == "", r
    assert r.out.startswith(shown) if shown.endswith("\n") else shown in r.out, r.out
    nothing_created(jpath)


def test_exporting_a_journal_that_does_not_exist_yet(jpath: Path) -> None:
    r = run("export", journal=jpath)
    assert r.code == 0, r.err
    data = json.loads(r.out)
    assert (data["contacts"], data["interactions"], data["favours"]) == ([], [], [])
    r = run("today", "--json", journal=jpath)
    assert r.code == 0 and json.loads(r.out)["overdue"] == []
    nothing_created(jpath)


def test_dry_runs_before_the_journal_exists_preview_everything_as_new(jpath: Path, tmp_path: Path) -> None:
    source = tmp_path / "elsewhere" / "journal.json"
    assert run("contact", "add", "Ana Silva", journal=source).code == 0
    assert run("log", "lunch with @ana", journal=source).code == 0
    backup = tmp_path / "backup.json"
    assert run("export", "-o", str(backup), journal=source).code == 0
    cards = tmp_path / "people.vcf"
    assert run("export", "--format", "vcf", "-o", str(cards), journal=source).code == 0

    r = run("import", str(backup), "--dry-run", journal=jpath)
    assert r.code == 0, r.err
    assert r.out.startswith("would import backup.json: 1 contact, 1 interaction, 0 favours (2 new, 0 updated")
    r = run("import", str(cards), "--dry-run", journal=jpath)
    assert r.code == 0, r.err
    assert "1 added, 0 updated" in r.out and "  + Ana Silva" in r.out
    r = run("merge", str(backup), "--dry-run", journal=jpath)
    assert r.code == 0, r.err
    assert r.out.startswith("would merge backup.json: added 1 contact, 1 interaction, 0 favours")
    r = run("merge", str(backup), "--dry-run", "--json", journal=jpath)
    assert r.code == 0 and json.loads(r.out)["added"]["contacts"] == 1
    nothing_created(jpath)
    # The same import for real does create it.
    r = run("import", str(backup), journal=jpath)
    assert r.code == 0 and r.out.startswith("imported backup.json") and jpath.exists()


def test_a_name_looked_up_in_a_journal_that_does_not_exist_is_not_found(jpath: Path) -> None:
    assert_one_line_error(run("contact", "show", "Ana", journal=jpath), "no contact named 'Ana'")
    assert_one_line_error(run("show", "Ana", journal=jpath), "no contact named 'Ana'")
    nothing_created(jpath)


def test_contact_list_says_when_everyone_is_archived(jpath: Path) -> None:
    assert run("contact", "add", "Bo Stone", journal=jpath).code == 0
    assert run("contact", "archive", "Bo Stone", journal=jpath).code == 0
    r = run("contact", "list", journal=jpath)
    assert r.code == 0 and r.out == "no contacts (the others are archived: netjournal contact list --archived)\n"
    r = run("contact", "list", "--filter", "zed", journal=jpath)
    assert r.out == "no contacts matching 'zed'\n"


# ----------------------------------------------------------------------------- wording
def test_contact_list_and_show_say_today_yesterday_and_n_days_ago(jpath: Path) -> None:
    for name in ("Ana Silva", "Bruno Costa", "Carla Mendes", "Dee"):
        assert run("contact", "add", name, journal=jpath).code == 0
    for line in ("lunch @ana", "yesterday: call @bruno", "3 days ago: coffee @carla"):
        assert run("log", line, journal=jpath).code == 0
    rows = run("contact", "list", journal=jpath).out.splitlines()
    last = {row.split("  ")[0]: row.rstrip().rsplit("  ", 1)[-1].strip() for row in rows[1:]}
    assert last == {"Ana Silva": "today", "Bruno Costa": "yesterday", "Carla Mendes": "3 days ago", "Dee": "never"}
    assert "days ago" not in run("contact", "list", journal=jpath).out.replace("3 days ago", "")
    assert "(yesterday)" in run("contact", "show", "bruno", journal=jpath).out
    assert "(yesterday)" in run("show", "bruno", journal=jpath).out
    assert "(today)" in run("show", "ana", journal=jpath).out


def test_contact_list_archived_marks_who_is_archived(jpath: Path) -> None:
    for name in ("Ana Silva", "Dee"):
        assert run("contact", "add", name, journal=jpath).code == 0
    assert run("contact", "archive", "Dee", journal=jpath).code == 0
    plain = run("contact", "list", journal=jpath).out
    assert "Dee" not in plain and "archived" not in plain
    lines = run("contact", "list", "--archived", journal=jpath).out.splitlines()
    assert lines[0].split() == ["name", "circle", "org", "tags", "last", "contact", "archived"]
    marks = {line.split()[0]: line.split()[-1] for line in lines[1:]}
    assert marks == {"Ana": "never", "Dee": "archived"}


def test_help_lists_every_contact_action() -> None:
    r = run("--help")
    line = next(line for line in r.out.splitlines() if line.strip().startswith("contact "))
    for action in ("add", "list", "show", "edit", "archive", "delete"):
        assert action in line, line


# ----------------------------------------------------------------------------- piped output
LONG = "talked through the whole plan for the community garden, " * 5 + "the end"


@pytest.fixture
def chatty(jpath: Path) -> Path:
    assert run("contact", "add", "Ana Silva", "--org", "Lumen Labs " * 8, journal=jpath).code == 0
    assert run("log", f"coffee @ana {LONG}", journal=jpath).code == 0
    return jpath


def test_piped_output_keeps_each_row_whole_on_one_line(chatty: Path) -> None:
    # clitools sets COLUMNS=120; without a terminal, even that does not cut or wrap a row.
    for env in ({}, {"COLUMNS": "80"}):
        r = run("search", "garden", journal=chatty, env=env)
        assert r.code == 0, r.err
        rows = r.out.splitlines()
        assert len(rows) == 2 and "…" not in r.out
        assert rows[1].endswith(LONG) and "Ana Silva" in rows[1]
        r = run("contact", "list", journal=chatty, env=env)
        rows = r.out.splitlines()
        assert len(rows) == 2 and ("Lumen Labs " * 8).strip() in rows[1] and rows[1].startswith("Ana Silva")


def test_on_a_terminal_rows_still_fit_its_width(chatty: Path) -> None:
    import os
    import pty
    import subprocess

    from clitools import netjournal_exe

    leader, follower = pty.openpty()
    env = {**os.environ, "COLUMNS": "70", "NO_COLOR": "1", "TERM": "xterm"}
    p = subprocess.Popen([netjournal_exe(), "--journal", str(chatty), "search", "garden"],
                         stdout=follower, stderr=subprocess.PIPE, env=env)
    os.close(follower)
    chunks = []
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # the terminal closed: the command is done
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(leader)
    assert p.wait(timeout=60) == 0, p.stderr.read() if p.stderr else ""
    out = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", b"".join(chunks).decode()).replace("\r", "")
    rows = [row for row in out.splitlines() if row]
    assert len(rows) == 2, rows
    assert rows[1].endswith("…") and len(rows[1]) <= 70
