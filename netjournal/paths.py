"""Where things live. Nothing is created at import time."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

ENV_JOURNAL = "NETJOURNAL_JOURNAL"


def default_journal_path() -> Path:
    from platformdirs import user_data_path

    return user_data_path("netjournal", appauthor=False) / "journal.json"


def journal_path(cli_value: str | None) -> Path:
    """--journal wins, then $NETJOURNAL_JOURNAL, then the platform's user data folder. A
    journal file that is a link (into a synced folder) is where it points: everything that
    goes beside the journal (log, backups, settings) goes beside the target."""
    given = cli_value or os.environ.get(ENV_JOURNAL)
    path = Path(given).expanduser() if given else default_journal_path()
    if not path.is_symlink():
        return path
    target = Path(os.path.realpath(path))
    # A link into a folder that is not there (not synced yet, not mounted) stays the link:
    # opening it says so (see store.lifecycle.resolve).
    return target if target.parent.is_dir() else path


def config_path(journal: Path) -> Path:
    """The small settings file beside the journal (theme, budget, date order)."""
    return journal.with_name(journal.stem + ".config.json")


def state_dir() -> Path:
    """The user state folder (``~/.local/state/netjournal`` on Linux): the app's private
    things that are not the journal (the capture line's history), never beside the journal,
    which may be in a synced folder."""
    from platformdirs import user_state_path

    return user_state_path("netjournal", appauthor=False)


def capture_history_path(state: Path, journal: Path) -> Path:
    """The capture line's history for ``journal``, in the state folder: one file per journal
    (its lines name that journal's people), named by a digest of its path, not the path."""
    digest = hashlib.sha256(str(journal).encode("utf-8", "surrogateescape")).hexdigest()[:16]
    return state / f"capture-history-{digest}.json"
