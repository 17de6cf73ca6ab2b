"""The snapshot's summary for the morning views (store.summaries): who-knows-what counted from
it, and Today read from the lines it points at, are exactly what the full Insights computes,
on random journals read back from a snapshot plus the change log's newer lines (new, edited
and deleted interactions, plans, archived people); a snapshot without a summary (written by
an older netjournal) gives the same answers the slow way."""

from __future__ import annotations

import random
from datetime import date, timedelta
from pathlib import Path

import pytest

from netjournal.cli import main
from netjournal.config import Settings
from netjournal.domain.model import Contact, Favour, Interaction
from netjournal.store import Journal, summaries
from netjournal.store.quick import quick_insights, today_insights, who_insights
from netjournal.store.views import Insights

TODAY = date(2024, 6, 12)
# Forms of a word, words inside other words, other scripts, marks, digits, underscores, quotes.
WORDS = (
    "design designer Designing designs DESIGN redesign fundraising ai go negotiation co-founder coffee "
    "climbing partner partnerships Éva éva café CAFÉ дизайн Дизайн 设计 设计师 ΟΔΟΣ οδός प्रिया "
    "web3 design_x x_design \"quoted\" l'art naïve data python"
).split()
QUERIES = ["design", "designer", "ai", "go", "co-founder", "café", "дизайн", "设计", "οδος", "प्रिया",
           "web3", "x", "partner", "climbing partner", "data python", "quoted", "l art", "zzz"]


@pytest.fixture(autouse=True)
def _keep_the_log(monkeypatch: pytest.MonkeyPatch) -> None:
    """As a big journal: closing does not fold, the changes stay in the change log."""
    from netjournal.store import folding as jmod

    monkeypatch.setattr(jmod, "SMALL_SNAPSHOT", 0)
    monkeypatch.setattr(jmod, "COMPACT_LOG_FRACTION", 0)


def _day(rng: random.Random, spread: int = 400) -> str:
    return (TODAY - timedelta(days=rng.randrange(-20, spread))).isoformat()  # some are plans


def _text(rng: random.Random) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(rng.randrange(0, 8)))


def _interaction(rng: random.Random, people: list[str]) -> Interaction:
    return Interaction(
        date=_day(rng), contact_ids=rng.sample(people, rng.choice([1, 1, 2])), kind="call", text=_text(rng),
        tags=rng.sample(["design", "climbing", "café-crème", "设计"], rng.randrange(0, 3)),
        follow_up=(TODAY + timedelta(days=rng.randrange(-30, 20))).isoformat() if rng.random() < 0.2 else "",
        asks=["a designer"] if rng.random() < 0.1 else [],
    )


def _journal(path: Path, rng: random.Random) -> list[str]:
    with Journal.open(path) as j:
        people = [j.add_contact(Contact(
            name=f"{rng.choice(['Ana', 'Éva', 'Ольга', '王小明'])} {n}", tags=rng.sample(["design", "python", "ai"], 1),
            archived=rng.random() < 0.1,
        )).id for n in range(rng.randrange(2, 12))]
        for _ in range(rng.randrange(0, 80)):
            j.add_interaction(_interaction(rng, people))
        for _ in range(rng.randrange(0, 20)):
            j.add_favour(Favour(date=_day(rng, 900).replace("2024-06-3", "2024-06-0"), contact_id=rng.choice(people),
                                weight=rng.randrange(1, 6), direction=rng.choice(["given", "received"])))
        j.compact()
    return people


def _change(j: Journal, people: list[str], rng: random.Random, edits: int) -> None:
    """After the snapshot: new interactions, old ones edited (words, people, dates) or deleted."""
    old = j.storage.lazy_newest(lambda _r, _d: True, budget=10_000) or []
    for _ in range(rng.randrange(0, 5)):
        j.add_interaction(_interaction(rng, people))
    for rid, _ in rng.sample(old, min(len(old), edits)):
        if rng.random() < 0.4:
            j.delete_interaction(rid)
        else:
            it = j.interaction(rid)
            it.text, it.date = _text(rng), _day(rng)
            it.contact_ids = rng.sample(people, 1)
            it.follow_up = "" if it.follow_up else TODAY.isoformat()
            j.update_interaction(it)
    if rng.random() < 0.3:
        c = j.contact(rng.choice(people))
        c.archived = not c.archived
        j.update_contact(c)


def _who_both_ways(j: Journal, today: date) -> tuple[dict[str, object], dict[str, object]]:
    """Each query by the summary (where it answers) and by the full Insights."""
    fast = {}
    for q in QUERIES:
        quick = who_insights(j, None, today, q)
        if quick is not None:
            fast[q] = quick.who(q, today, limit=None)
    full = Insights(j)
    return fast, {q: full.who(q, today, limit=None) for q in fast}


