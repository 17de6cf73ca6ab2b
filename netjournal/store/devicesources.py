"""Reading the other devices' files of a journal shared between devices (devicemode.py).

Every file of ``journal.d/`` but this device's own journal is a source: another device's
journal (``<device>.json``) and its change log (``<device>.json.log``), and every copy a
sync engine made anyway under any name (Syncthing's ``x.sync-conflict-<date>-<time>-<id>.log``,
Dropbox's and Nextcloud's ``x (conflicted copy <date>).json``, iCloud's ``x 2.json``, git's
``x.orig``). A name that holds ``.log`` is read as a log, one that holds ``.json`` as a
snapshot; hidden files (temp files being written), lock files and key files are not read.
Nothing here ever writes or deletes one of them: reading a copy, or a stale file, twice
changes nothing (the merge is a join: domain/versions.py).

What was read is remembered per file (a :class:`Cursor`): a log that grew is read from where
it was left (its bytes before that point unchanged), a replaced one whole; a snapshot only
when its bytes changed. A bad line or a damaged snapshot of another device is told once
(``problems``) and skipped, never fatal: one broken file must not stop every device.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

import orjson

from netjournal.domain import shape
from netjournal.domain.model import RECORD_TYPES
from netjournal.sealing import SealingError
from netjournal.sealing.codec import FOREIGN, ForeignKey
from netjournal.store.loglines import committed, header_after, header_generation, without_sum
from netjournal.store.snapshot import generation_of

VERSIONS = "_versions"  # a record's version, keyed "table:id" (domain/versionpack.py)
EDGE = 64  # bytes remembered at the end of what was read: a grown file is told from a replaced one

Incoming = tuple[str, str, "dict[str, Any] | None", "dict[str, Any] | None"]  # table, id, document, packed version
Cursor = dict[str, Any]


def version_key(table: str, rid: str) -> str:
    return f"{table}:{rid}"


def split_key(key: str) -> tuple[str, str]:
    table, _, rid = key.partition(":")
    return table, rid


@dataclass(frozen=True)
class Source:
    path: Path
    kind: str  # "log" or "json"


def kind_of(name: str) -> str | None:
    if name.startswith(".") or name.endswith((".lock", ".key")) or ".tmp-" in name:
        return None
    if ".log" in name:
        return "log"
    if ".json" in name:
        return "json"
    return None


def listing(folder: Path, own: Path) -> list[Source]:
    """The files of the devices' folder read as sources, by name (``own``'s pair left out)."""
    try:
        names = sorted(os.listdir(folder))
    except OSError:
        return []
    mine = {own.name, own.name + ".log"}
    out = []
    for name in names:
        kind = kind_of(name)
        if kind is not None and name not in mine and (folder / name).is_file():
            out.append(Source(folder / name, kind))
    return out


def stat_key(path: Path) -> tuple[int, int] | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return st.st_size, st.st_mtime_ns


# Another device's file sealed with a key this device does not hold (the journal's key was
# changed there, and this process was opened with the old one: an age file's header, a line's
# key id say so): what is before it is read, it is not passed over (then nothing of it would
# ever be read again). A damaged one is told and passed over (its device's next fold has it all).
LOCKED = (
    "it is read once it opens (if the journal's key was changed on that device, open netjournal "
    "here with the new identity file or passphrase)"
)


@dataclass
class Reader:
    """Reads the sources; ``decode_line`` / ``unseal``: the journal's codec (every device of
    one journal shares its key)."""

    decode_line: Callable[[bytes], bytes]
    unseal: Callable[[bytes], bytes]
    problems: list[str] = field(default_factory=list)
    told: set[str] = field(default_factory=set)

    def tell(self, message: str) -> None:
        if message not in self.told:
            self.told.add(message)
            self.problems.append(message)

    def read(self, source: Source, cursor: Cursor | None) -> tuple[list[Incoming], Cursor | None]:
        """What ``source`` holds that ``cursor`` (what was read of it before) does not, and
        the cursor after it; (``[]``, ``cursor``) when nothing changed. Only what is new is
        read: a snapshot's first and last bytes tell whether it changed, a log is read from
        where it was left."""
        try:
            with open(source.path, "rb") as f:
                if source.kind == "json":
                    return self._snapshot(source, f, cursor)
                return self._log(source, f, cursor)
        except OSError as exc:
            self.tell(f"{source.path} cannot be read ({exc.strerror or exc}); it is read again later")
            return [], cursor

    def mark(self, source: Source) -> Cursor | None:
        """What tells a snapshot's bytes apart (without reading them all); None if unreadable."""
        try:
            with open(source.path, "rb") as f:
                return _mark(f)
        except OSError:
            return None

    def _snapshot(self, source: Source, f: BinaryIO, cursor: Cursor | None) -> tuple[list[Incoming], Cursor | None]:
        mark = _mark(f)
        if cursor is not None and all(cursor.get(k) == v for k, v in mark.items()):
            return [], cursor  # (the same bytes as read before: their generation kept)
        f.seek(0)
        blob = f.read()
        try:
            plain = self.unseal(blob)
        except ForeignKey as exc:  # (not read, so not marked read: read again once it opens)
            self.tell(f"{source.path} does not open here ({exc}); {LOCKED}")
            return [], cursor
        except SealingError as exc:  # (damaged: told, and passed over as any unreadable file)
            self.tell(f"{source.path} cannot be read as a journal ({exc}); it is left as it is")
            return [], mark
        try:
            data = orjson.loads(plain)
            if type(data) is not dict:
                raise ValueError("not a JSON object")
            meta = data.get("_meta")
            mark["gen"] = generation_of(meta.get("snapshot") if type(meta) is dict else None)
            return list(records_of(data, self.tell)), mark
        except Exception as exc:  # (another device's file: told and skipped, never fatal)
            self.tell(f"{source.path} cannot be read as a journal ({exc}); it is left as it is")
            return [], mark

    def _log(self, source: Source, f: BinaryIO, cursor: Cursor | None) -> tuple[list[Incoming], Cursor | None]:
        size = os.fstat(f.fileno()).st_size
        start = 0
        at = cursor.get("at", 0) if cursor is not None else 0
        if isinstance(at, int) and 0 < at <= size:
            f.seek(max(0, at - EDGE))
            if f.read(at - max(0, at - EDGE)).hex() == cursor.get("tail"):  # type: ignore[union-attr]
                start = at
        f.seek(start)
        blob = f.read(size - start)
        end = blob.rfind(b"\n") + 1
        if end == 0:
            return [], cursor if start else {"at": 0, "tail": ""}
        lines = blob[:end].split(b"\n")[:-1]
        lines = lines[: committed(lines, self.decode_line)]
        used = sum(len(line) + 1 for line in lines)
        out: list[Incoming] = []
        for n, line in enumerate(lines):
            text = self._decoded(line)
            if text == FOREIGN:  # (read up to it, not past: see LOCKED)
                self.tell(f"{source.path} holds a line sealed with a key this device was not given; {LOCKED}")
                lines = lines[:n]
                used = sum(len(x) + 1 for x in lines)
                break
            out.extend(self._line(source, text, first=start == 0 and n == 0))
        if not used:  # (nothing read: the cursor stays where it was)
            return out, cursor
        f.seek(max(0, start + used - EDGE))
        after = {"at": start + used, "tail": f.read(min(EDGE, start + used)).hex()}
        if start:
            return out, {**(cursor or {}), **after}
        return out, {**after, **self._generation(lines[0] if lines else b"", cursor)}

    def _generation(self, first: bytes, cursor: Cursor | None) -> Cursor:
        """A log read from its start: its generation, and whether there is a gap between what
        was read of the device's logs and this one ("gap": its header does not name the log
        read before as read to its end); a gap is closed by reading a snapshot of this
        generation or later (store/devices.py)."""
        try:
            text = self.decode_line(first)
        except Exception:  # (another device's file: a bad header is a gap, never fatal)
            return {"gen": None, "gap": True}
        gen, after = header_generation(text), header_after(text)
        cont = (
            cursor is not None
            and not cursor.get("gap")
            and after is not None
            and [cursor.get("gen"), cursor.get("at")] == list(after)
        )
        return {"gen": gen, "gap": not cont}

    def _decoded(self, line: bytes) -> bytes | None:
        try:
            return self.decode_line(line)
        except Exception:  # (another device's file: never fatal; _line tells it)
            return None

    def _line(self, source: Source, text: bytes | None, *, first: bool) -> list[Incoming]:
        try:
            if text is None:
                raise ValueError("it does not decode")
            if first and header_generation(text) is not None:
                return []
            original, holds = without_sum(text)
            if not holds:
                raise ValueError("its checksum does not hold")
            ops = orjson.loads(original)["ops"]
            return list(incoming(ops))
        except Exception as exc:  # (another device's file: told and skipped, never fatal)
            self.tell(f"{source.path} holds a line that cannot be read ({exc}); it is skipped")
            return []


