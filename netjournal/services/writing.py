"""Writing a file the person asked for (an export): atomically and private (0600), or one
line naming the problem. The shell's ``export -o`` and the app's palette both write through it."""

from __future__ import annotations

from pathlib import Path

from netjournal.errors import NetjournalError
from netjournal.store import files


def write_private(data: bytes, target: Path) -> Path:
    """Write ``data`` to ``target`` (temp file, fsync, rename; 0600); a NetjournalError if it cannot be."""
    try:
        files.atomic_write(target, data)
    except OSError as exc:
        raise NetjournalError(f"cannot write {target}: {exc.strerror or exc}") from None
    return target
