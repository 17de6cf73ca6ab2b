"""Shared fixtures: a journal path in a folder that does not exist yet, and sample records."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from netjournal.domain.model import Contact
from netjournal.store import Journal


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
