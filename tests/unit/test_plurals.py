"""Counts read right: "1 interaction", "in 1 day", "1 favour", "1 person"."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from clitools import run

from netjournal.domain.dates import format_ago, format_cadence, format_in_days
from netjournal.domain.model import Contact, Favour
from netjournal.domain.text import counted, record_counts
from netjournal.store import Journal

TODAY = date(2024, 6, 12)


def test_counted_is_singular_for_one_only() -> None:
    assert counted(1, "interaction") == "1 interaction"
    assert [counted(n, "favour") for n in (0, 2, 1200)] == ["0 favours", "2 favours", "1,200 favours"]
    assert (counted(1, "person"), counted(3, "person")) == ("1 person", "3 people")
    assert record_counts({"contacts": 1, "interactions": 0, "favours": 2}) == "1 contact, 0 interactions, 2 favours"


def test_days_read_right() -> None:
    assert format_ago(date(2024, 6, 13), TODAY) == "tomorrow"  # not "in 1 days"
    assert format_ago(date(2024, 6, 14), TODAY) == "in 2 days"
    assert format_in_days(1) == "tomorrow" and format_in_days(-1) == "1 day late"
    assert format_cadence(1) == "every day" and format_cadence(3) == "every 3 days"


def test_commands_count_one_record_in_the_singular(tmp_path: Path) -> None:
    path = tmp_path / "journal.json"
    with Journal.open(path) as j:
        j.add_contact(Contact(id="c-a", name="Ana"))
        j.add_favour(Favour(date=TODAY.isoformat(), contact_id="c-a", direction="given", weight=2))
    r = run("doctor", journal=path)
    assert r.code == 0 and "1 contact, 0 interactions, 1 favour" in r.out, r.out
    out = tmp_path / "people"
    r = run("export", "--format", "md", "--per-contact", "-o", str(out), journal=path)
    assert r.code == 0 and "wrote 1 person and index.md" in r.err, r.err
