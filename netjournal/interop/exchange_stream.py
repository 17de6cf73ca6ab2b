"""Reading a JSON export record by record (a restore of a million records never holds the file,
its parsed tree, nor a list of its records).

ijson (its C parser) reads one table at a time: a pass over the file for the header, then one
per table (contacts first, so the others' references to people can be checked as they come).
Each record is checked as :func:`netjournal.interop.exchange.load` checks it, with the same
messages; a problem met half way raises then, so the caller writes inside a transaction.
"""

from __future__ import annotations

from collections.abc import Generator, Iterator
from typing import Any, BinaryIO

import ijson

from netjournal.domain.model import RECORD_TYPES, Favour, Interaction, Record, utc_now
from netjournal.errors import ValidationError
from netjournal.interop.exchange import check_header, read_record

_NOTHING = object()


class ExportReader:
    """An open export file; the header is checked when it is made (ValidationError)."""

    def __init__(self, f: BinaryIO, source: str) -> None:
        self.f = f
        self.source = source
        fmt = self._first("format")
        if fmt is _NOTHING:
            raise ValidationError(f"{source} is not a netjournal export (no \"format\": \"netjournal\")", field="file")
        check_header(fmt, self._first("version"), source)

    def _items(self, prefix: str) -> Generator[Any, None, None]:
        self.f.seek(0)
        try:
            yield from ijson.items(self.f, prefix, use_float=True)
        except ijson.JSONError as exc:
            reason = str(exc).split(":")[0].split("\n")[0] or "cut short"
            raise ValidationError(f"{self.source} is not valid JSON ({reason})", field="file") from None

    def _first(self, prefix: str) -> Any:
        items = self._items(prefix)
        try:
            return next(items, _NOTHING)
        finally:
            items.close()

    def records(self, known_contacts: set[str]) -> Iterator[tuple[str, Record]]:
        """(table, record) for every record, contacts first. ``known_contacts`` (the journal's
        people) grows with the file's; an interaction or favour naming someone in neither is
        an error, as are a duplicate id and an invalid record (each named by its position)."""
        seen: set[str] = set()
        now = utc_now()
        for table in RECORD_TYPES:
            n = 0
            for n, row in enumerate(self._items(f"{table}.item"), 1):
                record = read_record(table, n, row, source=self.source, seen=seen, now=now)
                if table == "contacts":
                    known_contacts.add(record.id)
                else:
                    self._check_people(table, n, record, known_contacts)
                yield table, record
            if n == 0:
                whole = self._first(table)  # absent, or an empty list, unless it is not a list
                if whole is not _NOTHING and not isinstance(whole, list):
                    raise ValidationError(f"{self.source}: \"{table}\" must be a list", field="file")

    def _check_people(self, table: str, n: int, record: Record, known: set[str]) -> None:
        ids = (
            record.contact_ids if isinstance(record, Interaction)
            else [record.contact_id] if isinstance(record, Favour)
            else []
        )
        for cid in ids:
            if cid not in known:
                problem = f"{self.source}: {table} #{n} ({record.id}): unknown contact id {cid!r}"
                raise ValidationError(problem, field="file")
