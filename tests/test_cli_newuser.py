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
        assert_one_line_error(r, "could be", *(f"Ana Souza ({i})" for i in ids))
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
