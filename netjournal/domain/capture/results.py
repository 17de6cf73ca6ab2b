"""What reading a capture line gives: the capture, its mentions, favours and problems."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from netjournal.domain.capture.vocabulary import KIND_PHRASES
from netjournal.domain.dates import format_minutes, spell_when
from netjournal.domain.model import Contact
from netjournal.domain.text import isolate


@dataclass(frozen=True, slots=True)
class CaptureError:
    """One problem: the part of the line it is about (``field``), a sentence, and where."""

    field: str
    message: str
    start: int = 0
    end: int = 0


@dataclass(frozen=True, slots=True)
class Mention:
    """An ``@name`` as typed, and what it resolved to."""

    ref: str  # the name without @ or quotes
    start: int
    end: int
    contact: Contact | None = None
    candidates: tuple[str, ...] = ()  # closest names (unknown) or the possible people (ambiguous)
    ambiguous: bool = False
    shared: bool = False  # some of those people share a name (told apart by id)
    ids: tuple[str, ...] = ()  # every person an ambiguous mention could be

    @property
    def new_name(self) -> str:
        """The name a contact created from this mention gets (``@ana_silva`` -> "Ana Silva")."""
        name = " ".join(self.ref.replace("_", " ").split())
        if name == name.lower():
            name = re.sub(r"(^|[\s-])(\w)", lambda m: m.group(1) + m.group(2).upper(), name)
        return name


@dataclass(frozen=True, slots=True)
class FavourDraft:
    direction: str  # "given" or "received"
    kind: str
    text: str
    weight: int
    people: tuple[Contact, ...]
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Capture:
    """What a line will record. ``ok`` is true when ``errors`` is empty."""

    line: str
    date: str  # "2024-03-05" or "2024-03-05T15:30" ("" if the date is wrong)
    date_text: str  # the date as typed ("" when none was given)
    people: tuple[Contact, ...]
    mentions: tuple[Mention, ...]
    kind: str
    minutes: int
    tags: tuple[str, ...]
    text: str
    favours: tuple[FavourDraft, ...]
    errors: tuple[CaptureError, ...]
    note: str = ""  # what the interaction's text saves: the line as prose (domain.prose)
    today: str = ""  # the day the line was read on ("YYYY-MM-DD"): a later date is a plan

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def plan(self) -> bool:
        """Dated after the day it was read: something planned (a lunch next Tuesday)."""
        return bool(self.date and self.today and self.date[:10] > self.today)

    def reading(self) -> str:
        """The date and how it was read: "2026-11-27 (Friday 27 November)", "… upcoming" for a plan."""
        if not self.date:
            return ""
        today = date.fromisoformat(self.today) if self.today else None
        words = spell_when(self.date, today)
        return f"{self.date.replace('T', ' ')} ({words}{', upcoming' if self.plan else ''})"

    def summary(self) -> str:
        """One sentence: "a meal with Ana Silva on Friday 27 November 2026" ("a plan: …" ahead)."""
        who = [isolate(c.name) for c in self.people]
        names = who[0] if len(who) == 1 else f"{', '.join(who[:-1])} and {who[-1]}" if who else "nobody"
        what = f"{KIND_PHRASES.get(self.kind, 'an interaction')} with {names}"
        when = f" on {spell_when(self.date)}" if self.date else ""
        return f"{'a plan: ' if self.plan else ''}{what}{when}"

    @property
    def unresolved(self) -> tuple[Mention, ...]:
        return tuple(m for m in self.mentions if m.contact is None)

    def error_dict(self) -> dict[str, str]:
        out: dict[str, str] = {}
        for e in self.errors:
            out[e.field] = f"{out[e.field]}; {e.message}" if e.field in out else e.message
        return out

    def describe(self) -> list[tuple[str, str]]:
        """(label, value) pairs for a preview or a confirmation, in reading order."""
        rows = [("date", self.reading()), ("kind", self.kind)]
        rows.append(("with", ", ".join(isolate(c.name) for c in self.people)))
        if self.minutes:
            rows.append(("time", format_minutes(self.minutes)))
        if self.tags:
            rows.append(("tags", " ".join(f"#{t}" for t in self.tags)))
        for f in self.favours:
            who = ", ".join(isolate(c.name) for c in f.people)
            arrow = f"given to {who}" if f.direction == "given" else f"received from {who}"
            rows.append(("favour", f"{arrow}: {f.text or '(no words)'} ({f.kind}, weight {f.weight})"))
        return rows
