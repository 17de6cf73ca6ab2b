"""What the store has to say about the files reaches the person in the app: shown once as a
notification, and on the terminal at exit if it came at the end."""

from __future__ import annotations

import errno
import os
from pathlib import Path
from typing import Any

import pytest
from conftest import make_app, ready, record_notifications

from netjournal.domain.model import Contact
from netjournal.store import Journal


async def test_a_journal_changed_outside_netjournal_is_told_once_in_the_app(journal_path: Path) -> None:
    raw = journal_path.read_bytes()
    assert b"Ana Silva" in raw
    journal_path.write_bytes(raw.replace(b"Ana Silva", b"Ana Silvb", 1))
    app = make_app(journal_path, label="journal.json")
    said = record_notifications(app)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        told = [m for m in said if "changed outside netjournal" in m]
        assert len(told) == 1 and ".changed-" in told[0]
    assert [m for m in app.close_journal() if "changed outside" in m] == []
    app2 = make_app(journal_path, label="journal.json")
    said2 = record_notifications(app2)
    async with app2.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        assert not [m for m in said2 if "changed outside" in m]
    app2.close_journal()


async def test_a_fold_that_fails_at_quit_is_said_on_the_terminal(
    journal_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = make_app(journal_path, label="journal.json")
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        assert app.journal is not None
        app.journal.add_contact(Contact(name="Zed"))
        real = os.write

        def full(fd: int, data: Any) -> int:
            if len(data) > 4096:
                raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
            return real(fd, data)

        monkeypatch.setattr(os, "write", full)
    notices = app.close_journal()
    monkeypatch.undo()
    assert any("postponed" in n and "No space left" in n for n in notices)
    with Journal.open(journal_path, readonly=True) as j:  # the change was saved all the same
        assert "Zed" in [c.name for c in j.contacts()]
