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


def test_without_the_age_tool_pyrage_reads_ahead_in_a_process_of_its_own(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No age tool (NETJOURNAL_AGE_TOOL=off, as on a machine without it): the read ahead runs
    pyrage in an isolated Python of its own, given the key on a pipe; the plaintext is the
    snapshot's, and a wrong identity gives nothing (the open then says what is wrong)."""
    import pyrage

    from netjournal import launch
    from netjournal.domain.model import Contact, Interaction
    from netjournal.sealing import Keys, age_tool, readahead
    from netjournal.store import Journal, encryption

    monkeypatch.setenv("NETJOURNAL_AGE_TOOL", "off")
    journal = tmp_path / "journal.json"
    key, other = tmp_path / "key.txt", tmp_path / "other.txt"
    for path in (key, other):
        path.write_text(f"# created: now\n{pyrage.x25519.Identity.generate()}\n")
    with Journal.open(journal, undo=False) as j:
        zeb = Contact(name="Zebulon Quartz").stamped()
        j.put_many([zeb, *(Interaction(date="2020-01-01", contact_ids=[zeb.id], text=f"talk {n} " * 40).stamped()
                           for n in range(8000))])
        encryption.encrypt(j, Keys(identity=key))
    assert journal.stat().st_size > age_tool.TOOL_ABOVE and age_tool.tool() is None
    st = os.stat(journal)
    sig = (st.st_ino, st.st_size, st.st_mtime_ns)
    assert launch.read_ahead(["--journal", str(journal), "--identity", str(key), "search", "talk"])
    assert readahead.take(sig) == pyrage.decrypt(journal.read_bytes(), Keys(identity=key).identities())
    assert launch.read_ahead(["--journal", str(journal), "--identity", str(other), "search", "talk"])
    assert readahead.take(sig) is None
    r = run("--identity", str(key), "search", "talk 7999", journal=journal, env={"NETJOURNAL_AGE_TOOL": "off"})
    assert r.code == 0 and "talk 7999" in r.out
