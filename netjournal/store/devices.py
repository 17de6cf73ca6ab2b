"""This device's part in a journal shared between devices (devicemode.py): the other
devices' files followed, their changes folded in, and what was read of each file
remembered in the journal itself.

What was read of each source (devicesources.Cursor) is kept in the table ``_devices`` with
the state it led to: by a writer in the log line that keeps what it folded in (sharing.py),
and in the snapshot at each fold. At open, and when another process of this device folds,
the sources are read on from there (reading a change twice changes nothing: the merge is a
join). A reader (a read-only open) folds the news in memory only.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from netjournal.store import devicesources
from netjournal.store.devicemerge import Merger
from netjournal.store.devicesources import Cursor, Incoming, Reader

CURSORS = "_devices"  # the table of what was read of each source, by file name


class Devices:
    def __init__(self, own: Path, merger: Merger, reader: Reader) -> None:
        """``own``: this device's own journal file (its pair is not a source)."""
        self.own, self.folder = own, own.parent
        self.merger, self.reader = merger, reader
        self.cursors: dict[str, Cursor] = {}
        self._seen: dict[str, tuple[int, int] | None] = {}  # each source's (size, mtime) when last read
        self.read_whole = False  # a snapshot was read whole since what was read was last kept
        self.skipped: set[str] = set()  # snapshots last seen changed but not read (their logs were)

    def reset(self, data: dict[str, Any] | None) -> None:
        """Start again from what the journal's snapshot says was read (at open, after a reload)."""
        kept = (data or {}).get(CURSORS) or {}
        self.cursors = {name: dict(c) for name, c in kept.items() if isinstance(c, dict)}
        self._seen = {}
        self.skipped = set()

    def changed(self) -> bool:
        """Whether any source changed since it was last read (a listing and a ``stat`` each)."""
        sources = devicesources.listing(self.folder, self.own)
        if sorted(s.path.name for s in sources) != sorted(self._seen):
            return True
        return any(devicesources.stat_key(s.path) != self._seen.get(s.path.name) for s in sources)

    def news(self) -> list[Incoming]:
        """What the sources hold that was not read yet (their cursors move on).

        The logs are read first. A device's snapshot that changed because it folded its log
        holds nothing of its own that was not read already, if its logs were read without a
        gap (what it took from the others is read from them), so it is not read again. A gap
        (a log replaced before it was read to its end: its next log's header says how long it
        was) has the device's snapshot read whole, until one of that log's generation or later
        is read."""
        sources = sorted(devicesources.listing(self.folder, self.own), key=lambda s: s.kind != "log")
        seen: dict[str, tuple[int, int] | None] = {}
        out: list[Incoming] = []
        for source in sources:
            name = source.path.name
            key = devicesources.stat_key(source.path)
            seen[name] = key
            before = self.cursors.get(name)
            log = self.cursors.get(name + ".log") if source.kind == "json" else None
            gap = log is not None and bool(log.get("gap")) and _gen(before, -1) < _gen(log, 0)
            if self._seen.get(name) == key and key is not None and not (gap and name in self.skipped):
                continue
            if source.kind == "json" and before is not None and log is not None and not gap:
                self.cursors[name] = {**(self.reader.mark(source) or before), "gen": before.get("gen", 0)}
                self.skipped.add(name)
                continue
            self.skipped.discard(name)
            got, cursor = self.reader.read(source, before)
            out.extend(got)
            self.read_whole = self.read_whole or (source.kind == "json" and cursor != before)
            if cursor is None:
                continue
            self.cursors[name] = cursor
            if log is not None and _gen(cursor, -1) >= _gen(log, 0):
                log["gap"] = False  # (a snapshot of the log's generation read: the gap closed)
        self._seen = seen
        return out

    def for_fold(self, data: dict[str, Any]) -> None:
        """(Before a fold.) What was read of each source, written with the state it led to."""
        data[CURSORS] = {name: dict(c) for name, c in sorted(self.cursors.items())}
        self.read_whole = False


def _gen(cursor: Cursor | None, default: int) -> int:
    """The generation a cursor records (``default`` if none: a header that did not read)."""
    gen = cursor.get("gen") if cursor is not None else None
    return gen if type(gen) is int else default
