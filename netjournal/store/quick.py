"""Overdue and circles for a one-shot command, without reading the interactions.

Those views need people, each person's latest interaction on or before the day asked about,
and the favours. Right after an open the journal knows every person's latest date without
parsing the 100,000 interactions (the snapshot records them; the change log's newer lines
are applied: ``Journal.last_contacts``). When every latest date is on or before the day
asked about, it *is* the latest on or before that day, and :class:`LastDateInsights` answers
with exactly what :class:`~netjournal.store.views.Insights` would: the same code, over an
index of interactions by person that holds only each person's latest day. Otherwise (a view
of an earlier day, an entry dated ahead) :func:`quick_insights` says None and the caller
uses Insights.

The fast path is for a command that reads the journal once: it does not follow changes
made after it was built (the app and anything long-lived use Insights).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any, NoReturn

from netjournal.domain import insights as ins
from netjournal.domain.settings import Settings
from netjournal.store import summaries
from netjournal.store.journal import Journal
from netjournal.store.snapshot import FAVOURS, LAZY_TABLE
from netjournal.store.views import Insights, _interaction_fact

BUDGET = 20_000  # lines parsed at most for one kind of record before the full Insights is cheaper
_FOLLOW_UP = re.compile(rb'"follow_up":"[^"]')  # a set follow-up (JSON escapes a quote in text)
_ASKS = re.compile(rb'"asks":\[[^\]]')  # a non-empty list of asks


class LastDateInsights(Insights):
    """Insights over people, favours and each person's latest date only: overdue, circles,
    reciprocity, ledgers and birthdays. The views that read interactions refuse."""

    TABLES: tuple[str, ...] = ("contacts", "favours")

    def __init__(self, journal: Journal, settings: Settings | None, last: dict[str, str],
                 favours_from: date | None = None) -> None:
        super().__init__(journal, settings)
        # (day, id) per person, as Insights indexes interactions; one entry: the latest.
        self._inter_by_contact = {cid: [(day[:10], "")] for cid, day in last.items() if day}
        # Given ``favours_from``: only the favours dated from that day on are read (from their
        # lines, when they are still unparsed), so only windows that start on or after it are answered.
        self._favours_from = ""
        self._window: list[dict[str, Any]] | None = None
        if favours_from is not None and "favours" in self.TABLES:
            favours = journal.storage.lazy_tables.get(FAVOURS)
            self._window = summaries.favours_since(favours, favours_from.isoformat(), BUDGET)
            if self._window is not None:
                self._favours_from = favours_from.isoformat()
                self.TABLES = tuple(t for t in self.TABLES if t != "favours")

    def refresh(self) -> bool:
        if self._revision >= 0 and self.journal.revision != self._revision:
            raise RuntimeError("LastDateInsights does not follow changes: use Insights")
        changed = super().refresh()
        if self._window is not None:
            self._apply_favours(self._window, [], True)
            self._window = None
        return changed

    def ledgers(self, today: date, months: int | None = None) -> dict[str, ins.Reciprocity]:
        if ins.window_start(today, self._months(months)).isoformat() < self._favours_from:
            self._needs_interactions()  # a window that starts before the favours read
        return super().ledgers(today, months)

    def ledger_of(self, contact_id: str, today: date, months: int | None = None) -> ins.Reciprocity:
        if ins.window_start(today, self._months(months)).isoformat() < self._favours_from:
            self._needs_interactions()
        return super().ledger_of(contact_id, today, months)

    def _needs_interactions(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise TypeError("this view reads records these insights did not read: use Insights")

    today = time = who = follow_ups = asks = help_ideas = _needs_interactions


class PeopleOnlyInsights(LastDateInsights):
    """Overdue and birthdays only: not even the favours are read."""

    TABLES = ("contacts",)

    ledgers = ledger_of = reciprocity = circles = LastDateInsights._needs_interactions


class WhoInsights(PeopleOnlyInsights):
    """Who knows what for the query words counted from the snapshot's summary (see
    :func:`who_insights`), with people and each person's latest date."""

    def __init__(self, journal: Journal, settings: Settings | None, last: dict[str, str],
                 counts: dict[str, Counter[str]]) -> None:
        super().__init__(journal, settings, last)
        self._counts = counts

    def _mention_counts(self, terms: Sequence[str]) -> dict[str, Counter[str]]:
        if any(t not in self._counts for t in terms):
            self._needs_interactions()
        people = {c.id for c in self._people()}
        return {t: Counter({cid: n for cid, n in self._counts[t].items() if n and cid in people}) for t in terms}

    who = Insights.who  # type: ignore[assignment]


