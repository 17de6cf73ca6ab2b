"""The insight measures with fixed dates, and the incremental Insights cache over a Journal."""

from __future__ import annotations

import random
from datetime import date, timedelta
from pathlib import Path

import pytest

from netjournal.config import Settings
from netjournal.domain import insights as ins
from netjournal.domain.model import Contact, Favour, Interaction
from netjournal.store import Journal
from netjournal.store.views import Insights

TODAY = date(2024, 6, 12)  # a Wednesday
STAMP = "2024-01-01T00:00:00.000000Z"


def person(cid: str, name: str, **kw: object) -> Contact:
    return Contact(id=cid, name=name, created=kw.pop("created", STAMP), updated=STAMP, **kw)  # type: ignore[arg-type]


def fav(day: date | str, direction: str, weight: int = 2, contact_id: str = "c-a", fid: str = "") -> Favour:
    d = day if isinstance(day, str) else day.isoformat()
    return Favour(id=fid or f"f-{d}-{direction}-{weight}", date=d, contact_id=contact_id, direction=direction,
                  weight=weight)


def talk(iid: str, day: date, *who: str, minutes: int = 0, text: str = "", follow_up: str = "",
         tags: list[str] | None = None, asks: list[str] | None = None) -> Interaction:
    return Interaction(id=iid, date=day.isoformat(), contact_ids=list(who), kind="call", text=text, minutes=minutes,
                       follow_up=follow_up, tags=tags or [], asks=asks or [])


def days(n: int) -> date:
    return TODAY - timedelta(days=n)


# --- reciprocity ---------------------------------------------------------------------------------


def test_no_favours_is_dormant_with_an_empty_series() -> None:
    r = ins.reciprocity("c-a", "Ana", [], TODAY)
    assert (r.given, r.received, r.balance, r.verdict) == (0, 0, 0, ins.DORMANT)
    assert r.months[0] == "2023-07" and r.months[-1] == "2024-06" and len(r.months) == 12
    assert r.given_by_month == (0,) * 12


def test_recent_favours_count_more_halving_every_six_months() -> None:
    assert ins.favour_value(4, 0) == 4
    assert ins.favour_value(4, 182) == pytest.approx(2, rel=0.01)
    assert ins.favour_value(4, 365) == pytest.approx(1, rel=0.01)
    r = ins.reciprocity("c-a", "Ana", [fav(TODAY, "given", 2), fav(days(365), "received", 4)], TODAY)
    # The old, heavier favour received is worth about half of the fresh one given.
    assert r.given == 2 and r.received == pytest.approx(1.0, abs=0.01)
    assert r.balance == pytest.approx(1.0, abs=0.01)


def test_window_includes_its_first_day_and_today_but_not_before_or_after() -> None:
    start = ins.window_start(TODAY, 12)
    assert start == date(2023, 6, 12)
    counted = ins.reciprocity("c-a", "Ana", [fav(start, "given")], TODAY)
    assert counted.given_count == 1
    before = ins.reciprocity("c-a", "Ana", [fav(start - timedelta(days=1), "given")], TODAY)
    assert before.given_count == 0 and before.verdict == ins.DORMANT
    future = ins.reciprocity("c-a", "Ana", [fav(TODAY + timedelta(days=1), "received")], TODAY)
    assert future.received_count == 0
    shorter = ins.reciprocity("c-a", "Ana", [fav(days(100), "given")], TODAY, months=3)
    assert shorter.given_count == 0 and len(shorter.months) == 3


def test_verdict_threshold_is_two_to_one() -> None:
    assert ins.verdict(2.0, 1.0, 2) == ins.INTERDEPENDENT  # exactly 2:1 is still give and take
    assert ins.verdict(2.01, 1.0, 2) == ins.YOU_MOSTLY_GIVE
    assert ins.verdict(1.0, 2.01, 2) == ins.YOU_MOSTLY_RECEIVE
    assert ins.verdict(0.0, 0.3, 1) == ins.YOU_MOSTLY_RECEIVE
    assert ins.verdict(0.0, 0.0, 0) == ins.DORMANT
    same_day = [fav(TODAY, "given", 3), fav(TODAY, "received", 2)]
    assert ins.reciprocity("c-a", "Ana", same_day, TODAY).verdict == ins.INTERDEPENDENT
    one_way = [fav(TODAY, "given", 5), fav(TODAY, "received", 2)]
    assert ins.reciprocity("c-a", "Ana", one_way, TODAY).verdict == ins.YOU_MOSTLY_GIVE


