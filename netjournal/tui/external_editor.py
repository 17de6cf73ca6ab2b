"""``F4`` in a long-text field: the person's own editor (``$VISUAL``, else ``$EDITOR``) on the
field's text, as Posting does.

The app suspends (``App.suspend()``: the editor gets the terminal), the text goes into a
private file (0600, in a folder of its own, 0700, made by ``tempfile.mkdtemp``), the editor
runs on it, and what it saved comes back. The folder and everything in it is removed
afterwards, whatever happened (the editor failed, could not be started, left a swap file).
Nothing set, an editor that cannot be started or ends with an error, a file it left unreadable:
one line saying so, and the field keeps its text.

The text is the journal's, written to a plain file for as long as the editor runs. On an
encrypted journal (not there yet) the person should be asked first: the services'
``editor_warning`` (:class:`netjournal.tui.app_services.AppServices`) is that hook; when it is
set, the field asks with it before writing anything (see
:class:`netjournal.tui.widgets.long_text.LongText`).
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from textual.app import SuspendNotSupported

if TYPE_CHECKING:
    from collections.abc import Mapping

    from textual.app import App

FILE_NAME = "netjournal-text.md"  # the entries are Markdown: an editor highlights them
NO_EDITOR = "No editor set: set $VISUAL or $EDITOR (for example EDITOR=nano) to edit the text with F4"


@dataclass(frozen=True)
class Edited:
    """What came back: the new text, or the one line that says why there is none."""

    text: str | None = None
    problem: str | None = None


def editor_command(environ: Mapping[str, str]) -> list[str] | None:
    """``$VISUAL``, else ``$EDITOR``, split as a shell would (``code --wait``); None if neither is set."""
    for name in ("VISUAL", "EDITOR"):
        value = environ.get(name, "").strip()
        if value:
            try:
                words = shlex.split(value)
            except ValueError:
                words = [value]
            if words:
                return words
    return None


def _run(app: App[object], argv: list[str]) -> int | OSError:
    """Run the editor with the terminal handed over; a headless app (the tests) has no
    terminal to hand over, and the editor just runs."""
    if app.is_headless:
        return _spawn(argv)
    with app.suspend():
        return _spawn(argv)


def _spawn(argv: list[str]) -> int | OSError:
    """The editor's exit status, or why it could not be started. Caught here, inside
    ``App.suspend()``: an error leaving that block leaves the app suspended for good."""
    try:
        return subprocess.run(argv, check=False).returncode
    except OSError as exc:
        return exc


def _write_private(text: str) -> tuple[Path, Path]:
    folder = Path(tempfile.mkdtemp(prefix="netjournal-"))  # 0700
    path = folder / FILE_NAME
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8", newline="") as out:
        # A text file ends with a newline: what an editor or a script appends is a line.
        out.write(text if text.endswith("\n") or not text else text + "\n")
    return folder, path


def _read_back(path: Path, before: str) -> Edited:
    try:
        saved = path.read_bytes().decode("utf-8")
    except FileNotFoundError:
        return Edited(problem="The editor left no file: the text is unchanged")
    except UnicodeDecodeError:
        return Edited(problem="The editor saved text that is not UTF-8: the text is unchanged")
    saved = saved.replace("\r\n", "\n")
    if saved.endswith("\n") and not before.endswith("\n"):
        saved = saved[:-1]  # the newline an editor adds at the end of a file
    return Edited(text=saved)


def run_editor(app: App[object], text: str, environ: Mapping[str, str] | None = None) -> Edited:
    """Edit ``text`` in the person's editor, the app suspended meanwhile."""
    command = editor_command(os.environ if environ is None else environ)
    if command is None:
        return Edited(problem=NO_EDITOR)
    shown = shlex.join(command)
    try:
        folder, path = _write_private(text)
    except OSError as exc:
        return Edited(problem=f"Could not write the text for the editor: {exc.strerror or exc}")
    try:
        try:
            status = _run(app, [*command, str(path)])
        except SuspendNotSupported:
            return Edited(problem="This terminal cannot be handed to an editor: the text is unchanged")
        if isinstance(status, OSError):
            why = status.strerror or status
            return Edited(problem=f"Could not start the editor ({shown}): {why}; the text is unchanged")
        if status != 0:
            return Edited(problem=f"The editor ({shown}) ended with status {status}: the text is unchanged")
        return _read_back(path, text)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
        app.refresh()
