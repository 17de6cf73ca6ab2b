"""netjournal contact add / list / show / edit / archive / delete."""

from __future__ import annotations

import argparse
import sys
from datetime import date
from typing import TYPE_CHECKING

from netjournal.cli.context import Context
from netjournal.domain.dates import format_ago, format_cadence, parse_birthday, parse_cadence, spell_birthday
from netjournal.domain.duplicates import same_person
from netjournal.domain.model import CIRCLES, Contact
from netjournal.domain.text import clean_line, fold, isolate
from netjournal.errors import ValidationError
from netjournal.services.people import last_dates

if TYPE_CHECKING:
    from netjournal.store.journal import Journal


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("contact", help="add, list, show, edit, archive and delete people")
    csub = p.add_subparsers(dest="contact_command", metavar="ACTION", required=True, parser_class=type(p))

    add = csub.add_parser("add", help="add a person")
    add.add_argument("name")
    _contact_options(add)
    add.add_argument("--json", action="store_true", help="print the new record as JSON")
    add.set_defaults(func=cmd_add)

    edit = csub.add_parser("edit", help="change a person's fields (lists are replaced)")
    edit.add_argument("name", help="name, alias or id")
    edit.add_argument("--name", dest="new_name", help="new name")
    _contact_options(edit)
    edit.add_argument("--json", action="store_true")
    edit.set_defaults(func=cmd_edit)

    ls = csub.add_parser("list", help="list people")
    ls.add_argument("--json", action="store_true")
    ls.add_argument("--archived", action="store_true", help="include archived people")
    ls.add_argument("--filter", default="", help="only names, aliases, orgs or tags containing this")
    ls.set_defaults(func=cmd_list)

    show = csub.add_parser("show", help="show one person")
    show.add_argument("name", help="name, alias or id")
    show.add_argument("--json", action="store_true")
    show.set_defaults(func=cmd_show)

    arch = csub.add_parser("archive", help="hide a person from lists (nothing is deleted)")
    arch.add_argument("name")
    arch.add_argument("--undo", action="store_true", help="bring them back")
    arch.set_defaults(func=cmd_archive)

    rm = csub.add_parser("delete", help="delete a person with their favours and their part in interactions")
    rm.add_argument("name")
    rm.add_argument("--yes", action="store_true", help="required: confirms the delete")
    rm.set_defaults(func=cmd_delete)


def _contact_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--alias", action="append", default=None, help="another name (repeatable)")
    p.add_argument("--tag", action="append", default=None, help="interest, expertise or quality (repeatable)")
    p.add_argument("--org", default=None)
    p.add_argument("--role", default=None)
    p.add_argument("--email", action="append", default=None)
    p.add_argument("--phone", action="append", default=None)
    p.add_argument("--birthday", default=None, help="1990-04-15, 15 April, or with no year 04-15 (month then day)")
    p.add_argument("--circle", default=None, help=", ".join(CIRCLES))
    p.add_argument(
        "--every", default=None, metavar="DURATION", help="keep-in-touch cadence: 2w, monthly, quarterly, 90d"
    )
    p.add_argument("--met", default=None, help="how you met")
    p.add_argument("--notes", default=None)
    p.add_argument("--ask", action="append", default=None, help="an open need, e.g. 'looking for a designer'")


# The options that set a field of the person as given: (option, field).
_PLAIN_FIELDS = (
    ("alias", "aliases"), ("org", "org"), ("role", "role"), ("email", "emails"), ("phone", "phones"),
    ("met", "how_met"), ("notes", "notes"), ("ask", "asks"),
)


def _apply(contact: Contact, args: argparse.Namespace, dayfirst: bool = True) -> Contact:
    for option, field in _PLAIN_FIELDS:
        value = getattr(args, option)
        if value is not None:
            setattr(contact, field, value)
    if args.tag is not None:
        contact.tags = [t.lstrip("#") for t in args.tag]
    if args.birthday is not None:
        contact.birthday = parse_birthday(args.birthday, dayfirst=dayfirst)
    if args.circle is not None:
        circle = args.circle.lower()
        if circle not in CIRCLES:
            raise ValidationError(f"must be one of {', '.join(CIRCLES)}, not {args.circle!r}", field="circle")
        contact.circle = circle
    if args.every is not None:
        contact.cadence_days = parse_cadence(args.every, field="every")
    return contact


def cmd_add(args: argparse.Namespace, ctx: Context) -> int:
    contact = _apply(Contact(name=args.name.strip()), args, ctx.settings.dayfirst)
    contact.validate()  # before taking the lock: bad input never touches the journal
    journal = ctx.journal()
    everyone = journal.contacts(archived=True)
    namesakes = _namesakes(everyone, contact.name)
    shared_email = same_person(everyone, contact).get("emails", "")
    saved = journal.add_contact(contact)
    if args.json:
        ctx.print_json(saved.to_dict())
    else:
        print(f"added {saved.name} ({saved.id})")
        _print_birthday(args, saved)
    if namesakes:
        # People do share names: added all the same, with a word on stderr (stdout stays as it was).
        ids = ", ".join(f"{c.id}, archived" if c.archived else c.id for c in namesakes)
        who = "a contact" if len(namesakes) == 1 else f"{len(namesakes)} contacts"
        print(f"note: you already have {who} named {clean_line(namesakes[0].name)} ({ids}); they are told apart by id",
              file=sys.stderr)
    if shared_email:
        print(f"note: {clean_line(shared_email)}", file=sys.stderr)
    return 0


