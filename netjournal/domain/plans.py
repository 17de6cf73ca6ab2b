"""Plans: interactions dated after today (a lunch next Tuesday).

A plan is kept like any entry, shown as upcoming (Today's "Upcoming" section, the person's
entries), and never counts as the last contact before its day (``Journal.last_contacts``
and the insights read only dates on or before today). Pure: no I/O.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date

from netjournal.domain.text import first_words

UPCOMING_SHOWN = 8  # plans listed in Today


@dataclass(frozen=True, slots=True)
class Scheduled:
    """An interaction that calls for something on a day (a plan, a follow-up): the people it
    names (their ids and names) and how many days from today that day is."""

    interaction_id: str
    contact_ids: tuple[str, ...]
    names: tuple[str, ...]
    days: int  # from today: 1 is tomorrow, negative when it is past


@dataclass(frozen=True, slots=True)
class Plan(Scheduled):
    day: date
    kind: str
    summary: str  # the first words of its note


def is_plan(when: str, today: date) -> bool:
    """Is a stored date ("YYYY-MM-DD[THH:MM]") after ``today``?"""
    return when[:10] > today.isoformat()


def upcoming(
    entries: Iterable[tuple[str, str, Iterable[str], str, str]], names: Mapping[str, str], today: date
) -> list[Plan]:
    """The plans among ``entries`` ((id, date, contact ids, kind, text)), soonest first;
    those with only archived people (``names`` lacks them) are left out."""
    out: list[Plan] = []
    for rid, when, contact_ids, kind, text in entries:
        if not is_plan(when, today):
            continue
        people = tuple(c for c in contact_ids if c in names)
        if not people:
            continue
        day = date.fromisoformat(when[:10])
        out.append(Plan(rid, people, tuple(names[c] for c in people), (day - today).days, day, kind,
                        first_words(text)[:120]))
    out.sort(key=lambda p: (p.day, p.names, p.interaction_id))
    return out
