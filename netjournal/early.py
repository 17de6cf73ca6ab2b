"""The command's first step, before the shell's modules load: an encrypted journal starts
unlocking and decrypting in a thread (pyrage releases the GIL), so its snapshot is opened
while Python imports the rest (sealing/unlocking.py takes it when the journal opens)."""

from __future__ import annotations

import os
import sys

from netjournal import paths
from netjournal.sealing.keys import IDENTITY_ENV, PASSPHRASE_COMMAND_ENV, keys_given
from netjournal.sealing.unlocking import open_ahead


def entry() -> None:
    """The console script (and ``python -m netjournal``)."""
    open_ahead_for(sys.argv[1:])
    from netjournal.cli import entry as run

    run()


def open_ahead_for(argv: list[str]) -> None:
    """Start on the journal the command line names, if an identity file or a passphrase
    command is given (a passphrase asked in the terminal waits for the open itself)."""
    if "--demo" in argv or not ({"--identity"} & set(argv) or os.environ.get(IDENTITY_ENV)
                                or os.environ.get(PASSPHRASE_COMMAND_ENV)):
        return
    given = {word: argv[n + 1] for n, word in enumerate(argv[:-1]) if word in ("--journal", "--identity")}
    try:
        path = paths.journal_path(given.get("--journal")).expanduser().absolute()
    except OSError:
        return
    open_ahead(path, keys_given(given.get("--identity")))
