"""Shared fixtures: a journal path in a folder that does not exist yet, and sample records.

The tests are arranged by layer: ``unit/`` (the domain and the file formats, pure),
``store/`` (the Journal and its files), ``shell/`` (the commands as a person runs them),
``app/`` (Pilot tests of the app) with ``app/snapshots/`` (what the screens look like).
Each layer's folder is on ``sys.path``, so a test may use another layer's helpers (the names
corpus, the fault injector) by their module names, as ``clitools`` here.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from netjournal.domain.model import Contact
from netjournal.store import Journal

HERE = Path(__file__).resolve().parent
for layer in ("unit", "store", "shell", "app", "app/snapshots"):
    if str(HERE / layer) not in sys.path:
        sys.path.insert(0, str(HERE / layer))


@pytest.fixture
def journal_path(tmp_path: Path) -> Path:
    """Where a fresh journal goes; its folder is created by the first writer."""
    return tmp_path / "data" / "journal.json"


@pytest.fixture
def journal(journal_path: Path) -> Iterator[Journal]:
    """A fresh journal, open for writing, with two people: Ana Silva and Bruno Costa."""
    j = Journal.open(journal_path)
    j.add_contact(Contact(name="Ana Silva", aliases=["Annie"], tags=["python"]))
    j.add_contact(Contact(name="Bruno Costa", org="Acme"))
    yield j
    j.close()
