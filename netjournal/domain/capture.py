"""The capture line: one line of text becomes an interaction and its favours.

    [DATE: ]TEXT with @people, #tags, a duration and +favours

Examples (with "now" on Sunday 10 March 2024)::

    lunch with @ana #pricing 1h30            meal with Ana today, 90 minutes, tag pricing
    yesterday: call with @"Ana Silva" 45m     a call on 9 March
    friday: coffee with @ana +gave intro to Carla
                                              a meal on 8 March and a favour given to Ana
    2024-03-05 15:30: meeting @bruno +got!4 advice on pricing
                                              a meeting and a favour received from Bruno, weight 4
    dinner with @ana and @bruno +got advice from @bruno
                                              the favour is Bruno's only: he is named after +got

The parts:

- DATE (optional) before the first ``: ``: ``today``, ``yesterday``, weekday names or
  abbreviations (the most recent one before today), ``last friday``, ``3 days ago``,
  ``2 weeks ago``, ``2024-03-05``, ``2024-03-05 15:30``, ``5 Mar``, ``june 9 2013``, ``5/3``
  (day first unless the setting says month first). A date without a year that would be in
  the future means last year. An impossible date (``2019-02-29``) is an error. A plan (a
  date after today) is written ``tomorrow``, ``next tuesday``, ``in 2 weeks`` or with its
  year; a favour on a plan is an error (it is recorded once done).
- ``@name`` or ``@"Full Name"``: a contact, by name, alias or slug (``@ana-silva``), ignoring
  case and accents, in any script (``@Ольга``, ``@प्रिया``: netjournal.domain.people). At least one person is needed.
- ``#tag``: tags. A duration: ``45m``, ``1h30``, ``2h``, ``90 min``.
- The first words set the kind: lunch, dinner, coffee... meal; call; meeting; message;
  event; intro... introduction; otherwise other.
- ``+gave TEXT`` / ``+got TEXT``: a favour given or received, up to the next ``+gave``/``+got``
  or the end of the line (put favours last). It goes to the people named after the
  ``+word``, or else to everyone in the line. ``+gave!4``: weight 1-5 (default 2). Words in
  TEXT set its kind: intro, advice, time, skill, referral, gift, money, or other.

The note saved (``Capture.note``) is the line as prose: see :mod:`netjournal.domain.prose`.

:func:`parse_capture` is pure and never raises on bad input: it returns a :class:`Capture`
with every problem in ``errors`` (each with the span of the line it is about), so the app
can preview a line as it is typed. :func:`capture_records` turns a clean capture into the
records to save.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TypeVar

from netjournal.domain.dates import format_minutes, future_favour, parse_when, spell_when
from netjournal.domain.model import Contact, Favour, Interaction, utc_now
from netjournal.domain.people import (
    ContactIndex,
    Resolution,
    Resolver,
    ambiguous_message,
    mention_ref,
    not_found_message,
)
from netjournal.domain.prose import favour_text, note_text
from netjournal.domain.text import fold, isolate, unique
from netjournal.errors import ValidationError

# The people index lives in netjournal.domain.people (one resolver for the line, the shell and
# the forms); it is re-exported here for the callers that read it with the parser.
__all__ = ["Capture", "CaptureError", "ContactIndex", "Mention", "Resolution", "Resolver", "capture_records", "parse_capture"]

# --- words ---------------------------------------------------------------------------

KIND_WORDS: dict[str, str] = {
    **dict.fromkeys(
        "lunch lunches dinner dinners breakfast brunch coffee coffees drinks drink beer beers tea meal".split(), "meal"
    ),
    **dict.fromkeys("call called phone phoned rang ring zoom facetime videocall".split(), "call"),
    **dict.fromkeys("meeting meet met 1:1 standup".split(), "meeting"),
    **dict.fromkeys("message messaged email emailed mail text texted dm wrote letter chat".split(), "message"),
    **dict.fromkeys("event party conference meetup wedding concert talk workshop".split(), "event"),
    **dict.fromkeys("intro introduction introduced introducing".split(), "introduction"),
}
FAVOUR_KIND_WORDS: dict[str, str] = {
    **dict.fromkeys("intro intros introduction introductions introduced connected".split(), "introduction"),
    **dict.fromkeys("advice feedback tip tips mentoring review reviewed coaching guidance".split(), "advice"),
    **dict.fromkeys("time help helped hand ride lift moving".split(), "time"),
    **dict.fromkeys("skill skills design code coding fixed translation repair".split(), "skill"),
    **dict.fromkeys("referral reference recommendation recommended referred endorsement".split(), "referral"),
    **dict.fromkeys("gift present book flowers presents gifts".split(), "gift"),
    **dict.fromkeys("money loan lent paid cash".split(), "money"),
}
FAVOUR_VERBS: dict[str, str] = {
    "gave": "given", "give": "given", "given": "given",
    "got": "received", "get": "received", "received": "received", "receive": "received",
}
DEFAULT_WEIGHT = 2
_KIND_PHRASES = {
    "meal": "a meal", "call": "a call", "meeting": "a meeting", "message": "a message", "event": "an event",
    "introduction": "an introduction",
}
_T = TypeVar("_T")

_MONTHS = (
    "jan january feb february mar march apr april may jun june jul july aug august sep sept september "
    "oct october nov november dec december"
).split()
_WEEKDAYS = "mon monday tue tues tuesday wed wednesday thu thur thurs thursday fri friday sat saturday sun sunday".split()
_STRONG_DATE_WORDS = frozenset([*_MONTHS, *_WEEKDAYS, "today", "yesterday", "tomorrow", "ago", "now"])
_DATE_WORDS = _STRONG_DATE_WORDS | frozenset(
    "last next in a an one two three four five six d day days w wk week weeks m mo month months y yr year years "
    "h hour hours min mins minute minutes am pm at of the on".split()
)

_TOKEN_PATTERN = (
    r"""
      (?P<qmention>(?<![\w@])@"(?P<qname>[^"]*)("|$))
    | (?P<mention>(?<![0-9A-Za-z_@.\u00c0-\u024f\u0370-\u052f\u1e00-\u1fff])@(?P<name>[^\W_][^\s!-&(-,/:-@\[-^`{-~]*))
    | (?P<tag>(?<![\w#&])\#(?P<tagname>[^\W\d_][\w-]*))
    | (?P<favour>(?<!\S)\+(?P<verb>[^\W\d_]+)(?:!(?P<weight>\S*))?(?!\S))
    | (?P<duration>(?<![\w:.,])(?:
            (?P<dh>\d+)h(?:(?P<dhm>\d+)m?)?
          | (?P<dm>\d+)m
          | (?P<dn>\d+)\s?(?P<du>hours?|hrs?|minutes?|mins?)
      )(?!\w))
    """
)


@functools.cache
def _token_re() -> re.Pattern[str]:
    return re.compile(_TOKEN_PATTERN, re.X)


# --- results -------------------------------------------------------------------------


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
        what = f"{_KIND_PHRASES.get(self.kind, 'an interaction')} with {names}"
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


def _key(text: str) -> str:
    return text.lower() if text.isascii() else fold(text)




# --- parsing ---------------------------------------------------------------------------


def _is_date_prefix(prefix: str) -> bool:
    """Does the text before ``: `` try to be a date? ("Lunch with Ana: ..." does not.)"""
    if any(ch in prefix for ch in "@#+\"") or len(prefix) > 40:
        return False
    words = [w.strip(".,").lower() for w in prefix.replace(",", " ").split()]
    if not words:
        return False
    strong = False
    for w in words:
        if any(ch.isdigit() for ch in w):
            strong = True
        elif w in _STRONG_DATE_WORDS:
            strong = True
        elif w not in _DATE_WORDS:
            return False
    return strong


_WHOLE_HOURS = re.compile(r"\d+\s*h(?:ours?|rs?)?", re.IGNORECASE)
_MINUTES_ONLY = re.compile(r"\d+\s*m(?:in(?:ute)?s?)?", re.IGNORECASE)


def _hours_then_minutes(line: str, first: tuple[int, int], second: tuple[int, int], minutes: int) -> bool:
    """``1h 30m``: whole hours, then only spaces, then minutes under an hour: one duration."""
    return (
        not line[first[1] : second[0]].strip()
        and _WHOLE_HOURS.fullmatch(line[first[0] : first[1]].strip()) is not None
        and _MINUTES_ONLY.fullmatch(line[second[0] : second[1]].strip()) is not None
        and minutes < 60
    )


def _duration(m: re.Match[str]) -> tuple[int, str]:
    """Minutes from a duration token, or (0, the problem)."""
    if m.group("dh") is not None:
        hours, mins = int(m.group("dh")), int(m.group("dhm") or 0)
        if mins >= 60:
            return 0, "the minutes after the hours must be under 60"
        total = hours * 60 + mins
    elif m.group("dm") is not None:
        total = int(m.group("dm"))
    else:
        n = int(m.group("dn"))
        total = n * 60 if m.group("du").startswith("h") else n
    if total <= 0:
        return 0, "a duration must be more than 0 minutes"
    if total > 24 * 60:
        return 0, "longer than a day"
    return total, ""


def _words(text: str) -> list[str]:
    return [_key(w) for w in re.findall(r"[^\W_]+(?::\d+)?", text)]


def guess_favour_kind(text: str) -> str:
    """The favour kind named by the first telling word of ``text`` ("intro to Carla": introduction)."""
    for w in _words(text):
        if w in FAVOUR_KIND_WORDS:
            return FAVOUR_KIND_WORDS[w]
    return "other"


def _guess_kind(plain: str) -> str:
    """The kind named by one of the first three words (tokens removed): "quick call @ana": call."""
    for w in _words(plain)[:3]:
        if w in KIND_WORDS:
            return KIND_WORDS[w]
    return "other"


_TRAILING = re.compile(
    r"(?:\s+(?:\#[^\W\d_][\w-]*|\d+h(?:\d+m?)?|\d+m|\d+\s?(?:hours?|hrs?|minutes?|mins?)))+\s*$"
)


def parse_capture(
    line: str,
    *,
    now: datetime,
    resolve: Resolver | Sequence[Contact],
    dayfirst: bool = True,
    on: str | None = None,
) -> Capture:
    """Read a capture line (see the module docstring). ``resolve`` is a :class:`ContactIndex`
    (or any callable with its signature) or a list of contacts; ``on`` is a date given
    apart from the line (the shell's ``--on``), used when the line has none."""
    resolver: Resolver = resolve if callable(resolve) else ContactIndex(resolve)
    errors: list[CaptureError] = []
    line = line.replace("\r", " ").replace("\n", " ").replace("\t", " ")

    # The date, before the first ": ".
    body_start = 0
    date_text = ""
    cut = line.find(": ")
    if cut < 0 and line.rstrip().endswith(":"):
        cut = len(line.rstrip()) - 1
    if cut > 0 and _is_date_prefix(line[:cut]):
        date_text = line[:cut].strip()
        body_start = cut + 1
    when = ""
    if date_text and on:
        errors.append(CaptureError("date", f"two dates: {date_text!r} in the line and {on!r} apart from it", 0, cut))
    else:
        try:
            when = parse_when(date_text or on or "today", now, dayfirst=dayfirst, past=True)
        except ValidationError as exc:
            errors.append(CaptureError("date", exc.errors.get("date", str(exc)), 0, cut if date_text else 0))

    while body_start < len(line) and line[body_start] == " ":
        body_start += 1
    body = line[body_start:].rstrip()
    text = body.strip()
    if not text:
        errors.append(CaptureError("text", "nothing to record: write what happened, with an @person", body_start, len(line)))

    # Tokens.
    mentions: list[Mention] = []
    tags: list[str] = []
    minutes = 0
    duration_span: tuple[int, int] | None = None
    markers: list[tuple[re.Match[str], str]] = []  # favour markers and their direction
    plain: list[str] = []  # the body without its tokens, for the kind
    last = 0
    for m in _token_re().finditer(body):
        if last >= 0:
            plain.append(body[last:m.start()])
            last = -1 if m.group("favour") is not None else m.end()
        s, e = body_start + m.start(), body_start + m.end()
        if m.group("qmention") is not None or m.group("mention") is not None:
            if m.group("qmention") is not None:
                ref = " ".join(m.group("qname").split())
                if not m.group(0).endswith('"') or len(m.group(0)) < 3:
                    errors.append(CaptureError("people", f"{m.group(0)}: close the quote, as in @\"Ana Silva\"", s, e))
                    continue
            else:
                ref = mention_ref(m.group("name"))
                e = s + 1 + len(ref)
            res = resolver(ref)
            mentions.append(Mention(ref, s, e, res.contact, res.candidates, res.ambiguous, res.shared, res.ids))
        elif m.group("tag") is not None:
            tag = m.group("tagname").rstrip("-")
            if _key(tag) not in (_key(t) for t in tags):
                tags.append(tag)
        elif m.group("favour") is not None:
            verb = _key(m.group("verb"))
            direction = FAVOUR_VERBS.get(verb)
            if direction is None:
                errors.append(CaptureError("favour", f"+{m.group('verb')} is not a favour: write +gave or +got", s, e))
                continue
            markers.append((m, direction))
        else:
            value, problem = _duration(m)
            if problem:
                errors.append(CaptureError("minutes", f"{m.group(0)!r} is not a duration I can record: {problem} (try 45m, 1h30 or 2h)", s, e))
            elif duration_span is not None and _hours_then_minutes(line, duration_span, (s, e), value):
                minutes, duration_span = minutes + value, (duration_span[0], e)  # "1h 30m"
            elif duration_span is not None:
                first = line[duration_span[0]:duration_span[1]]
                errors.append(CaptureError("minutes", f"two durations: {first!r} and {m.group(0)!r}", s, e))
            else:
                minutes, duration_span = value, (s, e)

    for mention in mentions:
        if mention.contact is not None:
            continue
        found = Resolution(None, mention.candidates, mention.ambiguous, mention.shared, mention.ids)
        if mention.ambiguous:
            msg = ambiguous_message(isolate(line[mention.start:mention.end]), found, "a shared name: write @ and the id")
        else:
            msg = not_found_message(mention.ref, found)
        errors.append(CaptureError("people", msg, mention.start, mention.end))

    people = tuple(unique(m.contact for m in mentions if m.contact is not None))
    if text and not mentions:
        errors.append(CaptureError("people", "mention at least one person: @ana or @\"Ana Silva\"", body_start, len(line)))

    # Favours: each runs to the next marker or the end of the line.
    favours: list[FavourDraft] = []
    for i, (m, direction) in enumerate(markers):
        clause_end = markers[i + 1][0].start() if i + 1 < len(markers) else len(body)
        raw = body[m.end():clause_end]
        trailing = _TRAILING.search(raw)
        words_end = body_start + (m.end() + trailing.start() if trailing else clause_end)
        s, e = body_start + m.start(), body_start + clause_end
        ftext = favour_text(line, body_start + m.end(), words_end, mentions)
        weight = DEFAULT_WEIGHT
        if m.group("weight") is not None:
            w = m.group("weight")
            if not (w.isdigit() and 1 <= int(w) <= 5):
                errors.append(CaptureError("favour", f"{m.group(0)}: the weight after ! is 1 to 5, as in +gave!3", s, s + len(m.group(0))))
            else:
                weight = int(w)
        if not ftext:
            errors.append(CaptureError("favour", f"{m.group(0)} needs a few words, as in +gave intro to Carla", s, e))
        elif when and future_favour(when, now.date()):
            plan = future_favour(when, now.date())
            errors.append(CaptureError("favour", f"{plan}: record the plan now and {m.group(0)} on its day", s, e))
        own = [mt.contact for mt in mentions if s <= mt.start < e and mt.contact is not None]
        who = tuple(unique(own)) if any(s <= mt.start < e for mt in mentions) else people
        favours.append(FavourDraft(direction, guess_favour_kind(ftext), ftext, weight, who, s, e))

    if last >= 0:
        plain.append(body[last:])
    kind = _guess_kind(" ".join(plain))
    note_end = body_start + markers[0][0].start() if markers else len(line)
    note = note_text(line, body_start, note_end, mentions, [duration_span] if duration_span else [])
    return Capture(
        line=line,
        date=when,
        date_text=date_text,
        people=people,
        mentions=tuple(mentions),
        kind=kind,
        minutes=minutes,
        tags=tuple(tags),
        text=text,
        favours=tuple(favours),
        errors=tuple(errors),
        note=note,
        today=now.date().isoformat(),
    )


@dataclass(frozen=True, slots=True)
class CaptureRecords:
    interaction: Interaction
    favours: list[Favour] = field(default_factory=list)

    @property
    def all(self) -> list[Interaction | Favour]:
        return [self.interaction, *self.favours]


def capture_records(capture: Capture, *, stamp: str | None = None) -> CaptureRecords:
    """The records a clean capture saves: one interaction and a favour per person per ``+word``,
    each favour linked to the interaction. Ids and timestamps are set; save them together
    (``Journal.apply``). Raises ValidationError naming every problem if the capture has any."""
    if capture.errors:
        raise ValidationError(capture.error_dict())
    stamp = stamp or utc_now()
    interaction = Interaction(
        date=capture.date,
        contact_ids=[c.id for c in capture.people],
        kind=capture.kind,
        text=capture.note,
        minutes=capture.minutes,
        tags=list(capture.tags),
    ).stamped(now=stamp)
    favours = [
        Favour(
            date=capture.date[:10],
            contact_id=person.id,
            direction=draft.direction,
            kind=draft.kind,
            text=draft.text,
            weight=draft.weight,
            interaction_id=interaction.id,
        ).stamped(now=stamp)
        for draft in capture.favours
        for person in draft.people
    ]
    for record in (interaction, *favours):
        record.validate()
    return CaptureRecords(interaction, favours)

