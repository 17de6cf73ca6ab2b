"""What the insight screens show, read from :class:`netjournal.store.views.Insights`.

Called from worker threads only: the first computation over a big journal takes a second
or two, later ones (after a change) a few milliseconds, because Insights keeps its indexes
and per-person results and is cached by the journal's revision. No Textual here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from netjournal.domain import insights as ins
from netjournal.domain.dates import format_ago, format_in_days

if TYPE_CHECKING:
    from netjournal.store.views import Insights



@dataclass(frozen=True, slots=True)
class TodayData:
    view: ins.TodayView
    time: ins.TimeInvested
    asks: tuple[ins.OpenAsk, ...]
    ideas: tuple[ins.HelpIdea, ...]
    people: int  # people not archived: none, and the view says how to start


NO_PEOPLE = "No people yet: press esc, then c to add one"


def load_today(insights: Insights, today: date) -> TodayData:
    return TodayData(
        view=insights.today(today), time=insights.time(today),
        asks=tuple(insights.asks(today)), ideas=tuple(insights.help_ideas(today)), people=len(insights.contacts()),
    )


def warm(insights: Insights, today: date) -> None:
    """Compute the views once so the first visit of each is instant."""
    load_today(insights, today)
    insights.circles(today)


def ledger_line(insights: Insights, contact_id: str | None, today: date) -> ins.Reciprocity | dict[str, int]:
    """One person's weighted reciprocity, or (everyone) how many people get each verdict."""
    if contact_id is not None:
        return insights.ledger_of(contact_id, today)
    counts = dict.fromkeys(ins.VERDICTS, 0)
    for rec in insights.ledgers(today).values():
        counts[rec.verdict] += 1
    return counts


@dataclass(frozen=True, slots=True)
class CardInsights:
    """What the insights know of one person, for their card on the main screen."""

    contact_id: str
    touch: ins.TouchStatus | None  # None: no cadence
    reciprocity: ins.Reciprocity
    asks: tuple[ins.OpenAsk, ...]


def card_insights(insights: Insights, contact_id: str, today: date) -> CardInsights:
    """What the card shows from the insights for one person: when they are next due, the
    verdict, their open asks (each from the cached views)."""

    asks = tuple(a for a in insights.asks(today) if a.contact_id == contact_id)
    return CardInsights(contact_id, insights.touch(contact_id, today), insights.ledger_of(contact_id, today), asks)


ago = format_ago
in_days = format_in_days
