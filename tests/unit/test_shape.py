"""The stored-record check (netjournal.domain.shape): what it refuses and what it lets through."""

from __future__ import annotations

from typing import Any

import pytest

from netjournal.domain import shape
from netjournal.domain.model import Contact, Favour, Interaction


def _docs() -> dict[str, dict[str, Any]]:
    return {
        "contacts": Contact(id="c-1", name="Ana", tags=["x"]).stamped().to_dict(),
        "interactions": Interaction(id="i-1", date="2024-01-02", contact_ids=["c-1"]).stamped().to_dict(),
        "favours": Favour(id="f-1", date="2024-01-02", contact_id="c-1").stamped().to_dict(),
    }


BAD = [
    ("contacts", "tags", "x", "must be a list of strings, not a string"),
    ("contacts", "tags", ["x", 3], "must be a list of strings"),
    ("contacts", "name", None, "must be text, not null"),
    ("contacts", "name", "  ", "a name is required"),
    ("contacts", "archived", 0, "must be true or false"),
    ("contacts", "circle", "enemies", "must be one of"),
    ("contacts", "cadence_days", True, "must be a whole number"),
    ("contacts", "birthday", "--02-30", "no such day"),
    ("interactions", "date", 20240102, "must be text, not a number"),
    ("interactions", "date", "2024-02-30", "no such date"),
    ("interactions", "contact_ids", [], "a person is required"),
    ("interactions", "minutes", -5, "must be from 0 to 1440"),
    ("interactions", "id", "i-2", "is not the record's key"),
    ("favours", "weight", "heavy", "must be a whole number, not 'heavy'"),
    ("favours", "weight", 9, "must be from 1 to 5"),
    ("favours", "direction", "sideways", "must be one of given, received"),
]


@pytest.mark.parametrize("older", [False, True], ids=["whole", "older-record"])
@pytest.mark.parametrize(("table", "field", "value", "words"), BAD, ids=[f"{b[0]}-{b[1]}-{b[2]!r}" for b in BAD])
def test_a_wrong_field_is_named(table: str, field: str, value: Any, words: str, older: bool) -> None:
    good = _docs()[table]
    bad = {**good, field: value}
    if older:  # a record from before some field existed: the other (slower) pass
        bad.pop("asks", None) if "asks" in bad else bad.pop("interaction_id", None)
    docs = {"a-good": {**good, "id": "a-good"}, bad["id"] if field != "id" else "i-1": bad}
    found = shape.table_problem(table, docs)
    assert found is not None and found[1] == field and words in found[2], found


@pytest.mark.parametrize("table", ["contacts", "interactions", "favours"])
def test_records_netjournal_writes_pass_and_missing_fields_take_their_defaults(table: str) -> None:
    doc = _docs()[table]
    assert shape.table_problem(table, {doc["id"]: doc}) is None
    sparse = {k: v for k, v in doc.items() if k in ("id", "name", "date", "contact_ids", "contact_id")}
    assert shape.table_problem(table, {doc["id"]: sparse}) is None


def test_a_missing_required_field_is_named() -> None:
    doc = _docs()["favours"]
    del doc["date"]
    assert shape.table_problem("favours", {"f-1": doc}) == ("f-1", "date", "is missing")


def test_strangers_are_named() -> None:
    docs = _docs()
    tables = {"contacts": {"c-1": docs["contacts"]}, "interactions": {"i-1": {**docs["interactions"], "contact_ids": ["c-1", "c-9"]}}}
    assert shape.strangers(tables, tables["contacts"]) == ("interactions", ("i-1", "contact_ids", "no person with id 'c-9'"))
