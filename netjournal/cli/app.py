"""Opening the Textual app: the only place the CLI reaches for it (lazily)."""

from __future__ import annotations

from netjournal.cli.context import Context


def run_app(ctx: Context) -> int:
    from netjournal.tui.app import run

    return run(ctx.journal_path, demo=bool(ctx.args.demo))
