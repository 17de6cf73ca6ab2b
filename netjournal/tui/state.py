"""Opening the journal and reading what the main screen shows, in one go (in a thread).

No Textual here: the command starts :class:`EarlyOpen` before the app's modules are imported."""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from netjournal.device import device_name
from netjournal.domain.text import clean_line
from netjournal.errors import NetjournalError
from netjournal.paths import capture_history_path, config_path, state_dir
from netjournal.sealing import Codec
from netjournal.services.people import People, read_people
from netjournal.store.journal import Journal

__all__ = ["EarlyOpen", "JournalSource", "People", "open_journal", "read_people"]


def open_journal(path: Path, today: date, codec: Codec | None = None) -> tuple[Journal, People] | str:
    """Open the journal and read what the first screen shows; a problem as one line.
    ``codec``: an encrypted journal's, unlocked before the app started (cli/app.py)."""
    try:
        journal = Journal.open(path, today=today, codec=codec, device=lambda: device_name(os.environ, state_dir()))
    except NetjournalError as exc:
        return str(exc)
    except OSError as exc:
        return f"cannot open {path}: {exc.strerror or exc}"
    try:
        return journal, read_people(journal, today)
    except NetjournalError as exc:
        journal.close()
        return str(exc)


class EarlyOpen:
    """``open_journal`` in a thread started before the app's modules are imported (the
    command does it): reading the file overlaps the imports, and the app's first frame can
    show the data at once instead of drawing an empty screen first."""

    def __init__(self, path: Path, today: date, codec: Codec | None = None) -> None:
        self.path, self.today, self.codec = path, today, codec
        self._result: tuple[Journal, People] | str = "the journal was not opened"
        self._thread = threading.Thread(target=self._run, name="netjournal-open", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        self._result = open_journal(self.path, self.today, self.codec)

    def wait(self) -> tuple[Journal, People] | str:
        self._thread.join()
        return self._result


@dataclass(frozen=True)
class JournalSource:
    """Which journal the app shows, and how it names it."""

    path: Path
    label: str | None = None  # shown in the header instead of the path (stable snapshots)
    demo: bool = False  # a temporary copy of the demo journal
    early: EarlyOpen | None = None  # the journal already being opened (see EarlyOpen)
    # The user state folder (paths.state_dir), asked for when first needed: where the capture
    # line's history is kept. None (tests, the demo): the history is kept in memory only.
    state_dir: Callable[[], Path] | None = None
    codec: Codec | None = None  # an encrypted journal's, unlocked before the app started
    unlock: Callable[[str], Codec] | None = None  # or its passphrase, asked in the app (UnlockScreen)

    @property
    def encrypted(self) -> bool:
        return (self.codec is not None and self.codec.encrypted) or self.unlock is not None

    @property
    def config_file(self) -> Path:
        return config_path(self.path)

    def capture_history_file(self) -> Path | None:
        """Where the capture line's history is kept (None: nowhere on disk)."""
        return None if self.state_dir is None else capture_history_path(self.state_dir(), self.path)

    @property
    def title(self) -> str:
        """The header's subtitle (before the journal is open)."""
        return self.title_on(None)

    def title_on(self, device: str | None) -> str:
        """The header's subtitle once the journal is open: ``device``, this device's name if
        the journal is shared between devices (None: it is not)."""
        shown = self.label if self.label is not None else str(self.path)
        if device is not None:
            shown = f"on {clean_line(device)} · {shown}"
        if self.encrypted:
            shown = f"encrypted · {shown}"
        return f"demo journal, a temporary copy · {shown}" if self.demo else shown
