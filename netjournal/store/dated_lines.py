"""The interactions table as the snapshot stores it: one record per line, oldest first.

The snapshot's interactions table (the big one: years of journal) is written as

    {
    "id":{...},
    "id":{...}
    }

sorted by (date, id), so that a reader can answer the common questions without parsing all
of it: the newest interactions whose text holds a word (``netjournal search``), a person's
interactions (``netjournal show``, the app's first frame), each person's latest date (kept
in the snapshot's ``_meta``). JSON escapes every newline inside a string, so a raw newline
can only separate records. It is still plain JSON: any reader parses it whole.

Everything here is pure (bytes in, values out); :class:`JournalStorage` owns the state.
"""

from __future__ import annotations

import gc
import re
from collections.abc import Callable, Iterator
from typing import Any

import orjson

LAYOUT = "lines-by-date"  # the value of _meta.snapshot.layout for this layout
CHUNK = 1 << 20  # bytes parsed at a time by parse_table (lets other threads run between)

Doc = dict[str, Any]


def day_of(doc: Doc) -> str:
    day = doc.get("date", "")
    return day if type(day) is str else ""


def table_bytes(table: dict[str, Doc], today: str = "9999-12-31") -> tuple[bytes, dict[str, str], dict[str, Any]]:
    """The table's bytes in this layout, each person's latest date in it, and their plans
    as of ``today`` ("YYYY-MM-DD"; see :func:`plans_record`)."""
    if not table:
        return b"{}", {}, plans_record({}, {}, today)
    ids = sorted(table)
    ids.sort(key=lambda rid: day_of(table[rid]))  # stable: (date, id) order
    facts = TableFacts(today)
    dumps = orjson.dumps
    lines = []
    for rid in ids:
        doc = table[rid]
        lines.append(dumps({rid: doc})[1:-1])
        facts.add(doc)
    return b"{\n" + b",\n".join(lines) + b"\n}", facts.last, facts.plans()


class TableFacts:
    """What the snapshot records of a table in this layout, gathered as its records are
    written (oldest first): each person's latest date, and their plans as of ``today``."""

    def __init__(self, today: str = "9999-12-31") -> None:
        self.today = today
        self.last: dict[str, str] = {}
        self.before: dict[str, str] = {}  # each person's latest date on or before today
        self.ahead: dict[str, list[str]] = {}  # each person's dates after today, oldest first

    def add(self, doc: Doc) -> None:
        people = doc.get("contact_ids")
        if type(people) is not list:
            return
        day = day_of(doc)
        plan = day[:10] > self.today
        for cid in people:
            if type(cid) is str:
                self.last[cid] = day  # ascending dates: the last one written wins
                if plan:
                    self.ahead.setdefault(cid, []).append(day)
                else:
                    self.before[cid] = day

    def plans(self) -> dict[str, Any]:
        return plans_record(self.ahead, self.before, self.today)


def plans_record(ahead: dict[str, list[str]], before: dict[str, str], today: str) -> dict[str, Any]:
    """What the snapshot keeps of the entries dated after the day it was written (plans: a
    lunch next Tuesday), so that each person's last contact *as of a later day* is known
    without parsing: their planned dates and, for them, their latest date before."""
    return {"day": today, "ahead": ahead, "before": {cid: before.get(cid, "") for cid in ahead}}


def last_as_of(last: dict[str, str], plans: Any, today: str) -> dict[str, str] | None:
    """Each person's latest date on or before ``today``, from a snapshot's ``last`` (latest
    dates) and ``plans`` (:func:`plans_record`); None if they cannot tell (no record of the
    plans, one that does not fit, or a ``today`` before the day the snapshot was written)."""
    out: dict[str, str] = {}
    for cid, day in last.items():
        if type(day) is not str:
            return None
        if day[:10] <= today:
            out[cid] = day
            continue
        if type(plans) is not dict or type(plans.get("day")) is not str or plans["day"] > today:
            return None
        ahead, before = plans.get("ahead"), plans.get("before")
        if type(ahead) is not dict or type(before) is not dict or type(ahead.get(cid)) is not list:
            return None
        past = [d for d in ahead[cid] if type(d) is str and d[:10] <= today]
        found = past[-1] if past else before.get(cid, "")
        if type(found) is not str:
            return None
        if found:
            out[cid] = found
    return out


def parse_line(line: bytes) -> tuple[str, Doc] | None:
    """One record line (``"id":{...}`` with or without its comma) -> (id, document)."""
    try:
        one = orjson.loads(b"{" + line.rstrip(b",") + b"}")
    except orjson.JSONDecodeError:
        return None
    if type(one) is not dict or len(one) != 1:
        return None
    rid, doc = next(iter(one.items()))
    return (rid, doc) if type(doc) is dict else None


