"""netjournal today / overdue / who / circles / time / reciprocity / asks / snooze / config, run as a person runs them."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import pytest
from clitools import assert_one_line_error, run

from netjournal.demo import build_demo
from netjournal.domain.model import Contact, Favour, Interaction
from netjournal.store import Journal

TODAY = date(2024, 6, 12)
ON = ("--on", TODAY.isoformat())


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo journal as of TODAY (read-only commands only)."""
    path = tmp_path_factory.mktemp("demo") / "journal.json"
    with Journal.open(path) as j:
        build_demo(j, TODAY)
    return path


@pytest.fixture
def small(tmp_path: Path) -> Path:
    """Two people as of the real today (the commands run without --on)."""
    now = date.today()
    path = tmp_path / "journal.json"
    with Journal.open(path) as j:
        j.add_contact(Contact(id="c-a", name="[bold]Ana[/bold]", circle="inner", tags=["design"],
                              asks=["looking for a [red]designer"]))
        j.add_contact(Contact(id="c-b", name="Bruno", circle="close", tags=["web", "design"]))
        j.add_interaction(Interaction(date=(now - timedelta(days=40)).isoformat(), contact_ids=["c-a"],
                                      text="Talked [i]design[/i]", minutes=90))
        j.add_favour(Favour(date=now.isoformat(), contact_id="c-b", direction="received", weight=4))
    return path


def js(*args: str, journal: Path) -> object:
    r = run(*args, "--json", journal=journal)
    assert r.code == 0, r.err
    return json.loads(r.out)


def test_today_on_the_demo_has_something_to_say(demo: Path) -> None:
    view = js("today", *ON, journal=demo)
    assert isinstance(view, dict)
    assert view["today"] == "2024-06-12"
    assert view["overdue_total"] >= 3 and view["overdue"][0]["days_overdue"] >= view["overdue"][-1]["days_overdue"]
    assert {f["names"][0] for f in view["follow_ups"]} >= {"Éva Nagy"}
    assert [(b["name"], b["days"]) for b in view["birthdays"]] == [("Ana Silva", 5), ("David Okafor", 11)]
    assert view["gestures"][0]["name"] == "Grace Liu" and view["gestures"][0]["verdict"] == "you mostly receive"
    assert view["budget"] == 120 and view["suggestion"]["name"]
    r = run("today", *ON, journal=demo)
    assert r.code == 0, r.err
    for words in ("Overdue", "David Okafor", "Follow-ups", "Worth a gesture", "Grace Liu", "of 2h", "Serve first"):
        assert words in r.out


def test_overdue_most_overdue_first_and_snooze_hides(demo: Path, small: Path) -> None:
    rows = js("overdue", *ON, journal=demo)
    assert isinstance(rows, list) and len(rows) >= 3
    assert [r["days_overdue"] for r in rows] == sorted((r["days_overdue"] for r in rows), reverse=True)
    assert rows[0]["name"] == "David Okafor" and rows[0]["cadence_days"] == 91
    # Ana: inner circle (every 14 days), last seen 40 days ago. Bruno was added today.
    assert [(r["name"], r["days_overdue"]) for r in js("overdue", journal=small)] == [("[bold]Ana[/bold]", 26)]  # type: ignore[union-attr]
    r = run("overdue", journal=small)
    assert "[bold]Ana[/bold]" in r.out and "40 days ago" in r.out  # user text is never markup
    r = run("snooze", "c-a", "--for", "2w", journal=small)
    end = (date.today() + timedelta(days=14)).isoformat()
    from netjournal.domain.dates import spell_day

    spelled = spell_day(date.today() + timedelta(days=14))
    assert r.code == 0 and r.out.strip() == f"snoozed [bold]Ana[/bold] until {spelled}", r.err
    assert js("overdue", journal=small) == []
    snoozed = js("overdue", "--snoozed", journal=small)
    assert [x["snoozed_until"] for x in snoozed] == [end]  # type: ignore[union-attr]
    until = (date.today() + timedelta(days=30)).isoformat()
    person = js("snooze", "c-a", "--until", until, journal=small)
    assert person["snoozed_until"] == until  # type: ignore[index]
    r = run("snooze", "c-a", "--clear", journal=small)
    assert r.code == 0 and "no longer snoozed" in r.out
    assert len(js("overdue", journal=small)) == 1  # type: ignore[arg-type]


def test_snooze_errors_leave_the_journal_unchanged(small: Path) -> None:
    before = small.read_bytes(), Path(str(small) + ".log").read_bytes() if Path(str(small) + ".log").exists() else b""
    for args, words in (
        (("snooze", "Nobody"), ("no contact named",)),
        (("snooze", "Bruno", "--for", "soon"), ("not a duration", "soon")),
        (("snooze", "Bruno", "--until", "2001-01-01"), ("not in the future",)),
        (("snooze", "Bruno", "--until", "2024-02-30"), ("no such date",)),
        (("snooze", "Bruno", "--for", "2w", "--until", "friday"), ("not allowed with",)),
    ):
        assert_one_line_error(run(*args, journal=small), *words)
    after = small.read_bytes(), Path(str(small) + ".log").read_bytes() if Path(str(small) + ".log").exists() else b""
    assert after == before


