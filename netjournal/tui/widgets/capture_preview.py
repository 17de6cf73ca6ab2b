"""What the capture prompt shows: its grammar in short, the styled spans of the line, and
the preview beneath it. User text never goes through markup: the preview is built from
Content pieces and the prompt's highlighter styles spans of a plain Text."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from rich.highlighter import Highlighter
from rich.style import Style
from rich.text import Text
from textual.content import Content

from netjournal.domain.capture import Capture
from netjournal.domain.text import clean_line, isolate

PLACEHOLDER = "yesterday: lunch with @name #pricing 1h30 +gave an intro   (? on an empty line: the grammar)"
_NOT_IN_A_NAME = set("@#+:!\"'`,;()[]{}<>/\\")


def example_names(names: Iterable[str], wanted: int = 2) -> list[str]:
    """Up to ``wanted`` different first names from ``names`` (the journal's people, in order)
    that read as one word in a capture line: the placeholder's examples."""
    found: list[str] = []
    for name in names:
        words = clean_line(name).split()
        first = words[0] if words else ""
        if first and first not in found and not first[0].isdigit() and not _NOT_IN_A_NAME & set(first):
            found.append(first)
            if len(found) == wanted:
                break
    return found


def placeholder(first_names: list[str]) -> str:
    """The prompt's placeholder, its example naming people of the journal (``@Ana``), if it has any."""
    if not first_names:
        return PLACEHOLDER
    return f"yesterday: lunch with {example_people(first_names)} #pricing 1h30   (? on an empty line: the grammar)"


def example_people(first_names: list[str]) -> str:
    """``@Ana +gave intro to Bruno``: the people of an example line, from the journal's own."""
    one = isolate(first_names[0])
    favour = f"+gave intro to {isolate(first_names[1])}" if len(first_names) > 1 else "+gave an intro"
    return f"@{one} {favour}"

# The grammar in short, for the help screen (key column, explanation column).
GRAMMAR_HELP: list[tuple[str, str]] = [
    ("yesterday:", "a date before the first ': ' (today, fri, last friday, 3 days ago, 2024-03-05 15:30, 5 Mar)"),
    ("tomorrow:", "a plan: tomorrow, next tuesday, in 2 weeks or a date with its year; no favours on it"),
    ("@ana @Ольга", 'people by first name, alias, slug or id, in any script; @"Ana Silva" by full name; at least one'),
    ("#pricing", "tags"),
    ("45m 1h30 2h", "time spent"),
    ("lunch, call…", "the first words set the kind (lunch, coffee: meal; intro: introduction)"),
    ("+gave intro", "a favour given (+gave intro to Carla), to the people named after it, else everyone"),
    ("+got!4 advice", "a favour received; !1 to !5 is its weight (default 2); put favours last"),
    ("note", "the rest, as prose: @ana becomes her name; date, time and favours are fields"),
    ("e.g.", "friday: coffee with @bruno 45m #design +gave intro to Carla"),
    ("e.g.", "2024-03-05: call @ana +got!4 advice on pricing"),
]


class SpanHighlighter(Highlighter):
    """Styles given (start, end) spans of the prompt's text; nothing else is interpreted."""

    def __init__(self) -> None:
        self.spans: list[tuple[int, int, Style]] = []

    def highlight(self, text: Text) -> None:
        size = len(text.plain)
        for start, end, style in self.spans:
            if 0 <= start < end <= size:
                text.stylize(style, start, end)

def line_spans(capture: Capture, style: Callable[[str], Style]) -> list[tuple[int, int, Style]]:
    """The parts of the line to style: the date, favours, known people, problems."""
    out: list[tuple[int, int, Style]] = []
    if capture.date_text:
        start = capture.line.find(capture.date_text)
        out.append((start, start + len(capture.date_text), style("date")))
    for fav in capture.favours:
        out.append((fav.start, fav.end, style("favour")))
    for m in capture.mentions:
        if m.contact is not None:
            out.append((m.start, m.end, style("person")))
    for e in capture.errors:
        if e.end > e.start:
            out.append((e.start, e.end, style("error")))
    return out


# ---------------------------------------------------------------------- the preview
def empty_preview(first_names: list[str]) -> Content:
    """What the preview says before anything is typed: an example line, with the journal's people."""
    people = example_people(first_names) if first_names else "@name +gave an intro"
    return Content.assemble(
        ("Type what happened: ", "$text-muted"),
        (f"friday: coffee with {people} 45m #design", "$text-secondary"),
        ("\n? on an empty line lists the grammar · esc closes", "$text-muted"),
    )


def render_preview(
    capture: Capture, creatable: tuple[list[str], bool] = ([], False), *, refused: bool = False
) -> Content:
    """What ``enter`` will record, then each problem and what to do about it."""
    parts: list[Any] = []
    rows = capture.describe()
    main_rows = [(label, value) for label, value in rows if label != "favour"]
    for n, (label, value) in enumerate(main_rows):
        if n:
            parts.append(("  ·  ", "$text-muted"))
        parts.append((f"{label} ", "$text-muted"))
        if value:
            parts.append((clean_line(value), "bold"))
        else:
            parts.append(("?", "bold $text-error"))
    if capture.note:
        parts.append(("\nnote ", "$text-muted"))
        parts.append((clean_line(capture.note), ""))
    for draft in capture.favours:
        given = draft.direction == "given"
        who = ", ".join(isolate(c.name) for c in draft.people) or "?"
        parts.append("\n")
        parts.append(("→ " if given else "← ", "bold $text-success" if given else "bold $text-error"))
        parts.append(("favour given to " if given else "favour received from ", ""))
        parts.append((clean_line(who), "bold"))
        parts.append((f": {clean_line(draft.text) or '(no words)'} ({draft.kind}, weight {draft.weight})", ""))
    names, fixed = creatable
    shown = [e for e in capture.errors if not (e.field == "text" and not capture.line.strip())]
    if shown:
        parts.append("\n")
        if refused:
            parts.append(("Not saved: ", "bold $text-error"))
        for n, error in enumerate(shown):
            if n:
                parts.append("\n")
            parts.append((f"✗ {error.field}: ", "bold $text-error"))
            parts.append((clean_line(error.message), "$text-error"))
    if names:
        parts.append("\n")
        parts.append(("ctrl+n", "bold $text-accent"))
        what = f": create {', '.join(isolate(clean_line(n)) for n in names)}"
        parts.append((what + (" and save" if fixed else " (fix the other problems to save)"), "$text-accent"))
    elif not shown:
        parts.append(("\n✓ enter saves it", "$text-success"))
    return Content.assemble(*parts)