def test_monthly_series_puts_plain_weights_in_their_month() -> None:
    r = ins.reciprocity("c-a", "Ana", [
        fav("2024-06-01", "given", 3), fav("2024-06-02", "received", 1, fid="f2"), fav("2023-07-15", "received", 5),
    ], TODAY)
    assert r.given_by_month[-1] == 3 and r.received_by_month[-1] == 1
    assert r.received_by_month[0] == 5
    assert r.net_by_month[-1] == 2 and r.net_by_month[0] == -5
    line = ins.balance_sparkline(r.net_by_month)
    assert len(line) == 12 and line[0] == "▁" and line[5] == "·" and line[-1] in "▅▆▇█"


def test_table_sorts_by_imbalance() -> None:
    rows = [
        ins.reciprocity("c-a", "Ana", [fav(TODAY, "given", 1)], TODAY),
        ins.reciprocity("c-b", "Bruno", [fav(TODAY, "received", 4)], TODAY),
        ins.reciprocity("c-c", "Carla", [fav(TODAY, "given", 2)], TODAY),
    ]
    assert [r.name for r in ins.by_imbalance(rows)] == ["Bruno", "Carla", "Ana"]


# --- keep in touch -----------------------------------------------------------------------------------


def test_cadence_comes_from_the_circle_unless_set_and_any_interaction_restarts_the_clock() -> None:
    inner = person("c-a", "Ana", circle="inner")
    own = person("c-b", "Bruno", circle="inner", cadence_days=60)
    assert ins.touch_status(inner, days(14), TODAY).days_overdue == 0  # due today: not overdue yet
    assert not ins.touch_status(inner, days(14), TODAY).overdue
    st = ins.touch_status(inner, days(15), TODAY)
    assert st is not None and st.overdue and st.days_overdue == 1 and st.due == days(1)
    assert ins.touch_status(own, days(15), TODAY).days_overdue == -45


def test_someone_never_met_counts_from_the_day_they_were_added() -> None:
    c = person("c-a", "Ana", circle="close", created=f"{days(40).isoformat()}T08:00:00Z")
    st = ins.touch_status(c, None, TODAY)
    assert st is not None and st.last_contact is None and st.days_overdue == 10


def test_overdue_list_most_overdue_first_without_archived_or_snoozed() -> None:
    people = [
        person("c-a", "Ana", circle="inner"),  # 20 days since, 14 cadence: 6 over
        person("c-b", "Bruno", circle="close"),  # 90 days since, 30 cadence: 60 over
        person("c-c", "Carla", circle="close", archived=True),
        person("c-d", "David", circle="close", snoozed_until=(TODAY + timedelta(days=3)).isoformat()),
        person("c-e", "Éva", circle="close", snoozed_until=TODAY.isoformat()),  # the snooze ended today
        person("c-f", "Farid", circle="active"),  # 10 days since: fine
    ]
    last = {"c-a": days(20), "c-b": days(90), "c-c": days(400), "c-d": days(400), "c-e": days(31), "c-f": days(10)}
    rows = ins.overdue(people, last.get, TODAY)
    assert [(s.name, s.days_overdue) for s in rows] == [("Bruno", 60), ("Ana", 6), ("Éva", 1)]
    with_snoozed = ins.overdue(people, last.get, TODAY, snoozed=True)
    assert [s.name for s in with_snoozed] == ["David", "Bruno", "Ana", "Éva"]
    assert with_snoozed[0].snoozed_until == TODAY + timedelta(days=3)


def test_follow_ups_in_the_next_fourteen_days_and_late_ones_still_open() -> None:
    names = {"c-a": "Ana", "c-b": "Bruno", "c-c": "Carla"}
    items = [
        talk("i-1", days(5), "c-a", text="Lunch\nmore", follow_up=(TODAY + timedelta(days=14)).isoformat()),
        talk("i-2", days(5), "c-a", follow_up=(TODAY + timedelta(days=15)).isoformat()),
        talk("i-3", days(20), "c-b", text="Call", follow_up=days(3).isoformat()),  # late, not met since
        talk("i-4", days(20), "c-c", follow_up=days(3).isoformat()),  # late, but met since: settled
        talk("i-5", days(2), "c-z", follow_up=TODAY.isoformat()),  # only an archived person
    ]
    last = {"c-a": days(5), "c-b": days(20), "c-c": days(1)}
    due = ins.follow_ups_due(items, names, last.get, TODAY)
    assert [(f.interaction_id, f.days) for f in due] == [("i-3", -3), ("i-1", 14)]
    assert due[1].summary == "Lunch" and due[0].names == ("Bruno",)


