"""Review of the launch's read ahead (netjournal/launch.py, sealing/readahead.py): it runs
before the shell's error handling, so whatever goes wrong there must stay silent. Each test
here failed before its fix (found by a review of the change)."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import time
from pathlib import Path

import pytest
from clitools import assert_one_line_error, netjournal_exe, run


def test_an_identity_under_an_unknown_home_is_one_line(tmp_path: Path) -> None:
    """``--identity ~someone/key.txt`` for a user that does not exist: Path.expanduser raises
    RuntimeError in launch.read_ahead, outside the shell's handling: a traceback (the shell
    itself answers one line for the same option with ``log``, which reads no history)."""
    journal = tmp_path / "journal.json"
    assert run("contact", "add", "Zebulon Quartz", journal=journal).code == 0
    r = run("--identity", "~no-such-user-rv5/key.txt", "search", "x", journal=journal)
    assert_one_line_error(r)


@pytest.mark.skipif(shutil.which("age") is None, reason="the age tool is not installed (.ci/run installs it)")
def test_ctrl_c_while_the_identity_file_is_a_pipe_is_one_line(tmp_path: Path) -> None:
    """An identity given as a named pipe (a password manager's FIFO; or a slow network file):
    readahead._identities opens it blocking, before the shell runs; Ctrl-C then prints a
    KeyboardInterrupt traceback (the shell says "netjournal: interrupted"). The read ahead
    should leave anything but a regular file alone (open it O_NONBLOCK, fstat, S_ISREG)."""
    journal = tmp_path / "journal.json"
    assert run("contact", "add", "Zebulon Quartz", journal=journal).code == 0
    fifo = tmp_path / "key.fifo"
    os.mkfifo(fifo)
    proc = subprocess.Popen(
        [netjournal_exe(), "--journal", str(journal), "--identity", str(fifo), "search", "x"],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "NO_COLOR": "1"},
    )
    time.sleep(3)  # (started and waiting on the pipe: not a timing assertion)
    proc.send_signal(signal.SIGINT)
    try:
        _, err = proc.communicate(timeout=30)
    finally:
        proc.kill()
    assert "Traceback" not in err, err


def test_an_age_in_the_current_folder_is_never_given_a_key(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An empty or relative PATH entry names the current folder: a program called ``age``
    there would be handed the journal's key. Only absolute folders are searched, and
    NETJOURNAL_AGE_TOOL must be an absolute path or a bare name."""
    from netjournal.sealing import age_tool

    fake = tmp_path / "age"
    fake.write_text("#!/bin/sh\ncat > /dev/null\n")
    fake.chmod(0o700)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(age_tool, "_found", {})
    monkeypatch.setenv("PATH", os.pathsep + os.pathsep.join(["bin", "/usr/bin", "/bin"]))
    monkeypatch.delenv("NETJOURNAL_AGE_TOOL", raising=False)
    assert age_tool.tool() != str(fake) and age_tool.tool() != "./age"
    for relative in ("./age", "age/../age"):
        monkeypatch.setenv("NETJOURNAL_AGE_TOOL", relative)
        assert age_tool.tool() is None
    monkeypatch.setenv("NETJOURNAL_AGE_TOOL", str(fake))
    assert age_tool.tool() == str(fake)  # (named by its absolute path: the person's choice)