def parse_table(tail: bytes | memoryview, layout: str | None) -> Any:
    """Parse the whole table. In this layout it is parsed a megabyte at a time, so a worker
    thread doing it leaves the interpreter to the UI thread between chunks. The collector
    is paused meanwhile and the result frozen (see snapshot.deserialise)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        if layout != LAYOUT or len(tail) < 4 * CHUNK:
            table = orjson.loads(tail)
        else:
            raw = bytes(tail)
            body_end = len(raw) - 2  # before "\n}"
            pos = 2  # after "{\n"
            table = {}
            while pos < body_end:
                end = raw.find(b",\n", min(pos + CHUNK, body_end), body_end)
                if end < 0:
                    end = body_end
                table.update(orjson.loads(b"{" + raw[pos:end] + b"}"))
                pos = end + 2
        gc.freeze()
        return table
    finally:
        if enabled:
            gc.enable()


def newest_lines(
    src: bytes, start: int, end: int, needle: bytes | None = None, low: bytes | None = None
) -> Iterator[bytes]:
    """The record lines of ``src[start:end]`` (a table in this layout), newest first.

    With ``needle``, only the lines that may hold it. Given ``low`` (``src`` lower-cased, or
    ``src`` itself for an exact match; same offsets), the lines holding it there, found by
    C-speed searches that skip the lines in between. Without ``low`` (text that is not all
    ASCII), every line holding it once lower-cased, and every line with other characters
    (accents fold only once parsed)."""
    body_start, pos = start + 2, end - 2
    if needle is not None and low is not None:
        while pos > body_start:
            hit = low.rfind(needle, body_start, pos)
            if hit < 0:
                return
            at = max(src.rfind(b"\n", body_start, hit) + 1, body_start)
            stop = src.find(b"\n", hit, pos)
            yield src[at : pos if stop < 0 else stop]
            pos = at - 1
        return
    while pos > body_start:
        at = max(src.rfind(b"\n", body_start, pos) + 1, body_start)
        line = src[at:pos]
        if needle is None or needle in line.lower() or not line.isascii():
            yield line
        pos = at - 1


def lines_matching(src: bytes, start: int, end: int, pattern: re.Pattern[bytes]) -> Iterator[bytes]:
    """The record lines of ``src[start:end]`` (a table in this layout) where ``pattern``
    matches, oldest first, each once (one C-speed search for the pattern; a raw newline
    only ever separates records)."""
    body_start, body_end = start + 2, end - 2
    pos = body_start
    while pos < body_end:
        hit = pattern.search(src, pos, body_end)
        if hit is None:
            return
        at = max(src.rfind(b"\n", body_start, hit.start()) + 1, body_start)
        stop = src.find(b"\n", hit.end(), body_end)
        stop = body_end if stop < 0 else stop
        yield src[at:stop]
        pos = stop + 1


def newest_docs(
    lines: Iterator[bytes],
    keep: Callable[[str, Doc], bool],
    skip: set[str] | dict[str, Any],
    limit: int | None,
    budget: int,
    since: str = "",
) -> list[tuple[str, Doc]] | None:
    """Parse ``lines`` (newest first), keeping up to ``limit`` records that pass ``keep``
    and whose id is not in ``skip``, and stopping at the first one dated before ``since``
    (the lines are in date order: all the rest are older). None if more than ``budget``
    lines had to be parsed (the caller parses the whole table instead) or a line does not
    parse."""
    out: list[tuple[str, Doc]] = []
    for n, line in enumerate(lines):
        if n >= budget:
            return None
        parsed = parse_line(line)
        if parsed is None:
            return None
        rid, doc = parsed
        if since and day_of(doc) < since:
            break
        if rid in skip or not keep(rid, doc):
            continue
        out.append((rid, doc))
        if limit is not None and len(out) >= limit:
            break
    return out


def with_changes(
    found: list[tuple[str, Doc]],
    latest: dict[str, Doc | None],
    keep: Callable[[str, Doc], bool],
    limit: int | None,
) -> list[tuple[str, Doc]]:
    """``found`` (from :func:`newest_docs`, which skipped the changed ids) with the changed
    records that pass ``keep`` (``latest``: each changed id's document, None if deleted),
    newest first (by date, then id), up to ``limit``."""
    found += [(key, doc) for key, doc in latest.items() if doc is not None and keep(key, doc)]
    found.sort(key=lambda kv: (day_of(kv[1]), kv[0]), reverse=True)
    return found if limit is None else found[:limit]
