"""Snapshot tests of a journal shared between devices (issue #14 part 2): the header names
this device; a person with a clash (two devices changed one field at once) is marked in the
people list, and the card and the contact's detail say the value shown and the other one.

Review the SVGs under __snapshots__ before accepting changes with --snapshot-update.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import TODAY
from shared_journal import clash, fix_clock, share
from test_snapshots import Snap, snap

from netjournal.domain.model import Contact
from netjournal.services.people import read_people
from netjournal.store import Journal


@pytest.fixture
def shared_with_a_clash(journal_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The demo journal shared between devices, the app on the laptop; the first person's
    organisation set on the laptop and on the desk at once."""
    monkeypatch.setenv("NETJOURNAL_DEVICE", "laptop")
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    fix_clock(monkeypatch)
    share(journal_path)

    def first(journal: Journal) -> Contact:
        return read_people(journal, TODAY).contacts[0]

    clash(journal_path, first, "org", "Atlas Labs (laptop)", "Atlas Labs (desk)")
    return journal_path


def test_main_screen_shared_with_a_clash(snap_compare: Snap, shared_with_a_clash: Path) -> None:
    assert snap(snap_compare, shared_with_a_clash)
