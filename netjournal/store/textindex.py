"""Case- and accent-insensitive substring search over many texts, without a scan in Python.

Every text is folded once (``fold``: lower case, accents stripped) and joined into one big
string; a search is a loop of ``str.find`` (C speed) whose hits are mapped back to their
record by bisecting the start offsets. Changes do not rebuild the blob: a changed or deleted
record is marked stale (its old text is ignored) and its new text kept in a small side table
that is scanned directly. The owner drops the index when the side table grows large and it
is rebuilt on the next search.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable
from itertools import accumulate

from netjournal.domain.text import fold

SEP = "\x00"
MAX_PATCHES = 5000




class TextIndex:
    def __init__(self, items: Iterable[tuple[str, str]]) -> None:
        """``items``: (record id, raw text) pairs."""
        ids: list[str] = []
        texts: list[str] = []
        for rid, text in items:
            ids.append(rid)
            texts.append(text if isinstance(text, str) else "")
        joined = SEP.join(texts)
        if joined.isascii():
            # One C call folds everything; lower() keeps ASCII lengths, so offsets hold.
            self.blob = joined.lower()
            lengths = map(len, texts)
        else:
            folded = [fold(t) for t in texts]
            self.blob = SEP.join(folded)
            lengths = map(len, folded)
        # starts[i]: where record i begins; a sentinel after the last one.
        self.starts: list[int] = [0, *accumulate(n + 1 for n in lengths)]
        self.ids = ids
        self.stale: set[str] = set()
        self.patches: dict[str, str] = {}

    @property
    def worn(self) -> bool:
        """True when enough has changed that a rebuild is cheaper than the patches."""
        return len(self.stale) > MAX_PATCHES

    def update(self, rid: str, text: str | None) -> None:
        """Record that ``rid`` now has ``text`` (None: deleted)."""
        self.stale.add(rid)
        if text is None:
            self.patches.pop(rid, None)
        else:
            self.patches[rid] = fold(text if isinstance(text, str) else "")

    def find(self, needle: str) -> list[str] | None:
        """Ids of the records whose folded text contains the (already folded) ``needle``,
        unordered, each at most once. None if this index cannot answer (a needle holding
        the separator): the caller scans instead."""
        out: list[str] = []
        if not needle:
            return out
        if SEP in needle:
            return None
        stale = self.stale
        blob, starts, ids = self.blob, self.starts, self.ids
        find = blob.find
        pos = find(needle)
        while pos != -1:
            i = bisect.bisect_right(starts, pos) - 1
            rid = ids[i]
            if rid not in stale:
                out.append(rid)
            pos = find(needle, starts[i + 1])
        out.extend(rid for rid, t in self.patches.items() if needle in t)
        return out
