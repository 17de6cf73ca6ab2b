"""Opening the Textual app: the only place the CLI reaches for it (lazily)."""

from __future__ import annotations

import gc
from datetime import date
from functools import partial
from pathlib import Path

from netjournal import paths
from netjournal.cli.context import Context, this_device
from netjournal.sealing import Codec, Keys
from netjournal.sealing.unlocking import asks_passphrase
from netjournal.store import devicemode, lifecycle
from netjournal.store.journal import unlocked


def run_app(ctx: Context) -> int:
    # The collector pauses until the first frame (the app resumes it): start-up makes
    # hundreds of thousands of long-lived objects (modules, widgets, the journal's people)
    # and no garbage worth a pass; its passes were a tenth of the start (bench/results/code_notes.md).
    gc.disable()

    from netjournal.tui.state import EarlyOpen, JournalSource  # (no Textual: it opens the journal in a thread)

    # An encrypted journal is unlocked here, before the app owns the terminal; its passphrase,
    # if it is to be asked, is asked by the app in a dialog (screens/unlock.py). The capture
    # lines typed are kept in the state folder: not the demo's, nor an encrypted journal's
    # (that would be its text in plain on disk): those are kept in memory only.
    demo = bool(ctx.args.demo)
    resolved = lifecycle.resolve(ctx.journal_path)
    path = devicemode.locate(resolved, this_device)
    shared = path != resolved  # (this device's own journal in a journal shared between devices)
    if asks_passphrase(path, ctx.keys):
        source = JournalSource(ctx.journal_path, demo=demo, unlock=partial(_unlock, path, shared))
    else:
        codec = unlocked(path, ctx.keys, shared=shared)  # (a missing or wrong key ends here, in one line)
        early = EarlyOpen(ctx.journal_path, date.today(), codec)  # while the app's modules are imported
        state = None if demo or codec.encrypted else paths.state_dir
        source = JournalSource(ctx.journal_path, demo=demo, early=early, state_dir=state, codec=codec)
    settings = ctx.settings
    from netjournal.tui.launch import run

    return run(source, settings)


def _unlock(path: Path, shared: bool, passphrase: str) -> Codec:
    return unlocked(path, Keys(passphrase=lambda: passphrase), shared=shared)
