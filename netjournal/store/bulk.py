"""A big restore written straight into the next snapshot, never held in memory.

Through the tables in memory, `netjournal import` of a backup of a million records would keep
every record as a dict (about 2 KB each: gigabytes). Here the people go into their table in
memory (the head of the snapshot, read at every open anyway), and the interactions and
favours are written as they come, one line each, to private spool files beside the journal,
with only each line's day, place and length kept. Then each of those tables is written in
the snapshot's layout (``history``: by date, then id), the journal's own records merged in,
to one more spool file; and the snapshot is replaced from those files as a fold replaces it
(the next generation, a new change log: see ``storage.fold_streamed``).

All or nothing: until that last rename the journal's files are untouched, and nothing in
memory is changed. The spool files are temp files of the journal (swept at the next open if
the process is killed).
"""

from __future__ import annotations

import contextlib
import heapq
import os
import zlib
from array import array
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import orjson

from netjournal.domain.model import RECORD_TYPES, Record
from netjournal.store import dated_lines, files, snapshot
from netjournal.store.errors import StoreError
from netjournal.store.snapshot import FAVOURS, LAZY_TABLE, Codec, Tail
from netjournal.store.storage import JournalStorage

TABLE_OF: dict[type[Record], str] = {v: k for k, v in RECORD_TYPES.items()}
READ_CHUNK = 1 << 20
Line = tuple[tuple[str, str], bytes, dict[str, Any]]  # ((day, id), the record's line, its document)


class Spool:
    """A private temp file beside the journal, written and read back by this process only."""

    def __init__(self, journal: Path, label: str, codec: Codec) -> None:
        self.codec = codec  # (each piece is sealed: an encrypted journal's spool holds no plaintext)
        self.path = journal.with_name(f".{journal.name}.{os.getpid()}-{label}{files.TMP_SUFFIX}")
        self.fd, self.size = -1, 0
        try:
            with self._said():
                self.fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_TRUNC, files.FILE_MODE)
                os.fchmod(self.fd, files.FILE_MODE)
        except BaseException:
            self.close()
            raise

    @contextlib.contextmanager
    def _said(self) -> Iterator[None]:
        """An OSError as one line naming the file (nothing is written to the journal then)."""
        try:
            yield
        except OSError as exc:
            raise StoreError(f"could not write {self.path} (nothing was imported): {exc.strerror or exc}") from None

    def write(self, data: bytes) -> tuple[int, int]:
        """Append ``data`` (sealed); returns where it starts and its length on disk."""
        at, sealed = self.size, self.codec.seal_line(data)
        with self._said():
            files.write_all(self.fd, sealed)
        self.size += len(sealed)
        return at, len(sealed)

    def read(self, at: int, length: int) -> bytes:
        with self._said():
            piece = os.pread(self.fd, length, at)
        if len(piece) != length:
            raise StoreError(f"{self.path} was cut short while netjournal wrote it (nothing was imported)")
        return self.codec.unseal_line(piece)

    def pieces(self, places: list[tuple[int, int]]) -> Iterator[bytes]:
        """The pieces written at ``places`` (from :meth:`write`), read back in order."""
        for at, length in places:
            yield self.read(at, length)

    def close(self) -> None:
        if self.fd >= 0:
            with contextlib.suppress(OSError):
                os.close(self.fd)
        with contextlib.suppress(OSError):
            os.unlink(self.path)


