"""The snapshot's format: how ``journal.json`` is laid out, written and read back in parts.

One JSON object of tables (TinyDB's layout, records keyed by their ids): the people and the
other small tables first, ``_meta.snapshot`` at the very front (lengths, checksums, the
generation, each person's latest date), then the favours and the interactions one record per
line by date (``history``), and last a ``_check`` table with the length and adler32 of every
byte before it. Pure: bytes in, values out (the files are written by ``files``, the state is
kept by ``storage.JournalStorage``).
"""

from __future__ import annotations

import gc
import itertools
import zlib
from collections.abc import Iterable, Iterator
from datetime import date
from typing import Any, NamedTuple

import orjson

from netjournal.domain.model import utc_now
from netjournal.sealing import Codec
from netjournal.store import dated_lines, summaries
from netjournal.store.errors import JournalDamaged

Data = dict[str, dict[str, Any]]
__all__ = ["Codec"]  # (the sealing interface: every byte of the journal goes through one; netjournal.sealing)


LAZY_TABLE = "interactions"
_LAZY_KEY = b',"interactions":'
FAVOURS = "favours"
_FAV_KEY = b',"favours":'


def snapshot_day() -> str:
    """The day a snapshot is written ("YYYY-MM-DD"): entries after it are plans (history)."""
    return date.today().isoformat()


CHECK_TABLE = "_check"
_CHECK_KEY = b',"_check":'


def serialise(data: Data, generation: int = 0, *, head_check: bool = False) -> bytes:
    """The snapshot's bytes (see :func:`serialise_parts`)."""
    return b"".join(serialise_parts(data, generation, head_check=head_check))


TABLE_CHUNK = 10_000  # records of a head table (the people) serialised at a time


def _table_parts(table: Any) -> Iterator[bytes]:
    """A table's JSON in pieces of TABLE_CHUNK records, made as they are asked for: 600,000
    people are never one string."""
    if type(table) is not dict or len(table) <= TABLE_CHUNK:
        yield orjson.dumps(table)
        return
    items = iter(table.items())
    yield b"{"
    first = True
    while chunk := dict(itertools.islice(items, TABLE_CHUNK)):
        if not first:
            yield b","
        first = False
        yield orjson.dumps(chunk)[1:-1]
    yield b"}"


class Tail(NamedTuple):
    """A lazily read table's bytes in the snapshot's layout (see ``history``), ready to write:
    made from the table in memory, or streamed from elsewhere (a big import's spool files)."""

    size: int
    adler32: int
    pieces: Iterable[bytes]  # read once, as the snapshot is written
    last: dict[str, str]  # each person's latest date (see dated_lines.TableFacts)
    plans: dict[str, Any]


def memory_tail(table: dict[str, Any], today: str = "9999-12-31") -> Tail:
    blob, last, plans = dated_lines.table_bytes(table, today)
    return Tail(len(blob), zlib.adler32(blob), (blob,), last, plans)


