"""What unlocks a journal: an age identity file, or a passphrase (asked only when needed)."""

from __future__ import annotations

import getpass
import os
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pyrage

from netjournal.sealing.codec import SealingError

IDENTITY_ENV = "NETJOURNAL_IDENTITY"
PASSPHRASE_COMMAND_ENV = "NETJOURNAL_PASSPHRASE_COMMAND"
KEYRING_ENV = "NETJOURNAL_KEYRING"  # "1": keep the unlocked journal key in the system keyring


@dataclass
class Keys:
    """An identity file (as ``age-keygen`` makes it), or a way to get a passphrase. The
    passphrase is asked for at most once per process (see :meth:`get_passphrase`)."""

    identity: Path | None = None
    passphrase: Callable[[], str] | None = None
    tries: int = 1  # passphrases asked for before a wrong one is refused (three in a terminal)
    remember: bool = False  # keep the unlocked key in the system keyring (NETJOURNAL_KEYRING=1)
    _said: str | None = field(default=None, repr=False)

    def forget_passphrase(self) -> bool:
        """After a wrong passphrase: True if another is to be asked for (then it is forgotten)."""
        self.tries -= 1
        if self.tries <= 0 or self.passphrase is None:
            return False
        self._said = None
        print("netjournal: that passphrase does not open the journal; try again", file=sys.stderr)
        return True

    @property
    def given(self) -> bool:
        return self.identity is not None or self.passphrase is not None

    def get_passphrase(self) -> str:
        if self._said is None:
            if self.passphrase is None:
                raise SealingError(
                    "no key was given: an identity file (--identity FILE) or a passphrase "
                    "(NETJOURNAL_PASSPHRASE_COMMAND, or a terminal to ask it in)"
                )
            self._said = self.passphrase()
            if not self._said:
                raise SealingError("the passphrase is empty; nothing was changed")
        return self._said

    def identities(self) -> list[pyrage.x25519.Identity]:
        """The identities in the identity file (one line each; ``#`` lines are comments)."""
        assert self.identity is not None
        try:
            text = self.identity.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            why = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
            raise SealingError(f"cannot read the identity file {self.identity}: {why}") from None
        return parse_identities(text, str(self.identity))


def parse_identities(text: str, where: str) -> list[pyrage.x25519.Identity]:
    out = []
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        try:
            out.append(pyrage.x25519.Identity.from_str(line))
        except pyrage.IdentityError:
            raise SealingError(f"{where} is not an age identity file (as made by age-keygen)") from None
    if not out:
        raise SealingError(f"{where} holds no age identity (as made by age-keygen)")
    return out


def keys_given(identity: str | None) -> Keys:
    """The keys a command gets: ``identity`` (``--identity``) or NETJOURNAL_IDENTITY, and the
    passphrase's source (an identity file wins when the journal is locked with one)."""
    identity = identity or os.environ.get(IDENTITY_ENV)
    asked = not os.environ.get(PASSPHRASE_COMMAND_ENV)  # (then in the terminal, if any: three tries)
    return Keys(identity=Path(identity).expanduser() if identity else None, passphrase=passphrase_source(),
                tries=3 if asked else 1, remember=os.environ.get(KEYRING_ENV) == "1")


def passphrase_source(prompt: str = "netjournal: passphrase: ", twice: bool = False) -> Callable[[], str] | None:
    """How to get the passphrase: NETJOURNAL_PASSPHRASE_COMMAND (``pass show netjournal``), or
    the terminal (no echo); None when neither is there."""
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
