"""A Journal opened on a journal shared between devices (devicemode.py): its writes stamped,
the other devices' files followed, what was read of them kept at each fold."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from tinydb import TinyDB

from netjournal.domain import versionpack
from netjournal.domain.hlc import Stamp
from netjournal.store import devicemode
from netjournal.store.devicemerge import Merger
from netjournal.store.devices import CURSORS, Devices
from netjournal.store.devicesources import VERSIONS, Reader
from netjournal.store.sharing import Sharing
from netjournal.store.writes import Writes

SEARCHES = 50  # records looked for in unparsed bytes (~10 ms each at 100,000) before they are parsed


def attach(
    shared: Path, device: str, raw: Callable[[str], dict[str, Any]], writes: Writes, sharing: Sharing, db: TinyDB
) -> None:
    """Wire a Journal (this device's own, in the devices' folder of ``shared``; ``raw``: its
    live tables) to the other devices."""
    storage = writes.storage

    searched = [0]  # records looked for in the bytes of a table not parsed yet

    def doc_of(table: str, rid: str) -> dict[str, Any] | None:
        lazy = storage.lazy_tables.get(table)
        if lazy is not None and searched[0] < SEARCHES:  # (each a search of the bytes: a few, then parse)
            searched[0] += 1
            if not lazy.contains(rid):
                return None
        return raw(table).get(rid)

    def alive(cid: str) -> bool:
        return cid in raw("contacts")

    def dependents(cid: str) -> Iterator[tuple[str, str]]:
        for rid, doc in raw("interactions").items():
            if cid in (doc.get("contact_ids") or ()):
                yield "interactions", rid
        for rid, doc in raw("favours").items():
            if doc.get("contact_id") == cid:
                yield "favours", rid

    merger = Merger(device, doc_of, lambda: storage.table(VERSIONS), alive, dependents)
    reader = Reader(storage.codec.unseal_line, storage.codec.unseal)
    merger.tell = reader.tell
    devices = Devices(devicemode.own_path(shared, device), merger, reader)
    devices.reset(storage.data)
    writes.merger = merger
    writes.cursors = db.table(CURSORS)
    sharing.devices = devices
    storage.before_fold = devices.for_fold


@dataclass(frozen=True)
class Clash:
    """A field two devices changed without seeing each other's change: the value shown (the
    later one, on every device alike) and the others, each with its device and time (UTC)."""

    table: str
    rid: str
    field: str
    shown: Any
    others: tuple[tuple[Any, str, str], ...]  # (value, device, "YYYY-MM-DD HH:MM")


def clashes(merger: Merger | None) -> list[Clash]:
    """Every clash of the journal's records (none for a journal of one device)."""
    if merger is None:
        return []
    out = []
    for table, rid, version in merger.clashes():
        for name, lost in sorted(versionpack.clashes(version).items()):
            winner = version.winner(name)
            others = tuple((v.value, v.stamp.device, _when(v.stamp.wall)) for v in lost)
            out.append(Clash(table, rid, name, winner.value if winner else None, others))
    return out


def _when(wall_ms: int) -> str:
    return datetime.fromtimestamp(wall_ms / 1000, UTC).strftime("%Y-%m-%d %H:%M")


def tombstones(versions: dict[str, Any]) -> list[tuple[str, str, str]]:
    """(table, id, when deleted, UTC) of every record deleted and not put back, by table and id."""
    out = []
    for key, packed in sorted(versions.items()):
        deleted = packed.get("d") if type(packed) is dict else None
        if deleted:
            standing = set(deleted) - set(packed.get("u") or ())
            if standing:
                table, _, rid = key.partition(":")
                wall = max(Stamp.parse(s).wall for s in standing)
                out.append((table, rid, datetime.fromtimestamp(wall / 1000, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")))
    return out