def serialise_parts(
    data: Data, generation: int = 0, tails: dict[str, Tail] | None = None, *, head_check: bool = False
) -> Iterator[bytes]:
    """The snapshot's bytes in pieces, the head tables' made as they are written (a big import's
    fold never holds its people's JSON twice): the interactions table last and the favours before it (each one
    record per line, by date: see ``history``), their lengths, checksums, the snapshot's
    generation (see changelog) and each person's latest date recorded in ``_meta.snapshot``
    at the front, so an open can parse the people first and the (large) interactions and
    favours only when something needs them (see :meth:`JournalStorage.load_lazy`). Last, a
    ``_check`` table holds the length and checksum of every byte before it: a file changed
    by anything but netjournal is told apart (see :func:`integrity`). ``tails``: those two
    tables made already (then ``data``'s own are not written). ``head_check``: record in
    ``_meta.snapshot.head`` the length and checksum of the head's other tables, so that the
    head can be trusted read alone (an encrypted journal opens its head first: see
    :func:`split_head`); their JSON is then made before it is written (sealed, the snapshot
    is held whole anyway)."""
    tails = dict(tails or {})
    summary = None  # (none for a table streamed from elsewhere: summaries.py)
    if LAZY_TABLE not in tails:
        tails[LAZY_TABLE] = memory_tail(table := data.get(LAZY_TABLE) or {}, snapshot_day())
        summary = summaries.record(table, next(iter(tails[LAZY_TABLE].pieces)))  # (one piece: the bytes)
    if FAVOURS not in tails and type(data.get(FAVOURS)) is dict:
        tails[FAVOURS] = memory_tail(data[FAVOURS])
    inter, fav = tails[LAZY_TABLE], tails.get(FAVOURS)
    head_tables: dict[str, Any] = {
        k: v for k, v in data.items() if k not in (LAZY_TABLE, CHECK_TABLE) and (k != FAVOURS or fav is None)
    }
    meta = dict(head_tables.get("_meta", {}))
    meta["snapshot"] = {
        "table": LAZY_TABLE,
        "bytes": inter.size,
        "adler32": inter.adler32,
        "layout": dated_lines.LAYOUT,
        "generation": generation,
        "last": inter.last,
        "plans": inter.plans,
        "written": utc_now(),
        "summary": summary,  # (last: see HEAD_PROBE)
    }
    if fav is not None:
        meta["snapshot"][FAVOURS] = {"bytes": fav.size, "adler32": fav.adler32}
    # _meta first: an open reads it from the file's first bytes (see HEAD_PROBE).
    others: Iterable[bytes] = _head_parts({k: v for k, v in head_tables.items() if k != "_meta"})
    if head_check:
        others = list(others)
        meta["snapshot"]["head"] = {"bytes": sum(map(len, others)), "adler32": _adler(others)}
    size, adler = 0, zlib.adler32(b"")
    for piece in itertools.chain([b'{"_meta":', orjson.dumps(meta)], others):
        size, adler = size + len(piece), zlib.adler32(piece, adler)
        yield piece
    lazy = [(_FAV_KEY, fav), (_LAZY_KEY, inter)] if fav is not None else [(_LAZY_KEY, inter)]
    for key, tail in lazy:
        for piece in itertools.chain((key,), tail.pieces):
            size, adler = size + len(piece), zlib.adler32(piece, adler)
            yield piece
    yield _CHECK_KEY + orjson.dumps({"file": {"bytes": size, "adler32": adler}}) + b"}"


def _head_parts(tables: Data) -> Iterator[bytes]:
    """The head's tables after ``_meta``, each ``,"name":{...}``, made as they are asked for."""
    for name, table in tables.items():
        yield b"," + orjson.dumps(name) + b":"
        yield from _table_parts(table)


def _adler(pieces: Iterable[bytes]) -> int:
    adler = zlib.adler32(b"")
    for piece in pieces:
        adler = zlib.adler32(piece, adler)
    return adler


class Split(NamedTuple):
    """A snapshot written by :func:`serialise`, its big tables still bytes (views, no copy)."""

    head: Data  # every other table, parsed
    tail: memoryview  # the interactions' JSON
    info: dict[str, Any]  # what _meta.snapshot said of them
    favours: memoryview | None  # the favours' JSON (None: they are in ``head``, an older layout)
    favours_at: int  # where ``favours`` starts in the bytes
    tail_at: int  # where ``tail`` starts in the bytes


def _head(view: memoryview) -> tuple[Data, dict[str, Any]] | None:
    """The JSON object that ``view`` opens (its closing brace added) and its _meta.snapshot."""
    try:
        head = deserialise(bytes(view) + b"}")
    except orjson.JSONDecodeError:
        return None
    meta = head.get("_meta") if type(head) is dict else None
    info = meta.get("snapshot") if type(meta) is dict else None
    if type(info) is not dict:
        return None
    return head, info


def checksum_matches(view: memoryview, info: Any) -> bool:
    return type(info) is dict and info.get("bytes") == len(view) and info.get("adler32") == zlib.adler32(view)


