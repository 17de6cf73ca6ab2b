"""netjournal ledger: favours given and received per person, all time, most one-sided first."""

from __future__ import annotations

import argparse
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from netjournal.cli.context import Context
from netjournal.cli.record_output import ContactNames, favour_json, favour_table, grid
from netjournal.domain.model import Contact
from netjournal.domain.text import fold

if TYPE_CHECKING:
    from netjournal.store import Journal


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


def balance_for(journal: Journal, person: Contact) -> Balance:
    b = balances(f.to_dict() for f in journal.favours(person.id)).get(person.id, Balance(person.id))
    b.name = person.name
    return b


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


def _ledger_table(ctx: Context, rows: Sequence[Balance]) -> None:
    cells = [
        (str(b.given), str(b.given_weight), str(b.received), str(b.received_weight), f"{b.balance:+d}", b.verdict, b.name)
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
