"""A journal shared between devices for the app's tests: turned on in a tmp folder, and a clash
made as a file-sync engine makes one (two devices edit one field, each not having seen the
other's change, and then each one's files reach the other), on a fixed clock."""

from __future__ import annotations

import itertools
import shutil
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from types import SimpleNamespace

import pytest
from conftest import TODAY

from netjournal.domain import model
from netjournal.domain.model import Contact
from netjournal.sealing import Keys
from netjournal.store import Journal, devicemerge, devicemode

WALL_MS = 1_793_523_600_000  # 2026-11-01 09:00 UTC: what the stamps' clock reads (stable snapshots)


def fix_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    """The devices' clock reads WALL_MS, then a minute later at each reading (whichever device
    reads it: one clock for the test, as if the devices' clocks agreed); records are stamped
    ``updated`` before it (what a record's version was before the journal was shared)."""
    ticks = itertools.count()
    fake = SimpleNamespace(time_ns=lambda: (WALL_MS + 60_000 * next(ticks)) * 1_000_000)
    monkeypatch.setattr(devicemerge, "time", fake)
    updates = itertools.count()
    monkeypatch.setattr(model, "utc_now", lambda: f"2026-11-01T08:00:00.{next(updates) % 1_000_000:06d}Z")


def share(path: Path, device: str = "laptop", keys: Keys | None = None) -> None:
    """Turn the journal at ``path`` (closed; ``keys``: an encrypted one's) into one shared
    between devices, this one ``device``."""
    with Journal.open(path, today=TODAY, keys=keys) as journal:
        journal.compact()
    devicemode.turn_on(path, device)


def on_device(path: Path, device: str) -> Journal:
    return Journal.open(path, today=TODAY, device=device)


def concurrently(path: Path, on_laptop: Callable[[Journal], None], on_desk: Callable[[Journal], None]) -> None:
    """On the shared journal ``path``: the laptop makes its change, then the desk (later, not
    having seen it) makes its own; then the desk's files arrive beside the laptop's."""
    with on_device(path, "desk") as journal:  # the desk has seen the journal as it is
        journal.compact()
    apart = path.parent.parent / f"{path.parent.name}-desk"
    shutil.copytree(path.parent, apart)
    with on_device(path, "laptop") as journal:
        on_laptop(journal)
    with on_device(apart / path.name, "desk") as journal:
        on_desk(journal)
    for item in devicemode.folder(apart / path.name).iterdir():
        if item.name.startswith("desk") and item.is_file():
            shutil.copy2(item, devicemode.folder(path) / item.name)
    shutil.rmtree(apart)


def clash(path: Path, pick: Callable[[Journal], Contact], field: str, laptop: str, desk: str) -> str:
    """The person ``pick`` chooses: their ``field`` set to ``laptop`` on the laptop and to
    ``desk`` on the desk at once (see :func:`concurrently`). Returns the person's id."""
    with Journal.open(path, today=TODAY, readonly=True, device="laptop") as journal:
        rid = pick(journal).id

    def edit(value: str) -> Callable[[Journal], None]:
        return lambda journal: None if journal.update_contact(replace(journal.contact(rid), **{field: value})) else None

    concurrently(path, edit(laptop), edit(desk))
    return rid