def split_snapshot(raw: bytes, end: int = -1) -> Split | None:
    """The snapshot in parts, if ``raw`` was written by :func:`serialise` and its
    interactions (and favours) match the recorded lengths and checksums; else None (the
    caller parses the whole file). ``end``: where the ``_check`` table starts, when
    :func:`integrity` has already checked every byte before it (the tables' own checksums
    are then not computed again). A snapshot from before the favours had lines of their
    own keeps them in the head; one from before the ``_check`` table ends with ``}``."""
    verified = end >= 0
    if not verified:
        at_check = raw.rfind(_CHECK_KEY)
        end = at_check if at_check >= 0 else len(raw) - 1
        if not raw.endswith(b"}"):
            return None
    at = raw.rfind(_LAZY_KEY, 0, end)
    if at < 0:
        return None
    view = memoryview(raw)
    fav_at = raw.rfind(_FAV_KEY, 0, at)
    parts = _head(view[:fav_at]) if fav_at >= 0 else None
    if parts is None or FAVOURS not in parts[1]:
        fav_at = -1  # an older layout, or a hand-edited one: the favours are in the head
        parts = _head(view[:at])
        if parts is None:
            return None
    head, info = parts
    tail = view[at + len(_LAZY_KEY) : end]
    if info.get("table") != LAZY_TABLE or not (verified or checksum_matches(tail, info)):
        return None
    favours = None
    if fav_at >= 0:
        fav_at += len(_FAV_KEY)
        favours = view[fav_at:at]
        if not (verified or checksum_matches(favours, info[FAVOURS])):
            return None
    del head["_meta"]["snapshot"]
    return Split(head, tail, info, favours, fav_at, at + len(_LAZY_KEY))


class Head(NamedTuple):
    """A snapshot's head read alone (see :func:`split_head`), and where its big tables lie."""

    head: Data  # every table but the big ones, parsed
    info: dict[str, Any]  # what _meta.snapshot said
    favours_at: int  # where the favours' JSON starts in the bytes (-1: they are in ``head``)
    tail_at: int  # where the interactions' JSON starts
    favours_size: int  # (bytes)
    tail_size: int


def split_head(prefix: bytes) -> Head | None:
    """The head of a snapshot from its first bytes, up to its first newline at least (the
    head's JSON holds none: the first big table's opens a line), when the head carries its own
    check (see ``head_check``) and it holds; else None (then the file is read whole)."""
    nl = prefix.find(b"\n")
    if nl < 1 or prefix[nl - 1 : nl] != b"{":
        return None
    opens = nl - 1  # the first big table's "{": favours', or the interactions' (no favours, or none yet)
    if prefix.endswith(_FAV_KEY, 0, opens):
        end = opens - len(_FAV_KEY)
    elif prefix.endswith(_FAV_KEY + b"{}" + _LAZY_KEY, 0, opens):
        end = opens - len(_LAZY_KEY) - 2 - len(_FAV_KEY)
    elif prefix.endswith(_LAZY_KEY, 0, opens):
        end = opens - len(_LAZY_KEY)  # (an older layout: the favours are in the head)
    else:
        return None
    view = memoryview(prefix)
    parts = _head(view[:end])
    if parts is None:
        return None
    head, info = parts
    check = info.get("head")
    if type(check) is not dict or type(check.get("bytes")) is not int or not 0 <= check["bytes"] <= end:
        return None
    if info.get("table") != LAZY_TABLE or not checksum_matches(view[end - check["bytes"] : end], check):
        return None
    if prefix.startswith(_FAV_KEY, end):
        favours = info.get(FAVOURS)
        if type(favours) is not dict or type(favours.get("bytes")) is not int:
            return None
        fav_at, fav_size = end + len(_FAV_KEY), favours["bytes"]
        tail_at = fav_at + fav_size + len(_LAZY_KEY)
    else:
        fav_at, fav_size, tail_at = -1, 0, end + len(_LAZY_KEY)
    if type(info.get("bytes")) is not int:
        return None
    del head["_meta"]["snapshot"]
    return Head(head, info, fav_at, tail_at, fav_size, info["bytes"])


def rest_matches(plain: bytes, first: Head) -> bool:
    """Whether the whole snapshot ``plain`` holds its big tables where the head read alone
    (:func:`split_head`) says, each under its key, and its ``_check`` table matches every byte
    before it (``_meta`` included, which the head's own checksum leaves out)."""
    tail_end = first.tail_at + first.tail_size
    if first.favours_at >= 0 and not plain.endswith(_FAV_KEY, 0, first.favours_at):
        return False
    if not (plain.endswith(_LAZY_KEY, 0, first.tail_at) and plain.startswith(_CHECK_KEY, tail_end)):
        return False
    if not plain.endswith(b"}}}"):
        return False
    try:
        check = orjson.loads(plain[tail_end + len(_CHECK_KEY) : -1])
    except orjson.JSONDecodeError:
        return False
    return type(check) is dict and checksum_matches(memoryview(plain)[:tail_end], check.get("file"))


