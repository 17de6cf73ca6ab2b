"""What the command calls to open the app, and how it ends: a journal error as one line
on stderr and exit code 2, a bug as one line (netjournal.crash), never a traceback."""

from __future__ import annotations

import sys

from netjournal.config import Settings
from netjournal.errors import NetjournalError
from netjournal.tui.app import create_app
from netjournal.tui.state import JournalSource


def run(source: JournalSource, settings: Settings) -> int:
    """Open the app on ``source`` with ``settings`` (as read from its config file); the exit code."""
    app = create_app(settings, source)
    try:
        app.run()
    finally:
        for notice in app.close_journal():
            print(f"netjournal: note: {notice}", file=sys.stderr)
    if isinstance(app.crashed, NetjournalError):  # (an expected error nothing in the app caught)
        print(f"netjournal: {app.crashed}", file=sys.stderr)
        return app.crashed.exit_code
    if app.crashed is not None:
        from netjournal.crash import unexpected

        print(unexpected(app.crashed), file=sys.stderr)
        return 1
    if app.startup_error:
        print(f"netjournal: {app.startup_error}", file=sys.stderr)
        return 2
    return app.return_code or 0
