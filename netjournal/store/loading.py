"""Reading the journal's files into a :class:`~netjournal.store.storage.JournalStorage`: the
snapshot (whole, or with its interactions and favours left as bytes: ``lazytable``), and the
change log replayed over it, only if it extends the snapshot's generation (``changelog``).
"""

from __future__ import annotations

import os
import stat
from typing import TYPE_CHECKING, Any

import orjson

from netjournal.sealing import SealingError
from netjournal.store import dated_lines, following, sealed_head, shapecheck
from netjournal.store.errors import JournalDamaged, StoreError
from netjournal.store.lazytable import LazyTable, Source
from netjournal.store.snapshot import (
    CHECK_TABLE,
    FAVOURS,
    HEAD_PROBE,
    LAZY_TABLE,
    SNAPSHOT_MARK,
    Data,
    Head,
    check_shape,
    deserialise,
    generation_of,
    integrity,
    wholly_checked,
)

if TYPE_CHECKING:
    from netjournal.store.storage import JournalStorage


def read_snapshot(storage: JournalStorage) -> bytes:
    """The snapshot's bytes; the log learns which file they came from (see changelog)."""
    try:
        # Not blocking: a FIFO put where the journal was must be refused, not waited on.
        with os.fdopen(os.open(storage.path, os.O_RDONLY | os.O_NONBLOCK), "rb") as f:
            st = os.fstat(f.fileno())
            if not stat.S_ISREG(st.st_mode):
                raise StoreError(f"{storage.path} is not a regular file (a pipe or a device); a journal is a file")
            raw = f.read()
        storage.log.snapshot_sig = (st.st_ino, st.st_size, st.st_mtime_ns)
        storage.log.snapshot_generation = storage._generation_on_disk
        return raw
    except IsADirectoryError:
        raise StoreError(f"{storage.path} is a folder, not a journal file") from None
    except OSError as exc:
        raise StoreError(f"cannot read {storage.path}: {exc.strerror or exc}") from None


def generation_on_disk(storage: JournalStorage) -> tuple[tuple[int, int, int], int] | None:
    """The snapshot file now: its (inode, size, mtime) and the generation its head
    records; None if that cannot be read from its first bytes."""
    try:
        with open(storage.path, "rb") as f:
            st = os.fstat(f.fileno())
            # (sealed: the first chunks, decrypted only as far as needed)
            head = storage.codec.unseal_head(f.read(2 * HEAD_PROBE), HEAD_PROBE)[0]
    except (OSError, SealingError):
        return None
    at = head.find(SNAPSHOT_MARK)
    gen = head.find(b'"generation":', at) if at >= 0 else -1
    if gen < 0:
        return None
    digits = head[gen + len(b'"generation":') :].split(b",", 1)[0]
    return ((st.st_ino, st.st_size, st.st_mtime_ns), int(digits)) if digits.isdigit() else None


def load_snapshot(
    storage: JournalStorage, raw: bytes | None = None, decoded: bytes | None = None
) -> tuple[Data, bytes]:
    """Parse the snapshot (``raw``: its bytes, if read already; ``decoded``: unsealed).
    Raises JournalDamaged (file untouched) if it is not readable."""
    if raw is None:
        raw = read_snapshot(storage)
    if not raw.strip():
        raise JournalDamaged(f"{storage.path} is empty")
    if decoded is None:
        decoded = storage.codec.unseal(raw)
    storage.integrity = integrity(decoded)[0]
    try:
        data = deserialise(decoded)
    except orjson.JSONDecodeError:
        raise JournalDamaged(f"{storage.path} is damaged (not valid JSON: truncated or overwritten)") from None
    storage.snapshot_bytes = len(raw)
    data = check_shape(data, str(storage.path))
    check = data.pop(CHECK_TABLE, None)
    if not (storage.integrity == "ok" and wholly_checked(decoded)):
        shapecheck.check_tables(data, str(storage.path))  # (not as netjournal wrote it: every record)
    meta = data.get("_meta")
    info = meta.get("snapshot") if meta is not None else None
    if storage.integrity == "unmarked" and (check is not None or info is not None):
        # netjournal's marks, but not where and as it writes them: reformatted by a JSON
        # tool (indented, keys reordered) or edited by hand; changed outside netjournal.
        storage.integrity = "changed"
    storage.generation = generation_of(info)
    return data, raw


