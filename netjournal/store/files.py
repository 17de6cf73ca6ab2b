"""Private, atomic, durable file writes. Every byte of the journal goes through here."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterable
from pathlib import Path

FILE_MODE = 0o600
DIR_MODE = 0o700
TMP_SUFFIX = ".tmp-netjournal"


def ensure_private_dir(folder: Path) -> None:
    """Create ``folder`` and any missing parents, each 0700 whatever the umask (``mkdir
    -p`` would give the parents the umask's mode: 0777 under umask 000). An existing folder
    we did not create is left alone."""
    missing: list[Path] = []
    at = folder
    while not at.exists() and at != at.parent:
        missing.append(at)
        at = at.parent
    for new in reversed(missing):
        try:
            os.mkdir(new, DIR_MODE)
        except FileExistsError:
            if not new.is_dir():
                raise
            continue  # made meanwhile by another process: theirs
        os.chmod(new, DIR_MODE)  # (mkdir's mode is masked by the umask; it can only narrow it)


def fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def stage(path: Path, data: bytes | Iterable[bytes]) -> tuple[Path, int]:
    """Write ``data`` (bytes, or pieces written one after the other) to a private temp file
    beside ``path`` and fsync it: ready to be renamed over ``path``. Returns the temp file and
    its inode number. On error nothing is left."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}{TMP_SUFFIX}")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, FILE_MODE)
    try:
        try:
            os.fchmod(fd, FILE_MODE)
            ino = os.fstat(fd).st_ino
            for piece in (data,) if isinstance(data, bytes) else data:
                write_all(fd, piece)
            os.fsync(fd)
        finally:
            os.close(fd)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    return tmp, ino


def atomic_write(path: Path, data: bytes | Iterable[bytes]) -> int:
    """Write ``data`` to a temp file beside ``path``, fsync it, rename it over ``path``, fsync
    the folder. Readers see the old bytes or the new ones, never a mix. On any error the old
    file is intact and the temp file is gone. Returns the new file's inode number."""
    tmp, ino = stage(path, data)
    try:
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    fsync_dir(path.parent)
    return ino


def sweep_temp_files(folder: Path, name: str) -> list[Path]:
    """Remove temp files a killed process left beside ``name``."""
    removed: list[Path] = []
    if not folder.is_dir():
        return removed
    for p in folder.glob(f".{name}.*{TMP_SUFFIX}"):
        with contextlib.suppress(OSError):
            p.unlink()
            removed.append(p)
    return removed


def open_append(path: Path) -> int:
    """Open (creating, 0600) a file for appending; returns the descriptor."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, FILE_MODE)
    os.fchmod(fd, FILE_MODE)
    return fd


def write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        written = os.write(fd, view)
        view = view[written:]
