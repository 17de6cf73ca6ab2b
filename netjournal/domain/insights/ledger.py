"""Reciprocity: the ledger of favours with one person, weighted by age, and its verdict."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from types import MappingProxyType

from dateutil.relativedelta import relativedelta

from netjournal.domain.insights.records import FavourLike, folded

HALF_LIFE_DAYS = 182.5
"""A favour loses half its value every six months: one from a year ago counts a quarter."""

ONE_SIDED_RATIO = 2.0
"""One side must weigh more than twice the other for a relationship to be called one-sided."""

INTERDEPENDENT = "interdependent"
YOU_MOSTLY_GIVE = "you mostly give"
YOU_MOSTLY_RECEIVE = "you mostly receive"
DORMANT = "dormant"
VERDICTS = (INTERDEPENDENT, YOU_MOSTLY_GIVE, YOU_MOSTLY_RECEIVE, DORMANT)


@dataclass(frozen=True, slots=True)
class Reciprocity:
    """The ledger with one person over the window. ``balance`` > 0: you gave more."""

    contact_id: str
    name: str
    given: float
    received: float
    balance: float
    given_count: int
    received_count: int
    verdict: str
    months: tuple[str, ...]  # "2024-03", oldest first: the sparkline's x axis
    given_by_month: tuple[int, ...]  # plain weights per month (the time axis already shows age)
    received_by_month: tuple[int, ...]

    @property
    def imbalance(self) -> float:
        return abs(self.balance)

    @property
    def net_by_month(self) -> tuple[int, ...]:
        return tuple(g - r for g, r in zip(self.given_by_month, self.received_by_month, strict=True))


@lru_cache(maxsize=64)
def window_start(today: date, months: int) -> date:
    """The first day of a window of ``months`` months ending ``today`` (both days included)."""
    start: date = today - relativedelta(months=months)
    return start


def favour_value(weight: int, age_days: int) -> float:
    """``weight x 0.5 ** (age_days / HALF_LIFE_DAYS)``: a favour of today counts its full weight."""
    value: float = weight * 0.5 ** (max(age_days, 0) / HALF_LIFE_DAYS)
    return value


def verdict(given: float, received: float, count: int) -> str:
    """Dormant when no favour falls in the window. One-sided when one side weighs more than
    twice the other (ONE_SIDED_RATIO): favours differ in weight and come in bursts, so a
    2:1 swing is ordinary give and take, while beyond it one person carries the
    relationship. Everything else is interdependent."""
    if count == 0:
        return DORMANT
    if given > ONE_SIDED_RATIO * received:
        return YOU_MOSTLY_GIVE
    if received > ONE_SIDED_RATIO * given:
        return YOU_MOSTLY_RECEIVE
    return INTERDEPENDENT


@lru_cache(maxsize=64)
def month_keys(today: date, months: int) -> tuple[str, ...]:
    """The ``months`` calendar months ending with today's, oldest first ("2024-03")."""
    first = date(today.year, today.month, 1)
    return tuple((first - relativedelta(months=k)).strftime("%Y-%m") for k in range(months - 1, -1, -1))


@lru_cache(maxsize=64)
def _month_slots(keys: tuple[str, ...]) -> Mapping[str, int]:
    return MappingProxyType({k: i for i, k in enumerate(keys)})


def reciprocity(
    contact_id: str, name: str, favours: Iterable[FavourLike], today: date, months: int = 12
) -> Reciprocity:
    """Weighted given and received over the last ``months`` months (window start and today
    included; favours dated after today are not counted yet).

    Each favour counts ``weight x 0.5 ** (age_in_days / 182.5)``: its weight (1 to 5) halved
    for every six months of age, so recent service counts more than old service and an old
    debt fades. ``balance = given - received``; see :func:`verdict` for the threshold."""
    start = window_start(today, months)
    lo, hi = start.isoformat(), today.isoformat()
    keys = month_keys(today, months)
    slot = _month_slots(keys)
    given = received = 0.0
    n_given = n_received = 0
    g_month = [0] * len(keys)
    r_month = [0] * len(keys)
    for f in favours:
        d = f.date[:10]
        if d < lo or d > hi:
            continue
        value = favour_value(f.weight, (today - date.fromisoformat(d)).days)
        i = slot.get(d[:7])
        if f.direction == "given":
            given += value
            n_given += 1
            if i is not None:
                g_month[i] += f.weight
        elif f.direction == "received":
            received += value
            n_received += 1
            if i is not None:
                r_month[i] += f.weight
    return Reciprocity(
        contact_id=contact_id, name=name, given=round(given, 2), received=round(received, 2),
        balance=round(given - received, 2), given_count=n_given, received_count=n_received,
        verdict=verdict(given, received, n_given + n_received), months=keys,
        given_by_month=tuple(g_month), received_by_month=tuple(r_month),
    )


SPARK = "▁▂▃▄▅▆▇█"


def sparkline(values: Sequence[float]) -> str:
    """One block per value, scaled from min(0, lowest) to the highest: "▁▁▄█▁"."""
    if not values:
        return ""
    lo, hi = min(0.0, *values), max(0.0, *values)
    if hi == lo:
        return SPARK[0] * len(values)
    top = len(SPARK) - 1
    return "".join(SPARK[round((v - lo) / (hi - lo) * top)] for v in values)


def balance_sparkline(values: Sequence[float]) -> str:
    """A month-by-month balance: "·" for an even month, upper blocks (▅▆▇█) for months you
    gave more, lower blocks (▄▃▂▁) for months you received more, scaled by the largest."""
    top = max((abs(v) for v in values), default=0)
    out = []
    for v in values:
        if v == 0 or top == 0:
            out.append("·")
        elif v > 0:
            out.append(SPARK[4 + min(3, int(v / top * 3.999))])
        else:
            out.append(SPARK[3 - min(3, int(-v / top * 3.999))])
    return "".join(out)


def by_imbalance(rows: Iterable[Reciprocity]) -> list[Reciprocity]:
    """Most one-sided first (largest absolute balance), then by name."""
    return sorted(rows, key=lambda r: (-r.imbalance, folded(r.name), r.contact_id))