class TableSpool(Spool):
    """The new records of one lazily read table, as record lines; by day, each line's place
    and length (16 bytes a record in memory)."""

    def __init__(self, journal: Path, table: str, codec: Codec) -> None:
        super().__init__(journal, f"{table}-in", codec)
        self.days: dict[str, array[int]] = {}

    def add(self, rid: str, doc: dict[str, Any]) -> None:
        line = orjson.dumps({rid: doc})[1:-1]
        places = self.days.get(day := dated_lines.day_of(doc))
        if places is None:
            places = self.days[day] = array("q")
        places.extend(self.write(line))

    def lines(self) -> Iterator[Line]:
        """Every record, in (day, id) order: a day's lines are read back and sorted by id."""
        for day in sorted(self.days):
            places = self.days[day]
            keyed = []
            for n in range(0, len(places), 2):
                parsed = dated_lines.parse_line(self.read(places[n], places[n + 1]))
                assert parsed is not None  # (written above by orjson)
                keyed.append((parsed[0], places[n], places[n + 1]))
            keyed.sort()
            for rid, at, length in keyed:
                line = self.read(at, length)
                parsed = dated_lines.parse_line(line)
                assert parsed is not None
                yield (day, rid), line, parsed[1]


def _existing_lines(table: dict[str, dict[str, Any]], replaced: set[str]) -> Iterator[Line]:
    ids = sorted(rid for rid in table if rid not in replaced)
    ids.sort(key=lambda rid: dated_lines.day_of(table[rid]))  # stable: (date, id), as the snapshot writes them
    for rid in ids:
        doc = table[rid]
        yield (dated_lines.day_of(doc), rid), orjson.dumps({rid: doc})[1:-1], doc


def write_tail(out: Spool, lines: Iterable[Line], today: str) -> Tail:
    """The table ``lines`` make, in the snapshot's layout, written to ``out``."""
    facts = dated_lines.TableFacts(today)
    adler, first = zlib.adler32(b""), True
    buffer: list[bytes] = []
    held = size = 0
    places: list[tuple[int, int]] = []
    for _key, line, doc in lines:
        facts.add(doc)
        piece = (b"{\n" if first else b",\n") + line
        first = False
        buffer.append(piece)
        held += len(piece)
        if held >= READ_CHUNK:
            chunk = b"".join(buffer)
            adler, size = zlib.adler32(chunk, adler), size + len(chunk)
            places.append(out.write(chunk))
            buffer, held = [], 0
    buffer.append(b"{}" if first else b"\n}")
    chunk = b"".join(buffer)
    adler, size = zlib.adler32(chunk, adler), size + len(chunk)
    places.append(out.write(chunk))
    return Tail(size, adler, out.pieces(places), facts.last, facts.plans())


def write_snapshot(storage: JournalStorage, records: Iterable[Record]) -> int:
    """Store ``records`` (each id at most once, as an export holds them) in the journal
    ``storage`` reads, replacing same-id records, by writing the next snapshot. Returns how
    many records were written. The journal's tables must be parsed (``storage.read()``)."""
    data = storage.read()
    assert data is not None
    contacts = dict(data.get("contacts", {}))
    spools: dict[str, TableSpool] = {}
    outs: list[Spool] = []
    replaced: dict[str, set[str]] = {LAZY_TABLE: set(), FAVOURS: set()}
    n = 0
    try:
        for table in (LAZY_TABLE, FAVOURS):
            spools[table] = TableSpool(storage.path, table, storage.codec)
        for record in records:
            record.validate()
            record = type(record).from_dict(record.to_dict())  # as Journal._put stores it
            table, doc = TABLE_OF[type(record)], record.to_stored()
            if table in spools:
                if record.id in data.get(table, {}):
                    replaced[table].add(record.id)
                spools[table].add(record.id, doc)
            else:
                contacts[record.id] = doc
            n += 1
        tails = {}
        for table, today in ((LAZY_TABLE, snapshot.snapshot_day()), (FAVOURS, "9999-12-31")):
            outs.append(out := Spool(storage.path, f"{table}-out", storage.codec))
            lines = heapq.merge(_existing_lines(data.get(table, {}), replaced[table]), spools[table].lines(), key=_key)
            tails[table] = write_tail(out, lines, today)
        head = {name: table for name, table in data.items() if name not in spools}
        storage.fold_streamed({**head, "contacts": contacts}, tails)
    finally:
        for spool in [*spools.values(), *outs]:
            spool.close()
    return n


def _key(line: Line) -> tuple[str, str]:
    return line[0]
