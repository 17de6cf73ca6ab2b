"""What every command handler gets: the journal path, the journal, output helpers."""

from __future__ import annotations

import argparse
import os
import sys
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import orjson

from netjournal import paths
from netjournal.cli.safeio import make_console
from netjournal.cli.unlock import keys_from
from netjournal.config import Settings
from netjournal.device import device_name
from netjournal.domain.safe import escape_json_controls
from netjournal.sealing import Keys
from netjournal.store import Journal, lifecycle

if TYPE_CHECKING:
    from rich.console import Console

# The width given to tables and text when stdout is not a terminal: wide enough never to wrap
# or cut a row (nothing pads to the full width: tables take only the width their cells need).
PIPE_WIDTH = 1_000_000


def this_device() -> str:
    """This device's name (netjournal/device.py), asked only when a journal shared between
    devices is opened (Journal.open's ``device``)."""
    return device_name(os.environ, paths.state_dir())


class Context:
    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self._journal: Journal | None = None
        self._demo_dir: Path | None = None
        self._console: Console | None = None
        self._keys: Keys | None = None

    @property
    def journal_path(self) -> Path:
        if getattr(self.args, "demo", False):
            if self._demo_dir is None:
                from netjournal.demo import make_demo_journal

                self._demo_dir = make_demo_journal()
            return self._demo_dir / "journal.json"
        return paths.journal_path(self.args.journal)

    @property
    def keys(self) -> Keys:
        """What unlocks an encrypted journal (asked for only if it is one: cli/unlock.py)."""
        if self._keys is None:
            self._keys = keys_from(self.args)
        return self._keys

    @property
    def settings(self) -> Settings:
        return Settings.load(paths.config_path(self.journal_path))

    def now(self) -> datetime:
        return datetime.now().replace(second=0, microsecond=0)

    def journal(self, *, readonly: bool = False) -> Journal:
        """Open the journal once per command (writers take the lock). A reader of a journal
        that does not exist yet sees an empty one, and nothing is created."""
        if self._journal is None:
            # No undo history: a command ends before anything could be undone.
            self._journal = Journal.open(
                self.journal_path, readonly=readonly, undo=False, keys=self.keys, device=this_device
            )
            self.tell(self._journal.notices)
        return self._journal

    def existing_journal(self) -> Journal | None:
        """The journal open for writing if its file exists, else None (nothing is created
        yet: the caller creates it once the input is known good). A missing journal whose
        traces remain (its log, backups, kept copies) is refused, never taken as new."""
        if self._journal is None and not self.journal_path.exists():
            lifecycle.refuse_if_missing(self.journal_path, None)
            return None
        return self.journal()

    @staticmethod
    def tell(notices: list[str]) -> None:
        """Say what the store had to say about the files (one line each, on stderr)."""
        while notices:
            print(f"netjournal: note: {notices.pop(0)}", file=sys.stderr)

    @property
    def console(self) -> Console:
        if self._console is None:
            from rich.console import Console

            class _Console(Console):
                def on_broken_pipe(self) -> None:
                    # Rich's own exits with code 1; the reader going away (| head) is not an
                    # error: the command's handler (cli.main) quiets stdout and exits 0.
                    self.quiet = True
                    raise BrokenPipeError

            console = make_console(_Console)
            if not console.is_terminal:
                # Piped into a file or another program: no terminal to fit, so a row stays one
                # line, whole (Rich would otherwise wrap and cut at 80 columns, or $COLUMNS).
                console.width = PIPE_WIDTH
            self._console = console
        return self._console

    def print_json(self, value: Any) -> None:
        """``value`` as indented JSON; user text in it keeps every character, escaped (never raw)."""
        sys.stdout.write(escape_json_controls(orjson.dumps(value, option=orjson.OPT_INDENT_2)).decode() + "\n")

    def close_journal(self) -> None:
        """Close the journal (a later ``journal()`` opens it again), saying what the store said."""
        if self._journal is not None:
            try:
                self._journal.close()
            finally:
                self.tell(self._journal.notices)
                self._journal = None

    def close(self) -> None:
        self.close_journal()
        if self._demo_dir is not None:
            import shutil

            shutil.rmtree(self._demo_dir, ignore_errors=True)
            self._demo_dir = None
