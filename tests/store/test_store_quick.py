"""Overdue and circles from people, favours and each person's latest date (store.quick) are
exactly what the full Insights computes, on random journals read back from a snapshot plus
the change log's newer lines; and they never read the interactions."""

from __future__ import annotations

import random
from datetime import date, timedelta
from pathlib import Path

import pytest

from netjournal.config import Settings
from netjournal.domain.model import CIRCLES, Contact, Favour, Interaction
from netjournal.store import Journal
from netjournal.store.quick import quick_insights, today_insights
from netjournal.store.views import Insights

TODAY = date(2024, 6, 12)


def _day(rng: random.Random, spread: int = 400) -> str:
    d = (TODAY - timedelta(days=rng.randrange(spread))).isoformat()
    return d + f"T{rng.randrange(24):02d}:00" if rng.random() < 0.2 else d


def _random_journal(path: Path, rng: random.Random) -> list[str]:
    with Journal.open(path) as j:
        people = []
        for n in range(rng.randrange(3, 25)):
            c = j.add_contact(Contact(
                name=rng.choice(["Ana", "Bruno", "Éva", "Zoë", "李", "ana"]) + str(n), circle=rng.choice(CIRCLES),
                cadence_days=rng.choice([0, 0, 7, 30, 90]), archived=rng.random() < 0.1,
                snoozed_until=(TODAY + timedelta(days=rng.randrange(-5, 20))).isoformat() if rng.random() < 0.15 else "",
                created=f"{_day(rng, 900)[:10]}T00:00:00.000000Z",
            ))
            people.append(c.id)
        for _ in range(rng.randrange(0, 120)):
            j.add_interaction(_interaction(rng, people))
        for _ in range(rng.randrange(0, 60)):
            j.add_favour(Favour(date=_day(rng, 500), contact_id=rng.choice(people), weight=rng.randrange(1, 6),
                                direction=rng.choice(["given", "received"])))
        if rng.random() < 0.7:
            j.compact()  # else the records stay in the change log
    return people


def _interaction(rng: random.Random, people: list[str], spread: int = 400) -> Interaction:
    """Some with minutes, a follow-up (due any time, late ones too), asks, tags and words."""
    follow = (TODAY + timedelta(days=rng.randrange(-60, 30))).isoformat() if rng.random() < 0.2 else ""
    return Interaction(
        date=_day(rng, spread), contact_ids=rng.sample(people, rng.choice([1, 1, 2])), kind="call",
        minutes=rng.choice([0, 15, 45, 90]), follow_up=follow, text=rng.choice(["", "coffee", 'said "asks":[x]']),
        asks=[rng.choice(["a designer", "a climbing partner", 'a "quoted" ask'])] if rng.random() < 0.15 else [],
        tags=rng.sample(["design", "climbing", "python"], rng.randrange(0, 2)),
    )


def _change(j: Journal, people: list[str], rng: random.Random) -> None:
    """Changes after the open: new, moved and deleted interactions, a favour, an archived person."""
    ids = j.interaction_ids() if rng.random() < 0.3 else []  # (reading them all parses them: sometimes)
    for _ in range(rng.randrange(0, 6)):
        j.add_interaction(_interaction(rng, people, 60))
    for rid in rng.sample(ids, min(len(ids), 3)):
        if rng.random() < 0.5:
            j.delete_interaction(rid)
        else:
            it = j.interaction(rid)
            it.date = _day(rng)
            it.follow_up = "" if it.follow_up else TODAY.isoformat()
            it.asks = [] if it.asks else ["an intro to a designer"]
            j.update_interaction(it)
    if rng.random() < 0.5:
        j.add_favour(Favour(date=_day(rng, 30), contact_id=rng.choice(people), direction="given", weight=3))
    if rng.random() < 0.3:
        c = j.contact(rng.choice(people))
        c.archived = not c.archived
        j.update_contact(c)


def _compare(j: Journal, settings: Settings, today: date) -> int:
    """The quick views against the full ones; how many quick kinds could answer. The quick
    ones first: the full Insights parses the interactions."""
    quick_today = today_insights(j, settings, today)
    mine = {}
    if quick_today is not None:
        mine = {"today": quick_today.today(today), "asks": quick_today.asks(today),
                "ideas": quick_today.help_ideas(today), "follow_ups": quick_today.follow_ups(today)}
    quick = quick_insights(j, settings, today)
    people_only = quick_insights(j, settings, today, favours=False)
    full = Insights(j, settings)
    if mine:
        assert mine == {"today": full.today(today), "asks": full.asks(today), "ideas": full.help_ideas(today),
                        "follow_ups": full.follow_ups(today)}
    if quick is None or people_only is None:
        assert any(d[:10] > today.isoformat() for d in j.last_contacts().values())
        return bool(mine)
    assert quick.overdue(today) == full.overdue(today)
    assert quick.overdue(today, snoozed=True) == full.overdue(today, snoozed=True)
    assert quick.circles(today) == full.circles(today)
    assert quick.reciprocity(today, dormant=True) == full.reciprocity(today, dormant=True)
    assert people_only.overdue(today, snoozed=True) == full.overdue(today, snoozed=True)
    assert people_only.birthdays(today) == full.birthdays(today)
    return bool(mine) + 1


