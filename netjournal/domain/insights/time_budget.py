"""Time invested: minutes with people per week, by circle, against a weekly budget."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from netjournal.domain.insights.records import InteractionLike
from netjournal.domain.model import CIRCLES

TIME_WEEKS = 12


@dataclass(frozen=True, slots=True)
class WeekTime:
    start: date  # Monday
    minutes: int
    by_circle: tuple[tuple[str, int], ...]  # (circle, minutes) in CIRCLES order, zeros left out

    def circle(self, name: str) -> int:
        return dict(self.by_circle).get(name, 0)


@dataclass(frozen=True, slots=True)
class TimeInvested:
    weeks: tuple[WeekTime, ...]  # oldest first; the last is the current week (to today)
    budget: int  # minutes per week
    by_circle: tuple[tuple[str, int], ...]  # over all the weeks

    @property
    def this_week(self) -> WeekTime:
        return self.weeks[-1]

    @property
    def total(self) -> int:
        return sum(w.minutes for w in self.weeks)

    @property
    def average(self) -> int:
        """Mean minutes per full week (the current, unfinished week is left out)."""
        full = self.weeks[:-1]
        return round(sum(w.minutes for w in full) / len(full)) if full else self.this_week.minutes

    @property
    def weeks_on_budget(self) -> int:
        return sum(1 for w in self.weeks[:-1] if w.minutes >= self.budget)


def week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())


def split_minutes(minutes: int, circles: Sequence[str]) -> list[tuple[str, int]]:
    """Share an interaction's minutes between its people's circles, in whole minutes that add
    up (the first people get the remainder)."""
    if not circles:
        return []
    share, rest = divmod(minutes, len(circles))
    return [(c, share + (1 if i < rest else 0)) for i, c in enumerate(circles)]


DayTime = tuple[int, Counter[str]]
"""One day's minutes: the total and the share of each circle."""


def day_times(interactions: Iterable[InteractionLike], circle_of: Mapping[str, str]) -> dict[str, DayTime]:
    """Minutes per day ("2024-06-12"): an interaction with several people counts once, its
    minutes shared between their circles (:func:`split_minutes`)."""
    out: dict[str, DayTime] = {}
    for it in interactions:
        if it.minutes <= 0:
            continue
        day = it.date[:10]
        total, circ = out.get(day) or (0, Counter())
        for circle, m in split_minutes(it.minutes, [circle_of.get(c, "other") for c in it.contact_ids]):
            circ[circle] += m
        out[day] = (total + it.minutes, circ)
    return out


def time_from_days(
    day: Callable[[date], DayTime | None], today: date, budget: int, weeks: int = TIME_WEEKS
) -> TimeInvested:
    """Assemble :class:`TimeInvested` from each day's minutes (``day`` returns None for none)."""
    first = week_start(today) - timedelta(weeks=weeks - 1)
    order = [*CIRCLES, "other"]
    all_circ: Counter[str] = Counter()
    out: list[WeekTime] = []
    for k in range(weeks):
        start = first + timedelta(weeks=k)
        total = 0
        circ: Counter[str] = Counter()
        for i in range(7):
            d = start + timedelta(days=i)
            if d > today:
                break
            found = day(d)
            if found:
                total += found[0]
                circ.update(found[1])
        all_circ.update(circ)
        out.append(WeekTime(start, total, tuple((n, circ[n]) for n in order if circ[n])))
    return TimeInvested(tuple(out), budget, tuple((n, all_circ[n]) for n in order if all_circ[n]))


def time_invested(
    interactions: Iterable[InteractionLike],
    circle_of: Mapping[str, str],
    today: date,
    budget: int,
    weeks: int = TIME_WEEKS,
) -> TimeInvested:
    """Minutes of interactions per week (Monday to Sunday) for the last ``weeks`` weeks, the
    current one included up to today, against a weekly ``budget``. An interaction with
    several people counts once, its minutes shared between their circles; people since
    archived still count (the time was spent); days after today are not counted."""
    days = day_times(interactions, circle_of)
    return time_from_days(lambda d: days.get(d.isoformat()), today, budget, weeks)
