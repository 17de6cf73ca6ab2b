"""Where the shell finds the journal's key: ``--identity FILE`` (a global option),
``NETJOURNAL_IDENTITY``, ``NETJOURNAL_PASSPHRASE_COMMAND`` (``pass show netjournal``), or a
passphrase asked in the terminal (no echo). Nothing is asked unless the journal is sealed
(sealing/keys.py; the command's first step, netjournal/early.py, may have unlocked it already)."""

from __future__ import annotations

import argparse

from netjournal.sealing import Keys
from netjournal.sealing.keys import keys_given, passphrase_source

__all__ = ["keys_from", "passphrase_source"]


def keys_from(args: argparse.Namespace) -> Keys:
    """The keys the person gave (an identity file wins over the passphrase's sources)."""
    return keys_given(getattr(args, "identity", None))
