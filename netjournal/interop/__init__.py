"""Moving data in and out: the JSON exchange format, vCard, CSV and Markdown."""

from pathlib import Path

from netjournal.errors import NetjournalError
from netjournal.interop.stream import open_input


def read_input(path: Path) -> bytes:
    """The bytes of a file a person named; a missing or unreadable one is one clear error."""
    with open_input(path) as f:
        try:
            return f.read()
        except OSError as exc:
            raise NetjournalError(f"cannot read {path}: {exc.strerror or exc}") from None