def test_who_ranks_and_explains(demo: Path, small: Path) -> None:
    rows = js("who", "design", *ON, journal=demo)
    assert isinstance(rows, list)
    assert rows[0]["name"] == "Ana Silva" and "#design" in rows[0]["reasons"]
    assert rows[0]["score"] >= rows[-1]["score"]
    r = run("who", "design", journal=small)
    assert r.code == 0 and "[bold]Ana[/bold]" in r.out and "#design" in r.out
    r = run("who", "underwater", "basket", journal=small)
    assert r.code == 0 and "nobody" in r.out
    assert_one_line_error(run("who", "--", "-", journal=small), "give a word")


def test_circles_reciprocity_time_and_asks(demo: Path, small: Path) -> None:
    groups = js("circles", *ON, journal=demo)
    assert isinstance(groups, list) and [g["circle"] for g in groups] == ["inner", "close", "active", "acquaintance"]
    drifting = {m["name"] for g in groups for m in g["members"] if m["drifting"]}
    assert "David Okafor" in drifting and "Ana Silva" not in drifting

    rows = js("reciprocity", *ON, journal=demo)
    assert isinstance(rows, list)
    imbalances = [abs(r["balance"]) for r in rows]
    assert imbalances == sorted(imbalances, reverse=True) and all(r["verdict"] != "dormant" for r in rows)
    assert len(js("reciprocity", "--all", *ON, journal=demo)) == 12  # type: ignore[arg-type]
    r = run("reciprocity", journal=small)
    assert r.code == 0 and "Bruno" in r.out and "you mostly receive" in r.out

    t = js("time", *ON, journal=demo)
    assert isinstance(t, dict) and len(t["weeks"]) == 12 and t["budget"] == 120
    assert t["weeks"][-1]["start"] == "2024-06-10" and t["total"] == sum(w["minutes"] for w in t["weeks"])
    assert len(js("time", "--weeks", "4", *ON, journal=demo)["weeks"]) == 4  # type: ignore[index]
    assert_one_line_error(run("time", "--weeks", "0", journal=demo), "weeks")

    asks = js("asks", *ON, journal=demo)
    assert isinstance(asks, dict)
    assert any(a["name"] == "Kemi Adeyemi" and a["source"] == "i-demo903" for a in asks["asks"])
    assert any(h["ask"]["name"] == "Farid Haddad" and h["helper_name"] == "Jonas Weber" for h in asks["ideas"])
    r = run("asks", journal=small)
    assert r.code == 0 and "looking for a [red]designer" in r.out and "Bruno" in r.out


def test_budget_is_configurable(small: Path) -> None:
    r = run("config", "set", "budget_percent", "10", journal=small)
    assert r.code == 0 and "4h" in r.out, r.err
    assert js("today", journal=small)["budget"] == 240  # type: ignore[index]
    assert js("config", "show", journal=small)["weekly_budget_minutes"] == 240  # type: ignore[index]
    assert_one_line_error(run("config", "set", "budget_percent", "lots", journal=small), "budget_percent", "number")
    assert_one_line_error(run("config", "set", "colour", "red", journal=small), "unknown setting")
    assert js("config", "show", journal=small)["budget_percent"] == 10  # type: ignore[index]


def test_keys_of_your_own_are_set_per_binding_id(small: Path) -> None:
    r = run("config", "set", "keymap.capture.open", "x", journal=small)
    assert r.code == 0 and r.out.strip() == "keymap.capture.open = x", r.err
    assert run("config", "set", "keymap.contact.new", "ctrl+k, f2", journal=small).code == 0
    assert js("config", "show", journal=small)["keymap"] == {"capture.open": "x", "contact.new": "ctrl+k,f2"}  # type: ignore[index]
    shown = run("config", "show", journal=small).out
    assert "keymap.capture.open  x" in shown and "keymap.contact.new  ctrl+k,f2" in shown
    assert_one_line_error(run("config", "set", "keymap.Bad id!", "x", journal=small), "not a binding id")
    assert_one_line_error(run("config", "set", "keymap.capture.open", "a b", journal=small), "keys are names")
    # found by a fresh-clone trial: "ctrl+" was taken, and the binding then had no key at all
    assert_one_line_error(run("config", "set", "keymap.edit", "ctrl+", journal=small), "'ctrl+' is not a key")
    assert_one_line_error(run("config", "set", "keymap.edit", "e,", journal=small), "an empty key is not a key")
    r = run("config", "set", "keymap.contact.new", "", journal=small)  # empty: the default again
    assert r.code == 0 and "default" in r.out
    assert js("config", "show", journal=small)["keymap"] == {"capture.open": "x"}  # type: ignore[index]
    assert js("config", "show", journal=small)["budget_percent"] == 5  # type: ignore[index]  # the rest is kept


