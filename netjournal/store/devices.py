"""This device's part in a journal shared between devices (devicemode.py): the other
devices' files followed, their changes folded in, and what was read of each file
remembered in the journal itself.

What was read of each source (devicesources.Cursor) is kept in memory and written into this
device's snapshot at each fold (the table ``_devices``), together with the state it led to;
at open, and when another process of this device folds, the sources are read again from
there (reading a change twice changes nothing: the merge is a join). So the other devices'
changes are never written into this device's log: what this device's files hold is its own
changes plus, at each fold, the join of everything it had read.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from netjournal.store import devicesources
from netjournal.store.devicemerge import Merger, Op
from netjournal.store.devicesources import Cursor, Incoming, Reader, Source

CURSORS = "_devices"  # the table of what was read of each source, by file name


class Devices:
    def __init__(self, journal: Path, own: Path, device: str, merger: Merger, reader: Reader) -> None:
        self.journal, self.own, self.device = journal, own, device
        self.folder = own.parent
        self.merger, self.reader = merger, reader
        self.cursors: dict[str, Cursor] = {}
        self._seen: dict[str, tuple[int, int] | None] = {}  # each source's (size, mtime) when last read
        self.listed: list[Source] = []

    def reset(self, data: dict[str, Any] | None) -> None:
        """Start again from what the journal's snapshot says was read (at open, after a reload)."""
        kept = (data or {}).get(CURSORS) or {}
        self.cursors = {name: dict(c) for name, c in kept.items() if isinstance(c, dict)}
        self._seen = {}

    def changed(self) -> bool:
        """Whether any source changed since it was last read (a listing and a ``stat`` each)."""
        sources = devicesources.listing(self.folder, self.own)
        if [s.path.name for s in sources] != list(self._seen):
            return True
        return any(devicesources.stat_key(s.path) != self._seen.get(s.path.name) for s in sources)

    def news(self) -> list[Incoming]:
        """What the sources hold that was not read yet (their cursors move on)."""
        sources = devicesources.listing(self.folder, self.own)
        seen: dict[str, tuple[int, int] | None] = {}
        out: list[Incoming] = []
        for source in sources:
            name = source.path.name
            key = devicesources.stat_key(source.path)
            seen[name] = key
            if self._seen.get(name) == key and key is not None:
                continue
            got, cursor = self.reader.read(source, self.cursors.get(name))
            out.extend(got)
            if cursor is not None:
                self.cursors[name] = cursor
        self._seen = seen
        self.listed = sources
        return out

    def catch_up(self, apply: Callable[[list[Op]], None]) -> bool:
        """Fold the sources' news in (``apply``: the ops to the tables); True if anything changed."""
        news = self.news()
        if not news:
            return False
        ops = self.merger.merge(news)
        if ops:
            apply(ops)
        return bool(ops)

    def for_fold(self, data: dict[str, Any]) -> None:
        """(Before a fold.) What was read of each source, written with the state it led to."""
        data[CURSORS] = {name: dict(c) for name, c in sorted(self.cursors.items())}
