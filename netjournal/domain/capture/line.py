"""Reading a whole capture line: the date before ``: ``, the tokens, the favours, the kind and
the note; and the records a clean capture saves."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from netjournal.domain.capture.results import Capture, CaptureError, FavourDraft, Mention
from netjournal.domain.capture.tokens import TokenReader
from netjournal.domain.capture.vocabulary import DEFAULT_WEIGHT, guess_favour_kind, guess_kind, is_date_prefix
from netjournal.domain.dates import future_favour, parse_when
from netjournal.domain.model import Contact, Favour, Interaction, utc_now
from netjournal.domain.people import ContactIndex, Resolver
from netjournal.domain.prose import favour_text, note_text
from netjournal.domain.text import unique
from netjournal.errors import ValidationError

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
    """Read a capture line (see the package docstring). ``resolve`` is a :class:`ContactIndex`
    (or any callable with its signature) or a list of contacts; ``on`` is a date given
    apart from the line (the shell's ``--on``), used when the line has none."""
    resolver: Resolver = resolve if callable(resolve) else ContactIndex(resolve)
    errors: list[CaptureError] = []
    line = line.replace("\r", " ").replace("\n", " ").replace("\t", " ")
    date_text, cut, body_start = _date_prefix(line)
    when = _read_date(date_text, cut, on, now, dayfirst, errors)
    while body_start < len(line) and line[body_start] == " ":
        body_start += 1
    body = line[body_start:].rstrip()
    text = body.strip()
    if not text:
        problem = "nothing to record: write what happened, with an @person"
        errors.append(CaptureError("text", problem, body_start, len(line)))
    tokens = TokenReader(line, body, body_start, resolver, errors).read()
    mentions = tokens.mentions
    errors.extend(tokens.unresolved_errors())
    people = tuple(unique(m.contact for m in mentions if m.contact is not None))
    if text and not mentions:
        problem = "mention at least one person: @ana or @\"Ana Silva\""
        errors.append(CaptureError("people", problem, body_start, len(line)))
    favours = _read_favours(line, body_start, body, tokens, people, when, now, errors)
    markers = tokens.markers
    note_end = body_start + markers[0][0].start() if markers else len(line)
    spans = [tokens.duration_span] if tokens.duration_span else []
    return Capture(
        line=line,
        date=when,
        date_text=date_text,
        people=people,
        mentions=tuple(mentions),
        kind=guess_kind(" ".join(tokens.plain)),
        minutes=tokens.minutes,
        tags=tuple(tokens.tags),
        text=text,
        favours=tuple(favours),
        errors=tuple(errors),
        note=note_text(line, body_start, note_end, mentions, spans),
        today=now.date().isoformat(),
    )


def _date_prefix(line: str) -> tuple[str, int, int]:
    """The date typed before the first ": " (or "" if the text there is not one), where that
    ": " is (-1 if none), and where the rest of the line starts."""
    cut = line.find(": ")
    if cut < 0 and line.rstrip().endswith(":"):
        cut = len(line.rstrip()) - 1
    if cut > 0 and is_date_prefix(line[:cut]):
        return line[:cut].strip(), cut, cut + 1
    return "", cut, 0


def _read_date(
    date_text: str, cut: int, on: str | None, now: datetime, dayfirst: bool, errors: list[CaptureError]
) -> str:
    """The capture's date ("" when it is wrong): the line's, else ``on``, else today."""
    if date_text and on:
        errors.append(CaptureError("date", f"two dates: {date_text!r} in the line and {on!r} apart from it", 0, cut))
        return ""
    try:
        return parse_when(date_text or on or "today", now, dayfirst=dayfirst, past=True)
    except ValidationError as exc:
        errors.append(CaptureError("date", exc.errors.get("date", str(exc)), 0, cut if date_text else 0))
        return ""


def _read_favours(
    line: str,
    body_start: int,
    body: str,
    tokens: TokenReader,
    people: tuple[Contact, ...],
    when: str,
    now: datetime,
    errors: list[CaptureError],
) -> list[FavourDraft]:
    """Each ``+gave``/``+got`` runs to the next marker or the end of the line."""
    markers = tokens.markers
    favours: list[FavourDraft] = []
    for i, (m, direction) in enumerate(markers):
        clause_end = markers[i + 1][0].start() if i + 1 < len(markers) else len(body)
        raw = body[m.end():clause_end]
        trailing = _TRAILING.search(raw)
        words_end = body_start + (m.end() + trailing.start() if trailing else clause_end)
        s, e = body_start + m.start(), body_start + clause_end
        ftext = favour_text(line, body_start + m.end(), words_end, tokens.mentions)
        weight = _favour_weight(m, s, errors)
        if not ftext:
            errors.append(CaptureError("favour", f"{m.group(0)} needs a few words, as in +gave intro to Carla", s, e))
        elif when and future_favour(when, now.date()):
            plan = future_favour(when, now.date())
            errors.append(CaptureError("favour", f"{plan}: record the plan now and {m.group(0)} on its day", s, e))
        who = _favour_people(tokens.mentions, s, e, people)
        favours.append(FavourDraft(direction, guess_favour_kind(ftext), ftext, weight, who, s, e))
    return favours


def _favour_weight(m: re.Match[str], s: int, errors: list[CaptureError]) -> int:
    """The weight after ``!`` (1 to 5), else the default."""
    if m.group("weight") is None:
        return DEFAULT_WEIGHT
    w = m.group("weight")
    if not (w.isdigit() and 1 <= int(w) <= 5):
        problem = f"{m.group(0)}: the weight after ! is 1 to 5, as in +gave!3"
        errors.append(CaptureError("favour", problem, s, s + len(m.group(0))))
        return DEFAULT_WEIGHT
    return int(w)


def _favour_people(mentions: Sequence[Mention], s: int, e: int, people: tuple[Contact, ...]) -> tuple[Contact, ...]:
    """The people named in the favour's clause, or else everyone in the line."""
    own = [mt.contact for mt in mentions if s <= mt.start < e and mt.contact is not None]
    return tuple(unique(own)) if any(s <= mt.start < e for mt in mentions) else people


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

