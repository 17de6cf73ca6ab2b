"""Moving data in and out: the JSON exchange format, vCard, CSV and Markdown."""

from pathlib import Path

from netjournal.errors import NetjournalError


def read_input(path: Path) -> bytes:
    """The bytes of a file a person named; a missing or unreadable one is one clear error."""
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise NetjournalError(f"no such file: {path}") from None
    except IsADirectoryError:
        raise NetjournalError(f"{path} is a folder, not a file") from None
    except OSError as exc:
        raise NetjournalError(f"cannot read {path}: {exc.strerror or exc}") from None

