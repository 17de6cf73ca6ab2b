"""Sealing: how the journal's bytes are kept on disk (plain, or encrypted with age).

A room below the store: the store hands every file it writes (the snapshot, backups,
kept-aside copies, spool and temp files) and every change-log line to one :class:`Codec`,
chosen when the journal is opened. The only place netjournal imports a cryptography
library (an import-linter contract keeps it so).
"""

from netjournal.sealing.codec import AGE_MAGIC, Codec, SealingError, is_sealed
from netjournal.sealing.keys import Keys

__all__ = ["AGE_MAGIC", "Codec", "Keys", "SealingError", "is_sealed"]
