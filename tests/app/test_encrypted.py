"""The app on an encrypted journal: unlocked before it starts (cli/app.py), it shows the
journal as usual, says so in its header, and the files it writes hold no plaintext."""

from __future__ import annotations

from pathlib import Path

from conftest import TODAY, ready, settle
from pyrage import x25519
from sealed import plaintext_in

from netjournal.config import Settings
from netjournal.sealing import Keys
from netjournal.sealing.unlocking import codec_for
from netjournal.store import Journal, encryption
from netjournal.tui.app import create_app
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
