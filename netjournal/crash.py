"""What a person sees when netjournal meets a bug: one line, never a traceback.

With ``NETJOURNAL_DEBUG=1`` the full traceback is written to a private report file (0600,
in a 0700 folder) in the user state folder (platformdirs: ``~/.local/state/netjournal/
reports`` on Linux), and the line names it. If that file cannot be written, the traceback
is printed on standard error instead (the person asked for it). Used by the shell and the app.
"""

from __future__ import annotations

import os
import traceback
from datetime import datetime
from pathlib import Path

from netjournal.store import files

DEBUG_ENV = "NETJOURNAL_DEBUG"


def debug_on() -> bool:
    return os.environ.get(DEBUG_ENV, "").strip() not in ("", "0")


def report_dir() -> Path:
    from platformdirs import user_state_path

    return user_state_path("netjournal", appauthor=False) / "reports"


def _clean(text: str) -> str:
    """One line, without control characters (an exception message may quote user data)."""
    return "".join(ch if ch.isprintable() else " " for ch in text)


def write_report(error: BaseException) -> Path:
    """The traceback of ``error`` in a new private file; returns its path. Raises OSError."""
    folder = report_dir()
    files.ensure_private_dir(folder)
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    path = folder / f"crash-{stamp}-{os.getpid()}.txt"
    text = "".join(traceback.format_exception(error))
    files.atomic_write(path, text.encode("utf-8", "replace"))
    return path


def unexpected(error: BaseException) -> str:
    """The one line for an unexpected error (and, if asked for, its report written).
    With debug on and no report file possible, the traceback comes first, on more lines."""
    what = f"netjournal: unexpected error: {type(error).__name__}: {_clean(str(error))}"
    if not debug_on():
        return f"{what} (run with {DEBUG_ENV}=1 for a report)"
    try:
        path = write_report(error)
    except OSError as exc:
        tb = "".join(traceback.format_exception(error))
        return f"{tb}{what} (the report could not be written to {report_dir()}: {exc.strerror or exc})"
    return f"{what} (report: {path})"