def test_a_follow_up_line_shows_the_first_words_of_the_note_not_its_markdown_marks() -> None:
    names = {"c-a": "Ana"}
    items = [talk("i-1", days(5), "c-a", text="\n## Lunch with **Ana**\nmore", follow_up=TODAY.isoformat())]
    (due,) = ins.follow_ups_due(items, names, lambda _cid: days(5), TODAY)
    assert due.summary == "Lunch with Ana"


def test_birthdays_with_and_without_year_and_on_29_february() -> None:
    people = [
        person("c-a", "Ana", birthday="1990-06-20"),
        person("c-b", "Bruno", birthday="--06-12"),
        person("c-c", "Carla", birthday="1990-06-11"),  # yesterday: next year
        person("c-d", "David", birthday="1990-06-27"),  # 15 days: too far
        person("c-e", "Éva", birthday="1990-06-26", archived=True),
    ]
    rows = ins.birthdays_due(people, TODAY)
    assert [(b.name, b.days, b.turns) for b in rows] == [("Bruno", 0, None), ("Ana", 8, 34)]
    assert ins.next_birthday("1990-06-11", TODAY) == (date(2025, 6, 11), 35)
    leap = "1996-02-29"
    assert ins.next_birthday(leap, date(2025, 2, 20)) == (date(2025, 2, 28), 29)
    assert ins.next_birthday(leap, date(2028, 2, 20)) == (date(2028, 2, 29), 32)
    assert ins.next_birthday("--02-29", date(2025, 3, 1)) == (date(2026, 2, 28), None)
    assert [b.day for b in ins.birthdays_due([person("c-x", "X", birthday=leap)], date(2025, 2, 20))] == [
        date(2025, 2, 28)
    ]


# --- time invested ---------------------------------------------------------------------------------------


def test_time_per_week_against_the_budget_split_by_circle() -> None:
    circle_of = {"c-a": "inner", "c-b": "active"}
    monday = date(2024, 6, 10)
    items = [
        talk("i-1", monday, "c-a", minutes=60),
        talk("i-2", TODAY, "c-a", "c-b", minutes=45),  # shared: 23 + 22
        talk("i-3", TODAY + timedelta(days=1), "c-a", minutes=500),  # tomorrow: not yet
        talk("i-4", monday - timedelta(days=1), "c-b", minutes=30),  # Sunday: last week
        talk("i-5", monday - timedelta(weeks=11), "c-b", minutes=10),  # the oldest week shown
        talk("i-6", monday - timedelta(weeks=11, days=1), "c-b", minutes=999),  # too old
    ]
    budget = Settings().weekly_budget_minutes
    assert budget == 120
    t = ins.time_invested(items, circle_of, TODAY, budget)
    assert len(t.weeks) == 12 and t.weeks[-1].start == monday and t.weeks[0].start == monday - timedelta(weeks=11)
    assert t.this_week.minutes == 105
    assert dict(t.this_week.by_circle) == {"inner": 83, "active": 22}
    assert t.weeks[-2].minutes == 30 and t.weeks[0].minutes == 10
    assert t.total == 145 and dict(t.by_circle) == {"inner": 83, "active": 62}
    assert t.average == round(40 / 11) and t.weeks_on_budget == 0


def test_split_minutes_adds_up() -> None:
    assert ins.split_minutes(10, ["a", "b", "c"]) == [("a", 4), ("b", 3), ("c", 3)]
    assert sum(m for _, m in ins.split_minutes(7, ["x", "y"])) == 7


# --- circles -------------------------------------------------------------------------------------------------


def test_circles_group_people_with_last_contact_balance_and_drift() -> None:
    people = [
        person("c-a", "Ana", circle="inner"),
        person("c-b", "Bruno", circle="inner"),
        person("c-c", "Carla", circle="acquaintance"),
        person("c-d", "David", circle="inner", archived=True),
    ]
    last = {"c-a": days(3), "c-b": days(30)}
    ledgers = {"c-a": ins.reciprocity("c-a", "Ana", [fav(TODAY, "given", 3)], TODAY)}

    def ledger(c: Contact) -> ins.Reciprocity:
        return ledgers.get(c.id) or ins.reciprocity(c.id, c.name, [], TODAY)

    groups = ins.circles(people, last.get, ledger, TODAY)
    assert [g.circle for g in groups] == ["inner", "close", "active", "acquaintance"]
    inner = groups[0]
    assert [(m.name, m.days_since, m.drifting) for m in inner.members] == [("Ana", 3, False), ("Bruno", 30, True)]
    assert inner.members[0].balance == 3 and inner.members[0].verdict == ins.YOU_MOSTLY_GIVE
    assert inner.drifting == 1
    assert groups[3].members[0].last_contact is None


