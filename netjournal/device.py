"""This device's name, carried by the stamps of its changes when devices share a journal
through a file-sync engine (issue #14; domain/hlc.py).

It lives outside any synced folder, in the user's state folder (``device`` in
``paths.state_dir()``, which the caller passes in), made once (the host's name and a random
suffix, so two machines with one host name stay two devices) and kept: a device must not
change its name, or its own changes would read as another's. ``NETJOURNAL_DEVICE=NAME``
overrides it: for people who name their devices, and for tests that act as two devices on
one machine. The file is 0600, its folder 0700.
"""

from __future__ import annotations

import os
import secrets
import socket
from collections.abc import Mapping
from pathlib import Path

from netjournal.domain.hlc import valid_device
from netjournal.domain.safe import strip_controls
from netjournal.errors import NetjournalError
from netjournal.store import files

ENV_DEVICE = "NETJOURNAL_DEVICE"


def device_name(environ: Mapping[str, str], folder: Path) -> str:
    """This device's name: ``$NETJOURNAL_DEVICE``, else the one kept in ``folder`` (the user
    state folder, paths.state_dir(): never inside a synced folder), made there the first
    time. A bad name is refused in one line naming where it came from."""
    given = environ.get(ENV_DEVICE)
    if given is not None:
        problem = valid_device(given)
        if problem:
            raise NetjournalError(f"{ENV_DEVICE}: {problem}")
        return given
    kept = folder / "device"
    name = _read(kept)
    if name is None:
        name = _make(kept)
    problem = valid_device(name)
    if problem:
        raise NetjournalError(f"{kept}: {problem} (set {ENV_DEVICE}, or remove the file to make a new name)")
    return name


def _read(kept: Path) -> str | None:
    try:
        return kept.read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as exc:
        raise NetjournalError(f"cannot read {kept}: {getattr(exc, 'strerror', None) or exc}") from None


def _make(kept: Path) -> str:
    """A new name, written once (another process making one at the same moment: theirs)."""
    host = strip_controls(socket.gethostname()).strip()[:40] or "device"
    name = f"{host}-{secrets.token_hex(3)}"
    try:
        files.ensure_private_dir(kept.parent)
        fd = os.open(kept, os.O_WRONLY | os.O_CREAT | os.O_EXCL, files.FILE_MODE)
    except FileExistsError:
        return _read(kept) or name
    except OSError as exc:
        raise NetjournalError(f"cannot keep this device's name in {kept}: {exc.strerror or exc}") from None
    try:
        os.fchmod(fd, files.FILE_MODE)
        files.write_all(fd, (name + "\n").encode())
        os.fsync(fd)
    finally:
        os.close(fd)
    return name
