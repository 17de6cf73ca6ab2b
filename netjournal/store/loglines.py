"""The change log's lines: a header naming the snapshot's generation, change lines with the
checksum of their bytes in front, and the part lines of a big change (committed by the last
line of that change, unmarked). Pure: bytes in, values out (``changelog`` owns the file)::

    {"log":1,"generation":7}
    {"sum":1234,"ops":[["contacts","c-…",{...}]],"part":true}
    {"sum":5678,"ops":[...]}
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Callable

import orjson

PART_END = b',"part":true}'  # how a part line of a big change ends (its last line, unmarked, commits them)


def committed(lines: list[bytes], decode: Callable[[bytes], bytes]) -> int:
    """How many of ``lines`` are committed: trailing part lines that no committing line
    follows belong to a big change cut short (never reported saved)."""
    n = len(lines)
    while n and decode(lines[n - 1]).endswith(PART_END):
        n -= 1
    return n


_SUM = re.compile(rb'\{"sum":(\d+),')


def with_sum(line: bytes) -> bytes:
    """A change line (``{"ops":...}``) with the adler32 of its bytes in front, so that a
    change made to the log outside netjournal (a flipped letter) is told apart."""
    return b'{"sum":%d,' % zlib.adler32(line) + line[1:]


def without_sum(line: bytes) -> tuple[bytes, bool]:
    """(The line as it was before :func:`with_sum`, whether its checksum holds.) A line with
    no checksum (written before there were any) holds."""
    m = _SUM.match(line)
    if m is None:
        return line, True
    original = b"{" + line[m.end() :]
    return original, zlib.adler32(original) == int(m.group(1))


def header(generation: int, after: tuple[int, int] | None = None) -> bytes:
    """A log's first line. ``after``: the generation and the length in bytes of the log a fold
    folded just before this one (a device that read that log to its end then knows the new
    snapshot holds nothing of this journal's own it has not read: store/devices.py)."""
    if after is None:
        return orjson.dumps({"log": 1, "generation": generation})
    return orjson.dumps({"log": 1, "generation": generation, "after": list(after)})


def header_after(line: bytes) -> tuple[int, int] | None:
    """The ``after`` a decoded first line declares (see :func:`header`), or None."""
    try:
        value = orjson.loads(line)
        after = value.get("after") if type(value) is dict else None
    except orjson.JSONDecodeError:
        return None
    if type(after) is list and len(after) == 2 and all(type(n) is int for n in after):
        return after[0], after[1]
    return None


def header_generation(line: bytes) -> int | None:
    """The generation a decoded first line declares, or None if it is not a header."""
    if not line.startswith(b'{"log"'):
        return None
    try:
        value = orjson.loads(line)
    except orjson.JSONDecodeError:
        return None
    gen = value.get("generation") if type(value) is dict else None
    return gen if type(gen) is int and gen >= 0 else None