# --- who knows what --------------------------------------------------------------------------------------------


def test_who_ranks_tags_over_role_over_notes_over_mentions() -> None:
    people = [
        person("c-a", "Ana", tags=["design"]),
        person("c-b", "Bruno", role="Product designer"),
        person("c-c", "Carla", notes="Knows a lot about design systems"),
        person("c-d", "David"),
        person("c-e", "Éva", tags=["design"], archived=True),
        person("c-f", "Farid", tags=["Designer"]),
    ]
    items = [talk("i-1", days(1), "c-d", text="We talked about DESIGN"), talk("i-2", days(2), "c-z", tags=["design"])]
    last = {"c-a": days(50), "c-d": days(1)}
    found = ins.who_knows("Design", people, items, last.get)
    assert [m.name for m in found] == ["Ana", "Farid", "Bruno", "Carla", "David"]
    assert found[0].reasons == ("#design",) and found[1].reasons == ("#Designer",)
    assert found[4].mentions == 1 and found[4].reasons == ("1 mention",) and found[4].score == 2
    assert found[2].score == 5 and found[2].reasons == ("role",)
    assert ins.who_knows("  ", people, items, last.get) == []
    assert ins.who_knows("gardening", people, items, last.get) == []


def test_who_adds_up_words_and_breaks_ties_by_recent_contact() -> None:
    people = [person("c-a", "Ana", tags=["python"]), person("c-b", "Bruno", tags=["python", "data"])]
    last = {"c-a": days(1), "c-b": days(100)}
    assert [m.name for m in ins.who_knows("python data", people, [], last.get)] == ["Bruno", "Ana"]
    assert [m.name for m in ins.who_knows("python", people, [], last.get)] == ["Ana", "Bruno"]
    # Accents and case do not matter.
    assert [m.name for m in ins.who_knows("ÉCOLE", [person("c-x", "X", tags=["école"])], [], last.get)] == ["X"]


def test_who_matches_whole_words_not_letters_inside_them() -> None:
    people = [
        person("c-a", "Ana", tags=["fundraising", "supply-chain"]),
        person("c-b", "Bruno", tags=["AI"]),
        person("c-c", "Carla", notes="Led the negotiation with the landlord"),
        person("c-d", "David", tags=["go"]),
        person("c-e", "Eva", role="Co-founder", org="Acme"),
        person("c-f", "Farid"),
    ]
    items = [talk("i-1", days(3), "c-f", text="Coffee and more coffee"), talk("i-2", days(4), "c-a", text="Said hi")]
    last = {"c-a": days(4), "c-f": days(3)}
    assert [m.name for m in ins.who_knows("ai", people, items, last.get)] == ["Bruno"]
    assert [m.name for m in ins.who_knows("go", people, items, last.get)] == ["David"]
    assert [m.name for m in ins.who_knows("co-founder", people, items, last.get)] == ["Eva"]
    assert [m.name for m in ins.who_knows("chain", people, items, last.get)] == ["Ana"]  # a word of a tag
    assert ins.who_knows("hi", people, items, last.get)[0].name == "Ana"
    assert ins.who_knows("raising", people, items, last.get) == []


def test_who_matches_the_forms_of_a_word() -> None:
    people = [
        person("c-a", "Ana", tags=["designing"]),
        person("c-b", "Bruno", role="Designer"),
        person("c-c", "Carla", notes="she designs shoes"),
        person("c-d", "David"),
    ]
    items = [talk("i-1", days(3), "c-d", text="Talked design; he redesigned our designs.", tags=["Design"])]
    found = ins.who_knows("design", people, items, {}.get)
    assert [(m.name, m.score) for m in found] == [("Ana", 6), ("Bruno", 5), ("David", 4), ("Carla", 3)]
    assert found[2].reasons == ("3 mentions",)  # design, designs, Design; "redesigned" is another word
    assert [m.name for m in ins.who_knows("designers", people, items, {}.get)][:1] == ["Ana"]


