"""The sealing interface, and its identity: a journal kept in plain JSON.

Two kinds of bytes go through a codec: whole files (``seal``/``unseal``: the snapshot, its
backups and kept-aside copies, temp and spool files written whole) and lines (``seal_line``/
``unseal_line``: each change-log line, each spool line), so that saving one change stays one
small append whatever the journal's size. A sealed line never holds a newline byte.
"""

from __future__ import annotations

from netjournal.errors import NetjournalError

AGE_MAGIC = b"age-encryption.org/v1\n"  # how every age file starts (the sealed snapshot is one)
LINE_MARK = b"nj2:"  # how every sealed line starts (see age_codec); ``nj1:`` before key ids
LINE_MARKS = (b"nj1:", LINE_MARK)
# What a plain journal reads a sealed line as: an empty log of generation 0, older than any
# snapshot, so known to be folded in already. Only ``decrypt`` leaves one behind (killed
# between writing the plain snapshot and replacing the log it had just folded).
FOLDED_HEADER = b'{"log":1,"generation":0}'
# What a change-log line that is not sealed with the journal's key reads as: no change (not
# JSON), so every reader refuses the log as damaged at that line, as for any other bad line.
UNREADABLE = b"\x00 a line that does not open with the journal's key"
# What a line sealed with a journal key this codec does not hold reads as (its key id says so:
# the key was changed on another device, and this one was not given the new key yet).
FOREIGN = b"\x00 a line sealed with a key this device was not given"


class SealingError(NetjournalError):
    """A key is missing or wrong, or sealed bytes do not open: nothing was changed."""


class ForeignKey(SealingError):
    """An age file sealed to none of the keys held (not damaged: a key this device lacks)."""


def uses_passphrase(sealed_key: bytes) -> bool:
    """Whether a key file is encrypted to a passphrase (its age header has a scrypt stanza)."""
    return b"\n-> scrypt " in sealed_key[:200]


def is_sealed(head: bytes) -> bool:
    """Whether a file that starts with ``head`` is sealed (an age file)."""
    return head.startswith(AGE_MAGIC)


class Codec:
    """Plain: bytes go to disk as they are. Subclasses encrypt (see age_codec.AgeCodec)."""

    name = "plain"
    encrypted = False

    def seal(self, data: bytes) -> bytes:
        """A whole file's bytes as they go to disk."""
        return data

    def unseal(self, data: bytes, file: int | None = None) -> bytes:
        """A whole file's bytes as read back (raises SealingError if they do not open).
        ``file``: an open descriptor of the file that holds ``data``, if there is one."""
        return data

    def unseal_head(self, data: bytes, upto: int | None = None) -> tuple[bytes, bool]:
        """The first bytes of a whole file read back, at least up to its first newline (or
        ``upto`` bytes), and whether they are the whole file. A snapshot's head (its people)
        ends before its first newline: an encrypted journal opens that much first (see
        AgeCodec.unseal_head). ``data`` may be only the file's first bytes."""
        return data, True

    def seal_line(self, line: bytes) -> bytes:
        """One line (without its newline) as it goes to disk; never holds a newline."""
        return line

    def unseal_line(self, line: bytes) -> bytes:
        """One line as read back (a sealed one left by ``decrypt`` reads as a folded header)."""
        return FOLDED_HEADER if line.startswith(LINE_MARKS) else line
