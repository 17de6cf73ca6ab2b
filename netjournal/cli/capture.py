"""netjournal log / give / receive / show / search / ledger: capture in one line, read it back.

The capture grammar lives in :mod:`netjournal.domain.capture`. This module reads the arguments
of these commands and records (log, give, receive); ``show`` and ``search`` print in :mod:`.show`,
``ledger`` in :mod:`.ledger`, with the helpers of :mod:`.record_output`. Nothing here imports
Textual; Rich is imported inside handlers. Every error is raised before anything is written.
"""

from __future__ import annotations

import argparse
from datetime import date
from typing import TYPE_CHECKING, Any

from netjournal.cli.context import Context
from netjournal.cli.ledger import cmd_ledger
from netjournal.cli.record_output import ContactNames, day_option, favour_json, interaction_json, print_rows
from netjournal.cli.show import cmd_search, cmd_show
from netjournal.domain.dates import future_favour, spell_day
from netjournal.domain.model import FAVOUR_KINDS, Contact, Favour
from netjournal.domain.people import ContactIndex
from netjournal.domain.text import clean_line, fold
from netjournal.errors import ValidationError

if TYPE_CHECKING:
    from netjournal.domain.capture import Capture

SEARCH_LIMIT = 50
SHOW_LIMIT = 10


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    log = sub.add_parser(
        "log",
        help="record a line: 'yesterday: lunch with @ana #pricing 1h +got advice on pricing'",
        description="Record one line (quote it: the shell drops words after #). "
        "Grammar: [DATE: ]TEXT with @people, #tags, a duration (45m, 1h30) and +gave/+got favours.",
    )
    log.add_argument("text", nargs="+", help="the line")
    log.add_argument("--on", metavar="DATE", help="the date, when the line gives none")
    log.add_argument("--create", action="store_true", help="create the unknown @people")
    log.add_argument("--json", action="store_true", help="print the saved records as JSON")
    log.set_defaults(func=cmd_log)

    for name, direction in (("give", "given"), ("receive", "received")):
        p = sub.add_parser(name, help=f"record a favour {direction} {'to' if direction == 'given' else 'from'} someone")
        p.add_argument("name", help="name, alias or id")
        p.add_argument("text", nargs="+", help="what it was: 'intro to Carla'")
        p.add_argument("--on", metavar="DATE", help="when (default: today)")
        p.add_argument("--weight", type=int, default=2, help="how much it mattered, 1 to 5 (default 2)")
        p.add_argument("--kind", help=f"{', '.join(FAVOUR_KINDS)} (default: guessed from the words)")
        p.add_argument("--json", action="store_true")
        p.set_defaults(func=cmd_favour, direction=direction)

    show = sub.add_parser("show", help="a person's card, recent interactions, favours and balance")
    show.add_argument("name", help="name, alias or id")
    show.add_argument(
        "--limit", type=int, default=SHOW_LIMIT, help=f"interactions and favours shown (default {SHOW_LIMIT}; 0: all)"
    )
    show.add_argument("--json", action="store_true")
    show.set_defaults(func=cmd_show)

    search = sub.add_parser(
        "search",
        help="interactions matching a query, newest first: words, @person, #tag, 2026-03..2026-05",
        description="QUERY: words (each starts a word of the text; case and accents ignored), "
        '@person or @"Full Name", #tag, a period (2026-03..2026-05, 2026-03.., ..2025, 2026-03); '
        "an interaction must match every part. Quote the query (the shell drops words after #).",
    )
    search.add_argument("text", nargs="*", metavar="QUERY", help="words, @person, #tag, a period")
    search.add_argument("--from", dest="date_from", metavar="DATE", help="on or after this date")
    search.add_argument("--to", dest="date_to", metavar="DATE", help="on or before this date")
    search.add_argument("--tag", help="only interactions with this tag")
    search.add_argument("--with", dest="with_name", metavar="NAME", help="only interactions with this person")
    search.add_argument(
        "--limit", type=int, default=SEARCH_LIMIT, help=f"at most this many (default {SEARCH_LIMIT}; 0: all)"
    )
    search.add_argument("--json", action="store_true")
    search.set_defaults(func=cmd_search)

    ledger = sub.add_parser("ledger", help="favours given and received per person, most one-sided first")
    ledger.add_argument("name", nargs="?", help="one person: their favours and balance")
    ledger.add_argument("--json", action="store_true")
    ledger.set_defaults(func=cmd_ledger)



