"""The app on an encrypted journal: unlocked before it starts (cli/app.py) or with its
passphrase asked in a dialog (three tries), it shows the journal as usual, says so in its
header, and the files it writes hold no plaintext."""

from __future__ import annotations

from pathlib import Path

from conftest import TODAY, make_app, ready, settle
from pyrage import x25519
from sealed import plaintext_in
from textual.pilot import Pilot
from textual.widgets import Input, Static

from netjournal.config import Settings
from netjournal.sealing import Codec, Keys, SealingError
from netjournal.sealing.unlocking import codec_for
from netjournal.store import Journal, encryption
from netjournal.tui.app import NetjournalApp, create_app
from netjournal.tui.screens.unlock import UnlockScreen
from netjournal.tui.state import EarlyOpen, JournalSource


async def test_an_encrypted_journal_opens_and_the_header_says_so(journal_path: Path, tmp_path: Path) -> None:
    key = tmp_path / "key.txt"
    key.write_text(f"{x25519.Identity.generate()}\n")
    keys = Keys(identity=key)
    with Journal.open(journal_path, today=TODAY) as j:
        encryption.encrypt(j, keys)
    codec = codec_for(journal_path, keys)
    source = JournalSource(journal_path, label="journal.json", early=EarlyOpen(journal_path, TODAY, codec), codec=codec)
    app = create_app(Settings.load(source.config_file), source, clock=lambda: TODAY)
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            await ready(pilot)
            await settle(pilot)
            assert app.journal is not None and app.journal.encrypted and app.journal.history_loaded
            assert app.sub_title.startswith("encrypted · journal.json")
            assert app.journal.contacts()
    finally:
        app.close_journal()
    assert plaintext_in(journal_path.parent, (b"Ana Silva",)) == []


def _locked_app(journal_path: Path, tmp_path: Path) -> NetjournalApp:
    """The app on an encrypted journal whose passphrase it asks ("right" opens it)."""
    key = tmp_path / "key.txt"
    key.write_text(f"{x25519.Identity.generate()}\n")
    keys = Keys(identity=key)
    with Journal.open(journal_path, today=TODAY) as j:
        encryption.encrypt(j, keys)

    def unlock(said: str) -> Codec:
        if said != "right":
            raise SealingError("the key given does not open this journal")
        return codec_for(journal_path, keys)

    source = JournalSource(journal_path, label="journal.json", unlock=unlock)
    return create_app(Settings.load(source.config_file), source, clock=lambda: TODAY)


async def _say(pilot: Pilot[int], app: NetjournalApp, said: str) -> None:
    field = app.screen.query_one("#passphrase", Input)
    field.value = said
    await pilot.press("enter")
    for _ in range(300):
        await pilot.pause(0.01)
        if not field.disabled or not isinstance(app.screen, UnlockScreen):
            break


async def test_the_app_asks_the_passphrase_in_a_dialog_and_opens_the_journal(journal_path: Path, tmp_path: Path) -> None:
    app = _locked_app(journal_path, tmp_path)
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause(0.05)
            assert isinstance(app.screen, UnlockScreen)
            assert app.screen.query_one("#passphrase", Input).password  # never shown
            await _say(pilot, app, "wrong")
            assert isinstance(app.screen, UnlockScreen)
            assert "2 tries left" in str(app.screen.query_one("#unlock-problem", Static).render())
            await _say(pilot, app, "right")
            await ready(pilot)
            assert app.journal is not None and app.journal.encrypted
            assert app.sub_title.startswith("encrypted · ")
    finally:
        app.close_journal()


async def test_three_wrong_passphrases_end_the_app_in_one_line(journal_path: Path, tmp_path: Path) -> None:
    app = _locked_app(journal_path, tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause(0.05)
        for said in ("one", "two", "three"):
            await _say(pilot, app, said)
        await pilot.pause(0.1)
    assert app.startup_error is not None and "stays locked" in app.startup_error
    assert "\n" not in app.startup_error
    assert app.journal is None


async def test_f4_on_an_encrypted_journal_says_first_that_the_editor_sees_the_text_in_plain(
    journal_path: Path, tmp_path: Path
) -> None:
    app = _locked_app(journal_path, tmp_path)
    assert app.editor_warning is not None and "plain" in app.editor_warning
    plain = make_app(journal_path.with_name("other.json"))
    assert plain.editor_warning is None
