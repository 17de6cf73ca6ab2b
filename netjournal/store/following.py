"""Following the change log that other processes append to.

Many netjournal processes write one journal (app windows, shell commands, scheduled jobs):
each appends its changes to the log under a short write lock (``sharing``). Before each of
its writes, and when the app polls, a process reads the lines appended since it last knew
the log and applies them (the log is the source of truth). Its own lines it never reads
back: it knows the log up to the end of its last append.

:func:`new_lines` reads those lines without any lock: only whole, committed lines are taken
(a line being appended, or the part lines of a big change not yet committed, wait for the
next look), and it answers None when the log at the path is not the one this process knows
(another process folded it into the next snapshot, or a restore replaced the journal): then
the process reads the journal again (``Sharing.reload``). :func:`unchanged` is the cheap
look: two ``stat`` calls.
"""

from __future__ import annotations

import os
from typing import Any

import orjson

from netjournal.store import shapecheck
from netjournal.store.changelog import PREFIX, ChangeLog
from netjournal.store.errors import JournalDamaged, StoreError
from netjournal.store.loglines import committed, header_generation, without_sum

Op = tuple[str, str, "dict[str, Any] | None"]
Signature = tuple[tuple[int, int, int] | None, tuple[int, int, int] | None]


def _sig(path: os.PathLike[str] | str) -> tuple[int, int, int] | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return st.st_ino, st.st_size, st.st_mtime_ns


def signature(log: ChangeLog) -> Signature:
    """The log and the snapshot as they are on disk now (inode, size, mtime each)."""
    return _sig(log.path), _sig(log.snapshot_path)


def unchanged(log: ChangeLog, seen: Signature | None) -> bool:
    """Whether nothing was written to the journal since ``seen`` (two stats)."""
    return seen is not None and signature(log) == seen


def new_lines(log: ChangeLog) -> list[bytes] | None:
    """The decoded committed change lines appended to ``log`` since this process last knew
    it (their checksums checked: one that does not hold sets ``log.changed``), which it now
    knows; or None if the log at the path is not the file it knows (read everything again).
    ``[]`` when nothing new is there."""
    if log.stale:
        return None  # an append of ours found lines it could not apply: read everything again
    try:
        fd = os.open(log.path, os.O_RDONLY)
    except FileNotFoundError:
        return [] if log.ino is None else None
    except OSError as exc:
        raise StoreError(f"cannot read {log.path}: {exc.strerror or exc}") from None
    with os.fdopen(fd, "rb") as f:
        st = os.fstat(f.fileno())
        if log.ino is None:
            if st.st_size == 0 or log.snapshot_sig is None:
                return []  # (no snapshot read: a new journal's leftover log, adopted at open)
            if not _adopt(log, f.read(), st.st_ino):
                return None  # a log for another snapshot: read everything again
            f.seek(0)
        known = log.obsolete_bytes if log.obsolete else log.bytes
        if st.st_ino != log.ino or st.st_size < known:
            return None
        if log.prefix and f.read(len(log.prefix)) != log.prefix:
            return None  # a new log under the inode number we know
        if log.obsolete:
            return [] if st.st_size == known else None
        if st.st_size == known:
            return []
        f.seek(known)
        extra = f.read(st.st_size - known)
    lines = extra[: extra.rfind(b"\n") + 1].split(b"\n")[:-1]
    lines = lines[: committed(lines, log.decode)]
    out = []
    for line in lines:
        original, holds = without_sum(log.decode(line))
        log.changed = log.changed or not holds
        out.append(original)
    log.bytes += sum(len(line) + 1 for line in lines)
    log.lines += len(lines)
    if len(log.prefix) < min(PREFIX, log.bytes):
        log.prefix = _first_bytes(log)
    return out


def _adopt(log: ChangeLog, raw: bytes, ino: int) -> bool:
    """A log made since this process read the journal (there was none: another process's
    first append made it): known from its header on, if that names the snapshot read."""
    end = raw.find(b"\n")
    if end < 0 or header_generation(log.decode(raw[:end])) != log.generation:
        return False
    log.ino, log.bytes, log.header_bytes, log.lines = ino, end + 1, end + 1, 0
    log.prefix = raw[: min(PREFIX, end + 1)]
    return True


def _first_bytes(log: ChangeLog) -> bytes:
    try:
        with open(log.path, "rb") as f:
            return f.read(min(PREFIX, log.bytes))
    except OSError:
        return log.prefix


def parse_ops(where: str, n: int, line: bytes) -> list[Op]:
    """The operations of change line ``n`` of the log ``where``, each checked as a record
    netjournal could have written; JournalDamaged naming the line otherwise."""
    try:
        ops = orjson.loads(line)["ops"]
        out: list[Op] = []
        for table, key, doc in ops:
            if type(table) is not str or type(key) is not str or not (doc is None or type(doc) is dict):
                raise ValueError("bad op")
            if doc is not None:
                shapecheck.check_op(where, n, table, key, doc)
            out.append((table, key, doc))
        return out
    except (orjson.JSONDecodeError, KeyError, TypeError, ValueError, AttributeError):
        raise JournalDamaged(f"{where} is damaged at line {n}") from None
