"""Where things live. Nothing is created at import time."""

from __future__ import annotations

import os
from pathlib import Path

ENV_JOURNAL = "NETJOURNAL_JOURNAL"


def default_journal_path() -> Path:
    from platformdirs import user_data_path

    return user_data_path("netjournal", appauthor=False) / "journal.json"


def journal_path(cli_value: str | None) -> Path:
    """--journal wins, then $NETJOURNAL_JOURNAL, then the platform's user data folder."""
    if cli_value:
        return Path(cli_value).expanduser()
    env = os.environ.get(ENV_JOURNAL)
    if env:
        return Path(env).expanduser()
    return default_journal_path()


def config_path(journal: Path) -> Path:
    """The small settings file beside the journal (theme, budget, date order)."""
    return journal.with_name(journal.stem + ".config.json")