# --- open asks ---------------------------------------------------------------------------------------------------


def test_open_asks_from_people_and_recent_interactions() -> None:
    people = [
        person("c-a", "Ana", asks=["looking for a designer"]),
        person("c-b", "Bruno"),
        person("c-c", "Carla", archived=True, asks=["a lawyer"]),
    ]
    items = [
        talk("i-1", days(10), "c-b", "c-a", asks=["needs a photographer"]),
        talk("i-2", days(200), "c-b", asks=["an old need"]),
        talk("i-3", days(5), "c-a", asks=["Looking for a designer"]),  # already on Ana
    ]
    asks = ins.open_asks(people, items, TODAY)
    assert [(a.name, a.text, a.source) for a in asks] == [
        ("Ana", "looking for a designer", "contact"), ("Bruno", "needs a photographer", "i-1"),
    ]
    assert asks[1].since == days(10)


def test_help_ideas_pair_needs_with_matching_expertise() -> None:
    people = [
        person("c-a", "Ana", asks=["looking for a designer for our web shop"], tags=["design"]),
        person("c-b", "Bruno", tags=["design", "cycling"]),
        person("c-c", "Carla", role="Web developer"),
        person("c-d", "David", tags=["web"], archived=True),
        person("c-e", "Éva", tags=["for"]),  # a stop word never matches
    ]
    ideas = ins.help_ideas(ins.open_asks(people, [], TODAY), people)
    assert [(h.helper_name, h.matched) for h in ideas] == [("Bruno", ("#design",)), ("Carla", ("web",))]
    assert ins.help_ideas([], people) == []


def test_help_ideas_match_whole_words_and_forms() -> None:
    people = [
        person("c-a", "Ana", asks=["a climbing partner for Sundays"]),
        person("c-b", "Bruno", tags=["partnerships"]),
        person("c-c", "Carla", tags=["climbing"]),
        person("c-d", "David", tags=["climb"]),
        person("c-e", "Eva", tags=["sun"]),
    ]
    ideas = ins.help_ideas(ins.open_asks(people, [], TODAY), people)
    assert [(h.helper_name, h.matched) for h in ideas] == [("Carla", ("#climbing",)), ("David", ("#climb",))]


# --- today -------------------------------------------------------------------------------------------------------


def test_suggestion_prefers_a_need_you_can_meet_then_a_debt() -> None:
    people = [
        person("c-a", "Ana", circle="inner", asks=["looking for a designer"]),
        person("c-b", "Bruno", circle="inner", tags=["design"]),
        person("c-c", "Carla", circle="inner"),
        person("c-d", "David", circle="inner", asks=["a plumber"], snoozed_until="2024-07-01"),
    ]
    ledgers = {c.id: ins.reciprocity(c.id, c.name, [], TODAY) for c in people}
    ledgers["c-c"] = ins.reciprocity("c-c", "Carla", [fav(TODAY, "received", 5)], TODAY)
    asks = ins.open_asks(people, [], TODAY)
    ideas = ins.help_ideas(asks, people)

    def no_status(c: Contact) -> ins.TouchStatus | None:
        return None

    tip = ins.suggest(people, asks, ideas, lambda c: ledgers[c.id], no_status, TODAY)
    assert tip is not None and tip.name == "Ana" and tip.idea is not None and tip.idea.helper_name == "Bruno"
    tip = ins.suggest(people, [], [], lambda c: ledgers[c.id], no_status, TODAY)
    assert tip is not None and tip.name == "Carla" and "received" in tip.reasons[0]
    calm = {c.id: ins.reciprocity(c.id, c.name, [], TODAY) for c in people}
    assert ins.suggest(people, [], [], lambda c: calm[c.id], no_status, TODAY) is None


# --- the Insights cache over a journal ------------------------------------------------------------------------------


@pytest.fixture
def journal(tmp_path: Path) -> Journal:
    j = Journal.open(tmp_path / "journal.json")
    yield j  # type: ignore[misc]
    j.close()


