"""Names in every script through the installed ``netjournal`` command: the capture line, the
commands that take a name, and the per-contact Markdown export."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from clitools import assert_one_line_error, run
from test_names import CORPUS, OTHERS

from netjournal.domain.model import Contact
from netjournal.domain.text import FSI, PDI
from netjournal.store import Journal

FIRST_MENTIONS = [(cid, first) for cid, _, first, _ in CORPUS]


@pytest.fixture(scope="module")
def jpath(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("names") / "journal.json"
    with Journal.open(path) as j:
        j.put_many([Contact(id=cid, name=name).stamped() for cid, name, _, _ in CORPUS] + [c.stamped() for c in OTHERS])
    return path


def logged_with(path: Path, line: str) -> list[str]:
    r = run("log", line, "--json", journal=path)
    assert r.code == 0, r.err
    return list(json.loads(r.out)["interaction"]["contact_ids"])


@pytest.mark.parametrize("cid, mention", FIRST_MENTIONS)
def test_log_a_mention_in_any_script(tmp_path: Path, jpath: Path, cid: str, mention: str) -> None:
    copy = tmp_path / "journal.json"
    copy.write_bytes(jpath.read_bytes())
    assert logged_with(copy, f"coffee with {mention} 45m") == [cid]


def test_log_a_line_naming_everyone_in_their_own_scripts(tmp_path: Path, jpath: Path) -> None:
    copy = tmp_path / "journal.json"
    copy.write_bytes(jpath.read_bytes())
    line = "dinner with " + ", ".join(m for _, m in FIRST_MENTIONS) + " +gave a book to @יוסי"
    assert logged_with(copy, line) == [cid for cid, _ in FIRST_MENTIONS]


@pytest.mark.parametrize(
    "ref, cid",
    [("ольга-петрова", "c-olga"), ("प्रिया-शर्मा", "c-priya"), ("محمد-الأحمد", "c-moh"), ("νικος", "c-nikos"), ("@प्रिया", "c-priya")],
)
def test_commands_that_take_a_name_find_people_in_any_script(jpath: Path, ref: str, cid: str) -> None:
    r = run("contact", "show", ref, "--json", journal=jpath)
    assert r.code == 0, r.err
    assert json.loads(r.out)["id"] == cid


def test_an_unknown_right_to_left_name_is_one_isolated_line(jpath: Path) -> None:
    r = run("contact", "show", "שרה", journal=jpath)
    assert_one_line_error(r, f"no contact named '{FSI}שרה{PDI}'")


def test_give_and_search_with_by_a_non_latin_name(tmp_path: Path, jpath: Path) -> None:
    copy = tmp_path / "journal.json"
    copy.write_bytes(jpath.read_bytes())
    r = run("give", "김민준", "a book", journal=copy)
    assert r.code == 0, r.err
    assert logged_with(copy, "call @สมชาย") == ["c-somchai"]
    r = run("search", "--with", "สมชาย", "--json", journal=copy)
    assert r.code == 0, r.err
    assert [i["contact_ids"] for i in json.loads(r.out)] == [["c-somchai"]]


def test_per_contact_markdown_export_names_files_in_the_persons_script(tmp_path: Path, jpath: Path) -> None:
    folder = tmp_path / "md"
    r = run("export", "-f", "md", "--per-contact", "-o", str(folder), journal=jpath)
    assert r.code == 0, r.err
    names = {p.name for p in folder.iterdir()}
    for expected in ("王小明.md", "ольга-петрова.md", "محمد-الاحمد.md", "νικος-παπαδοπουλος.md", "प्रिया-शर्मा.md",
                     "สมชาย-ใจดี.md", "יוסי-כהן.md", "김민준.md", "zoe-angstrom.md"):
        assert expected in names, sorted(names)
    assert not any(name.startswith("c-") for name in names)  # no one fell back to an id
    assert "# 王小明" in (folder / "王小明.md").read_text(encoding="utf-8")
