"""The ledger's arithmetic: the running balance (pure, no Textual). The verdict is the
reciprocity rule of netjournal.domain.insights."""

from __future__ import annotations

from dataclasses import dataclass, field

from netjournal.domain.model import Favour


@dataclass(frozen=True, slots=True)
class LedgerRow:
    favour: Favour
    balance: int  # weight given minus weight received, up to and including this favour


@dataclass(frozen=True, slots=True)
class Ledger:
    rows: list[LedgerRow] = field(default_factory=list)  # newest first, like the favours
    given: int = 0  # total weight given
    received: int = 0
    given_count: int = 0
    received_count: int = 0

    @property
    def balance(self) -> int:
        return self.given - self.received


def build_ledger(favours: list[Favour]) -> Ledger:
    """``favours`` newest first (as Journal.favours returns them)."""
    balance = 0
    given = received = given_n = received_n = 0
    balances: list[int] = []
    for fav in reversed(favours):
        if fav.direction == "given":
            balance += fav.weight
            given += fav.weight
            given_n += 1
        else:
            balance -= fav.weight
            received += fav.weight
            received_n += 1
        balances.append(balance)
    balances.reverse()
    rows = [LedgerRow(f, b) for f, b in zip(favours, balances, strict=True)]
    return Ledger(rows, given, received, given_n, received_n)
