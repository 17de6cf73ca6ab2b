"""An encrypted journal's snapshot decrypted ahead, while netjournal starts.

Starting netjournal takes a tenth of a second of imports before the journal is even opened;
a command that reads the journal's history (``search``, the app) then needs all of its
snapshot decrypted. With an identity file (the snapshot is sealed to its recipient too), the
launch (``netjournal.launch``) starts that decryption first thing, in a process of its own on
another core (the age tool, else pyrage in a Python of its own: age_tool.decrypt_file), and
the store takes the result when it needs it
(``store.sealed_head``) if it is the very file it read (same inode, size and change time;
else it is dropped and the store decrypts what it read). Nothing is ever written: the
plaintext lives in this process's memory only, as it would anyway.
"""

from __future__ import annotations

import contextlib
import os
import stat
import threading
from pathlib import Path

from netjournal.sealing import age_tool
from netjournal.sealing.codec import AGE_MAGIC

Sig = tuple[int, int, int]  # a file's (inode, size, change time in ns), as the store records it
_ahead: dict[Sig, _Job] = {}
_lock = threading.Lock()
_IDENTITY = "AGE-SECRET-KEY-1"


class _Job:
    def __init__(self, fd: int, identities: str) -> None:
        self.result: bytes | None = None
        self._thread = threading.Thread(target=self._run, args=(fd, identities), daemon=True)
        self._thread.start()

    def _run(self, fd: int, identities: str) -> None:
        try:
            self.result = age_tool.decrypt_file(fd, identities)
        except OSError:
            self.result = None
        finally:
            os.close(fd)

    def wait(self) -> bytes | None:
        self._thread.join()
        return self.result


def start(journal: Path, identity: Path) -> bool:
    """Begin decrypting ``journal`` with the identity file ``identity`` (when it is a big age
    file, the identity file holds plain age identities only, and this system has memfd);
    True if it began. Never raises: whatever is not so just leaves the work to the open."""
    identities = _identities(identity)
    if identities is None:
        return False
    try:
        fd = os.open(journal, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    except OSError:
        return False
    try:
        st = os.fstat(fd)
        big = stat.S_ISREG(st.st_mode) and st.st_size > age_tool.TOOL_ABOVE
        if not big or os.pread(fd, len(AGE_MAGIC), 0) != AGE_MAGIC:
            os.close(fd)
            return False
        job = _Job(fd, identities)  # (closes fd when done)
    except OSError:
        os.close(fd)
        return False
    with _lock:
        _ahead[(st.st_ino, st.st_size, st.st_mtime_ns)] = job
    return True


def take(sig: Sig | None) -> bytes | None:
    """The plaintext of the file ``sig`` names if it was decrypted ahead (waiting for it to be
    done); None if it was not (or did not open). Taken once."""
    with _lock:
        job = _ahead.pop(sig, None) if sig is not None else None
    return job.wait() if job is not None else None


def _identities(identity: Path) -> str | None:
    """The identity file's text if it holds only plain age identities (no plugin, no SSH key,
    not itself encrypted: nothing the tool could stop to ask a passphrase for)."""
    with contextlib.suppress(OSError, UnicodeDecodeError):
        fd = os.open(identity, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)  # (a pipe is not waited on)
        try:
            if not stat.S_ISREG(os.fstat(fd).st_mode):
                return None
            text = os.read(fd, 1 << 16).decode("ascii")
        finally:
            os.close(fd)
        lines = [x.strip() for x in text.splitlines() if x.strip() and not x.startswith("#")]
        if lines and all(x.startswith(_IDENTITY) for x in lines):
            return text
    return None
