"""At open: refuse records netjournal could not have written (netjournal.domain.shape).

What is checked where (the rest came through netjournal's write path, where every record
is validated before it is saved):

* a snapshot whose whole-file checksum (its ``_check`` table) matches: nothing, netjournal
  wrote every byte of it;
* a snapshot parsed whole (it was changed outside netjournal, or has none of its marks):
  every record, and every person its favours and interactions name;
* a snapshot read lazily that has no whole-file checksum (written by a netjournal before
  it kept one; its big tables' own checksums match): the head tables, which had none (the
  people, and the favours in an older layout); that every person the unparsed interactions
  name is still among the people (from ``_meta.snapshot.last``, which lists them), and the
  same for the unparsed favours (their ``"contact_id"`` values, found in their bytes);
* each change-log line's documents as it is replayed, and at the end the people named by
  the records it leaves.

Not checked: a change-log line that deletes a person whose records stay in the snapshot
(netjournal deletes them in the same line; only a hand-edited log does otherwise).
"""

from __future__ import annotations

import gc
import re
from collections.abc import Iterable
from typing import Any

import orjson

from netjournal.domain import shape
from netjournal.store.errors import JournalDamaged

_CONTACT_ID = re.compile(rb'"contact_id":("[^"\\]*")')  # (ids netjournal makes have no escapes)


def _damaged(where: str, table: str, found: shape.Found, at: str = "") -> JournalDamaged:
    key, field, problem = found
    return JournalDamaged(f"{where} is damaged{at}: {table} {key} field {field}: {problem}")


def _keyed(data: dict[str, Any]) -> bool:
    """Records keyed by their own ids (schema 2 on): a v1 file's ids are made at its upgrade."""
    meta = data.get("_meta")
    return type(meta) is dict and "schema" in meta


def check_tables(data: dict[str, dict[str, Any]], where: str) -> None:
    """Every record of a snapshot parsed whole, and the people they name."""
    keyed = _keyed(data)
    for table, docs in data.items():
        found = shape.table_problem(table, docs, keyed=keyed)
        if found is not None:
            raise _damaged(where, table, found)
    if keyed:
        bad = shape.strangers(data, data.get("contacts") or {})
        if bad is not None:
            raise _damaged(where, *bad)


def check_head(
    head: dict[str, dict[str, Any]], where: str, last: dict[str, Any] | None, favours: memoryview | None
) -> None:
    """A lazily read snapshot without a whole-file checksum (written before netjournal kept
    one): its head tables, and the people its unparsed tables name (``last``: each person's
    latest interaction; the favours' ``"contact_id"`` values, found in their bytes)."""
    enabled = gc.isenabled()
    gc.disable()  # (a few thousand small sets and tuples: no cycles; ~3x faster without collections)
    try:
        check_tables(head, where)
    finally:
        if enabled:
            gc.enable()
    if not _keyed(head):
        return
    people = head.get("contacts") or {}
    _all_there(where, "interactions", last or (), people)
    if favours is not None:  # (~6 ms for 20,000 favours)
        _all_there(where, "favours", [orjson.loads(raw) for raw in set(_CONTACT_ID.findall(favours))], people)


def _all_there(where: str, table: str, named: Iterable[Any], people: dict[str, Any]) -> None:
    for cid in named:
        if cid not in people:
            raise JournalDamaged(f"{where} is damaged: {table} name a person who is not in contacts: {cid!r}")


def check_op(where: str, n: int, table: str, key: str, doc: dict[str, Any]) -> None:
    """One document of change-log line ``n``."""
    wrong = shape.record_problem(table, key, doc)
    if wrong is not None:
        raise _damaged(where, table, (key, *wrong), f" at line {n}")


def check_log_people(where: str, touched: dict[tuple[str, str], tuple[int, Any]], people: dict[str, Any]) -> None:
    """The records the change log leaves name only people who are there when it is replayed."""
    for (table, key), (n, doc) in touched.items():
        if doc is None:
            continue
        found = shape.stranger(table, key, doc, people)
        if found is not None:
            raise _damaged(where, table, found, f" at line {n}")
