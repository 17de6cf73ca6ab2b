"""netjournal log / give / receive / show / search / ledger: capture in one line, read it back.

The capture grammar lives in :mod:`netjournal.domain.capture`. Nothing here imports Textual;
Rich is imported inside handlers. Every error is raised before anything is written.
"""

from __future__ import annotations

import argparse
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from netjournal.cli.context import Context
from netjournal.domain.dates import format_ago, format_minutes, future_favour, parse_date, spell_day
from netjournal.domain.model import FAVOUR_KINDS, Contact, Favour, Interaction
from netjournal.domain.text import clean_line, first_line, fold, isolate
from netjournal.errors import ValidationError

if TYPE_CHECKING:
    from netjournal.domain.capture import Capture
    from netjournal.store import Journal

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
    show.add_argument("--limit", type=int, default=SHOW_LIMIT, help=f"interactions and favours shown (default {SHOW_LIMIT}; 0: all)")
    show.add_argument("--json", action="store_true")
    show.set_defaults(func=cmd_show)

    search = sub.add_parser("search", help="interactions whose text contains TEXT, newest first")
    search.add_argument("text", nargs="*", help="words to find (case and accents ignored)")
    search.add_argument("--from", dest="date_from", metavar="DATE", help="on or after this date")
    search.add_argument("--to", dest="date_to", metavar="DATE", help="on or before this date")
    search.add_argument("--tag", help="only interactions with this tag")
    search.add_argument("--with", dest="with_name", metavar="NAME", help="only interactions with this person")
    search.add_argument("--limit", type=int, default=SEARCH_LIMIT, help=f"at most this many (default {SEARCH_LIMIT}; 0: all)")
    search.add_argument("--json", action="store_true")
    search.set_defaults(func=cmd_search)

    ledger = sub.add_parser("ledger", help="favours given and received per person, most one-sided first")
    ledger.add_argument("name", nargs="?", help="one person: their favours and balance")
    ledger.add_argument("--json", action="store_true")
    ledger.set_defaults(func=cmd_ledger)


# --- helpers ---------------------------------------------------------------------------------


class _Names:
    """Contact names by id, read lazily from the stored documents."""

    def __init__(self, journal: Journal) -> None:
        self.journal = journal
        self._names: dict[str, str] = {}

    def __call__(self, cid: str) -> str:
        name = self._names.get(cid)
        if name is None:
            doc = self.journal.document("contacts", cid)
            name = self._names[cid] = doc.get("name", cid) if doc else cid
        return name


def _interaction_json(i: Interaction, names: _Names) -> dict[str, Any]:
    return {**i.to_dict(), "people": [names(c) for c in i.contact_ids]}


def _favour_json(f: Favour, names: _Names) -> dict[str, Any]:
    return {**f.to_dict(), "person": names(f.contact_id)}


def _date(text: str | None, ctx: Context, field: str) -> str:
    if not text:
        return ""
    return parse_date(text, ctx.now().date(), dayfirst=ctx.settings.dayfirst, field=field, past=True).isoformat()


def _check_limit(limit: int) -> None:
    if limit < 0:
        raise ValidationError(f"must be 0 (all) or more, not {limit}", field="limit")


def _print_rows(ctx: Context, rows: Iterable[tuple[str, str]]) -> None:
    from rich.text import Text

    for label, value in rows:
        if value:
            ctx.console.print(Text.assemble((f"{label:>14}  ", "dim"), clean_line(value)))


GRID_CHUNK = 500


def _grid(ctx: Context, headers: Sequence[str], rows: Sequence[Sequence[str]], right: Sequence[int] = ()) -> None:
    """Columns sized to their content (at most 28 cells); the last one takes the rest of the
    line and is cut with an ellipsis, so each record stays on one line. Cells are plain text."""
    from rich.cells import cell_len, set_cell_size
    from rich.text import Text

    n = len(headers)
    rows = [[clean_line(v) for v in r] for r in rows]  # measured as they will show
    widths = [min(28, max([cell_len(headers[k]), *(cell_len(r[k]) for r in rows)])) for k in range(n - 1)]
    last = max(20, ctx.console.width - sum(widths) - 2 * (n - 1))

    def fit(value: str, k: int) -> str:
        width = widths[k] if k < n - 1 else last
        if cell_len(value) > width:
            value = set_cell_size(value, width - 1) + "…"
        pad = " " * (width - cell_len(value)) if k < n - 1 or k in right else ""
        return pad + isolate(value) if k in right else isolate(value) + pad  # isolated once cut

    lines = [Text("  ".join(fit(h, k) for k, h in enumerate(headers)).rstrip(), style="bold")]
    lines += [Text("  ".join(fit(v, k) for k, v in enumerate(r)).rstrip()) for r in rows]
    # A render per few hundred rows: a print per row costs ~1 ms each, and one for the whole
    # table costs Rich a pass over the rest of the text per line (30,000 rows: 8 s).
    for start in range(0, len(lines), GRID_CHUNK):
        ctx.console.print(Text("\n").join(lines[start : start + GRID_CHUNK]), no_wrap=True, crop=True, overflow="ellipsis")


