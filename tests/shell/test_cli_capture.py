"""log, give, receive, show, search and ledger, run through the installed ``netjournal`` command."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

import pytest
from clitools import Result, assert_one_line_error, run

from netjournal.domain.model import Contact, Favour, Interaction
from netjournal.store import Journal


@pytest.fixture
def jpath(tmp_path: Path) -> Path:
    """A journal with five people, two interactions and two favours."""
    path = tmp_path / "journal" / "journal.json"
    with Journal.open(path) as j:
        j.put_many([
            Contact(id="c-ana", name="Ana Silva", aliases=["Nana"]).stamped(),
            Contact(id="c-anac", name="Ana Costa").stamped(),
            Contact(id="c-bruno", name="Bruno Costa", org="Lumen").stamped(),
            Contact(id="c-eva", name="Éva Nagy").stamped(),
            Contact(id="c-mark", name="[bold red]Mark[/]").stamped(),
            Interaction(id="i-1", date="2024-01-10", contact_ids=["c-bruno"], kind="call",
                        text="Call about the roadmap", tags=["work"]).stamped(),
            Interaction(id="i-2", date="2024-02-20", contact_ids=["c-eva", "c-bruno"], kind="meal",
                        text="Dinner, talked pricing", tags=["pricing"], minutes=90).stamped(),
            Favour(id="f-1", date="2024-02-20", contact_id="c-eva", direction="received", kind="advice",
                   text="advice on pricing", weight=4).stamped(),
            Favour(id="f-2", date="2024-02-21", contact_id="c-bruno", direction="given", kind="gift",
                   text="a book", weight=1).stamped(),
        ])
    return path


def state(path: Path) -> dict[str, bytes]:
    """Every byte of the journal: the snapshot and its change log."""
    return {p.name: p.read_bytes() for p in path.parent.glob(path.name + "*") if not p.name.endswith(".lock")}


def records(path: Path) -> dict[str, list[dict[str, object]]]:
    with Journal.open(path, readonly=True) as j:
        return j.all_records()


def failed_unchanged(path: Path, *args: str, words: tuple[str, ...] = ()) -> Result:
    before = state(path)
    r = run(*args, journal=path)
    assert_one_line_error(r, *words)
    assert r.code == 2
    assert state(path) == before
    return r


# --- log ---------------------------------------------------------------------------------------------


def test_log_records_the_line_and_says_what_it_recorded(jpath: Path) -> None:
    r = run("log", "2024-03-05: lunch with @nana and @eva 1h30 #pricing +got!4 advice on pricing from @eva "
            "+gave intro to Carla", journal=jpath)
    assert r.code == 0, r.err
    assert "2024-03-05" in r.out and "Ana Silva, Éva Nagy" in r.out and "1h30" in r.out and "#pricing" in r.out
    assert "received from Éva Nagy: advice on pricing from Éva Nagy" in r.out
    assert "given to Ana Silva, Éva Nagy: intro to Carla (introduction, weight 2)" in r.out
    data = records(jpath)
    new = [i for i in data["interactions"] if i["date"] == "2024-03-05"]
    assert len(new) == 1
    i = new[0]
    assert (i["kind"], i["minutes"], i["tags"], i["contact_ids"]) == ("meal", 90, ["pricing"], ["c-ana", "c-eva"])
    favs = sorted((f["contact_id"], f["direction"], f["weight"]) for f in data["favours"] if f["interaction_id"] == i["id"])
    assert favs == [("c-ana", "given", 2), ("c-eva", "given", 2), ("c-eva", "received", 4)]


def test_log_json_and_words_split_by_the_shell(jpath: Path) -> None:
    r = run("log", "--json", "yesterday:", "quick", "call", "@bruno", "45m", journal=jpath)
    assert r.code == 0, r.err
    out = json.loads(r.out)
    assert out["interaction"]["date"] == (date.today() - timedelta(days=1)).isoformat()
    assert out["interaction"]["kind"] == "call" and out["interaction"]["minutes"] == 45
    assert out["interaction"]["people"] == ["Bruno Costa"] and out["favours"] == [] and out["created"] == []
    assert out["interaction"]["text"] == "quick call Bruno Costa"


def test_log_on(jpath: Path) -> None:
    out = json.loads(run("log", "--json", "--on", "2024-03-01", "coffee @bruno", journal=jpath).out)
    assert out["interaction"]["date"] == "2024-03-01"


def test_log_create_makes_the_unknown_people(jpath: Path) -> None:
    r = run("log", "--create", "--json", "2024-03-05: lunch with @zoe_lima and @bruno +gave intro to Ana", journal=jpath)
    assert r.code == 0, r.err
    out = json.loads(r.out)
    assert [c["name"] for c in out["created"]] == ["Zoe Lima"]
    assert out["interaction"]["people"] == ["Zoe Lima", "Bruno Costa"]
    assert [f["person"] for f in out["favours"]] == ["Zoe Lima", "Bruno Costa"]
    assert "Zoe Lima" in [c["name"] for c in records(jpath)["contacts"]]
    r = run("log", "--create", "lunch @zoe-lima", journal=jpath)  # now known: nothing created
    assert r.code == 0 and "created" not in r.out


@pytest.mark.parametrize(
    ("line", "words"),
    [
        ("lunch @brunno", ("no contact named 'brunno'", "did you mean Bruno Costa", "--create")),
        ("lunch @ana", ("@ana could be Ana Costa, Ana Silva",)),
        ("2019-02-29: lunch @bruno", ("no such date: 2019-02-29",)),
        ("2020-08-32: lunch @bruno", ("no such date: 2020-08-32",)),
        ("call @bruno 25h", ("25h", "longer than a day")),
        ("call @bruno 1h75", ("1h75",)),
        ("call @bruno +gave!7 help", ("weight after ! is 1 to 5",)),
        ("lunch with nobody", ("mention at least one person",)),
        ("yesterday: call @bruno 1h 2h @zed", ("two durations", "no contact named 'zed'")),
    ],
)
def test_log_errors_leave_the_journal_unchanged(jpath: Path, line: str, words: tuple[str, ...]) -> None:
    failed_unchanged(jpath, "log", line, words=words)


def test_log_create_still_refuses_an_ambiguous_name_or_a_bad_date(jpath: Path) -> None:
    failed_unchanged(jpath, "log", "--create", "lunch @ana and @newbie", words=("could be Ana Costa, Ana Silva",))
    failed_unchanged(jpath, "log", "--create", "2019-02-29: lunch @newbie", words=("no such date",))


def test_log_two_dates(jpath: Path) -> None:
    failed_unchanged(jpath, "log", "--on", "2024-01-01", "yesterday: lunch @bruno", words=("two dates",))
    failed_unchanged(jpath, "log", "--on", "2024-02-30", "lunch @bruno", words=("no such date",))


def test_log_without_a_journal_creates_nothing_on_error(tmp_path: Path) -> None:
    path = tmp_path / "new" / "journal.json"
    assert_one_line_error(run("log", "lunch @ana", journal=path), "no contact named 'ana'")
    assert not path.exists()
    r = run("log", "--create", "lunch @ana", journal=path)
    assert r.code == 0, r.err
    assert [c["name"] for c in records(path)["contacts"]] == ["Ana"]


# --- give / receive -------------------------------------------------------------------------------------------


def test_give_and_receive(jpath: Path) -> None:
    r = run("give", "nana", "intro", "to", "Carla", "--on", "2024-03-02", journal=jpath)
    assert r.code == 0, r.err
    assert r.out.strip() == "recorded a favour given to Ana Silva on Saturday 2 March 2024: intro to Carla (introduction, weight 2)"
    out = json.loads(run("receive", "eva", "a loan", "--weight", "5", "--kind", "money", "--json", journal=jpath).out)
    assert (out["person"], out["direction"], out["kind"], out["weight"]) == ("Éva Nagy", "received", "money", 5)
    assert out["date"] == date.today().isoformat() and out["interaction_id"] == ""
    favs = {(f["contact_id"], f["direction"], f["text"]) for f in records(jpath)["favours"]}
    assert {("c-ana", "given", "intro to Carla"), ("c-eva", "received", "a loan")} <= favs


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (("give", "zed", "a book"), ("no contact named 'zed'",)),
        (("give", "ana", "a book"), ("could be",)),
        (("give", "bruno", "a book", "--weight", "9"), ("weight", "1 to 5")),
        (("receive", "bruno", "a book", "--kind", "favourite"), ("kind", "favourite")),
        (("receive", "bruno", "a book", "--on", "2023-02-29"), ("no such date",)),
        (("receive", "bruno", "a book", "--weight", "lots"), ("invalid int value",)),
    ],
)
def test_give_errors_leave_the_journal_unchanged(jpath: Path, args: tuple[str, ...], words: tuple[str, ...]) -> None:
    failed_unchanged(jpath, *args, words=words)


# --- show ---------------------------------------------------------------------------------------------------------


def test_show_card_timeline_and_favours(jpath: Path) -> None:
    r = run("show", "bruno", journal=jpath)
    assert r.code == 0, r.err
    lines = r.out.splitlines()
    assert lines[0] == "Bruno Costa" and "Lumen" in r.out
    assert "gave 1 (weight 1), got 0 (weight 0): you mostly give" in r.out
    split = next(n for n, line in enumerate(lines) if line.startswith("favours (1 of 1"))
    interactions = [line for line in lines[:split] if line.startswith("2024-")]
    favours = [line for line in lines[split:] if line.startswith("2024-")]
    assert interactions == [
        "2024-02-20  meal  Éva Nagy  1h30  Dinner, talked pricing",  # Bruno himself is not repeated
        "2024-01-10  call                  Call about the roadmap",
    ]
    assert favours == ["2024-02-21  gave  gift       1  a book"]


def test_show_json(jpath: Path) -> None:
    out = json.loads(run("show", "Éva", "--json", journal=jpath).out)
    assert out["contact"]["name"] == "Éva Nagy" and out["contact"]["last_contact"] == "2024-02-20"
    assert out["interaction_count"] == 1 and out["interactions"][0]["people"] == ["Éva Nagy", "Bruno Costa"]
    assert [f["text"] for f in out["favours"]] == ["advice on pricing"]
    assert out["ledger"] == {"contact_id": "c-eva", "name": "Éva Nagy", "given": 0, "given_weight": 0, "received": 1,
                             "received_weight": 4, "balance": -4, "verdict": "you mostly receive"}
    out = json.loads(run("show", "bruno", "--json", "--limit", "1", journal=jpath).out)
    assert out["interaction_count"] == 2 and [i["id"] for i in out["interactions"]] == ["i-2"]


def test_show_errors(jpath: Path) -> None:
    failed_unchanged(jpath, "show", "zed", words=("no contact named 'zed'",))
    failed_unchanged(jpath, "show", "bruno", "--limit", "-1", words=("limit",))


# --- search -------------------------------------------------------------------------------------------------------


def ids(r: Result) -> list[str]:
    assert r.code == 0, r.err
    return [i["id"] for i in json.loads(r.out)]


def test_search_filters(jpath: Path) -> None:
    assert ids(run("search", "--json", journal=jpath)) == ["i-2", "i-1"]
    assert ids(run("search", "PRICING", "--json", journal=jpath)) == ["i-2"]
    assert ids(run("search", "the", "roadmap", "--json", journal=jpath)) == ["i-1"]
    assert ids(run("search", "--tag", "#work", "--json", journal=jpath)) == ["i-1"]
    assert ids(run("search", "--with", "eva", "--json", journal=jpath)) == ["i-2"]
    assert ids(run("search", "--from", "2024-02-20", "--json", journal=jpath)) == ["i-2"]
    assert ids(run("search", "--to", "2024-02-19", "--json", journal=jpath)) == ["i-1"]
    assert ids(run("search", "--from", "2024-01-10", "--to", "2024-01-10", "--json", journal=jpath)) == ["i-1"]
    assert ids(run("search", "--limit", "1", "--json", journal=jpath)) == ["i-2"]
    assert ids(run("search", "nothing like this", "--json", journal=jpath)) == []


def test_search_reads_the_grammar_the_app_reads(jpath: Path) -> None:
    assert ids(run("search", "pric", "--json", journal=jpath)) == ["i-2"]  # the start of a word
    assert ids(run("search", "ricing", "--json", journal=jpath)) == []  # not the inside of one
    assert ids(run("search", "dinner @éva #PRICING 2024-02", "--json", journal=jpath)) == ["i-2"]
    assert ids(run("search", '@"Bruno Costa" 2024-01..2024-01-31', "--json", journal=jpath)) == ["i-1"]
    assert ids(run("search", "@bruno ..2023", "--json", journal=jpath)) == []
    assert ids(run("search", "@bruno", "--with", "eva", "--json", journal=jpath)) == ["i-2"]  # and the options
    assert ids(run("search", "#work", "--tag", "pricing", "--json", journal=jpath)) == []


def test_search_table(jpath: Path) -> None:
    r = run("search", "--limit", "1", journal=jpath)
    assert r.code == 0
    assert r.out.splitlines()[0].split() == ["date", "kind", "with", "time", "text"]
    assert "2024-02-20  meal  Éva Nagy, Bruno Costa  1h30  Dinner, talked pricing" in r.out
    assert "more match" in r.out
    assert run("search", "zzz", journal=jpath).out.strip() == "no interaction matches"


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (("--from", "2024-02-30"), ("no such date",)),
        (("--to", "soonish"), ("not a date I understand",)),
        (("--from", "2024-03-01", "--to", "2024-01-01"), ("after",)),
        (("--with", "zed"), ("no contact named 'zed'",)),
        (("coffee @zed",), ("no contact named 'zed'",)),
        (("@ana",), ("@ana could be Ana Costa, Ana Silva",)),
        (("2024-13",), ("no such month: 2024-13",)),
        (("2024-03..2024-01",), ("the period ends before it starts",)),
    ],
)
def test_search_errors(jpath: Path, args: tuple[str, ...], words: tuple[str, ...]) -> None:
    failed_unchanged(jpath, "search", *args, words=words)


def test_reading_without_a_journal(tmp_path: Path) -> None:
    path = tmp_path / "none.json"
    # A journal that does not exist yet reads as an empty one, and is not created.
    assert run("search", "x", journal=path).out == "no interaction matches\n"
    assert run("ledger", journal=path).out.startswith("no favours yet")
    assert_one_line_error(run("show", "ana", journal=path), "no contact named 'ana'")
    assert not path.exists()


# --- ledger -------------------------------------------------------------------------------------------------------


def test_ledger_overall(jpath: Path) -> None:
    run("give", "nana", "a day of help", "--weight", "5", journal=jpath)
    run("give", "nana", "intro", "--weight", "5", journal=jpath)
    rows = json.loads(run("ledger", "--json", journal=jpath).out)
    assert [(r["name"], r["balance"], r["verdict"]) for r in rows] == [
        ("Ana Silva", 10, "you mostly give"), ("Éva Nagy", -4, "you mostly receive"), ("Bruno Costa", 1, "you mostly give"),
    ]
    r = run("ledger", journal=jpath)
    lines = r.out.splitlines()
    assert lines[0].split() == ["gave", "weight", "got", "weight", "balance", "verdict", "name"]
    assert lines[1].split() == ["2", "10", "0", "0", "+10", "you", "mostly", "give", "Ana", "Silva"]


def test_ledger_for_one_person(jpath: Path) -> None:
    out = json.loads(run("ledger", "eva", "--json", journal=jpath).out)
    assert out["verdict"] == "you mostly receive" and [f["text"] for f in out["favours"]] == ["advice on pricing"]
    r = run("ledger", "eva", journal=jpath)
    assert "you mostly receive" in r.out and "advice on pricing" in r.out
    failed_unchanged(jpath, "ledger", "zed", words=("no contact named 'zed'",))


def test_ledger_empty(tmp_path: Path) -> None:
    path = tmp_path / "j.json"
    run("contact", "add", "Ana", journal=path)
    assert run("ledger", "--json", journal=path).out.strip() == "[]"
    assert "no favours yet" in run("ledger", journal=path).out


# --- user text is data ---------------------------------------------------------------------------------------------


def test_markup_in_names_and_text_prints_literally(jpath: Path) -> None:
    r = run("log", '2024-03-07: coffee with @"[bold red]Mark[/]" about [link]x[/link] +gave [i]time[/i]', journal=jpath)
    assert r.code == 0, r.err
    assert "[bold red]Mark[/]" in r.out and "[i]time[/i]" in r.out
    assert "[link]x[/link]" in run("search", "coffee", journal=jpath).out
    show = run("show", "[bold red]Mark[/]", journal=jpath).out
    assert show.startswith("[bold red]Mark[/]") and "[link]x[/link]" in show
    assert "[bold red]Mark[/]" in run("ledger", journal=jpath).out


def test_capture_commands_never_load_textual(jpath: Path) -> None:
    code = (
        "import sys\n"
        "from netjournal.cli import main\n"
        f"j = {str(jpath)!r}\n"
        "for argv in (['log', '2024-03-07: call @bruno'], ['give', 'bruno', 'x'], ['search', 'x'], ['show', 'bruno'],"
        " ['ledger'], ['ledger', 'bruno']):\n"
        "    assert main(['--journal', j, *argv]) == 0, argv\n"
        "assert not any(m == 'textual' or m.startswith('textual.') for m in sys.modules), 'textual imported'\n"
    )
    env = {**os.environ}
    env.pop("NETJOURNAL_JOURNAL", None)
    p = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=60)
    assert p.returncode == 0, p.stderr


def test_a_long_search_prints_every_row_whole(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Rows are drawn a few hundred at a time (one render of 30,000 rows took 8 s): none is
    lost, split or doubled at the seams."""
    from netjournal.cli import main
    from netjournal.domain.model import Contact, Interaction
    from netjournal.store import Journal

    path = tmp_path / "journal.json"
    with Journal.open(path) as j:
        ana = j.add_contact(Contact(name="Ana"))
        j.apply([Interaction(date=f"2024-01-{n % 28 + 1:02}", contact_ids=[ana.id], text=f"pricing note {n}").stamped()
                 for n in range(1234)])
    capsys.readouterr()
    assert main(["--journal", str(path), "search", "pricing", "--limit", "0"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("date") and len(lines) == 1235
    assert sorted(int(line.rsplit(" ", 1)[1]) for line in lines[1:]) == list(range(1234))


# --- dates shown back as they were read --------------------------------------------------------------------


def _spelled(day: date) -> str:
    from netjournal.domain.dates import spell_day

    return spell_day(day)


def test_log_says_the_date_as_it_read_it(jpath: Path) -> None:
    r = run("log", "2024-03-05: lunch with @nana 1h", journal=jpath)
    assert r.code == 0, r.err
    assert r.out.splitlines()[0] == "recorded: a meal with Ana Silva on Tuesday 5 March 2024"


def test_log_keeps_a_plan_and_says_it_is_one(jpath: Path) -> None:
    r = run("log", "tomorrow: lunch with @nana", journal=jpath)
    assert r.code == 0, r.err
    tomorrow = date.today() + timedelta(days=1)
    assert r.out.splitlines()[0] == f"recorded: a plan: a meal with Ana Silva on {_spelled(tomorrow)}"
    assert [i["date"] for i in records(jpath)["interactions"] if i["contact_ids"] == ["c-ana"]] == [tomorrow.isoformat()]
    shown = run("show", "nana", journal=jpath).out
    assert "last contact  never" in shown  # a plan is not a last contact
    assert "upcoming · lunch with Ana Silva" in shown


def test_log_refuses_a_favour_on_a_plan(jpath: Path) -> None:
    failed_unchanged(jpath, "log", "tomorrow: lunch with @nana +gave intro to Carla", words=("after today",))


def test_a_favour_dated_after_today_is_refused(jpath: Path) -> None:
    failed_unchanged(jpath, "give", "nana", "intro", "to", "Carla", "--on", "tomorrow", words=("favour", "after today"))
    r = run("give", "nana", "a book", "--on", "today", journal=jpath)
    assert r.code == 0 and _spelled(date.today()) in r.out, r.err
