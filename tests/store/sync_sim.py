"""A file-sync engine that behaves like Syncthing, over real files in temp folders (issue #14).

Each device has a folder of its own: its copy of the synced folder. Per file and per device the
simulator keeps what Syncthing keeps: the bytes last seen, a version vector, and when the
device last changed it. Nothing moves by itself: the test says which file goes from which
device to which (:meth:`SyncSim.send`), so files arrive after arbitrary delays, in any order,
some before others (a log before its snapshot, or the reverse).

* :meth:`SyncSim.scan` notices a device's own changes (as Syncthing's scanner does): a file
  with new bytes gets a new version (the device's counter goes up), a file gone is a deletion,
  which has a version too and travels.
* :meth:`SyncSim.send` moves one file's newest version from one device to another: if the
  sender's version already includes the receiver's, the receiver gets the sender's bytes (or
  loses the file: a deletion). If the two are concurrent (both changed it since they last
  agreed), the newer change wins and the other is kept at the receiver as
  ``<stem>.sync-conflict-<date>-<time>-<device>.<ext>``, a new file that travels like any
  other; a change wins over a deletion (as in Syncthing).
* :meth:`SyncSim.settle` sends every file everywhere until nothing moves: every device then
  holds the same files.

The journal's lock file and temp files are never synced (the README asks a sync engine to
leave ``journal.json.lock`` out; temp files live for the moment of a write). Files are written
as Syncthing does: into a temp file, then renamed over the old one, mode 0600.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

TMP_SUFFIX = ".tmp-netjournal"  # (netjournal's temp files: store/files.py)
SIM_TMP = ".syncthing."


@dataclass
class Copy:
    """One file as one device knows it."""

    data: bytes | None  # None: deleted
    version: dict[str, int] = field(default_factory=dict)  # version vector: device -> counter
    changed: int = 0  # the simulator's clock when this version was made (newer wins a conflict)


def ignored(name: str) -> bool:
    """Files a sync engine must leave alone: the lock file, temp files being written."""
    return name.endswith(".lock") or name.endswith(TMP_SUFFIX) or name.startswith(SIM_TMP)


def includes(a: dict[str, int], b: dict[str, int]) -> bool:
    """Whether version ``a`` has seen every change version ``b`` has."""
    return all(a.get(dev, 0) >= n for dev, n in b.items())


def conflict_name(rel: str, device: str, clock: int) -> str:
    """Where Syncthing keeps the losing side of a conflict: ``journal.json.log`` becomes
    ``journal.json.sync-conflict-20261205-000012-DEVICE.log``."""
    folder, _, name = rel.rpartition("/")
    stem, dot, ext = name.rpartition(".")
    if not dot or not stem:
        stem, ext = name, ""
    tag = f"sync-conflict-20261205-{clock:06d}-{device.upper()}"
    made = f"{stem}.{tag}.{ext}" if ext else f"{stem}.{tag}"
    return f"{folder}/{made}" if folder else made


class SyncSim:
    """Devices ``names``, each with a folder under ``root``: ``folder(name)``."""

    def __init__(self, root: Path, names: list[str]) -> None:
        self.root = root
        self.names = list(names)
        self.index: dict[str, dict[str, Copy]] = {name: {} for name in names}
        self.clock = 0
        self.conflicts = 0  # conflict copies made
        for name in names:
            self.folder(name).mkdir(parents=True, exist_ok=True, mode=0o700)

    def folder(self, device: str) -> Path:
        return self.root / device / "sync"

    # --- a device's own changes ------------------------------------------------------
    def _on_disk(self, device: str) -> dict[str, bytes]:
        base = self.folder(device)
        out: dict[str, bytes] = {}
        for dirpath, _dirs, filenames in os.walk(base):
            for name in filenames:
                if ignored(name):
                    continue
                path = Path(dirpath) / name
                try:
                    out[path.relative_to(base).as_posix()] = path.read_bytes()
                except FileNotFoundError:  # pragma: no cover (nothing writes while the simulator looks)
                    continue
        return out

    def scan(self, device: str) -> None:
        """Notice what ``device`` changed since it was last scanned."""
        known = self.index[device]
        found = self._on_disk(device)
        for rel, data in found.items():
            copy = known.get(rel)
            if copy is None or copy.data != data:
                self._bump(device, rel, data)
        for rel, copy in list(known.items()):
            if rel not in found and copy.data is not None:
                self._bump(device, rel, None)

    def _bump(self, device: str, rel: str, data: bytes | None) -> None:
        copy = self.index[device].get(rel)
        version = dict(copy.version) if copy else {}
        version[device] = version.get(device, 0) + 1
        self.clock += 1
        self.index[device][rel] = Copy(data, version, self.clock)

    # --- moving files ------------------------------------------------------------------
    def files(self) -> list[str]:
        """Every file any device knows as last scanned (deleted ones too: their deletion travels)."""
        return sorted({rel for known in self.index.values() for rel in known})

    def send(self, src: str, dst: str, rel: str) -> bool:
        """Move ``rel``'s newest version from ``src`` to ``dst``; True if ``dst`` changed."""
        if src == dst:
            return False
        self.scan(src)
        self.scan(dst)
        theirs = self.index[src].get(rel)
        ours = self.index[dst].get(rel)
        if theirs is None or (ours is not None and includes(ours.version, theirs.version)):
            return False
        if ours is None or includes(theirs.version, ours.version):
            self._put(dst, rel, theirs)
            return True
        return self._conflict(src, dst, rel, theirs, ours)

    def _conflict(self, src: str, dst: str, rel: str, theirs: Copy, ours: Copy) -> bool:
        merged = {
            dev: max(theirs.version.get(dev, 0), ours.version.get(dev, 0)) for dev in {*theirs.version, *ours.version}
        }
        if theirs.data is None or ours.data is None:  # a change wins over a deletion, no copy kept
            winner = theirs if ours.data is None else ours
            self._put(dst, rel, Copy(winner.data, merged, winner.changed))
            return True
        theirs_newer = (theirs.changed, src) > (ours.changed, dst)
        winner, loser, loser_device = (theirs, ours, dst) if theirs_newer else (ours, theirs, src)
        assert loser.data is not None
        self.clock += 1
        self.conflicts += 1
        kept = conflict_name(rel, loser_device, self.clock)
        self._write(dst, kept, loser.data)
        self._bump(dst, kept, loser.data)
        self._put(dst, rel, Copy(winner.data, merged, winner.changed))
        return True

    def _put(self, dst: str, rel: str, copy: Copy) -> None:
        path = self.folder(dst) / rel
        if copy.data is None:
            try:
                path.unlink()
            except FileNotFoundError:
                pass
        else:
            self._write(dst, rel, copy.data)
        self.index[dst][rel] = Copy(copy.data, dict(copy.version), copy.changed)

    def _write(self, dst: str, rel: str, data: bytes) -> None:
        path = self.folder(dst) / rel
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        tmp = path.with_name(f"{SIM_TMP}{path.name}.tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        try:
            os.write(fd, data)
        finally:
            os.close(fd)
        os.replace(tmp, path)

    def settle(self, rounds: int = 50) -> None:
        """Send every file everywhere until nothing moves (every device holds the same files)."""
        for _ in range(rounds):
            moved = False
            for name in self.names:
                self.scan(name)
            for rel in self.files():
                for src in self.names:
                    for dst in self.names:
                        moved = self.send(src, dst, rel) or moved
            if not moved:
                return
        raise AssertionError("the devices never settled")  # pragma: no cover
