"""The services both the shell and the app use: the ledger's balance, snooze, people with
their last dates (written once, below both)."""

from __future__ import annotations

from datetime import date

from netjournal.domain.model import Favour, Interaction
from netjournal.services.ledger import balances, build_ledger
from netjournal.services.people import last_dates, read_people
from netjournal.services.snooze import snooze, snooze_for
from netjournal.store import Journal

TODAY = date(2026, 11, 1)


def _favour(journal: Journal, who: str, direction: str, weight: int, day: str) -> Favour:
    return journal.add_favour(Favour(contact_id=who, direction=direction, weight=weight, date=day, text="x"))


def test_the_pane_and_the_shell_count_the_same_balance(journal: Journal) -> None:
    ana = journal.find_contacts("Ana")[0].id
    _favour(journal, ana, "given", 3, "2026-01-01")
    _favour(journal, ana, "received", 1, "2026-02-01")
    _favour(journal, ana, "given", 2, "2026-03-01")
    ledger = build_ledger(journal.favours(ana))  # newest first
    assert [row.balance for row in ledger.rows] == [4, 2, 3]  # the running balance after each favour
    sums = ledger.totals
    assert (sums.given_weight, sums.received_weight, sums.given, sums.received, sums.balance) == (5, 1, 2, 1, 4)
    shell = balances(journal.raw_documents("favours"))[ana]
    assert (shell.given_weight, shell.received_weight, shell.given, shell.received, shell.balance) == (5, 1, 2, 1, 4)
    assert shell.verdict == ledger.totals.verdict


def test_snooze_is_one_undoable_change_named_after_the_person(journal: Journal) -> None:
    ana = journal.find_contacts("Ana")[0].id
    saved = snooze_for(journal, ana, TODAY)
    assert saved.snoozed_until == "2026-11-15"
    assert journal.undo() == "snooze of Ana Silva"
    assert journal.contact(ana).snoozed_until == ""
    snooze(journal, ana, date(2026, 12, 1))
    assert snooze(journal, ana, None).snoozed_until == ""
    assert journal.undo() == "end of the snooze of Ana Silva"


def test_people_come_with_their_last_dates_and_a_plan_is_not_one(journal: Journal) -> None:
    ana, bruno = (journal.find_contacts(name)[0].id for name in ("Ana", "Bruno"))
    journal.add_interaction(Interaction(date="2026-10-20", contact_ids=[ana], kind="call"))
    journal.add_interaction(Interaction(date="2026-11-20", contact_ids=[bruno], kind="meal"))  # a plan
    people = read_people(journal, TODAY)
    assert people.last_seen == {ana: "2026-10-20", bruno: ""}
    assert [c.name for c in people.contacts] == ["Ana Silva", "Bruno Costa"]
    assert last_dates(journal, journal.contacts(), TODAY) == people.last_seen
