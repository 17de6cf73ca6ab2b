"""The capture line's history: the last 100 lines saved, recalled with ``up`` and ``down``.

Kept private: a file (0600, its folder 0700) in the user state folder, one per journal
(:func:`netjournal.paths.capture_history_path`), never beside the journal, which may be in
a synced folder. A journal opened without a state folder (the demo, the tests: see
:class:`netjournal.tui.state.JournalSource`) keeps its history in memory only. The file is
read when the capture line first opens, not before; a file that cannot be read or written
costs the history, never the capture (one line says so).
"""

from __future__ import annotations

from pathlib import Path

import orjson

from netjournal.store import files

LIMIT = 100


class CaptureHistory:
    """The lines, oldest first, and where ``up``/``down`` have got to."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self.lines: list[str] = []
        self._at: int | None = None  # the line recalled (None: the person's own line)
        self._draft = ""  # what was typed before the first ``up``

    def load(self) -> str | None:
        """Read the file; a problem as one line (the history then starts empty)."""
        if self.path is None:
            return None
        try:
            raw: object = orjson.loads(self.path.read_bytes())
        except FileNotFoundError:
            return None
        except (OSError, orjson.JSONDecodeError) as exc:
            return f"The capture history could not be read ({_why(exc)}); it starts again"
        lines = raw.get("lines") if isinstance(raw, dict) else None
        if isinstance(lines, list):
            self.lines = [line for line in lines if isinstance(line, str) and line.strip()][-LIMIT:]
        return None

    def add(self, line: str) -> str | None:
        """Remember a saved line (the newest; an earlier copy of it goes); a problem writing as one line."""
        self.rewind()
        line = line.strip()
        if not line:
            return None
        self.lines = [kept for kept in self.lines if kept != line][-(LIMIT - 1) :] + [line]
        if self.path is None:
            return None
        try:
            files.ensure_private_dir(self.path.parent)
            files.atomic_write(self.path, orjson.dumps({"version": 1, "lines": self.lines}))
        except OSError as exc:
            return f"The capture history could not be saved ({_why(exc)})"
        return None

    # ------------------------------------------------------------------ up and down
    def older(self, current: str) -> str | None:
        """The line before the one shown (``current``, kept as the draft the first time); None: no older one."""
        if not self.lines or self._at == 0:
            return None
        if self._at is None:
            self._draft = current
            self._at = len(self.lines)
        self._at -= 1
        return self.lines[self._at]

    def newer(self) -> str | None:
        """The line after the one shown, then the draft again; None: the draft is showing already."""
        if self._at is None:
            return None
        self._at += 1
        if self._at < len(self.lines):
            return self.lines[self._at]
        self._at = None
        return self._draft

    def recalled(self, value: str) -> bool:
        """True if ``value`` is a line of the history shown as it is (nothing typed to lose)."""
        return self._at is not None and self.lines[self._at] == value

    def rewind(self) -> None:
        """Back to the person's own line (the prompt closed or saved)."""
        self._at = None
        self._draft = ""


def _why(exc: Exception) -> str:
    return exc.strerror if isinstance(exc, OSError) and exc.strerror else type(exc).__name__
