"""Where the shell finds the journal's key: ``--identity FILE`` (a global option),
``NETJOURNAL_IDENTITY``, ``NETJOURNAL_PASSPHRASE_COMMAND`` (``pass show netjournal``), or a
passphrase asked in the terminal (no echo). Nothing is asked unless the journal is sealed."""

from __future__ import annotations

import argparse
import getpass
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from netjournal.sealing import Keys, SealingError

IDENTITY_ENV = "NETJOURNAL_IDENTITY"
PASSPHRASE_COMMAND_ENV = "NETJOURNAL_PASSPHRASE_COMMAND"


def keys_from(args: argparse.Namespace) -> Keys:
    """The keys the person gave (an identity file wins over the passphrase's sources)."""
    identity = getattr(args, "identity", None) or os.environ.get(IDENTITY_ENV)
    return Keys(identity=Path(identity).expanduser() if identity else None, passphrase=passphrase_source())


def passphrase_source(prompt: str = "netjournal: passphrase: ", twice: bool = False) -> Callable[[], str] | None:
    """How to get the passphrase: the command, or the terminal; None when neither is there."""
    command = os.environ.get(PASSPHRASE_COMMAND_ENV)
    if command:
        return lambda: run_passphrase_command(command)
    if not sys.stdin.isatty():
        return None
    return lambda: ask(prompt, twice)


def ask(prompt: str, twice: bool) -> str:
    said = getpass.getpass(prompt)
    if twice and getpass.getpass("netjournal: the same passphrase again: ") != said:
        raise SealingError("the two passphrases differ; nothing was changed")
    return said


def run_passphrase_command(command: str) -> str:
    """The passphrase the command prints (its first line); one line on failure."""
    try:
        done = subprocess.run(command, shell=True, capture_output=True, timeout=120, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise SealingError(f"{PASSPHRASE_COMMAND_ENV} could not be run ({exc})") from None
    if done.returncode != 0:
        raise SealingError(f"{PASSPHRASE_COMMAND_ENV} failed (exit {done.returncode}); nothing was changed")
    lines = done.stdout.decode("utf-8", "replace").splitlines()
    return lines[0] if lines else ""