@pytest.mark.parametrize("seed", range(40))
def test_the_quick_views_are_the_full_ones(tmp_path: Path, seed: int) -> None:
    rng = random.Random(seed)
    path = tmp_path / "journal.json"
    people = _random_journal(path, rng)
    settings = Settings(reciprocity_months=rng.choice([3, 12]))
    answered = 0
    with Journal.open(path) as j:  # in the session that made changes since the snapshot
        if rng.random() < 0.8:
            _change(j, people, rng)
        answered += _compare(j, settings, TODAY)
    for today in (TODAY + timedelta(days=40), TODAY - timedelta(days=30)):
        with Journal.open(path, readonly=True) as j:  # a new process: snapshot and change log
            answered += _compare(j, settings, today)
    assert answered >= 2  # (both quick kinds answered at least as of the 40th day on)


def test_the_quick_views_read_no_interaction_and_refuse_the_views_that_need_them(tmp_path: Path) -> None:
    path = tmp_path / "journal.json"
    _random_journal(path, random.Random(7))
    with Journal.open(path, readonly=True) as j:
        people_only = quick_insights(j, None, TODAY + timedelta(days=1), favours=False)
        assert people_only is not None
        people_only.overdue(TODAY + timedelta(days=1))
        assert j.storage.lazy and j.storage.favours_lazy  # neither interactions nor favours parsed
        with pytest.raises(TypeError):
            people_only.circles(TODAY)
    with Journal.open(path, readonly=True) as j:
        assert j.storage.lazy
        quick = quick_insights(j, None, TODAY + timedelta(days=1))
        assert quick is not None
        quick.circles(TODAY + timedelta(days=1))
        quick.overdue(TODAY + timedelta(days=1))
        assert j.storage.lazy  # the interactions are still unparsed bytes
        with pytest.raises(TypeError):
            quick.who("design", TODAY)


def test_today_reads_only_the_interactions_it_needs(tmp_path: Path) -> None:
    path = tmp_path / "journal.json"
    _random_journal(path, random.Random(3))
    with Journal.open(path, readonly=True) as j:
        quick = today_insights(j, None, TODAY + timedelta(days=1))
        assert quick is not None
        view = quick.today(TODAY + timedelta(days=1))
        assert j.storage.lazy  # still unparsed bytes
        assert view == Insights(j).today(TODAY + timedelta(days=1))
        with pytest.raises(TypeError):
            quick.time(TODAY + timedelta(days=1), 52)  # a window it did not read


def test_the_time_window_starts_on_its_first_monday(tmp_path: Path) -> None:
    path = tmp_path / "journal.json"
    with Journal.open(path) as j:
        ana = j.add_contact(Contact(name="Ana"))
        for day, minutes in (("2024-03-24", 30), ("2024-03-25T08:00", 60), ("2024-06-12", 15)):
            j.add_interaction(Interaction(date=day, contact_ids=[ana.id], kind="call", minutes=minutes))
        j.compact()
    with Journal.open(path, readonly=True) as j:
        quick = today_insights(j, None, TODAY)
        assert quick is not None
        time = quick.time(TODAY)
        assert time.weeks[0].start == date(2024, 3, 25) and time.weeks[0].minutes == 60
        assert time == Insights(j).time(TODAY)


def test_an_interaction_after_the_day_asked_about_needs_the_full_views(tmp_path: Path) -> None:
    path = tmp_path / "journal.json"
    with Journal.open(path) as j:
        ana = j.add_contact(Contact(name="Ana", cadence_days=7))
        j.add_interaction(Interaction(date="2024-06-01", contact_ids=[ana.id], kind="call"))
        j.add_interaction(Interaction(date="2024-06-20", contact_ids=[ana.id], kind="call"))
    with Journal.open(path, readonly=True) as j:
        assert quick_insights(j, None, TODAY) is None  # Ana's latest before the 12th is not known
        assert today_insights(j, None, TODAY) is None
        assert quick_insights(j, None, date(2024, 6, 20)) is not None
        assert Insights(j).overdue(TODAY)[0].last_contact == date(2024, 6, 1)
