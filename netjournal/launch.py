"""The ``netjournal`` command's first steps, before anything heavy is imported.

Importing the shell and the store takes about a tenth of a second. An encrypted journal that
the command is going to read whole (``search``, the app) can be decrypted in that time on
another core: with an identity file and the age tool, the launch starts that first
(sealing.readahead) and then runs the shell, which takes the result if it is still the file
it opens. Everything else behaves exactly as without it.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from pathlib import Path

from netjournal import commandline, paths
from netjournal.sealing import readahead
from netjournal.sealing.keys import IDENTITY_ENV

# The commands that read the journal's history (its interactions or favours, the bulk of the
# snapshot): None is the app (its first frame shows the selected person's history).
READS_HISTORY = frozenset({None, "search", "show", "ledger", "export", "who", "reciprocity", "time"})


def entry() -> None:
    """The console script."""
    read_ahead(sys.argv[1:])
    from netjournal.cli import entry as shell

    shell()


def read_ahead(argv: Sequence[str]) -> bool:
    """Start decrypting the journal this command line opens, if it will read it whole and it
    is encrypted to the identity file given (see sealing.readahead); True if it started.
    Never raises: this runs before the shell's error handling, and whatever is wrong with the
    command line or the files is the shell's to say, in one line."""
    if any(word in ("-h", "--help", "--version", "--demo") for word in argv):
        return False
    if commandline.command_word(argv) not in READS_HISTORY:
        return False
    identity = commandline.option(argv, "--identity") or os.environ.get(IDENTITY_ENV)
    if not identity:
        return False
    try:
        journal = paths.journal_path(commandline.option(argv, "--journal"))
        return readahead.start(journal, Path(identity).expanduser())
    except Exception:  # (an unknown ~user, a name no file can have: the shell says it)
        return False
