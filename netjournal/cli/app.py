"""Opening the Textual app: the only place the CLI reaches for it (lazily)."""

from __future__ import annotations

import gc
from datetime import date

from netjournal import paths
from netjournal.cli.context import Context


def run_app(ctx: Context) -> int:
    # The collector pauses until the first frame (the app resumes it): start-up makes
    # hundreds of thousands of long-lived objects (modules, widgets, the journal's people)
    # and no garbage worth a pass; its passes were a tenth of the start (bench/results/code_notes.md).
    gc.disable()

    from netjournal.tui.state import EarlyOpen, JournalSource  # (no Textual: it opens the journal in a thread)

    early = EarlyOpen(ctx.journal_path, date.today())  # while the app's modules are imported
    settings = ctx.settings
    from netjournal.tui.launch import run

    demo = bool(ctx.args.demo)
    state = None if demo else paths.state_dir  # the demo's capture lines are kept nowhere (not in your state folder)
    return run(JournalSource(ctx.journal_path, demo=demo, early=early, state_dir=state), settings)
