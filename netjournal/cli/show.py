"""netjournal show / search: a person's card and history, and interactions found by their words."""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from datetime import date

from netjournal.cli.context import Context
from netjournal.cli.ledger import balance_for
from netjournal.cli.record_output import (
    ContactNames,
    check_limit,
    day_option,
    favour_json,
    favour_table,
    grid,
    interaction_json,
    print_rows,
)
from netjournal.domain.dates import format_ago, format_minutes
from netjournal.domain.model import Contact, Interaction
from netjournal.domain.query import combine, parse_query
from netjournal.domain.text import clean_line, first_line
from netjournal.errors import ValidationError
from netjournal.services.ledger import Totals


def _interaction_table(ctx: Context, rows: Sequence[Interaction], names: ContactNames, skip: str = "") -> None:
    today = date.today().isoformat()
    cells = [
        (i.date.replace("T", " "), i.kind, ", ".join(names(c) for c in i.contact_ids if c != skip),
         format_minutes(i.minutes), f"upcoming · {first_line(i.text)}" if i.date[:10] > today else first_line(i.text))
        for i in rows
    ]
    grid(ctx, ("date", "kind", "with", "time", "text"), cells, right=(3,))


def cmd_show(args: argparse.Namespace, ctx: Context) -> int:
    check_limit(args.limit)
    journal = ctx.journal(readonly=True)
    person = journal.resolve_contact(args.name)
    names = ContactNames(journal)
    limit = args.limit or None
    interactions = journal.interactions(person.id, limit=limit)
    count = journal.interaction_count(person.id)
    all_favours = journal.favours(person.id)
    favours = all_favours[:limit] if limit else all_favours
    balance = balance_for(journal, person)
    last = journal.last_contact(person.id)
    days = (date.today() - date.fromisoformat(last[:10])).days if last else None
    if args.json:
        ctx.print_json({
            "contact": {**person.to_dict(), "last_contact": last or None, "days_since": days},
            "interaction_count": count,
            "interactions": [interaction_json(i, names) for i in interactions],
            "favour_count": len(all_favours),
            "favours": [favour_json(f, names) for f in favours],
            "ledger": balance.to_json(),
        })
        return 0
    from rich.text import Text

    ctx.console.print(Text(clean_line(person.name), style="bold"))
    print_rows(ctx, _card_rows(person, last, balance))
    ctx.console.print()
    if interactions:
        ctx.console.print(Text(f"interactions ({len(interactions)} of {count}, newest first)", style="bold"))
        _interaction_table(ctx, interactions, names, skip=person.id)
    else:
        ctx.console.print(Text("no interactions yet", style="dim"))
    if favours:
        ctx.console.print()
        ctx.console.print(Text(f"favours ({len(favours)} of {len(all_favours)}, newest first)", style="bold"))
        favour_table(ctx, favours)
    return 0


def _card_rows(person: Contact, last: str, balance: Totals) -> list[tuple[str, str]]:
    """A person's card, (label, value) pairs; empty values are left out when printed."""
    ago = format_ago(date.fromisoformat(last[:10]), date.today()) if last else ""
    return [
        ("org", " · ".join(x for x in (person.role, person.org) if x)),
        ("aliases", ", ".join(person.aliases)),
        ("circle", person.circle),
        ("tags", " ".join(f"#{t}" for t in person.tags)),
        ("emails", ", ".join(person.emails)),
        ("phones", ", ".join(person.phones)),
        ("birthday", person.birthday),
        ("how met", person.how_met),
        ("asks", "; ".join(person.asks)),
        ("notes", first_line(person.notes)),
        ("last contact", "never" if not last else f"{last.replace('T', ' ')} ({ago})"),
        ("ledger", f"gave {balance.given} (weight {balance.given_weight}), got {balance.received} "
                   f"(weight {balance.received_weight}): {balance.verdict}"),
        ("archived", "yes" if person.archived else ""),
    ]


def cmd_search(args: argparse.Namespace, ctx: Context) -> int:
    check_limit(args.limit)
    date_from = day_option(args.date_from, ctx, "from")
    date_to = day_option(args.date_to, ctx, "to")
    if date_from and date_to and date_from > date_to:
        raise ValidationError(f"--from {date_from} is after --to {date_to}", field="dates")
    journal = ctx.journal(readonly=True)
    person = journal.resolve_contact(args.with_name) if args.with_name else None
    query = parse_query(" ".join(args.text), journal.people_index())
    if query.error:
        raise ValidationError(query.error, field="query")
    query = combine(query, people=[person.id] if person else [], tags=[args.tag] if args.tag else [],
                    date_from=date_from, date_to=date_to)
    limit = args.limit or None
    found = journal.search_query(query, limit=None if limit is None else limit + 1)
    more = limit is not None and len(found) > limit
    rows = found[:limit] if limit is not None else found
    names = ContactNames(journal)
    if args.json:
        ctx.print_json([interaction_json(i, names) for i in rows])
        return 0
    if not rows:
        print("no interaction matches")
        return 0
    _interaction_table(ctx, rows, names)
    if more:
        print(f"the {limit} newest are shown; more match (--limit 0 shows all)")
    return 0
