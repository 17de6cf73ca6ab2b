"""Reading a file a person named a piece at a time: its lines, decoded as they come.

An import of a 50 MB vCard must not hold the file, nor all its lines, at once: the lines are
cut from blocks of CHUNK bytes and decoded one by one (as :func:`decode_line` says), so a
reader holds one block and one card.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from netjournal.errors import NetjournalError

CHUNK = 1 << 16
_NEWLINE = re.compile(r"\r\n|\n|\r")
_NEWLINE_B = re.compile(rb"\r\n|\n|\r")
_CHARSET = re.compile(rb"charset=\"?([A-Za-z0-9_.:-]+)", re.I)
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")


def open_input(path: Path) -> BinaryIO:
    """The file a person named, open for reading; a missing or unreadable one is one clear error."""
    try:
        if path.is_dir():
            raise IsADirectoryError
        return open(path, "rb")
    except FileNotFoundError:
        raise NetjournalError(f"no such file: {path}") from None
    except IsADirectoryError:
        raise NetjournalError(f"{path} is a folder, not a file") from None
    except OSError as exc:
        raise NetjournalError(f"cannot read {path}: {exc.strerror or exc}") from None


def _read(f: BinaryIO, size: int, name: str) -> bytes:
    try:
        return f.read(size)
    except OSError as exc:
        raise NetjournalError(f"cannot read {name}: {exc.strerror or exc}") from None


def split_lines(blocks: Iterator[bytes]) -> Iterator[bytes]:
    """The lines of a stream of byte blocks, cut at CR LF, LF or CR (a CR that ends a block
    waits for the next one: it may be half of a CR LF). Like ``re.split``, a final newline
    is followed by an empty line."""
    pending = b""
    for block in blocks:
        pending += block
        cut = len(pending) - 1 if pending.endswith(b"\r") else len(pending)
        parts = _NEWLINE_B.split(pending[:cut])
        pending = parts.pop() + pending[cut:]
        yield from parts
    yield from _NEWLINE_B.split(pending)


def _blocks(f: BinaryIO, first: bytes, name: str) -> Iterator[bytes]:
    if first:
        yield first
    while block := _read(f, CHUNK, name):
        yield block


def _utf16_lines(blocks: Iterator[bytes], name: str) -> Iterator[str]:
    decoder = codecs.getincrementaldecoder("utf-16")()
    pending = ""
    try:
        for block in blocks:
            pending += decoder.decode(block)
            cut = len(pending) - 1 if pending.endswith("\r") else len(pending)
            parts = _NEWLINE.split(pending[:cut])
            pending = parts.pop() + pending[cut:]
            yield from parts
        pending += decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        raise NetjournalError(f"{name} starts as UTF-16 but is not valid UTF-16") from None
    yield from _NEWLINE.split(pending)


class LineDecoder:
    """Decodes a file's lines one at a time: UTF-8, else the line's (or its property's)
    CHARSET parameter, else Windows-1252 (what vCard files from old phones and Outlook hold)."""

    def __init__(self) -> None:
        self.charset: str | None = None

    def decode(self, line: bytes) -> str:
        if line[:1] not in (b" ", b"\t"):  # a folded line continues its property's charset
            m = _CHARSET.search(line.split(b":", 1)[0])
            self.charset = m.group(1).decode("ascii") if m else None
        try:
            return line.decode("utf-8")
        except UnicodeDecodeError:
            pass
        for enc in (self.charset, "cp1252"):
            if enc:
                try:
                    return line.decode(enc)
                except (UnicodeDecodeError, LookupError):
                    continue
        return line.decode("latin-1")


def text_lines(f: BinaryIO, name: str = "the file") -> Iterator[str]:
    """The lines of a text file as text, read CHUNK bytes at a time. A UTF-16 file (by its
    byte order mark) is decoded whole; otherwise each line as :class:`LineDecoder` says. A
    UTF-8 byte order mark is dropped. Only CR and LF end lines (str.splitlines would also cut
    at U+2028 and friends inside a value)."""
    first = _read(f, max(CHUNK, 4), name)
    while 0 < len(first) < 3:  # enough to see a byte order mark
        more = _read(f, CHUNK, name)
        if not more:
            break
        first += more
    if first.startswith(_UTF16_BOMS):
        yield from _utf16_lines(_blocks(f, first, name), name)
        return
    if first.startswith(b"\xef\xbb\xbf"):
        first = first[3:]
    decoder = LineDecoder()
    for line in split_lines(_blocks(f, first, name)):
        yield decoder.decode(line)