class TodayInsights(LastDateInsights):
    """Also Today, open asks and this day's time: besides people, favours and latest dates,
    the interactions of the time window, those with a follow-up and those with asks, read
    from the snapshot's lines (dated, so the window is a short read from the end; the
    others found by a search of the bytes)."""

    def __init__(self, journal: Journal, settings: Settings | None, last: dict[str, str], today: date,
                 docs: dict[str, dict[str, Any]]) -> None:
        super().__init__(journal, settings, last, _favours_window(today, settings))
        self.built_for = today
        self._inter = docs
        self._inter_by_date = sorted((d.get("date", "")[:10], rid) for rid, d in docs.items())
        self._follow = {rid: _interaction_fact(d) for rid, d in docs.items() if d.get("follow_up")}
        self._with_asks = {rid: _interaction_fact(d) for rid, d in docs.items() if d.get("asks")}

    def time(self, today: date, weeks: int = ins.TIME_WEEKS) -> ins.TimeInvested:  # type: ignore[override]
        if today != self.built_for or weeks != ins.TIME_WEEKS:
            self._needs_interactions()
        return Insights.time(self, today, weeks)

    today = Insights.today  # type: ignore[assignment]
    follow_ups = Insights.follow_ups  # type: ignore[assignment]
    asks = Insights.asks  # type: ignore[assignment]
    help_ideas = Insights.help_ideas  # type: ignore[assignment]


def _time_window(today: date) -> str:
    return (ins.week_start(today) - timedelta(weeks=ins.TIME_WEEKS - 1)).isoformat()


def today_insights(journal: Journal, settings: Settings | None, today: date) -> Insights | None:
    """Insights for Today and open asks as of ``today`` that read only the interactions
    those need (see :class:`TodayInsights`), or None: a latest date after ``today``, the
    interactions already parsed or not in the line layout, or too many to read one by one
    (then the full Insights is the quicker way)."""
    last = _last_dates(journal, today)
    storage = journal.storage
    if last is None or not storage.lazy:
        return None
    lo = _time_window(today)
    recent = storage.lazy_newest(lambda _r, d: d.get("date", "")[:10] >= lo, since=lo, budget=BUDGET)
    inter = storage.lazy_tables.get(LAZY_TABLE)
    flagged = summaries.flagged(inter, lambda _r, d: bool(d.get("follow_up") or d.get("asks")), BUDGET)
    if flagged is None:  # (a snapshot without a summary: search its bytes)
        follow = storage.lazy_matching(_FOLLOW_UP, lambda _r, d: bool(d.get("follow_up")), budget=BUDGET)
        asks = storage.lazy_matching(_ASKS, lambda _r, d: bool(d.get("asks")), budget=BUDGET)
        flagged = None if follow is None or asks is None else follow + asks
    if recent is None or flagged is None:
        return None
    docs = {rid: doc for found in (recent, flagged) for rid, doc in found}
    return TodayInsights(journal, settings, last, today, docs)


def _favours_window(today: date, settings: Settings | None) -> date:
    """The first day of the reciprocity window as of ``today`` (the favours circles and Today read)."""
    return ins.window_start(today, (settings or Settings()).reciprocity_months)


def who_insights(journal: Journal, settings: Settings | None, today: date, text: str) -> Insights | None:
    """Insights for who knows about ``text`` as of ``today`` from people, each person's latest
    date and the snapshot's count of their words (store.summaries), or None if those cannot
    tell (no summary, too many old records changed since, a latest date after ``today``)."""
    inter = journal.storage.lazy_tables.get(LAZY_TABLE)
    counts = summaries.mention_counts(inter, ins.query_terms(text))  # (while the history is unparsed)
    last = _last_dates(journal, today) if counts is not None else None
    if last is None or counts is None:
        return None
    return WhoInsights(journal, settings, last, counts)


def _last_dates(journal: Journal, today: date) -> dict[str, str] | None:
    last = journal.last_contacts()
    iso = today.isoformat()
    return None if any(day[:10] > iso for day in last.values()) else last


def quick_insights(
    journal: Journal, settings: Settings | None, today: date, *, favours: bool = True
) -> Insights | None:
    """Insights for overdue and circles (without ``favours``: overdue only) as of ``today``
    without the interactions, or None if a person's latest interaction is after ``today``
    (then only the full Insights knows their latest one before it)."""
    last = _last_dates(journal, today)
    if last is None:
        return None
    if not favours:
        return PeopleOnlyInsights(journal, settings, last)
    return LastDateInsights(journal, settings, last, _favours_window(today, settings))
