"""Snapshot tests of the insight views (Today, circles, who knows what) on the demo journal.

Same helpers as test_snapshots.py; review the SVGs under __snapshots__ before accepting
changes with --snapshot-update.
"""

from __future__ import annotations

from pathlib import Path

from test_snapshots import Snap, snap


def test_today(snap_compare: Snap, journal_path: Path) -> None:
    assert snap(snap_compare, journal_path, ["t"])


def test_today_small_terminal(snap_compare: Snap, journal_path: Path) -> None:
    assert snap(snap_compare, journal_path, ["t"], size=(80, 24))


def test_circles(snap_compare: Snap, journal_path: Path) -> None:
    assert snap(snap_compare, journal_path, ["C"])


def test_who_design(snap_compare: Snap, journal_path: Path) -> None:
    assert snap(snap_compare, journal_path, ["w", *"design"])


def test_who_whom_can_i_help(snap_compare: Snap, journal_path: Path) -> None:
    assert snap(snap_compare, journal_path, ["w"])
