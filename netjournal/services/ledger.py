"""The ledger's arithmetic: favours given and received, by weight, and the running balance.

The shell's ``ledger`` table and the app's ledger pane both count here. The verdict is the
reciprocity rule of :mod:`netjournal.domain.insights`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from netjournal.domain.model import Favour


@dataclass
class Totals:
    """Favours with one person (or everyone), all time. ``balance`` > 0: you gave more (by weight)."""

    contact_id: str = ""
    name: str = ""
    given: int = 0  # how many favours given
    given_weight: int = 0
    received: int = 0
    received_weight: int = 0

    def add(self, direction: str, weight: int) -> int:
        """Count one favour; returns what it changes the balance by."""
        if direction == "given":
            self.given += 1
            self.given_weight += weight
            return weight
        self.received += 1
        self.received_weight += weight
        return -weight

    @property
    def balance(self) -> int:
        return self.given_weight - self.received_weight

    @property
    def verdict(self) -> str:
        """The product's one rule (domain.insights.verdict), here on all-time plain weights."""
        from netjournal.domain.insights import verdict  # (the insights module is large: the shell's ledger only)

        return verdict(self.given_weight, self.received_weight, self.given + self.received)

    def to_json(self) -> dict[str, Any]:
        return {
            "contact_id": self.contact_id, "name": self.name, "given": self.given, "given_weight": self.given_weight,
            "received": self.received, "received_weight": self.received_weight, "balance": self.balance,
            "verdict": self.verdict,
        }


def balances(favour_docs: Iterable[Mapping[str, Any]]) -> dict[str, Totals]:
    """Per-person totals from stored favour documents (one pass)."""
    out: dict[str, Totals] = {}
    for doc in favour_docs:
        cid = doc.get("contact_id", "")
        totals = out.get(cid)
        if totals is None:
            totals = out[cid] = Totals(cid)
        totals.add(str(doc.get("direction", "")), int(doc.get("weight", 0)))
    return out


@dataclass(frozen=True, slots=True)
class LedgerRow:
    favour: Favour
    balance: int  # weight given minus weight received, up to and including this favour


@dataclass(frozen=True, slots=True)
class Ledger:
    rows: list[LedgerRow] = field(default_factory=list)  # newest first, like the favours
    totals: Totals = field(default_factory=Totals)  # the counts, weights and balance of all of them


def build_ledger(favours: list[Favour]) -> Ledger:
    """``favours`` newest first (as Journal.favours returns them)."""
    totals = Totals()
    running = 0
    balances_oldest_first: list[int] = []
    for fav in reversed(favours):
        running += totals.add(fav.direction, fav.weight)
        balances_oldest_first.append(running)
    balances_oldest_first.reverse()
    rows = [LedgerRow(f, b) for f, b in zip(favours, balances_oldest_first, strict=True)]
    return Ledger(rows, totals)