@pytest.mark.parametrize("seed", range(30))
def test_who_from_the_summary_is_the_full_who(tmp_path: Path, seed: int) -> None:
    rng = random.Random(seed)
    path = tmp_path / "journal.json"
    people = _journal(path, rng)
    with Journal.open(path) as j:
        if rng.random() < 0.3:  # in the session that adds records since the snapshot
            j.add_interaction(_interaction(rng, people))
            fast, full = _who_both_ways(j, TODAY + timedelta(days=30))
            assert fast == full
        _change(j, people, rng, edits=rng.randrange(0, 5))
    with Journal.open(path, readonly=True) as j:  # a new process: the snapshot and the change log
        fast, full = _who_both_ways(j, TODAY + timedelta(days=30))
        assert fast == full and "design" in fast  # (the first query, at least, counted from the summary)


def test_who_counts_forms_and_whole_words_only(tmp_path: Path) -> None:
    path = tmp_path / "journal.json"
    with Journal.open(path) as j:
        ana, bo = j.add_contact(Contact(name="Ana")), j.add_contact(Contact(name="Bo"))
        j.add_interaction(Interaction(date="2024-06-01", contact_ids=[ana.id], kind="call",
                                      text="Designing the site; fundraising", tags=["designer"]))
        j.add_interaction(Interaction(date="2024-06-02", contact_ids=[bo.id], kind="call", text="redesign, negotiation"))
        j.compact()
    with Journal.open(path, readonly=True) as j:
        quick = who_insights(j, None, TODAY, "design")
        assert quick is not None
        assert [(m.name, m.reasons) for m in quick.who("design", TODAY)] == [("Ana", ("2 mentions",))]
        assert who_insights(j, None, TODAY, "ai") is not None and who_insights(j, None, TODAY, "ai").who("ai", TODAY) == []


def test_today_and_circles_from_the_summary_are_the_full_views(tmp_path: Path) -> None:
    for seed in range(12):
        rng = random.Random(seed)
        path = tmp_path / f"journal{seed}.json"
        people = _journal(path, rng)
        with Journal.open(path) as j:
            _change(j, people, rng, edits=0)  # (an old record changed: each latest date needs the history)
        today = TODAY + timedelta(days=30)
        with Journal.open(path, readonly=True) as j:
            settings = Settings(reciprocity_months=rng.choice([3, 12]))
            quick_today, quick = today_insights(j, settings, today), quick_insights(j, settings, today)
            assert quick_today is not None and quick is not None
            views = (quick_today.today(today), quick_today.asks(today), quick.circles(today))
            assert j.storage.lazy and j.storage.favours_lazy  # neither the history nor all the favours parsed
            full = Insights(j, settings)
            assert views == (full.today(today), full.asks(today), full.circles(today))


def test_a_reciprocity_window_before_the_favours_read_needs_the_full_views(tmp_path: Path) -> None:
    path = tmp_path / "journal.json"
    _journal(path, random.Random(4))
    with Journal.open(path, readonly=True) as j:
        quick = quick_insights(j, Settings(reciprocity_months=3), TODAY)
        assert quick is not None
        quick.circles(TODAY)
        with pytest.raises(TypeError):
            quick.reciprocity(TODAY, 12)  # its favours were not read


def test_many_old_records_changed_since_the_snapshot_need_the_full_who(tmp_path: Path) -> None:
    path = tmp_path / "journal.json"
    with Journal.open(path) as j:
        ana = j.add_contact(Contact(name="Ana"))
        ids = [j.add_interaction(Interaction(date="2024-05-01", contact_ids=[ana.id], kind="call", text="design")).id
               for _ in range(summaries.LOOKUPS + 1)]
        j.compact()
    with Journal.open(path) as j:
        for rid in ids:
            it = j.interaction(rid)
            it.text = "coffee"
            j.update_interaction(it)
    with Journal.open(path, readonly=True) as j:
        assert who_insights(j, None, TODAY, "design") is None
        assert Insights(j).who("design", TODAY) == []


def test_a_snapshot_without_a_summary_gives_the_same_answers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A journal written by a netjournal that did not record summaries: the slow way, same output."""
    path = tmp_path / "journal.json"
    _journal(path, random.Random(11))

    def run() -> str:
        out = []
        for args in (["today", "--json"], ["who", "design", "--json"], ["circles", "--json"], ["asks", "--json"]):
            assert main(["--journal", str(path), *args, "--on", (TODAY + timedelta(days=30)).isoformat()]) == 0
            out.append(capsys.readouterr().out)
        return "\n".join(out)

    with_summary = run()
    with monkeypatch.context() as m:
        m.setattr(summaries, "record", lambda *_: None)
        with Journal.open(path) as j:
            j.compact()  # rewritten without one
        with Journal.open(path, readonly=True) as j:
            assert j.storage.lazy_tables["interactions"].summary is None
            assert who_insights(j, None, TODAY, "design") is None
    assert run() == with_summary
    with Journal.open(path) as j:
        j.compact()  # and with one again
    with Journal.open(path, readonly=True) as j:
        assert type(j.storage.lazy_tables["interactions"].summary) is dict
    assert run() == with_summary
