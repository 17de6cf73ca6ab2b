"""Opening the Textual app: the only place the CLI reaches for it (lazily)."""

from __future__ import annotations

import gc
from datetime import date

from netjournal import paths
from netjournal.cli.context import Context
from netjournal.sealing.unlocking import codec_for
from netjournal.store import lifecycle


def run_app(ctx: Context) -> int:
    # The collector pauses until the first frame (the app resumes it): start-up makes
    # hundreds of thousands of long-lived objects (modules, widgets, the journal's people)
    # and no garbage worth a pass; its passes were a tenth of the start (bench/results/code_notes.md).
    gc.disable()

    from netjournal.tui.state import EarlyOpen, JournalSource  # (no Textual: it opens the journal in a thread)

    # An encrypted journal is unlocked here, before the app owns the terminal (a passphrase
    # is asked in the shell); a missing or wrong key ends here, in one line.
    codec = codec_for(lifecycle.resolve(ctx.journal_path), ctx.keys)
    early = EarlyOpen(ctx.journal_path, date.today(), codec)  # while the app's modules are imported
    settings = ctx.settings
    from netjournal.tui.launch import run

    demo = bool(ctx.args.demo)
    # The capture lines typed are kept in the state folder: not the demo's, nor an encrypted
    # journal's (they would be its text in plain on disk); those are kept in memory only.
    state = None if demo or codec.encrypted else paths.state_dir
    source = JournalSource(ctx.journal_path, demo=demo, early=early, state_dir=state, codec=codec)
    return run(source, settings)