def _fresh_equal(journal: Journal, cached: Insights, today: date) -> None:
    """The incrementally updated views equal views computed from scratch."""
    fresh = Insights(journal)
    assert cached.today(today) == fresh.today(today)
    assert cached.reciprocity(today, dormant=True) == fresh.reciprocity(today, dormant=True)
    assert cached.overdue(today, snoozed=True) == fresh.overdue(today, snoozed=True)
    assert cached.circles(today) == fresh.circles(today)
    assert cached.time(today) == fresh.time(today)
    assert cached.asks(today) == fresh.asks(today)
    assert cached.help_ideas(today) == fresh.help_ideas(today)
    for word in ("design", "lunch", "py"):
        assert cached.who(word, today) == fresh.who(word, today)


def test_views_follow_every_kind_of_change(journal: Journal) -> None:
    rng = random.Random(5)
    tags = ["design", "python", "lunch", "climate", "web"]
    for n in range(12):
        journal.add_contact(person(f"c-{n:02d}", f"Person {n}", circle=rng.choice(["inner", "close", "active"]),
                                   tags=rng.sample(tags, 2)))
    view = Insights(journal)
    _fresh_equal(journal, view, TODAY)
    for step in range(60):
        action = rng.choice(["add", "add", "edit", "delete", "favour", "unfavour", "contact", "undo"])
        cids = [f"c-{rng.randrange(12):02d}" for _ in range(rng.choice([1, 1, 2]))]
        if action == "add":
            journal.add_interaction(talk(f"i-{step}", days(rng.randrange(120)), *dict.fromkeys(cids),
                                         minutes=rng.choice([0, 30, 90]), text=rng.choice(tags) + " chat",
                                         follow_up=rng.choice(["", days(-3).isoformat()]),
                                         asks=rng.choice([[], ["looking for design help"]])))
        elif action == "edit" and journal.interaction_count():
            it = journal.interaction_at(rng.randrange(journal.interaction_count()))
            it.minutes, it.date = 15, days(rng.randrange(30)).isoformat()
            journal.update_interaction(it)
        elif action == "delete" and journal.interaction_count():
            journal.delete_interaction(journal.interaction_at(rng.randrange(journal.interaction_count())).id)
        elif action == "favour":
            journal.add_favour(fav(days(rng.randrange(400)), rng.choice(["given", "received"]), rng.randint(1, 5),
                                   contact_id=cids[0], fid=f"f-{step}"))
        elif action == "unfavour" and journal.count("favours"):
            journal.delete_favour(journal.favours()[0].id)
        elif action == "contact":
            c = journal.contact(cids[0])
            c.archived, c.circle = rng.random() < 0.3, rng.choice(["inner", "acquaintance"])
            c.asks = rng.choice([[], ["a designer"]])
            journal.update_contact(c)
        elif action == "undo":
            journal.undo()
        _fresh_equal(journal, view, TODAY)


def test_a_change_shows_at_once_and_nothing_else_is_recomputed(journal: Journal) -> None:
    journal.add_contact(person("c-a", "Ana", circle="inner", tags=["design"]))
    journal.add_contact(person("c-b", "Bruno", circle="inner"))
    view = Insights(journal)
    assert [s.name for s in view.overdue(TODAY)] == ["Ana", "Bruno"]
    before = view.ledgers(TODAY)["c-b"]
    journal.add_interaction(talk("i-1", days(1), "c-a", minutes=30, text="design review"))
    assert [s.name for s in view.overdue(TODAY)] == ["Bruno"]
    assert view.time(TODAY).this_week.minutes == 30
    assert [m.name for m in view.who("review", TODAY)] == ["Ana"]
    assert view.ledgers(TODAY)["c-b"] is before  # Bruno was not touched: his ledger was kept
    journal.add_favour(fav(TODAY, "received", 3, contact_id="c-b", fid="f-1"))
    assert view.ledger_of("c-b", TODAY).verdict == ins.YOU_MOSTLY_RECEIVE
    assert view.today(TODAY).gestures[0].name == "Bruno"


def test_snoozed_and_archived_people_in_the_cache(journal: Journal) -> None:
    journal.add_contact(person("c-a", "Ana", circle="inner", snoozed_until="2024-06-20"))
    journal.add_contact(person("c-b", "Bruno", circle="inner", archived=True, birthday="--06-13"))
    view = Insights(journal, Settings(budget_percent=10))
    assert view.overdue(TODAY) == [] and [s.name for s in view.overdue(TODAY, snoozed=True)] == ["Ana"]
    assert view.birthdays(TODAY) == [] and view.circles(TODAY)[0].members[0].snoozed
    assert view.today(TODAY).budget == 240
    assert view.ledger_of("c-b", TODAY).verdict == ins.DORMANT  # archived people still have a ledger
