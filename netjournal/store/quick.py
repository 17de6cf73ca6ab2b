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

from datetime import date
from typing import Any, NoReturn

from netjournal.config import Settings
from netjournal.store.journal import Journal
from netjournal.store.views import Insights


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


def quick_insights(
    journal: Journal, settings: Settings | None, today: date, *, favours: bool = True
) -> Insights | None:
    """Insights for overdue and circles (without ``favours``: overdue only) as of ``today``
    without the interactions, or None if a person's latest interaction is after ``today``
    (then only the full Insights knows their latest one before it)."""
    last = journal.last_contacts()
    iso = today.isoformat()
    if any(day[:10] > iso for day in last.values()):
        return None
    return LastDateInsights(journal, settings, last) if favours else PeopleOnlyInsights(journal, settings, last)
