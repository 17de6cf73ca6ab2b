"""Circles: people grouped by circle with their last contact, balance and drift."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date

from netjournal.domain.insights.ledger import Reciprocity
from netjournal.domain.insights.records import folded
from netjournal.domain.insights.touch import TouchStatus, snoozed_until, touch_status
from netjournal.domain.model import CIRCLES, Contact


@dataclass(frozen=True, slots=True)
class CircleMember:
    contact_id: str
    name: str
    last_contact: date | None
    days_since: int | None
    balance: float
    verdict: str
    cadence_days: int
    drifting: bool  # the cadence has lapsed
    snoozed: bool


@dataclass(frozen=True, slots=True)
class CircleGroup:
    circle: str
    members: tuple[CircleMember, ...]

    @property
    def drifting(self) -> int:
        return sum(1 for m in self.members if m.drifting)


def circle_member(
    c: Contact, last: date | None, status: TouchStatus | None, ledger: Reciprocity, today: date
) -> CircleMember:
    return CircleMember(
        contact_id=c.id, name=c.name, last_contact=last, days_since=(today - last).days if last is not None else None,
        balance=ledger.balance, verdict=ledger.verdict, cadence_days=c.effective_cadence,
        drifting=bool(status and status.drifting), snoozed=snoozed_until(c, today) is not None,
    )


def group_circles(members: Iterable[tuple[str, CircleMember]]) -> list[CircleGroup]:
    """(circle, member) pairs, in the order given, grouped by circle (inner first)."""
    groups: dict[str, list[CircleMember]] = {c: [] for c in CIRCLES}
    for circle, m in members:
        groups.setdefault(circle, []).append(m)
    return [CircleGroup(name, tuple(ms)) for name, ms in groups.items()]


def circles(
    contacts: Iterable[Contact],
    last_contact: Callable[[str], date | None],
    ledger: Callable[[Contact], Reciprocity],
    today: date,
) -> list[CircleGroup]:
    """People grouped by circle (inner first), by name within a circle, each with the last
    contact, the reciprocity balance and a drifting mark (cadence lapsed); archived left out."""
    people = sorted((c for c in contacts if not c.archived), key=lambda c: (folded(c.name), c.id))
    return group_circles(
        (c.circle, circle_member(c, last, touch_status(c, last, today), ledger(c), today))
        for c in people for last in (last_contact(c.id),)
    )
