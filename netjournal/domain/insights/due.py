"""Follow-ups and birthdays due in the next days."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta

from netjournal.domain.insights.records import InteractionLike, day_of, folded
from netjournal.domain.model import Contact
from netjournal.domain.plans import Scheduled
from netjournal.domain.text import first_words

DUE_AHEAD_DAYS = 14


@dataclass(frozen=True, slots=True)
class FollowUp(Scheduled):
    due: date  # (days: negative when late)
    logged: date  # the day of the interaction that asked for it
    summary: str  # the interaction's first line


def follow_ups_due(
    interactions: Iterable[InteractionLike],
    names: Mapping[str, str],
    last_contact: Callable[[str], date | None],
    today: date,
    ahead: int = DUE_AHEAD_DAYS,
) -> list[FollowUp]:
    """Follow-ups due from today to ``ahead`` days on, and late ones still open, soonest first.

    A late follow-up is settled once any of its people was met after the interaction that
    set it (on a later day, up to today); follow-ups of archived people only (``names`` lacks
    them) are left out."""
    horizon = today + timedelta(days=ahead)
    out: list[FollowUp] = []
    for it in interactions:
        if not it.follow_up:
            continue
        due = day_of(it.follow_up)
        if due > horizon:
            continue
        people = tuple(c for c in it.contact_ids if c in names)
        if not people:
            continue
        logged = day_of(it.date)
        if due < today:
            lasts = [last_contact(c) for c in people]
            if any(d is not None and d > logged for d in lasts):
                continue
        out.append(FollowUp(
            interaction_id=it.id, contact_ids=people, names=tuple(names[c] for c in people), due=due,
            days=(due - today).days, logged=logged, summary=first_words(it.text)[:120],
        ))
    out.sort(key=lambda f: (f.due, f.names, f.interaction_id))
    return out


@dataclass(frozen=True, slots=True)
class Birthday:
    contact_id: str
    name: str
    day: date  # the next celebration, today or later
    days: int
    turns: int | None  # the age reached, when the year of birth is known


def next_birthday(birthday: str, today: date) -> tuple[date, int | None] | None:
    """The next celebration on or after today and the age then (None without a year).

    Someone born on 29 February celebrates on 28 February in years without one."""
    if not birthday:
        return None
    year = None if birthday.startswith("--") else int(birthday[:4])
    month, dd = int(birthday[-5:-3]), int(birthday[-2:])

    def on(y: int) -> date:
        if month == 2 and dd == 29 and not _leap(y):
            return date(y, 2, 28)
        return date(y, month, dd)

    day = on(today.year)
    if day < today:
        day = on(today.year + 1)
    return day, (day.year - year if year is not None else None)


def _leap(y: int) -> bool:
    return y % 4 == 0 and (y % 100 != 0 or y % 400 == 0)


def birthdays_due(contacts: Iterable[Contact], today: date, ahead: int = DUE_AHEAD_DAYS) -> list[Birthday]:
    """Birthdays from today to ``ahead`` days on, soonest first (archived people left out)."""
    out: list[Birthday] = []
    for c in contacts:
        if c.archived or not c.birthday:
            continue
        nb = next_birthday(c.birthday, today)
        if nb is None:
            continue
        day, turns = nb
        days = (day - today).days
        if days <= ahead:
            out.append(Birthday(c.id, c.name, day, days, turns))
    out.sort(key=lambda b: (b.day, folded(b.name), b.contact_id))
    return out
