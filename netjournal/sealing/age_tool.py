"""Opening a big age file with the standard ``age`` tool, when it is installed.

The reference implementation (https://age-encryption.org, Go) decrypts about three times as
fast as pyrage on this kind of machine (measured: 46 MB in ~30 ms against ~104 ms), and in a
process of its own: it runs on another core and never holds this process's interpreter lock
(pyrage does, so the app would stand still while years of journal are decrypted). Only for
opening, only files bigger than :data:`TOOL_ABOVE`; anything that goes wrong (no tool, an old
one, a refusal) answers None and the caller opens the bytes with pyrage, whose answer stands.

Nothing secret touches the disk, the command line or the environment: the identities go to
the tool through a pipe of their own (``-i /dev/fd/N``); the ciphertext goes in on standard
input or as an open file (``/dev/fd/M``); the plaintext comes back on standard output, or in
an anonymous memory file (``memfd``: never on disk) when nobody waits for it (readahead). The
tool runs in a session of its own: it can never ask for anything on the terminal.
``NETJOURNAL_AGE_TOOL`` names the tool to use (``off``: pyrage only).
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
import subprocess
import sys
import threading
from collections.abc import Callable

TOOL_ABOVE = 1 << 20  # bytes of ciphertext from which the tool is worth its start (~3 ms)
_PIPE_SIZE = 1 << 20  # Linux: bigger pipes, fewer switches between the two processes
_F_SETPIPE_SZ = 1031
_found: dict[str, str | None] = {}
_OFF = ("off", "no", "0", "none")


def tool() -> str | None:
    """The ``age`` program to use, or None (``NETJOURNAL_AGE_TOOL=off``, or none installed).
    Only a program named by an absolute path, or found in an absolute folder of ``PATH``: never
    one in the current folder (an empty or relative ``PATH`` entry), which would be given a key."""
    wanted = os.environ.get("NETJOURNAL_AGE_TOOL", "")
    if wanted.lower() in _OFF or os.name != "posix":
        return None
    if wanted not in _found:
        folders = os.pathsep.join(p for p in os.environ.get("PATH", os.defpath).split(os.pathsep) if os.path.isabs(p))
        if os.sep in wanted:
            found = wanted if os.path.isabs(wanted) and os.access(wanted, os.X_OK) else None
        else:
            found = shutil.which(wanted or "age", path=folders)
        _found[wanted] = found
    return _found[wanted]


def decrypt(data: bytes, identities: str, file: int | None = None) -> bytes | None:
    """``data`` (an age file) opened by the age tool with ``identities`` (an identity file's
    text); None if the tool is not there or did not open it (then pyrage says why). ``file``:
    an open descriptor of a file holding ``data`` (the tool then reads it there: faster than
    through a pipe)."""
    program = tool() if len(data) > TOOL_ABOVE else None
    if program is None:
        return None
    proc = _spawn(lambda key: _tool_command(program, key, file), identities, file, subprocess.PIPE)
    if proc is None:
        return None
    assert proc.stdout is not None
    with contextlib.suppress(OSError):
        fcntl.fcntl(proc.stdout.fileno(), _F_SETPIPE_SZ, _PIPE_SIZE)
    feeder = None
    if file is None:
        assert proc.stdin is not None
        with contextlib.suppress(OSError):
            fcntl.fcntl(proc.stdin.fileno(), _F_SETPIPE_SZ, _PIPE_SIZE)
        feeder = threading.Thread(target=_feed, args=(proc, data), daemon=True)
        feeder.start()  # (writing and reading at once: neither pipe ever fills while the other waits)
    try:
        out = proc.stdout.read()
    finally:
        proc.stdout.close()
        if feeder is not None:
            feeder.join()
        proc.wait()
    return out if proc.returncode == 0 else None


def decrypt_file(file: int, identities: str) -> bytes | None:
    """The age file open as ``file``, opened with ``identities`` in a process of its own, for
    a caller that does not wait on it (a thread beside the start of netjournal: see readahead):
    the age tool, or without it pyrage in a Python of its own (:data:`_PYRAGE`; on another core
    all the same). It writes into anonymous memory, so this process's interpreter lock is never
    asked for while it runs (a pipe would be read a megabyte at a time, each read waiting for
    the lock); None as for :func:`decrypt`."""
    if not hasattr(os, "memfd_create"):
        return None
    program = tool()
    out = os.memfd_create("netjournal-readahead", os.MFD_CLOEXEC)
    try:
        if program is not None:
            proc = _spawn(lambda key: _tool_command(program, key, file), identities, file, out)
        else:
            proc = _spawn(lambda key: [sys.executable, "-I", "-c", _PYRAGE, str(key), str(file)], identities, file, out)
        if proc is None or proc.wait() != 0:
            return None
        size = os.fstat(out).st_size
        got = os.pread(out, size, 0)
        return got if len(got) == size else None
    finally:
        os.close(out)


# Without the age tool: pyrage (netjournal's own dependency) in an isolated Python of its own,
# given the identities on a pipe (fd argv[1]) and the file (fd argv[2]); the plaintext to stdout.
_PYRAGE = """
import os, sys, pyrage
key = int(sys.argv[1])
text = b"".join(iter(lambda: os.read(key, 1 << 16), b"")).decode("ascii")
ids = [pyrage.x25519.Identity.from_str(x.strip()) for x in text.splitlines() if x.startswith("AGE-SECRET-KEY-1")]
pyrage.decrypt_io(os.fdopen(int(sys.argv[2]), "rb"), os.fdopen(1, "wb"), ids)
"""


def _tool_command(program: str, key: int, file: int | None) -> list[str]:
    source = [f"/dev/fd/{file}"] if file is not None else []
    return [program, "--decrypt", "--identity", f"/dev/fd/{key}", *source]


def _spawn(
    command: Callable[[int], list[str]], identities: str, file: int | None, out: int
) -> subprocess.Popen[bytes] | None:
    """``command(key)`` run with the identities readable on the descriptor ``key`` (a pipe)."""
    read_id, write_id = os.pipe()
    passed = [read_id] if file is None else [read_id, file]
    try:
        proc = subprocess.Popen(
            command(read_id),
            stdin=subprocess.PIPE if file is None else subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.DEVNULL,
            pass_fds=passed,
            bufsize=0,
            start_new_session=True,
        )
    except OSError:
        os.close(write_id)
        return None
    finally:
        os.close(read_id)
    with os.fdopen(write_id, "wb") as secret:  # (a key is far smaller than a pipe's buffer)
        with contextlib.suppress(BrokenPipeError):
            secret.write(identities.encode())
    return proc


def _feed(proc: subprocess.Popen[bytes], data: bytes) -> None:
    assert proc.stdin is not None
    try:
        proc.stdin.write(data)
    except OSError:
        pass  # the tool stopped reading (it refused the file): its exit status says so
    finally:
        with contextlib.suppress(OSError):
            proc.stdin.close()
