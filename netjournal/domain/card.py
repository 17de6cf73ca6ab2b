"""A person's card: their details as lines a person reads (pure: the app draws them).

What is on the person (organisation, emails, birthday...) is read from the record; what the
insights know (when they are next due, the reciprocity verdict, open asks) is passed in,
already computed, so the card never recomputes a view. ``None`` for those: not known yet.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from netjournal.domain.dates import birthday_month_day, format_cadence, format_in_days, spell_birthday, spell_day
from netjournal.domain.model import Contact
from netjournal.domain.text import clean_line, isolate

if TYPE_CHECKING:
    from netjournal.domain.insights import OpenAsk, Reciprocity, TouchStatus

PENDING = "…"


@dataclass(frozen=True, slots=True)
class CardLine:
    """One line of the card: a label and its value; ``tone`` says how it should stand out
    ("" plain, "muted", "warn", "good", "bad", "tag")."""

    label: str
    value: str
    tone: str = ""


def age_on(birthday: str, today: date) -> int | None:
    """The age reached on ``today`` (None when the year is not known)."""
    md = birthday_month_day(birthday)
    if md is None or birthday.startswith("--"):
        return None
    years = today.year - int(birthday[:4]) - ((today.month, today.day) < md)
    return years if years >= 0 else None


def birthday_words(birthday: str, today: date) -> str:
    """"6 December" (no year) or "6 December 1990, age 35"."""
    text = spell_birthday(birthday)
    age = age_on(birthday, today)
    return text if age is None else f"{text}, age {age}"


def due_words(touch: TouchStatus, today: date) -> tuple[str, str]:
    """Their cadence and when they are next due, and its tone:
    "every 2 weeks · due in 11 days (Thursday 12 November)", "monthly · 5 days late (...)"."""
    every = format_cadence(touch.cadence_days)
    day = spell_day(touch.due, today)
    if touch.snoozed_until is not None:
        return f"{every} · snoozed until {spell_day(touch.snoozed_until, today)}", "muted"
    if touch.overdue:
        return f"{every} · {format_in_days(-touch.days_overdue)} (was due {day})", "warn"
    return f"{every} · due {format_in_days(-touch.days_overdue)} ({day})", ""


VERDICT_TONES = {"interdependent": "good", "you mostly give": "warn", "you mostly receive": "bad", "dormant": "muted"}


def verdict_words(rec: Reciprocity) -> tuple[str, str]:
    """The weighted verdict with what it weighs: "interdependent · gave 5.9, got 5.4"."""
    tone = VERDICT_TONES.get(rec.verdict, "")
    if not (rec.given_count or rec.received_count):
        return f"{rec.verdict} · no favours in the last {len(rec.months)} months", tone
    return f"{rec.verdict} · gave {rec.given:.1f}, got {rec.received:.1f} (weighted, {len(rec.months)} months)", tone


def card_lines(
    person: Contact,
    today: date,
    *,
    touch: TouchStatus | None | str = PENDING,
    reciprocity: Reciprocity | None | str = PENDING,
    asks: Sequence[OpenAsk] | str = PENDING,
) -> list[CardLine]:
    """The card's lines, user text cleaned of control characters (right-to-left text isolated). The insights' parts are
    :data:`PENDING` until they arrive (shown as "…"); ``touch`` None: no cadence."""
    lines: list[CardLine] = []

    def add(label: str, value: str, tone: str = "") -> None:
        if value:
            lines.append(CardLine(label, isolate(clean_line(value)), tone))

    add("works", " at ".join(p for p in (person.role, person.org) if p))
    add("aka", ", ".join(person.aliases), "muted")
    for email in person.emails:
        add("email", email)
    for phone in person.phones:
        add("phone", phone)
    add("birthday", birthday_words(person.birthday, today) if person.birthday else "")
    add("met", person.how_met)
    add("tags", " ".join("#" + t for t in person.tags), "tag")
    if isinstance(touch, str):
        add("cadence", f"{person.circle} · {touch}", "muted")
    elif touch is None:
        add("cadence", f"{person.circle} · no cadence")
    else:
        every, tone = due_words(touch, today)
        add("cadence", f"{person.circle} · {every}", tone)
    if isinstance(reciprocity, str):
        add("favours", reciprocity, "muted")
    elif reciprocity is not None:
        add("favours", *verdict_words(reciprocity))
    if isinstance(asks, str):
        add("asks", asks, "muted")
    else:
        for ask in asks:
            since = f" (since {spell_day(ask.since, today)})" if ask.since is not None else ""
            add("asks", ask.text + since, "warn")
    return lines