def test_views_need_a_journal_and_a_valid_date(tmp_path: Path, small: Path) -> None:
    r = run("today", journal=tmp_path / "none" / "journal.json")  # not there yet: an empty journal
    assert r.code == 0 and "no people yet: add one with netjournal contact add NAME" in r.out
    assert not (tmp_path / "none").exists()
    assert_one_line_error(run("today", "--on", "someday", journal=small), "on")
    assert_one_line_error(run("overdue", "--limit", "-1", journal=small), "limit")
    assert_one_line_error(run("reciprocity", "--months", "500", journal=small), "months")


def test_who_and_asks_match_whole_words_and_their_forms(tmp_path: Path) -> None:
    path = tmp_path / "journal.json"
    now = date.today()
    with Journal.open(path) as j:
        j.add_contact(Contact(id="c-a", name="Ana", tags=["fundraising", "supply-chain", "partnerships"]))
        j.add_contact(Contact(id="c-b", name="Bruno", tags=["AI", "climbing"]))
        j.add_contact(Contact(id="c-c", name="Carla", asks=["a climbing partner"]))
        j.add_interaction(Interaction(date=(now - timedelta(days=2)).isoformat(), contact_ids=["c-c"],
                                      text="Coffee with the co-founder; negotiation went well"))
        j.add_interaction(Interaction(date=(now - timedelta(days=3)).isoformat(), contact_ids=["c-a"],
                                      text="She designs and designed; a designer", tags=["Designing"]))
    assert [m["name"] for m in js("who", "ai", journal=path)] == ["Bruno"]  # type: ignore[union-attr]
    assert js("who", "go", journal=path) == []
    rows = js("who", "co-founder", journal=path)
    assert [(m["name"], m["reasons"]) for m in rows] == [("Carla", ["2 mentions"])]  # type: ignore[union-attr]
    rows = js("who", "design", journal=path)
    assert [(m["name"], m["reasons"]) for m in rows] == [("Ana", ["4 mentions"])]  # type: ignore[union-attr]
    asks = js("asks", journal=path)
    assert [(h["helper_name"], h["matched"]) for h in asks["ideas"]] == [("Bruno", ["#climbing"])]  # type: ignore[index]


@pytest.mark.parametrize("command", [["today"], ["overdue"], ["who", "design"], ["circles"], ["reciprocity"], ["asks"]])
def test_every_view_of_an_empty_journal_says_how_to_start(tmp_path: Path, command: list[str]) -> None:
    r = run(*command, journal=tmp_path / "journal.json")
    assert r.code == 0 and r.err == ""
    assert "no people yet: add one with netjournal contact add NAME" in r.out
    assert "in touch with everyone" not in r.out and "nobody is overdue" not in r.out


def test_time_with_nothing_logged_says_how_to_log_it(tmp_path: Path) -> None:
    r = run("time", "--weeks", "2", journal=tmp_path / "journal.json")
    assert r.code == 0 and "on budget 0 of 1 full week\n" in r.out
    assert 'no time logged in these 2 weeks: give it when you log, as in netjournal log "coffee with @ana 45m"' in r.out


def test_journal_and_demo_are_read_after_the_command_too(tmp_path: Path, small: Path) -> None:
    before = run("--journal", str(small), "circles")
    after = run("circles", "--journal", str(small))
    assert after.code == 0 and after.out == before.out and "Bruno" in after.out
    r = run("config", "set", "budget_percent", "10", "--journal", str(small))
    assert r.code == 0, r.err
    assert js("today", journal=small)["budget"] == 240  # type: ignore[index]
    r = run("contact", "add", "Zoe", "--journal", str(tmp_path / "other.json"))
    assert r.code == 0 and (tmp_path / "other.json").exists()
    r = run("overdue", "--demo", "--json")
    assert r.code == 0 and json.loads(r.out)
    assert_one_line_error(run("today", "--journal"), "--journal", "expected one argument")


def test_today_lists_plans_as_upcoming_and_a_plan_restarts_no_clock(small: Path) -> None:
    soon = date.today() + timedelta(days=3)
    with Journal.open(small) as j:
        j.add_interaction(Interaction(date=soon.isoformat(), contact_ids=["c-a"], kind="meal", text="# Lunch at Rosa's"))
    r = run("today", journal=small)
    assert r.code == 0, r.err
    upcoming = r.out[r.out.index("Upcoming"):]
    assert "in 3 days" in upcoming and "[bold]Ana[/bold]" in upcoming and "meal on" in upcoming and "Lunch at Rosa's" in upcoming
    # Ana's last contact is still the one 40 days ago: she stays overdue, never "in 3 days".
    assert [(x["name"], x["days_overdue"]) for x in js("overdue", journal=small)] == [("[bold]Ana[/bold]", 26)]  # type: ignore[index]
    row = next(x for x in js("contact", "list", journal=small) if x["id"] == "c-a")  # type: ignore[union-attr, index]
    assert row["days_since"] == 40  # type: ignore[index]


def test_todays_heading_writes_the_day_as_everything_else_does(tmp_path: Path) -> None:
    """"Saturday 5 December 2026", as every date is said back, not strftime's "05"."""
    r = run("today", "--on", "2026-12-05", journal=tmp_path / "journal.json")
    assert r.code == 0, r.err
    assert "Today, Saturday 5 December 2026" in r.out