# --- log ---------------------------------------------------------------------------------------


def cmd_log(args: argparse.Namespace, ctx: Context) -> int:
    from netjournal.domain.capture import capture_records, parse_capture
    from netjournal.domain.people import ContactIndex

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
        capture = parse_capture(line, now=now, resolve=ContactIndex([*contacts, *created]), dayfirst=dayfirst, on=args.on)
    if not capture.ok:
        problems = capture.error_dict()
        if unknown and not args.create and "people" in problems:
            problems["people"] += " (add --create to create it)" if len(unknown) == 1 else " (add --create to create them)"
        raise ValidationError(problems)
    records = capture_records(capture)
    if journal is None:
        journal = ctx.journal()
    journal.apply([*created, *records.all], undo_label=f"log {records.interaction.kind} of {records.interaction.date}")
    if args.json:
        names = _Names(journal)
        ctx.print_json({
            "interaction": _interaction_json(records.interaction, names),
            "favours": [_favour_json(f, names) for f in records.favours],
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
    _print_rows(ctx, capture.describe())


# --- give / receive -------------------------------------------------------------------------------


def cmd_favour(args: argparse.Namespace, ctx: Context) -> int:
    from netjournal.domain.capture import guess_favour_kind

    text = " ".join(args.text).strip()
    if not 1 <= args.weight <= 5:
        raise ValidationError(f"must be from 1 to 5, not {args.weight}", field="weight")
    kind = (args.kind or guess_favour_kind(text)).lower()
    if kind not in FAVOUR_KINDS:
        raise ValidationError(f"must be one of {', '.join(FAVOUR_KINDS)}, not {args.kind!r}", field="kind")
    when = _date(args.on or "today", ctx, "on")
    problem = future_favour(when, ctx.now().date())
    if problem:
        raise ValidationError(problem, field="on")
    journal = ctx.journal()
    person = journal.resolve_contact(args.name)
    saved = journal.add_favour(
        Favour(date=when, contact_id=person.id, direction=args.direction, kind=kind, text=text, weight=args.weight)
    )
    if args.json:
        ctx.print_json(_favour_json(saved, _Names(journal)))
        return 0
    from rich.text import Text

    arrow = "given to" if saved.direction == "given" else "received from"
    ctx.console.print(Text(
        f"recorded a favour {arrow} {clean_line(person.name)} on {spell_day(date.fromisoformat(saved.date))}: "
        f"{clean_line(saved.text) or '(no words)'} ({saved.kind}, weight {saved.weight})"
    ))
    return 0


# --- ledger ------------------------------------------------------------------------------------------


@dataclass
class Balance:
    """Favours with one person, all time. ``balance`` > 0: you gave more (by weight)."""

    contact_id: str
    name: str = ""
    given: int = 0
    given_weight: int = 0
    received: int = 0
    received_weight: int = 0

    @property
    def balance(self) -> int:
        return self.given_weight - self.received_weight

    @property
    def verdict(self) -> str:
        """The product's one rule (domain.insights.verdict), here on all-time plain weights."""
        from netjournal.domain.insights import verdict

        return verdict(self.given_weight, self.received_weight, self.given + self.received)

    def to_json(self) -> dict[str, Any]:
        return {
            "contact_id": self.contact_id, "name": self.name, "given": self.given, "given_weight": self.given_weight,
            "received": self.received, "received_weight": self.received_weight, "balance": self.balance,
            "verdict": self.verdict,
        }


def balances(favour_docs: Iterable[dict[str, Any]]) -> dict[str, Balance]:
    """Per-person totals from stored favour documents (one pass)."""
    out: dict[str, Balance] = {}
    for doc in favour_docs:
        cid = doc.get("contact_id", "")
        b = out.get(cid)
        if b is None:
            b = out[cid] = Balance(cid)
        weight = int(doc.get("weight", 0))
        if doc.get("direction") == "given":
            b.given += 1
            b.given_weight += weight
        else:
            b.received += 1
            b.received_weight += weight
    return out


def _balance_for(journal: Journal, person: Contact) -> Balance:
    b = balances(f.to_dict() for f in journal.favours(person.id)).get(person.id, Balance(person.id))
    b.name = person.name
    return b


def cmd_ledger(args: argparse.Namespace, ctx: Context) -> int:
    journal = ctx.journal(readonly=True)
    if args.name:
        return _ledger_one(journal, journal.resolve_contact(args.name), args, ctx)
    names = _Names(journal)
    rows = list(balances(journal.raw_documents("favours")).values())
    for b in rows:
        b.name = names(b.contact_id)
    rows.sort(key=lambda b: (-abs(b.balance), fold(b.name)))
    if args.json:
        ctx.print_json([b.to_json() for b in rows])
        return 0
    if not rows:
        print("no favours yet: netjournal give NAME TEXT, or +gave/+got in netjournal log")
        return 0
    _ledger_table(ctx, rows)
    return 0


def _ledger_table(ctx: Context, rows: Sequence[Balance]) -> None:
    cells = [
        (str(b.given), str(b.given_weight), str(b.received), str(b.received_weight), f"{b.balance:+d}", b.verdict, b.name)
        for b in rows
    ]
    _grid(ctx, ("gave", "weight", "got", "weight", "balance", "verdict", "name"), cells, right=(0, 1, 2, 3, 4))


def _ledger_one(journal: Journal, person: Contact, args: argparse.Namespace, ctx: Context) -> int:
    favours = journal.favours(person.id)
    b = _balance_for(journal, person)
    if args.json:
        names = _Names(journal)
        ctx.print_json({**b.to_json(), "favours": [_favour_json(f, names) for f in favours]})
        return 0
    _ledger_table(ctx, [b])
    if favours:
        ctx.console.print()
        _favour_table(ctx, favours)
    return 0


def _favour_table(ctx: Context, favours: Sequence[Favour]) -> None:
    cells = [(f.date, "gave" if f.direction == "given" else "got", f.kind, str(f.weight), first_line(f.text)) for f in favours]
    _grid(ctx, ("date", "", "kind", "weight", "what"), cells, right=(3,))


# --- show and search -----------------------------------------------------------------------------------


def _interaction_table(ctx: Context, rows: Sequence[Interaction], names: _Names, skip: str = "") -> None:
    today = date.today().isoformat()
    cells = [
        (i.date.replace("T", " "), i.kind, ", ".join(names(c) for c in i.contact_ids if c != skip),
         format_minutes(i.minutes), f"upcoming · {first_line(i.text)}" if i.date[:10] > today else first_line(i.text))
        for i in rows
    ]
    _grid(ctx, ("date", "kind", "with", "time", "text"), cells, right=(3,))


def cmd_show(args: argparse.Namespace, ctx: Context) -> int:
    _check_limit(args.limit)
    journal = ctx.journal(readonly=True)
    person = journal.resolve_contact(args.name)
    names = _Names(journal)
    limit = args.limit or None
    interactions = journal.interactions(person.id, limit=limit)
    count = journal.interaction_count(person.id)
    all_favours = journal.favours(person.id)
    favours = all_favours[:limit] if limit else all_favours
    balance = _balance_for(journal, person)
    last = journal.last_contact(person.id)
    days = (date.today() - date.fromisoformat(last[:10])).days if last else None
    if args.json:
        ctx.print_json({
            "contact": {**person.to_dict(), "last_contact": last or None, "days_since": days},
            "interaction_count": count,
            "interactions": [_interaction_json(i, names) for i in interactions],
            "favour_count": len(all_favours),
            "favours": [_favour_json(f, names) for f in favours],
            "ledger": balance.to_json(),
        })
        return 0
    from rich.text import Text

    ctx.console.print(Text(clean_line(person.name), style="bold"))
    _print_rows(ctx, [
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
        ("last contact", "never" if days is None else f"{last.replace('T', ' ')} ({format_ago(date.fromisoformat(last[:10]), date.today())})"),
        ("ledger", f"gave {balance.given} (weight {balance.given_weight}), got {balance.received} "
                   f"(weight {balance.received_weight}): {balance.verdict}"),
        ("archived", "yes" if person.archived else ""),
    ])
    ctx.console.print()
    if interactions:
        ctx.console.print(Text(f"interactions ({len(interactions)} of {count}, newest first)", style="bold"))
        _interaction_table(ctx, interactions, names, skip=person.id)
    else:
        ctx.console.print(Text("no interactions yet", style="dim"))
    if favours:
        ctx.console.print()
        ctx.console.print(Text(f"favours ({len(favours)} of {len(all_favours)}, newest first)", style="bold"))
        _favour_table(ctx, favours)
    return 0


def cmd_search(args: argparse.Namespace, ctx: Context) -> int:
    _check_limit(args.limit)
    date_from = _date(args.date_from, ctx, "from")
    date_to = _date(args.date_to, ctx, "to")
    if date_from and date_to and date_from > date_to:
        raise ValidationError(f"--from {date_from} is after --to {date_to}", field="dates")
    journal = ctx.journal(readonly=True)
    contact_id = journal.resolve_contact(args.with_name).id if args.with_name else None
    text = " ".join(args.text)
    limit = args.limit or None
    found = journal.search(
        text, date_from=date_from, date_to=date_to, tag=args.tag or "", contact_id=contact_id,
        limit=None if limit is None else limit + 1,
    )
    more = limit is not None and len(found) > limit
    rows = found[:limit] if limit is not None else found
    names = _Names(journal)
    if args.json:
        ctx.print_json([_interaction_json(i, names) for i in rows])
        return 0
    if not rows:
        print("no interaction matches")
        return 0
    _interaction_table(ctx, rows, names)
    if more:
        print(f"the {limit} newest are shown; more match (--limit 0 shows all)")
    return 0