def replay_log(storage: JournalStorage, data: Data) -> int:
    """Apply the change log to ``data``. Returns the byte length of its good part.

    Only a log that extends this snapshot's generation is applied (one older than the
    snapshot is folded in already; one newer raises changelog.LogAhead: a fold happened
    since the snapshot was read, read it again). The last line, if it has no newline,
    is a torn append (the process died while writing it, before it was reported saved):
    it is ignored here and cut off before the next append. Any other bad line refuses
    the journal."""
    where = str(storage.log_path)
    touched: dict[tuple[str, str], tuple[int, Any]] = {}  # each record's last change: (line, doc)
    for n, line in enumerate(storage.log.read(storage.generation), storage.log.first_line):
        for table, key, doc in following.parse_ops(where, n, line):
            touched[table, key] = (n, doc)
            lazy = storage.lazy_tables.get(table)
            if lazy is not None:
                lazy.deferred.append((key, doc))
                continue
            tbl = data.setdefault(table, {})
            if doc is None:
                tbl.pop(key, None)
            else:
                tbl[key] = doc
    shapecheck.check_log_people(where, touched, data.get("contacts") or {})
    return storage.log.bytes


def load_lazy(storage: JournalStorage) -> tuple[Data, bytes]:
    """Like :func:`load_snapshot`, but leaves the interactions and the favours as bytes
    when the snapshot allows (parsed on first use: :meth:`JournalStorage.table`). Commands that only add
    records or read people (``log``, ``contact add``) never pay for parsing years of
    journal, and the app's first frame only parses the people. A big encrypted snapshot is
    decrypted only as far as its head, the rest on first use (sealed_head)."""
    raw = read_snapshot(storage)
    opened = sealed_head.open_head(storage, raw)
    if isinstance(opened, tuple):
        first, history = opened
        storage.integrity = "ok"  # (the head by its own checksum; the rest once opened)
        return _lazily(storage, raw, first, history, checked=True), raw
    decoded = opened
    state, split = integrity(decoded) if raw.strip() else ("unmarked", None)
    if split is None:
        return load_snapshot(storage, raw, decoded)
    storage.integrity = state
    fav = split.favours
    first = Head(
        split.head,
        split.info,
        split.favours_at if fav is not None else -1,
        split.tail_at,
        len(fav) if fav is not None else 0,
        len(split.tail),
    )
    return _lazily(storage, raw, first, decoded, checked=wholly_checked(decoded), favours=fav), raw


def _lazily(
    storage: JournalStorage,
    raw: bytes,
    first: Head,
    source: bytes | Source,
    *,
    checked: bool,
    favours: memoryview | None = None,
) -> Data:
    """The head, with the big tables left as bytes in ``source`` (see LazyTable)."""
    head, info = first.head, first.info
    storage.snapshot_bytes = len(raw)
    storage.generation = generation_of(info)
    lines = info.get("layout") == dated_lines.LAYOUT
    inter = LazyTable(LAZY_TABLE, source, first.tail_at, first.tail_size, dated_lines.LAYOUT if lines else None)
    last, written = info.get("last") if lines else None, info.get("written")
    inter.last = last if type(last) is dict else None
    inter.plans = info.get("plans")
    inter.written = written if type(written) is str else ""
    inter.summary = info.get("summary")
    storage.lazy_tables = {LAZY_TABLE: inter}
    if first.favours_at >= 0:
        storage.lazy_tables[FAVOURS] = LazyTable(
            FAVOURS, source, first.favours_at, first.favours_size, dated_lines.LAYOUT
        )
    head = check_shape(head, str(storage.path))
    if not checked:  # (an older snapshot: the head had no checksum)
        shapecheck.check_head(head, str(storage.path), inter.last, favours)
    return head