# --- log ---------------------------------------------------------------------------------------


def cmd_log(args: argparse.Namespace, ctx: Context) -> int:
    from netjournal.domain.capture import capture_records, parse_capture

    line = " ".join(args.text)
    now = ctx.now()
    dayfirst = ctx.settings.dayfirst
    journal = ctx.existing_journal()
    # Stored documents, not records: only the people mentioned are built.
    contacts: list[Any] = list(journal.raw_documents("contacts")) if journal is not None else []
    capture = parse_capture(line, now=now, resolve=ContactIndex(contacts), dayfirst=dayfirst, on=args.on)
    created: list[Contact] = []
    unknown = [m for m in capture.unresolved if not m.ambiguous]
    if args.create and unknown:
        by_key: dict[str, Contact] = {}
        for m in unknown:
            by_key.setdefault(fold(m.new_name), Contact(name=m.new_name))
        created = [c.stamped() for c in by_key.values()]
        for c in created:
            c.validate()
        index = ContactIndex([*contacts, *created])
        capture = parse_capture(line, now=now, resolve=index, dayfirst=dayfirst, on=args.on)
    if not capture.ok:
        problems = capture.error_dict()
        if unknown and not args.create and "people" in problems:
            problems["people"] += f" (add --create to create {'it' if len(unknown) == 1 else 'them'})"
        raise ValidationError(problems)
    records = capture_records(capture)
    if journal is None:
        journal = ctx.journal()
    label = f"log {records.interaction.kind} of {records.interaction.date}"
    journal.apply([*created, *records.all], undo_label=label, new=True)  # (ids minted by the capture just now)
    if args.json:
        names = ContactNames(journal)
        ctx.print_json({
            "interaction": interaction_json(records.interaction, names),
            "favours": [favour_json(f, names) for f in records.favours],
            "created": [c.to_dict() for c in created],
        })
        return 0
    for c in created:
        print(f"created contact {clean_line(c.name)} ({c.id})")
    _print_recorded(ctx, capture)
    return 0


def _print_recorded(ctx: Context, capture: Capture) -> None:
    from rich.text import Text

    ctx.console.print(Text(f"recorded: {clean_line(capture.summary())}", style="bold"))
    print_rows(ctx, capture.describe())


# --- give / receive -------------------------------------------------------------------------------


def cmd_favour(args: argparse.Namespace, ctx: Context) -> int:
    from netjournal.domain.capture import guess_favour_kind

    text = " ".join(args.text).strip()
    if not 1 <= args.weight <= 5:
        raise ValidationError(f"must be from 1 to 5, not {args.weight}", field="weight")
    kind = (args.kind or guess_favour_kind(text)).lower()
    if kind not in FAVOUR_KINDS:
        raise ValidationError(f"must be one of {', '.join(FAVOUR_KINDS)}, not {args.kind!r}", field="kind")
    when = day_option(args.on or "today", ctx, "on")
    problem = future_favour(when, ctx.now().date())
    if problem:
        raise ValidationError(problem, field="on")
    journal = ctx.journal()
    person = journal.resolve_contact(args.name)
    saved = journal.add_favour(
        Favour(date=when, contact_id=person.id, direction=args.direction, kind=kind, text=text, weight=args.weight)
    )
    if args.json:
        ctx.print_json(favour_json(saved, ContactNames(journal)))
        return 0
    from rich.text import Text

    arrow = "given to" if saved.direction == "given" else "received from"
    ctx.console.print(Text(
        f"recorded a favour {arrow} {clean_line(person.name)} on {spell_day(date.fromisoformat(saved.date))}: "
        f"{clean_line(saved.text) or '(no words)'} ({saved.kind}, weight {saved.weight})"
    ))
    return 0
