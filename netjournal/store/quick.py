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
from datetime import date, timedelta
from typing import Any, NoReturn

from netjournal.domain import insights as ins
from netjournal.domain.settings import Settings
from netjournal.store.journal import Journal
from netjournal.store.views import Insights, _interaction_fact

BUDGET = 20_000  # lines parsed at most for one kind of record before the full Insights is cheaper
_FOLLOW_UP = re.compile(rb'"follow_up":"[^"]')  # a set follow-up (JSON escapes a quote in text)
_ASKS = re.compile(rb'"asks":\[[^\]]')  # a non-empty list of asks


class LastDateInsights(Insights):
    """Insights over people, favours and each person's latest date only: overdue, circles,
    reciprocity, ledgers and birthdays. The views that read interactions refuse."""

    TABLES: tuple[str, ...] = ("contacts", "favours")

    def __init__(self, journal: Journal, settings: Settings | None, last: dict[str, str]) -> None:
        super().__init__(journal, settings)
        # (day, id) per person, as Insights indexes interactions; one entry: the latest.
        self._inter_by_contact = {cid: [(day[:10], "")] for cid, day in last.items() if day}

    def refresh(self) -> bool:
        if self._revision >= 0 and self.journal.revision != self._revision:
            raise RuntimeError("LastDateInsights does not follow changes: use Insights")
        return super().refresh()

    def _needs_interactions(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise TypeError("this view reads records these insights did not read: use Insights")

    today = time = who = follow_ups = asks = help_ideas = _needs_interactions  # type: ignore[assignment]


class PeopleOnlyInsights(LastDateInsights):
    """Overdue and birthdays only: not even the favours are read."""

    TABLES = ("contacts",)

    ledgers = ledger_of = reciprocity = circles = LastDateInsights._needs_interactions  # type: ignore[assignment]


class TodayInsights(LastDateInsights):
    """Also Today, open asks and this day's time: besides people, favours and latest dates,
    the interactions of the time window, those with a follow-up and those with asks, read
    from the snapshot's lines (dated, so the window is a short read from the end; the
    others found by a search of the bytes)."""

    def __init__(self, journal: Journal, settings: Settings | None, last: dict[str, str], today: date,
                 docs: dict[str, dict[str, Any]]) -> None:
        super().__init__(journal, settings, last)
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
    follow = storage.lazy_matching(_FOLLOW_UP, lambda _r, d: bool(d.get("follow_up")), budget=BUDGET)
    asks = storage.lazy_matching(_ASKS, lambda _r, d: bool(d.get("asks")), budget=BUDGET)
    if recent is None or follow is None or asks is None:
        return None
    docs = {rid: doc for found in (recent, follow, asks) for rid, doc in found}
    return TodayInsights(journal, settings, last, today, docs)


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
    return LastDateInsights(journal, settings, last) if favours else PeopleOnlyInsights(journal, settings, last)
