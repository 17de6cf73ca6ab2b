"""What unlocks a journal: an age identity file, or a passphrase (asked only when needed)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pyrage

from netjournal.sealing.codec import SealingError


@dataclass
class Keys:
    """An identity file (as ``age-keygen`` makes it), or a way to get a passphrase. The
    passphrase is asked for at most once per process (see :meth:`get_passphrase`)."""

    identity: Path | None = None
    passphrase: Callable[[], str] | None = None
    _said: str | None = field(default=None, repr=False)

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
