"""Rotating backups beside the journal: one a day, the last seven, each 0600."""

from __future__ import annotations

import contextlib
import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from netjournal.store import files
from netjournal.store.errors import StoreError

KEEP_DAILY = 7
_DAILY = re.compile(r"^daily-(\d{4}-\d{2}-\d{2})\.json$")


def backup_dir(journal: Path) -> Path:
    return journal.with_name(journal.stem + "-backups")


@dataclass(frozen=True)
class Backup:
    path: Path
    taken: datetime
    good: bool
    problem: str = ""

    @property
    def label(self) -> str:
        state = "good" if self.good else f"damaged ({self.problem})"
        return f"{self.path.name}  {self.taken:%Y-%m-%d %H:%M}  {self.path.stat().st_size:,} bytes  {state}"


def take(journal: Path, blob: bytes, name: str) -> Path:
    folder = backup_dir(journal)
    target = folder / name
    try:
        files.ensure_private_dir(folder)
        files.atomic_write(target, blob)
    except OSError as exc:
        raise StoreError(f"could not write the backup {target}: {exc.strerror or exc}") from None
    return target


def daily_path(journal: Path, today: date) -> Path:
    return backup_dir(journal) / f"daily-{today.isoformat()}.json"


def has_daily(journal: Path, today: date) -> bool:
    return daily_path(journal, today).exists()


def log_of(backup: Path) -> Path:
    """The change log that goes with a backup (changes not yet folded into its snapshot)."""
    return backup.with_name(backup.name + ".log")


def take_daily(journal: Path, blob: bytes, today: date, log: bytes = b"") -> Path | None:
    """Today's backup, unless there is one: ``blob``, the snapshot's bytes, and ``log``, the
    change log's lines not yet folded into it (written first, beside it: a backup is its
    snapshot plus that log, so taking one never needs to parse or rewrite the journal).
    Keeps the last KEEP_DAILY days."""
    target = daily_path(journal, today)
    if target.exists():
        return None
    if log:
        take(journal, log, log_of(target).name)
    path = take(journal, blob, target.name)
    rotate(journal)
    return path


def rotate(journal: Path, keep: int = KEEP_DAILY) -> None:
    folder = backup_dir(journal)
    daily = sorted(p for p in folder.glob("daily-*.json") if _DAILY.match(p.name))
    for old in daily[:-keep]:
        with contextlib.suppress(OSError):
            log_of(old).unlink(missing_ok=True)
            old.unlink(missing_ok=True)


def unreadable(journal: Path) -> str:
    """Why the backups folder cannot be listed ("" if it can, or is not there)."""
    folder = backup_dir(journal)
    try:
        with os.scandir(folder):
            return ""
    except FileNotFoundError:
        return ""
    except OSError as exc:
        return f"the backups folder {folder} cannot be read ({exc.strerror or exc})"


def list_backups(journal: Path, check: Callable[[Path], str] | None = None) -> list[Backup]:
    """Every backup, newest first. ``check(path)`` returns "" if good, else the problem."""
    folder = backup_dir(journal)
    if not folder.is_dir():
        return []
    out: list[Backup] = []
    for p in folder.glob("*.json"):
        problem = check(p) if check else ""
        out.append(Backup(p, datetime.fromtimestamp(p.stat().st_mtime), not problem, problem))
    out.sort(key=lambda b: b.taken, reverse=True)
    return out