def _mark(f: BinaryIO) -> Cursor:
    size = os.fstat(f.fileno()).st_size
    head = f.read(EDGE)
    f.seek(max(0, size - EDGE))
    return {"size": size, "head": head.hex(), "tail": f.read(EDGE).hex()}


PACKED_KEYS = frozenset("sfcduv")


def checked(table: str, rid: Any, doc: Any, packed: Any) -> Incoming:
    """One record of another device as netjournal could have written it (its fields, its
    version's shape); ValueError naming what is wrong otherwise."""
    if type(rid) is not str:
        raise ValueError(f"{table}: a record's id is text, not {rid!r}")
    if doc is not None:
        if type(doc) is not dict:
            raise ValueError(f"{table} {rid}: a record is a JSON object")
        wrong = shape.record_problem(table, rid, doc)
        if wrong is not None:
            raise ValueError(f"{table} {rid} field {wrong[0]}: {wrong[1]}")
    _check_packed(table, rid, packed)
    return table, rid, doc, packed


def _check_packed(table: str, rid: str, packed: Any) -> None:
    if packed is not None and (type(packed) is not dict or not PACKED_KEYS.issuperset(packed)):
        raise ValueError(f"{table} {rid}: not a version netjournal writes")


def incoming(ops: list[Any]) -> Iterator[Incoming]:
    """One log line's operations as records with their versions (a version written alone,
    with no record beside it in the line, is a deletion's tombstone or its undo)."""
    versions: dict[str, Any] = {}
    records: list[tuple[str, str, Any]] = []
    for table, rid, doc in ops:
        if table == VERSIONS:
            versions[rid] = doc
        elif table in RECORD_TYPES:
            records.append((table, rid, doc))
    done = set()
    for table, rid, doc in records:
        key = version_key(table, rid)
        done.add(key)
        yield checked(table, rid, doc, versions.get(key))
    for key, packed in versions.items():
        if key not in done and type(packed) is dict:
            table, rid = split_key(key)
            if table in RECORD_TYPES and "d" in packed:
                yield checked(table, rid, None, packed)


def records_of(data: dict[str, Any], tell: Callable[[str], None]) -> Iterator[Incoming]:
    """Every record of a device's journal with its version, and every tombstone; a record
    netjournal could not have written is told and left out."""
    versions = data.get(VERSIONS)
    versions = versions if type(versions) is dict else {}
    for table in RECORD_TYPES:
        docs = data.get(table)
        if type(docs) is not dict:
            continue
        clean = shape.table_problem(table, docs) is None  # (one fast pass; a record at a time only if not)
        for rid, doc in docs.items():
            packed = versions.get(version_key(table, rid))
            try:
                yield (
                    (table, rid, doc, packed)
                    if clean and (packed is None or type(packed) is dict)
                    else checked(table, rid, doc, packed)
                )
            except ValueError as exc:
                tell(f"a record of another device cannot be read ({exc}); it is skipped")
    for key, packed in versions.items():
        table, rid = split_key(key)
        if table in RECORD_TYPES and type(packed) is dict and "d" in packed and rid not in (data.get(table) or {}):
            yield table, rid, None, packed

