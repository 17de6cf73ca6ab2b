"""The change log beside the snapshot, and the generation that ties the two together.

Every fold writes a new snapshot with the next *generation* number, then replaces the log
(atomically, a new file) with one that starts with a header line naming that generation::

    {"log":1,"generation":7}
    {"ops":[["contacts","c-…",{...}]]}
    …

A reader pairs a snapshot with the log only when their generations agree, so it never mixes
an old snapshot with a newer log (a fold happened between its two reads: it reads again), and
a log older than its snapshot (a fold was interrupted between its two replaces) is known to
be folded in already. A log without a header is from before generations: generation 0.

Appends and folds take an advisory lock on the log file itself (``flock``) and check that the
file they hold is still the one at the path and as long as they know it. So whatever happens to
the journal's lock file (a sync client deletes it and a second writer gets in), a fold never
replaces the snapshot with a state that lacks lines appended by another process, and an append
never lands in a log that a fold has already replaced. A trailing line without its newline,
found while holding that lock, was torn by a process that died mid-append (it was never
reported saved) and is cut before the next line.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterator
from pathlib import Path

from netjournal.store import files
from netjournal.store.errors import JournalDamaged, StoreError
from netjournal.store.loglines import committed, header, header_generation, with_sum, without_sum

try:  # POSIX; elsewhere the journal's lock file is the only guard
    import fcntl
except ImportError:  # pragma: no cover
    fcntl = None  # type: ignore[assignment]


PREFIX = 64  # first bytes of the log kept to tell it from another file under the same inode (see ChangeLog)
class LogAhead(Exception):
    """The log belongs to a newer snapshot than the one read: read the snapshot again."""


class FoldPostponed(StoreError):
    """The fold was not done (nothing was lost; every change stays in the log)."""


class ChangeLog:
    """One journal's change log, as this process knows it.

    ``encode``/``decode`` transform each line on its way to and from disk (the storage's
    codec). ``generation`` is the snapshot generation the log must extend."""

    def __init__(self, path: Path, encode: Callable[[bytes], bytes], decode: Callable[[bytes], bytes]) -> None:
        self.path = path
        self.snapshot_path = path.with_name(path.name.removesuffix(".log"))
        self.encode = encode
        self.decode = decode
        self.generation = 0
        self.bytes = 0  # the good, durable part we know (header included)
        self.header_bytes = 0  # of which the header line
        self.lines = 0  # change lines in it (header not counted)
        self.ino: int | None = None  # the file those bytes are in (None: none read or made yet)
        self.stale = False  # lines or a fold of another process seen: our state lacks them
        self.obsolete = False  # the file read is older than the snapshot: replace before use
        self.obsolete_bytes = 0  # how much of that older file we know (folded in already)
        self.first_line = 1  # the line number of the first change line read
        # The file's first bytes as this process knows them. An inode number alone does not
        # tell a file: the system hands a freed one to the next new file, so after other
        # processes' folds the log at the path can carry the number we know (ext4 does).
        # A log is only appended to, and every fold starts one with a new header, so the
        # same first bytes mean the same log.
        self.prefix = b""
        # The snapshot this log extends, as this process last read or wrote it (inode, size,
        # mtime), and how to read the generation of the one on disk (see _snapshot_ahead).
        self.snapshot_sig: tuple[int, int, int] | None = None
        self.snapshot_generation: Callable[[], tuple[tuple[int, int, int], int] | None] | None = None
        self._fd: int | None = None
        self.changed = False  # a line read whose checksum does not hold: changed outside netjournal

    # --- reading -------------------------------------------------------------------
    def read(self, generation: int) -> list[bytes]:
        """The decoded change lines that extend snapshot ``generation`` (a torn last line
        left out). Raises LogAhead if the log belongs to a newer snapshot."""
        self.generation = generation
        self.bytes = self.lines = self.header_bytes = 0
        self.changed = False
        self.ino = None
        self.obsolete = False
        self.prefix = b""
        try:
            with open(self.path, "rb") as f:
                self.ino = os.fstat(f.fileno()).st_ino
                raw = f.read()
        except FileNotFoundError:
            return []
        except OSError as exc:
            raise StoreError(f"cannot read {self.path}: {exc.strerror or exc}") from None
        lines = raw.split(b"\n")
        lines.pop()  # b"" after the final newline, or a torn last line
        if not lines:
            return []
        first = self.decode(lines[0])
        head = header_generation(first)
        if head is None and not first.startswith((b'{"ops"', b'{"sum"')):
            # Neither a header nor a change: never taken for a log from before generations
            # (which would be ignored beside a newer snapshot).
            raise JournalDamaged(f"{self.path} is damaged at line 1")
        found = 0 if head is None else head
        if found > generation:
            raise LogAhead(f"{self.path} extends generation {found}, the snapshot is {generation}")
        if found < generation:
            self.obsolete = True  # folded already (a fold stopped before replacing the log)
            self.obsolete_bytes = sum(len(line) + 1 for line in lines)
            self.prefix = raw[: min(PREFIX, self.obsolete_bytes)]
            return []
        lines = lines[: committed(lines, self.decode)]  # (a header is not a part: it stays)
        if not lines:
            return []
        body = lines if head is None else lines[1:]
        self.first_line = 1 if head is None else 2
        self.bytes = sum(len(line) + 1 for line in lines)
        self.header_bytes = 0 if head is None else len(lines[0]) + 1
        self.lines = len(body)
        self.prefix = raw[: min(PREFIX, self.bytes)]
        out = []
        for line in body:
            original, holds = without_sum(self.decode(line))
            self.changed = self.changed or not holds
            out.append(original)
        return out

    def has_changes(self) -> bool:
        """Whether the file holds any change line (not just a header), without a snapshot."""
        try:
            raw = self.path.read_bytes()
        except OSError:
            return False
        lines = [line for line in raw.split(b"\n") if line.strip()]
        return bool(lines) and (len(lines) > 1 or header_generation(self.decode(lines[0])) is None)

    def generation_on_disk(self) -> int:
        """The generation the log's header names (0 if it has none, or there is no log)."""
        try:
            with open(self.path, "rb") as f:
                first = f.readline()
        except OSError:
            return 0
        if not first.endswith(b"\n"):
            return 0
        return header_generation(self.decode(first[:-1])) or 0

    @property
    def change_bytes(self) -> int:
        """The bytes of the change lines we know (the header aside)."""
        return max(0, self.bytes - self.header_bytes)

    def good_bytes(self) -> bytes:
        """The log's good part as it is on disk (for a backup beside its snapshot); nothing if
        it holds no change."""
        if not self.lines:
            return b""
        try:
            with open(self.path, "rb") as f:
                return f.read(self.bytes)
        except OSError as exc:
            raise StoreError(f"cannot read {self.path}: {exc.strerror or exc}") from None

    # --- appending -----------------------------------------------------------------
    def _open(self) -> int:
        if self._fd is None:
            try:
                self._fd = files.open_append(self.path)
            except OSError as exc:
                raise StoreError(f"could not open {self.path}: {exc.strerror or exc}") from None
        return self._fd

    def _reopen(self) -> None:
        self.close()

    def close(self) -> None:
        fd, self._fd = self._fd, None
        if fd is not None:
            with contextlib.suppress(OSError):
                os.close(fd)

    @contextlib.contextmanager
    def _flocked(self, fd: int) -> Iterator[None]:
        if fcntl is not None:
            fcntl.flock(fd, fcntl.LOCK_EX)
        try:
            yield
        finally:
            # (Closing the file released the lock already if it was replaced meanwhile.)
            if fcntl is not None and self._fd == fd:
                with contextlib.suppress(OSError):
                    fcntl.flock(fd, fcntl.LOCK_UN)

    @contextlib.contextmanager
    def _held(self) -> Iterator[int]:
        """The log open and locked, being the file at the path, its torn tail cut, and
        ready for a line: a header written if it is new, an obsolete one replaced."""
        for _ in range(100):
            fd = self._open()
            with self._flocked(fd):
                try:
                    st = os.fstat(fd)
                    at_path = os.stat(self.path).st_ino
                except FileNotFoundError:
                    at_path = -1
                except OSError as exc:
                    raise StoreError(f"could not use {self.path}: {exc.strerror or exc}") from None
                if at_path != st.st_ino:  # replaced (a fold) or removed since we opened it
                    self._reopen()
                    if self.ino is not None and self.ino != at_path:
                        self.stale = True
                    continue
                ahead = self._snapshot_ahead()
                if ahead is not None:
                    # A fold wrote that snapshot and died before replacing this log. It held
                    # this lock while it wrote it, so the snapshot has every line the log has.
                    self._replace(ahead)
                    self.stale = True
                    continue
                if self.obsolete and self.ino == st.st_ino and self._starts_as_known():
                    # Lines beyond what we know were appended since by a process that took
                    # this log for current: they are newer than the snapshot; keep them.
                    carried = self._whole_lines(self.obsolete_bytes, st.st_size)
                    self._replace(self.generation, carried)
                    self.stale = self.stale or bool(carried)
                    continue
                self._settle(fd, st.st_ino, st.st_size)
                yield fd
                return
        raise StoreError(f"{self.path} keeps changing under netjournal; try again")  # pragma: no cover

    def _snapshot_ahead(self) -> int | None:
        """(Holding the lock.) The generation of the snapshot on disk if it is newer than the
        log at the path: a fold killed between its two renames. Costs a stat per save; the
        snapshot's head is read only when the snapshot is not the one this process knows."""
        if self.snapshot_sig is None or self.snapshot_generation is None:
            return None
        try:
            st = os.stat(self.snapshot_path)
        except OSError:
            return None
        if (st.st_ino, st.st_size, st.st_mtime_ns) == self.snapshot_sig:
            return None
        found = self.snapshot_generation()
        if found is None:
            return None
        self.snapshot_sig, generation = found
        return generation if generation > self.generation_on_disk() else None

    def _settle(self, fd: int, ino: int, size: int) -> None:
        """(Holding the lock.) Make what we know agree with the file: a header for a new
        one, the lines another process appended, a torn tail cut."""
        if self.ino != ino or not self._starts_as_known():
            # A log this process has not read: made since (by another process's fold, or
            # by its first append), or one that appeared where there was none.
            self.ino, self.bytes, self.lines, self.header_bytes, self.obsolete = ino, 0, 0, 0, False
            self.prefix = b""
            self.stale = self.stale or size > 0
        if size < self.bytes:
            raise StoreError(f"{self.path} was shortened by another program; reopen the journal")
        if size > self.bytes:
            extra = self._read_range(self.bytes, size)
            whole = extra.rfind(b"\n") + 1
            if whole:  # part lines no committing line follows are a big change cut short: cut too
                kept = extra[:whole].split(b"\n")[:-1]
                whole = sum(len(line) + 1 for line in kept[: committed(kept, self.decode)])
            if whole:
                self.stale = True  # another process's changes: in the log, not in our memory
                self.bytes += whole
            if whole < len(extra):  # a line torn by a process that died while writing it (or parts)
                try:
                    os.ftruncate(fd, self.bytes)
                    os.fsync(fd)
                except OSError as exc:
                    raise StoreError(f"could not repair {self.path}: {exc.strerror or exc}") from None
        # A new or empty log (its only line torn, or emptied by something else) starts with its
        # header, or its lines would read as generation 0, folded in already, and be ignored.
        if self.bytes == 0:  # a new log (or one whose only line was torn) starts with its header
            line = self.encode(header(self.generation)) + b"\n"
            self._write(fd, line, count=False)
            self.header_bytes = len(line)
        if len(self.prefix) < min(PREFIX, self.bytes):
            self.prefix = self._first_bytes(min(PREFIX, self.bytes))

    def _first_bytes(self, n: int) -> bytes:
        return self._read_range(0, n)

    def _read_range(self, start: int, end: int) -> bytes:
        try:
            with open(self.path, "rb") as f:
                f.seek(start)
                return f.read(end - start)
        except OSError as exc:
            raise StoreError(f"could not read {self.path}: {exc.strerror or exc}") from None

    def _whole_lines(self, start: int, end: int) -> bytes:
        """The whole lines between ``start`` and ``end`` (a torn last one left out)."""
        if end <= start:
            return b""
        extra = self._read_range(start, end)
        return extra[: extra.rfind(b"\n") + 1]

    def _starts_as_known(self) -> bool:
        """(Holding the lock, the file at the path being ours.) Whether it still starts with
        the bytes we know: another process's fold made a new log, even if under our inode."""
        return not self.prefix or self._first_bytes(len(self.prefix)) == self.prefix

    def _write(self, fd: int, data: bytes, *, count: bool = True) -> None:
        try:
            files.write_all(fd, data)
            os.fsync(fd)
        except OSError as exc:
            with contextlib.suppress(OSError):
                os.ftruncate(fd, self.bytes)
            raise StoreError(f"could not save to {self.path}: {exc.strerror or exc}") from None
        self.bytes += len(data)
        if count:
            self.lines += 1

    def append(self, line: bytes) -> None:
        """Make one change line durable (appended and fsynced) before returning. Raises
        StoreError on failure, the log then as it was."""
        data = self.encode(with_sum(line)) + b"\n"
        with self._held() as fd:
            self._write(fd, data)

    def mark(self) -> tuple[int, int, int | None]:
        """Where the log ends now (for :meth:`cut`)."""
        return self.bytes, self.lines, self.ino

    def cut(self, mark: tuple[int, int, int | None]) -> None:
        """Take back the lines appended since ``mark`` (part lines of a big change that
        failed). If that cannot be done, they stay uncommitted: ignored by every reader and
        cut by the next append."""
        size, lines, ino = mark
        if ino is None or ino != self.ino or self._fd is None or size > self.bytes:
            return
        try:
            os.ftruncate(self._fd, size)
            os.fsync(self._fd)
        except OSError:
            return
        self.bytes, self.lines = size, lines

    def _replace(self, generation: int, carried: bytes = b"", after: tuple[int, int] | None = None) -> None:
        """Start a new log for snapshot ``generation`` (a new file, atomically), holding
        ``carried`` (whole lines, as on disk) after its header (``after``: see loglines.header)."""
        head = self.encode(header(generation, after)) + b"\n"
        data = head + carried
        try:
            ino = files.atomic_write(self.path, data)
        except OSError as exc:
            raise StoreError(f"could not write {self.path}: {exc.strerror or exc}") from None
        self._reopen()
        self.generation, self.ino, self.bytes, self.obsolete = generation, ino, len(data), False
        self.lines = carried.count(b"\n")
        self.header_bytes = len(head)
        self.prefix = data[:PREFIX]

    # --- folding -------------------------------------------------------------------
    def fold(self, write_snapshot: Callable[[int], bytes]) -> bytes:
        """Replace the snapshot (``write_snapshot(next generation)`` writes it and returns its
        bytes), then start a new log for it; all while holding the log's lock and only if
        the log holds nothing this process has not applied. Raises FoldPostponed otherwise."""
        with self._held() as fd:
            if self.stale:
                raise FoldPostponed(f"{self.path.name} has changes made by another process since this one read it")
            blob = write_snapshot(self.generation + 1)
            after, self.generation = (self.generation, self.bytes), self.generation + 1  # (after: the log folded)
            try:
                self._replace(self.generation, after=after)
            except StoreError:
                self._restart_in_place(fd, after)
        return blob

    def _restart_in_place(self, fd: int, after: tuple[int, int]) -> None:
        """(Holding the lock, the snapshot written.) The new log could not be made (a full
        disk): empty this one and write the new header in it (truncating frees its space).
        A second writer that still knows this log then sees it is not the one it knew, and
        never appends to a log that readers ignore. If even that fails, the old log is older
        than the snapshot (ignored by readers) and is replaced before this process appends."""
        self.obsolete, self.obsolete_bytes = True, self.bytes
        line = self.encode(header(self.generation, after)) + b"\n"
        try:
            os.ftruncate(fd, 0)
        except OSError:
            return
        self.obsolete, self.bytes, self.lines, self.header_bytes, self.prefix = False, 0, 0, 0, b""
        try:
            self._write(fd, line, count=False)  # (on failure the log is left empty: no lines)
        except StoreError:
            return
        self.header_bytes, self.prefix = len(line), line[:PREFIX]