def generation_of(info: Any) -> int:
    """The generation a snapshot's ``_meta.snapshot`` records (0 before there were any)."""
    gen = info.get("generation") if type(info) is dict else None
    return gen if type(gen) is int and gen >= 0 else 0


def integrity(raw: bytes) -> tuple[str, Split | None]:
    """Whether ``raw`` is as netjournal wrote it, and its parts if they can be read lazily.

    "ok": it ends with a ``_check`` table that matches every byte before it, or (written by
    an older netjournal, without one) its tables' checksums match; "changed": it has a
    ``_check`` table that does not match, or is in netjournal's layout and its checksums do
    not match (something other than netjournal changed it); "unmarked": it has none of
    netjournal's marks (a plain TinyDB file, or one written by hand)."""
    at = raw.rfind(_CHECK_KEY)
    if at >= 0 and raw.endswith(b"}}}"):
        try:
            check = orjson.loads(raw[at + len(_CHECK_KEY) : -1])
        except orjson.JSONDecodeError:
            return "changed", None
        info = check.get("file") if type(check) is dict else None
        if checksum_matches(memoryview(raw)[:at], info):
            return "ok", split_snapshot(raw, at)
        return "changed", None
    split = split_snapshot(raw)
    if split is not None:
        return "ok", split
    return ("changed" if raw.find(SNAPSHOT_MARK) >= 0 else "unmarked"), None


SNAPSHOT_MARK = b'"snapshot":{"table":"' + LAZY_TABLE.encode() + b'"'


def wholly_checked(raw: bytes) -> bool:
    """Whether ``raw`` (found "ok" by :func:`integrity`) carries a ``_check`` of every byte:
    then every record in it was written, and checked, by netjournal."""
    return raw.endswith(b"}}}") and raw.rfind(_CHECK_KEY) >= 0


HEAD_PROBE = 1 << 16  # bytes read to find a snapshot's generation (it is near the front)
FREEZE_ABOVE = 1 << 20  # bytes of JSON above which the loaded tree is frozen (see below)


def deserialise(raw: bytes | memoryview) -> Any:
    """Parse a snapshot. The collector is paused while the document tree is built (measured:
    ~2x faster); a big tree is then moved out of the collector's sight (``gc.freeze``): it
    holds no reference cycles (plain JSON) and is freed by reference counting as usual, but
    full collections no longer walk its million objects (~70 ms pauses otherwise)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        data = orjson.loads(raw)
        if len(raw) > FREEZE_ABOVE:
            gc.freeze()
        return data
    finally:
        if enabled:
            gc.enable()


def _bad_record(data: dict[str, Any], where: str) -> JournalDamaged:
    for name, table in data.items():
        if not isinstance(table, dict):
            return JournalDamaged(f"{where} is damaged: table {name!r} is not an object")
        for key, doc in table.items():
            if not isinstance(doc, dict):
                return JournalDamaged(f"{where} is damaged: record {key!r} of {name!r} is not an object")
    return JournalDamaged(f"{where} is damaged")  # pragma: no cover (only called after a failed check)


KNOWN_TABLES = frozenset({"_meta", "_default", "contacts", "interactions", "favours", CHECK_TABLE})


def check_shape(data: Any, where: str) -> Data:
    """A journal is a JSON object of tables, each an object of records, each an object."""
    if not isinstance(data, dict):
        raise JournalDamaged(f"{where} is not a netjournal journal (not a JSON object of tables)")
    tables = data.values()
    if not all(type(t) is dict for t in tables):
        raise _bad_record(data, where)
    # One C-speed pass over every record's type (~7 ms at 120k records).
    if not {type(doc) for t in tables for doc in t.values()} <= {dict}:
        raise _bad_record(data, where)
    if data and not KNOWN_TABLES.intersection(data):
        raise JournalDamaged(f"{where} is not a netjournal journal (none of its tables is one of ours)")
    return data
