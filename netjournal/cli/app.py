"""Opening the Textual app: the only place the CLI reaches for it (lazily)."""

from __future__ import annotations

from netjournal.cli.context import Context


def run_app(ctx: Context) -> int:
    from datetime import date

    from netjournal.tui.state import EarlyOpen  # (no Textual: it opens the journal in a thread)

    early = EarlyOpen(ctx.journal_path, date.today())  # while the app's modules are imported
    from netjournal.tui.app import run

    return run(ctx.journal_path, demo=bool(ctx.args.demo), early=early)
