"""Running the installed ``netjournal`` command the way a person does, in a subprocess."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path


def netjournal_exe() -> str:
    exe = Path(sys.executable).with_name("netjournal")
    if exe.exists():
        return str(exe)
    found = shutil.which("netjournal")
    assert found, "the netjournal console script is not installed (pip install -e .)"
    return found


@dataclass
class Result:
    code: int
    out: str
    err: str


def run(*args: str, journal: Path | None = None, stdin: str | None = None, env: dict[str, str] | None = None) -> Result:
    cmd = [netjournal_exe()]
    if journal is not None:
        cmd += ["--journal", str(journal)]
    cmd += list(args)
    full_env = {**os.environ, "COLUMNS": "120", "NO_COLOR": "1", **(env or {})}
    full_env.pop("NETJOURNAL_JOURNAL", None) if env is None or "NETJOURNAL_JOURNAL" not in env else None
    p = subprocess.run(cmd, input=stdin, capture_output=True, text=True, env=full_env, timeout=60)
    return Result(p.returncode, p.stdout, p.stderr)


def assert_one_line_error(r: Result, *words: str) -> None:
    """A failed command: non-zero exit, exactly one line on stderr naming the problem, no traceback."""
    assert r.code != 0, r
    lines = r.err.strip().splitlines()
    assert len(lines) == 1, r.err
    assert "Traceback" not in r.err
    for w in words:
        assert w in lines[0], (w, lines[0])


def log_changes(journal: Path) -> list[bytes]:
    """The change lines in a journal's log (its header line, naming the generation, aside)."""
    log = journal.with_name(journal.name + ".log")
    lines = log.read_bytes().splitlines() if log.exists() else []
    return [line for line in lines if not line.startswith(b'{"log"')]
