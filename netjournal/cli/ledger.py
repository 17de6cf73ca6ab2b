"""netjournal ledger: favours given and received per person, all time, most one-sided first."""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from typing import TYPE_CHECKING

from netjournal.cli.context import Context
from netjournal.cli.record_output import ContactNames, favour_json, favour_table, grid
from netjournal.domain.model import Contact
from netjournal.domain.text import fold
from netjournal.services.ledger import Totals, balances, build_ledger

if TYPE_CHECKING:
    from netjournal.store import Journal


def balance_for(journal: Journal, person: Contact) -> Totals:
    """One person's totals, all time (the same count as the app's ledger pane)."""
    totals = build_ledger(journal.favours(person.id)).totals
    totals.contact_id, totals.name = person.id, person.name
    return totals


def cmd_ledger(args: argparse.Namespace, ctx: Context) -> int:
    journal = ctx.journal(readonly=True)
    if args.name:
        return _ledger_one(journal, journal.resolve_contact(args.name), args, ctx)
    names = ContactNames(journal)
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


def _ledger_table(ctx: Context, rows: Sequence[Totals]) -> None:
    cells = [
        (
            str(b.given),
            str(b.given_weight),
            str(b.received),
            str(b.received_weight),
            f"{b.balance:+d}",
            b.verdict,
            b.name,
        )
        for b in rows
    ]
    grid(ctx, ("gave", "weight", "got", "weight", "balance", "verdict", "name"), cells, right=(0, 1, 2, 3, 4))


def _ledger_one(journal: Journal, person: Contact, args: argparse.Namespace, ctx: Context) -> int:
    favours = journal.favours(person.id)
    b = balance_for(journal, person)
    if args.json:
        names = ContactNames(journal)
        ctx.print_json({**b.to_json(), "favours": [favour_json(f, names) for f in favours]})
        return 0
    _ledger_table(ctx, [b])
    if favours:
        ctx.console.print()
        favour_table(ctx, favours)
    return 0
