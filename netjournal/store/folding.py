"""Folding: the change log written into the next snapshot (the next generation), atomically,
then a new log for it; only while holding the log's lock and only if the log holds nothing
this process has not applied (changelog.FoldPostponed otherwise). When to fold:
:func:`wants_folding` (at open, on close, when idle); lifecycle.fold never lets a failed one
block a save.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING

import orjson

from netjournal.store import files
from netjournal.store.changelog import FoldPostponed
from netjournal.store.errors import StoreError
from netjournal.store.snapshot import Data, Tail, serialise, serialise_parts

if TYPE_CHECKING:
    from netjournal.store.storage import JournalStorage

# When the change log is folded into the snapshot (at open, on close, when idle): when it is
# big in absolute terms, or big next to the snapshot (replaying it then costs more than a
# rewrite is worth), or whenever the snapshot is small enough that rewriting it is free.
COMPACT_LOG_BYTES = 4 * 1024 * 1024
COMPACT_LOG_LINES = 2000
COMPACT_LOG_FRACTION = 64  # fold when the log is >= 1/64 of the snapshot
SMALL_SNAPSHOT = 1024 * 1024


def wants_folding(storage: JournalStorage) -> bool:
    """Whether the log is worth folding now (checked at open, on close, when idle); or the
    snapshot is to be rewritten (found changed outside netjournal once its history was read)."""
    if storage.integrity == "changed" and not storage.fold_held and not storage.readonly:
        return True
    if not storage.log.lines and not storage.log.obsolete:
        return False
    return (
        storage.log_bytes >= COMPACT_LOG_BYTES
        or storage.log_lines >= COMPACT_LOG_LINES
        or storage.snapshot_bytes <= SMALL_SNAPSHOT
        or storage.log_bytes * COMPACT_LOG_FRACTION >= storage.snapshot_bytes
    )


def fold(storage: JournalStorage, *, keep_bytes: bool = True) -> bytes | None:
    """Fold the log into a new snapshot (the next generation), atomically; then start a
    new log. Returns the bytes written (the caller may reuse them for a backup); without
    ``keep_bytes`` (a fold at close) it writes them in pieces and returns b"": a journal of
    600,000 people never holds its snapshot whole (unless it is sealed: an age file is made whole).

    Raises changelog.FoldPostponed, changing nothing, if the log holds changes of
    another process that this one has not read. A crash between the two steps loses
    nothing: the old log is then older than the snapshot, which holds its changes. On
    failure the previous snapshot and log are untouched."""
    if storage.readonly:
        raise StoreError(f"{storage.path} is open read-only")
    if storage.fold_held:
        raise FoldPostponed(storage.fold_held)
    if storage.data is None:
        return None
    storage.materialise_favours()
    storage.materialise()
    data = storage.data
    if storage.before_fold is not None:
        storage.before_fold(data)

    pieces = not keep_bytes and not storage.codec.encrypted
    if pieces:
        return _fold(storage, lambda generation: serialise_parts(data, generation))
    sealed = storage.codec.encrypted  # (then the head carries its own checksum: sealed_head)
    return _fold(storage, lambda generation: storage.codec.seal(serialise(data, generation, head_check=sealed)))


def fold_streamed(storage: JournalStorage, data: Data, tails: dict[str, Tail]) -> None:
    """Replace the snapshot with ``data``'s head tables and the lazily read tables
    ``tails`` (made elsewhere: a big import), as a fold does (the next generation, a new
    log; FoldPostponed if another process logged changes this one has not read)."""
    if storage.readonly:
        raise StoreError(f"{storage.path} is open read-only")
    if storage.fold_held:
        raise FoldPostponed(storage.fold_held)
    if storage.codec.encrypted:  # (an age file is made whole: the snapshot is held once, sealed)
        _fold(
            storage,
            lambda generation: storage.codec.seal(b"".join(serialise_parts(data, generation, tails, head_check=True))),
        )
    else:
        _fold(storage, lambda generation: serialise_parts(data, generation, tails))


def _fold(storage: JournalStorage, make: Callable[[int], bytes | Iterator[bytes]]) -> bytes:
    """Fold: the snapshot ``make(generation)`` gives (bytes, or pieces: then b"" is returned)."""

    def write(generation: int) -> bytes:
        try:
            out = make(generation)
            files.atomic_write(storage.path, out)
            st = os.stat(storage.path)  # (the log's lock is held: no other fold replaces it meanwhile)
        except (TypeError, orjson.JSONEncodeError) as exc:
            raise StoreError(f"could not save {storage.path}: {exc}") from None
        except OSError as exc:
            raise StoreError(f"could not save {storage.path}: {exc.strerror or exc}") from None
        storage.log.snapshot_sig = (st.st_ino, st.st_size, st.st_mtime_ns)
        storage.log.snapshot_generation = storage._generation_on_disk
        storage.snapshot_bytes = st.st_size
        return out if isinstance(out, bytes) else b""

    blob = storage.log.fold(write)
    storage.generation = storage.log.generation
    storage.integrity = "ok"
    return blob
