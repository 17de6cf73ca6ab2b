"""What a capture line saves as text: the note and each favour's words, read as prose.

The capture line carries fields inside its text (the date before ``: ``, a duration,
``+gave``/``+got`` clauses, ``@`` mentions). They are recorded as fields, so the note keeps
only what was said about the moment::

    yesterday: coffee with @priya about payments 45m #fintech +gave intro to Carla @priya
    note:   coffee with Priya Raman about payments #fintech
    favour: intro to Carla

- The date prefix, the duration and the favour clauses leave the note.
- A mention becomes the person's name; tags stay as written.
- In a favour's words, the mentions at the end that only say whose favour it is leave
  (``intro to Carla @lena``: "intro to Carla"); after a linking word they are the object of
  the sentence and become names (``advice from @bruno``: "advice from Bruno Costa").

Pure: spans of the line in, text out.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Protocol

from netjournal.domain.model import Contact

# Words after which a trailing mention is part of the sentence ("intro to @carla").
LINKING_WORDS = frozenset(
    "to from for with by of about at on and & or than via".split()
)
_JOINER = re.compile(r"^[\s,;&]*(?:\b(?:and|&)\b)?[\s,;&]*$", re.IGNORECASE)


class Span(Protocol):
    @property
    def start(self) -> int: ...

    @property
    def end(self) -> int: ...

    @property
    def contact(self) -> Contact | None: ...


def _name(line: str, mention: Span) -> str:
    """The person's name (the mention as typed while it names nobody: such a line is not saved)."""
    if mention.contact is not None:
        return mention.contact.name
    return line[mention.start : mention.end]


def note_text(line: str, start: int, end: int, mentions: Sequence[Span], cut: Sequence[tuple[int, int]] = ()) -> str:
    """``line[start:end]`` as prose: the ``cut`` spans (a duration) left out and each mention
    replaced by the person's name. Only the spaces and the separator left where something
    was taken out are tidied: everything else is kept exactly as typed."""
    out = ""
    pos = start
    marks = sorted(
        [(s, e, None) for s, e in cut if start <= s < end]
        + [(m.start, m.end, m) for m in mentions if start <= m.start < end],
        key=lambda t: t[0],
    )
    for s, e, mention in marks:
        if s < pos:
            continue
        out += line[pos:s]
        pos = min(e, end)
        if mention is not None:
            out += _name(line, mention)
            continue
        if not out or out.endswith(" "):
            while pos < end and line[pos] == " ":
                pos += 1  # "lunch 1h30 with": one space, not two
        if pos < end and line[pos] in ",;.!?":
            out = out.rstrip(" ")  # "lunch 1h30, great": no space before the comma
    cut_last = pos >= end or not line[pos:end].strip(" ")  # the text ends where something was taken out
    out += line[pos:end]
    out = out.strip(" ")
    if end < len(line.rstrip(" ")) or (marks and marks[-1][2] is None and cut_last):
        out = out.rstrip(",;:&- ")  # a separator left before what followed (a favour, a routing mention)
    return out


def favour_text(line: str, start: int, end: int, mentions: Sequence[Span]) -> str:
    """A favour's words (``line[start:end]``, after its ``+gave``), without the mentions at the
    end that only route it, unless a linking word comes before them (see the module)."""
    inside = sorted((m for m in mentions if start <= m.start < end), key=lambda m: m.start)
    keep_from = len(inside)
    pos = end
    for i in range(len(inside) - 1, -1, -1):
        if not _JOINER.match(line[inside[i].end : pos]):
            break
        keep_from, pos = i, inside[i].start
    if keep_from < len(inside):
        before = line[start:pos].split()
        last_word = before[-1].lower().strip(",;") if before else ""
        if last_word not in LINKING_WORDS:
            return note_text(line, start, pos, inside[:keep_from])
    return note_text(line, start, end, inside)
