"""The capture line's tokens, one small parser each: ``@people``, ``#tags``, ``+favours`` and a duration.

One regular expression finds the tokens in the line's body; :class:`TokenReader` hands each
to its parser, which records what it read (or the problem, with the span it is about).
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field

from netjournal.domain.capture.results import CaptureError, Mention
from netjournal.domain.capture.vocabulary import FAVOUR_VERBS, word_key
from netjournal.domain.people import Resolution, Resolver, ambiguous_message, mention_ref, not_found_message
from netjournal.domain.text import isolate

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



@dataclass
class TokenReader:
    """Reads the tokens of ``body``, the part of ``line`` after the date (from ``body_start``).

    Problems go to ``errors`` in the order the tokens come; spans are in ``line``."""

    line: str
    body: str
    body_start: int
    resolver: Resolver
    errors: list[CaptureError]
    mentions: list[Mention] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    minutes: int = 0
    duration_span: tuple[int, int] | None = None
    markers: list[tuple[re.Match[str], str]] = field(default_factory=list)  # favour markers and their direction
    plain: list[str] = field(default_factory=list)  # the body without its tokens, for the kind

    def read(self) -> TokenReader:
        body = self.body
        last = 0
        for m in _token_re().finditer(body):
            if last >= 0:
                self.plain.append(body[last:m.start()])
                last = -1 if m.group("favour") is not None else m.end()
            s, e = self.body_start + m.start(), self.body_start + m.end()
            if m.group("qmention") is not None or m.group("mention") is not None:
                self.mention(m, s, e)
            elif m.group("tag") is not None:
                self.tag(m)
            elif m.group("favour") is not None:
                self.favour(m, s, e)
            else:
                self.duration(m, s, e)
        if last >= 0:
            self.plain.append(body[last:])
        return self

    def mention(self, m: re.Match[str], s: int, e: int) -> None:
        if m.group("qmention") is not None:
            ref = " ".join(m.group("qname").split())
            if not m.group(0).endswith('"') or len(m.group(0)) < 3:
                self.errors.append(CaptureError("people", f"{m.group(0)}: close the quote, as in @\"Ana Silva\"", s, e))
                return
        else:
            ref = mention_ref(m.group("name"))
            e = s + 1 + len(ref)
        res = self.resolver(ref)
        self.mentions.append(Mention(ref, s, e, res.contact, res.candidates, res.ambiguous, res.shared, res.ids))

    def tag(self, m: re.Match[str]) -> None:
        tag = m.group("tagname").rstrip("-")
        if word_key(tag) not in (word_key(t) for t in self.tags):
            self.tags.append(tag)

    def favour(self, m: re.Match[str], s: int, e: int) -> None:
        verb = word_key(m.group("verb"))
        direction = FAVOUR_VERBS.get(verb)
        if direction is None:
            self.errors.append(CaptureError("favour", f"+{m.group('verb')} is not a favour: write +gave or +got", s, e))
            return
        self.markers.append((m, direction))

    def duration(self, m: re.Match[str], s: int, e: int) -> None:
        value, problem = _duration(m)
        line, span = self.line, self.duration_span
        if problem:
            said = f"{m.group(0)!r} is not a duration I can record: {problem} (try 45m, 1h30 or 2h)"
            self.errors.append(CaptureError("minutes", said, s, e))
        elif span is not None and _hours_then_minutes(line, span, (s, e), value):
            self.minutes, self.duration_span = self.minutes + value, (span[0], e)  # "1h 30m"
        elif span is not None:
            first = line[span[0]:span[1]]
            self.errors.append(CaptureError("minutes", f"two durations: {first!r} and {m.group(0)!r}", s, e))
        else:
            self.minutes, self.duration_span = value, (s, e)

    def unresolved_errors(self) -> list[CaptureError]:
        """A problem for each ``@name`` that names nobody, or more than one person."""
        out: list[CaptureError] = []
        for mention in self.mentions:
            if mention.contact is not None:
                continue
            found = Resolution(None, mention.candidates, mention.ambiguous, mention.shared, mention.ids)
            if mention.ambiguous:
                label = isolate(self.line[mention.start:mention.end])
                msg = ambiguous_message(label, found, "a shared name: write @ and the id")
            else:
                msg = not_found_message(mention.ref, found)
            out.append(CaptureError("people", msg, mention.start, mention.end))
        return out
