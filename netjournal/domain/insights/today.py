"""Today: the day's view, assembled from the other measures, and whom to serve first."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from netjournal.domain.insights.asks import HelpIdea, OpenAsk
from netjournal.domain.insights.due import Birthday, FollowUp
from netjournal.domain.insights.ledger import YOU_MOSTLY_RECEIVE, Reciprocity, by_imbalance
from netjournal.domain.insights.time_budget import TimeInvested
from netjournal.domain.insights.touch import TouchStatus, snoozed_until
from netjournal.domain.model import Contact
from netjournal.domain.plans import UPCOMING_SHOWN, Plan

TODAY_OVERDUE = 7
TODAY_GESTURES = 5


@dataclass(frozen=True, slots=True)
class Suggestion:
    """A person to serve this week, and why."""

    contact_id: str
    name: str
    reasons: tuple[str, ...]
    idea: HelpIdea | None  # an introduction you could make for them


@dataclass(frozen=True, slots=True)
class TodayView:
    today: date
    overdue: tuple[TouchStatus, ...]  # the most overdue few
    overdue_total: int
    follow_ups: tuple[FollowUp, ...]
    birthdays: tuple[Birthday, ...]
    gestures: tuple[Reciprocity, ...]  # people you mostly receive from, most one-sided first
    week_minutes: int
    budget: int
    suggestion: Suggestion | None
    upcoming: tuple[Plan, ...] = ()  # plans (entries dated after today), soonest first
    upcoming_total: int = 0


_CLOSENESS = {"inner": 1.0, "close": 0.75, "active": 0.5, "acquaintance": 0.25}


def suggest(
    contacts: Sequence[Contact],
    asks: Sequence[OpenAsk],
    ideas: Sequence[HelpIdea],
    ledger: Callable[[Contact], Reciprocity],
    status: Callable[[Contact], TouchStatus | None],
    today: date,
) -> Suggestion | None:
    """Whom to serve first. Points: an open need 3, and 2 more if someone you know matches it
    (an introduction you can make); you mostly receive from them 2 (time to give back);
    overdue 1; closeness of the circle 0.25 to 1. Snoozed and archived people are skipped;
    a person with none of the first three is never suggested. Ties: larger debt, then name."""
    asks_of: dict[str, list[OpenAsk]] = {}
    for a in asks:
        asks_of.setdefault(a.contact_id, []).append(a)
    idea_of: dict[str, HelpIdea] = {}
    for h in ideas:
        idea_of.setdefault(h.ask.contact_id, h)
    best: tuple[tuple[float, float, str, str], Contact] | None = None
    for c in contacts:
        if c.archived or (c.snoozed_until and snoozed_until(c, today) is not None):
            continue
        score = 0.0
        if c.id in asks_of:
            score += 5 if c.id in idea_of else 3
        rec = ledger(c)
        if rec.verdict == YOU_MOSTLY_RECEIVE:
            score += 2
        st = status(c)
        if st is not None and st.overdue:
            score += 1
        if not score:
            continue
        score += _CLOSENESS.get(c.circle, 0.0)
        key = (-score, rec.balance, c.name, c.id)
        if best is None or key < best[0]:
            best = (key, c)
    if best is None:
        return None
    c = best[1]
    reasons: list[str] = []
    mine = asks_of.get(c.id, [])
    idea = idea_of.get(c.id)
    if mine:
        reasons.append(f"needs: {mine[0].text}")
        if idea is not None:
            reasons.append(f"{idea.helper_name} could help ({', '.join(idea.matched)})")
    rec = ledger(c)
    if rec.verdict == YOU_MOSTLY_RECEIVE:
        reasons.append(f"you received {rec.received:g} and gave {rec.given:g} in the last months")
    st = status(c)
    if st is not None and st.overdue:
        since = f"for {(today - st.last_contact).days} days" if st.last_contact else "yet"
        reasons.append(f"not in touch {since} (overdue by {st.days_overdue})")
    return Suggestion(c.id, c.name, tuple(reasons), idea)


def today_view(
    *,
    today: date,
    overdue_people: Sequence[TouchStatus],
    follow_ups: Sequence[FollowUp],
    birthdays: Sequence[Birthday],
    ledgers: Iterable[Reciprocity],
    time: TimeInvested,
    suggestion: Suggestion | None,
    upcoming: Sequence[Plan] = (),
) -> TodayView:
    """Assemble the Today view from the measures above (the store's cache computes each once)."""
    gestures = by_imbalance(r for r in ledgers if r.verdict == YOU_MOSTLY_RECEIVE)[:TODAY_GESTURES]
    return TodayView(
        today=today, overdue=tuple(overdue_people[:TODAY_OVERDUE]), overdue_total=len(overdue_people),
        follow_ups=tuple(follow_ups), birthdays=tuple(birthdays), gestures=tuple(gestures),
        week_minutes=time.this_week.minutes, budget=time.budget, suggestion=suggestion,
        upcoming=tuple(upcoming[:UPCOMING_SHOWN]), upcoming_total=len(upcoming),
    )
