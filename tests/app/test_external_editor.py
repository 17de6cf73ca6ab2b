"""F4 in a long-text field opens the person's $VISUAL / $EDITOR on it (issue 16): the text
goes into a private file (0600 in a 0700 folder), removed afterwards even when the editor
fails; what the editor saved comes back; no editor or a failing one: one line, text kept."""

from __future__ import annotations

import stat
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from conftest import read_journal, ready, settle
from textual.widgets import TextArea

from netjournal.tui.app import NetjournalApp
from netjournal.tui.confirm import ConfirmScreen
from netjournal.tui.external_editor import NO_EDITOR, editor_command, run_editor
from netjournal.tui.screens.editors import ContactForm, InteractionForm


def scripted_editor(tmp_path: Path, body: str, status: int = 0) -> tuple[Path, Path]:
    """A shell script as the editor: notes where the file was and its modes, writes ``body``
    into it (if any), exits with ``status``. Returns the script and its notes."""
    notes = tmp_path / "editor-notes.txt"
    script = tmp_path / "editor.sh"
    write = f"printf '%s' '{body}' > \"$1\"\n" if body else ""
    script.write_text(
        "#!/bin/sh\n"
        f"echo \"$1\" > '{notes}'\n"
        f"stat -c '%a' \"$1\" \"$(dirname \"$1\")\" >> '{notes}'\n"
        f"cat \"$1\" > '{notes}.before'\n"
        f"{write}exit {status}\n",
        encoding="utf-8",
    )
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    return script, notes


def said(app: NetjournalApp) -> list[str]:
    return [str(n.message) for n in app._notifications]


async def open_interaction_notes(pilot: object, app: NetjournalApp) -> TextArea:
    await pilot.press("n")  # type: ignore[attr-defined]
    await settle(pilot)  # type: ignore[arg-type]
    assert isinstance(app.screen, InteractionForm)
    notes = app.screen.query_one("#f-text", TextArea)
    notes.focus()
    await settle(pilot)  # type: ignore[arg-type]
    return notes