def _namesakes(people: list[Contact], name: str) -> list[Contact]:
    """The people whose name is ``name`` up to case, accents and spacing."""
    key = fold(" ".join(name.split()))
    return [c for c in people if fold(" ".join(c.name.split())) == key]


def cmd_edit(args: argparse.Namespace, ctx: Context) -> int:
    journal = ctx.journal()
    contact = journal.resolve_contact(args.name)
    if args.new_name is not None:
        contact.name = args.new_name.strip()
    saved = journal.update_contact(_apply(contact, args, ctx.settings.dayfirst))
    if args.json:
        ctx.print_json(saved.to_dict())
    else:
        print(f"updated {saved.name}")
        _print_birthday(args, saved)
    return 0


def _print_birthday(args: argparse.Namespace, saved: Contact) -> None:
    """The birthday as it was read ("birthday: 6 December"), so a misread is seen at once."""
    if args.birthday and saved.birthday:
        print(f"birthday: {spell_birthday(saved.birthday)}")


def contact_row(journal: Journal, c: Contact, last: str | None = None) -> dict[str, object]:
    """A person as the shell shows them; ``last``: their latest date if known (a listing
    reads everyone's at once: ``Journal.last_contacts``)."""
    if last is None:
        last = journal.last_contact(c.id)
    days = (date.today() - date.fromisoformat(last[:10])).days if last else None
    return {**c.to_dict(), "last_contact": last or None, "days_since": days}


def cmd_list(args: argparse.Namespace, ctx: Context) -> int:
    journal = ctx.journal(readonly=True)
    people = journal.find_contacts(args.filter, archived=args.archived)
    latest = last_dates(journal, people)
    rows = [contact_row(journal, c, latest[c.id]) for c in people]
    if args.json:
        ctx.print_json(rows)
        return 0
    from rich.text import Text

    from netjournal.cli.listing import Listing

    today = date.today()
    columns = ("name", "circle", "org", "tags", "last contact") + (("archived",) if args.archived else ())
    table = Listing(*columns)
    for c, row in zip(people, rows, strict=True):
        last = row["last_contact"]
        cells: list[Text | str] = [
            Text(c.name), c.circle, Text(c.org), Text(" ".join(f"#{t}" for t in c.tags)),
            format_ago(date.fromisoformat(str(last)[:10]) if last else None, today),
        ]
        if args.archived:
            cells.append("archived" if c.archived else "")
        table.add_row(*cells)
    if not people:
        if args.filter:
            print(f"no contacts matching {args.filter!r}")
        elif journal.count("contacts"):
            print("no contacts (the others are archived: netjournal contact list --archived)")
        else:
            print("no contacts yet: netjournal contact add NAME")
        return 0
    ctx.console.print(table)
    return 0


def cmd_show(args: argparse.Namespace, ctx: Context) -> int:
    journal = ctx.journal(readonly=True)
    c = journal.resolve_contact(args.name)
    row = contact_row(journal, c)
    if args.json:
        ctx.print_json(row)
        return 0
    from rich.text import Text

    lines = [
        ("name", c.name), ("aliases", ", ".join(c.aliases)), ("org", c.org), ("role", c.role),
        ("emails", ", ".join(c.emails)), ("phones", ", ".join(c.phones)), ("birthday", c.birthday),
        ("how met", c.how_met), ("circle", c.circle),
        ("keep in touch", format_cadence(c.effective_cadence)), ("tags", " ".join(f"#{t}" for t in c.tags)),
        ("asks", "; ".join(c.asks)), ("notes", c.notes),
        ("last contact", _last_contact(row["last_contact"])),
        ("archived", "yes" if c.archived else ""),
    ]
    for label, value in lines:
        if value:
            ctx.console.print(Text.assemble((f"{label:>14}  ", "dim"), value))
    return 0


def _last_contact(last: object) -> str:
    """"2026-11-19 12:30 (3 days ago)", or "never"."""
    if not last:
        return "never"
    when = str(last)
    return f"{when.replace('T', ' ')} ({format_ago(date.fromisoformat(when[:10]), date.today())})"


def cmd_archive(args: argparse.Namespace, ctx: Context) -> int:
    journal = ctx.journal()
    c = journal.resolve_contact(args.name)
    c.archived = not args.undo
    journal.update_contact(c)
    print(f"{'archived' if c.archived else 'restored'} {c.name}")
    return 0


def cmd_delete(args: argparse.Namespace, ctx: Context) -> int:
    journal = ctx.journal()
    c = journal.resolve_contact(args.name)
    if not args.yes:
        problem = f"deleting {isolate(clean_line(c.name))} also deletes their favours: add --yes to confirm"
        raise ValidationError(problem, field="delete")
    journal.delete_contact(c.id)
    print(f"deleted {c.name}")
    return 0
