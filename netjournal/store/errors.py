from __future__ import annotations

from netjournal.errors import NetjournalError


class StoreError(NetjournalError):
    """The journal file could not be read or written."""


class JournalDamaged(StoreError):
    """The file is not a journal we can read; it is left exactly as it was."""


class JournalLocked(StoreError):
    """Another process holds the journal for writing."""


class JournalTooNew(StoreError):
    """The file was written by a newer netjournal."""


class JournalMissing(JournalDamaged):
    """The journal file is gone while its change log, backups or kept copies remain."""
