"""The journal's revisions and the changes each one made, for the caches that follow it.

Every committed change moves the revision on and publishes what it changed as
(table, id, new document or None); a follower (the insights' index) asks for the changes
since the revision it last saw instead of reading the tables again. The feed is bounded:
a follower that fell further behind is told to read everything.
"""

from __future__ import annotations

import bisect
from typing import Any

from netjournal.store.writes import FEED_LIMIT, Change


class Feed:
    def __init__(self) -> None:
        self.revision = 0
        # The changes of the latest revisions, (revision, table, id, new document); complete
        # from revision _complete_from on.
        self._entries: list[tuple[int, str, str, dict[str, Any] | None]] = []
        self._complete_from = 1

    def publish(self, changes: list[Change] | None) -> None:
        """A change was committed: the next revision, and what it changed (None: too much to
        keep; the followers then read everything)."""
        self.revision += 1
        entries = self._entries
        if changes is None:
            entries.clear()
            self._complete_from = self.revision + 1
            return
        entries.extend((self.revision, *change) for change in changes)
        if len(entries) > FEED_LIMIT:
            del entries[: len(entries) - FEED_LIMIT]
            self._complete_from = entries[0][0] + 1  # (that revision may have lost its first entries)

    def since(self, revision: int) -> list[Change] | None:
        """What changed after ``revision``, oldest first; None if the feed no longer reaches
        back that far."""
        if revision < self._complete_from - 1:
            return None
        at = bisect.bisect_right(self._entries, revision, key=lambda entry: entry[0])
        return [entry[1:] for entry in self._entries[at:]]