async def test_f4_edits_the_notes_in_the_editor_and_brings_the_text_back(
    app: NetjournalApp, journal_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    script, notes_file = scripted_editor(tmp_path, "Долгий разговор о #дизайн\nвторая строка")
    monkeypatch.setenv("VISUAL", str(script))
    monkeypatch.setenv("EDITOR", "false")  # $VISUAL wins
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        notes = await open_interaction_notes(pilot, app)
        notes.insert("typed first")
        await pilot.press("f4")
        await settle(pilot)
        assert notes.text == "Долгий разговор о #дизайн\nвторая строка"
        # what was typed, as a text file holds it (ending with a newline, taken off again after)
        assert (tmp_path / "editor-notes.txt.before").read_text(encoding="utf-8") == "typed first\n"
        path, file_mode, folder_mode = notes_file.read_text().split()
        assert (file_mode, folder_mode) == ("600", "700")
        assert not Path(path).exists() and not Path(path).parent.exists()  # removed afterwards
        await pilot.press("ctrl+s")
        await settle(pilot)
    app.close_journal()
    with read_journal(journal_path) as journal:
        assert any(e.text == "Долгий разговор о #дизайн\nвторая строка" for e in journal.interactions())


async def test_f4_works_in_a_persons_notes(app: NetjournalApp, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    script, _ = scripted_editor(tmp_path, "met at the ACM meetup")
    monkeypatch.delenv("VISUAL", raising=False)
    monkeypatch.setenv("EDITOR", str(script))
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await pilot.press("e")
        await settle(pilot)
        assert isinstance(app.screen, ContactForm)
        notes = app.screen.query_one("#f-notes", TextArea)
        notes.focus()
        await pilot.press("f4")
        await settle(pilot)
        assert notes.text == "met at the ACM meetup"
        assert app.screen.dirty  # the form sees the change as typed: escape would ask
    app.close_journal()


async def test_a_failing_editor_leaves_the_text_and_its_file_is_removed(
    app: NetjournalApp, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    script, notes_file = scripted_editor(tmp_path, "half written", status=3)
    monkeypatch.setenv("VISUAL", str(script))
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        notes = await open_interaction_notes(pilot, app)
        notes.insert("kept")
        await pilot.press("f4")
        await settle(pilot)
        assert notes.text == "kept"
        (line,) = said(app)
        assert "ended with status 3" in line and "unchanged" in line and "\n" not in line
        path = Path(notes_file.read_text().split()[0])
        assert not path.exists() and not path.parent.exists()
    app.close_journal()


@pytest.mark.parametrize("visual", ["", "/nowhere/no-such-editor --wait"])
async def test_no_editor_or_one_that_cannot_start_is_one_line(
    app: NetjournalApp, monkeypatch: pytest.MonkeyPatch, visual: str
) -> None:
    monkeypatch.setenv("VISUAL", visual)
    monkeypatch.delenv("EDITOR", raising=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        notes = await open_interaction_notes(pilot, app)
        notes.insert("kept")
        await pilot.press("f4")
        await settle(pilot)
        assert notes.text == "kept" and isinstance(app.screen, InteractionForm)
        (line,) = said(app)
        assert line == NO_EDITOR if not visual else "Could not start the editor (/nowhere/no-such-editor --wait)" in line
    app.close_journal()


async def test_the_encrypted_journal_hook_asks_before_the_text_leaves(
    app: NetjournalApp, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    script, notes_file = scripted_editor(tmp_path, "edited")
    monkeypatch.setenv("VISUAL", str(script))
    app.editor_warning = "This journal is encrypted: the text goes into a plain file while you edit. Go on?"
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        notes = await open_interaction_notes(pilot, app)
        await pilot.press("f4")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")
        await settle(pilot)
        assert not notes_file.exists() and notes.text == ""  # nothing was written out
        await pilot.press("f4")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        assert notes.text == "edited"
    app.close_journal()


def test_the_editor_command_is_split_as_a_shell_would() -> None:
    assert editor_command({"VISUAL": "code --wait", "EDITOR": "vi"}) == ["code", "--wait"]
    assert editor_command({"VISUAL": "  ", "EDITOR": "'/opt/my editor/ed' -n"}) == ["/opt/my editor/ed", "-n"]
    assert editor_command({}) is None


class _Terminal:
    """An app with a terminal to hand over: like Textual's App.suspend(), it takes the
    terminal back only when the block inside ends without an error."""

    is_headless = False

    def __init__(self) -> None:
        self.suspended = False

    @contextmanager
    def suspend(self) -> Iterator[None]:
        self.suspended = True
        yield
        self.suspended = False

    def refresh(self) -> None:
        pass


def test_an_editor_that_cannot_start_gives_the_terminal_back() -> None:
    """Found by a fresh-clone trial: EDITOR=no-such-editor left the app suspended for good
    (a blank screen no key could leave), and what was typed was lost with it."""
    terminal = _Terminal()
    edited = run_editor(terminal, "keep me", {"EDITOR": "no-such-editor-netjournal"})  # type: ignore[arg-type]
    assert edited.text is None and edited.problem is not None
    assert edited.problem.startswith("Could not start the editor (no-such-editor-netjournal)")
    assert not terminal.suspended


def test_the_editor_finds_the_text_ending_in_a_newline_and_an_appended_line_stays_a_line(tmp_path: Path) -> None:
    """Found by a fresh-clone trial: ``echo more >> file`` joined its line to the last one."""
    script = tmp_path / "append.sh"
    script.write_text("#!/bin/sh\necho 'appended by the editor' >> \"$1\"\n", encoding="utf-8")
    script.chmod(0o700)
    edited = run_editor(_Terminal(), "first line", {"EDITOR": str(script)})  # type: ignore[arg-type]
    assert edited.text == "first line\nappended by the editor"
    untouched = tmp_path / "same.sh"
    untouched.write_text("#!/bin/sh\nexit 0\n", encoding="utf-8")
    untouched.chmod(0o700)
    assert run_editor(_Terminal(), "as it was", {"EDITOR": str(untouched)}).text == "as it was"  # type: ignore[arg-type]
    assert run_editor(_Terminal(), "ends\n", {"EDITOR": str(untouched)}).text == "ends\n"  # type: ignore[arg-type]
