"""User text made safe to show: no control character from the journal reaches a terminal or a
text file.

The journal keeps text exactly as it was given (an imported vCard may hold terminal escapes);
sanitising happens on the way out, with these pure functions:

* :func:`printable` for text about to be shown or written: each control character becomes a
  visible stand-in, so nothing is hidden and nothing is run by the terminal.
* :func:`strip_controls` for text already measured and laid out (a rendered line of the app),
  where a control character counts as zero cells: removing it keeps every column in place.
* :func:`escape_json_controls` for JSON about to be printed or saved: the characters JSON
  allows raw are escaped instead, so the backup stays exact and safe to ``cat``.

What counts as unsafe:

* C0 controls (U+0000-U+001F) but those the caller keeps (newline and tab by default): ESC
  starts every terminal escape (OSC 52 writes the clipboard, OSC 0 the window title, CSI 2J
  clears the screen). Shown as Unicode Control Pictures: ESC -> "␛", NUL -> "␀".
* DEL (U+007F), shown as "␡".
* C1 controls (U+0080-U+009F): some terminals run U+009B as CSI and U+009D as OSC. They have
  no pictures and are mostly mis-decoded Windows-1252 punctuation: shown as "\ufffd".
* Bidi embeddings and overrides (U+202A-U+202E): removed. An override left open reorders
  everything after it on the line: the next columns of a table row, the rest of a CSV
  record. Closing it for the user (wrapping their text in an isolate) would contain it only
  where the terminal implements isolates, and names need no override: the implicit bidi
  algorithm orders right-to-left scripts. So they go, and nothing a reader sees is lost.
* Bidi isolates (LRI, RLI, FSI, PDI: U+2066-U+2069): kept on a line where each initiator is
  closed by its PDI, removed from a line where they are not. A balanced isolate reorders
  nothing outside it (it is what the app puts around a right-to-left name in a column);
  one left open would reorder the rest of the line.
* The directional marks (LRM, RLM, ALM) and joiners (ZWJ, ZWNJ) are kept: they reorder
  nothing beyond their neighbours, and scripts and emoji need them.

A carriage return is a line break written the Windows or old-Mac way: where newlines are kept,
CRLF and a lone CR become a newline rather than a "␍".
"""

from __future__ import annotations

import re
from functools import lru_cache

_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_ISOLATE = re.compile("[\u2066-\u2069]")
_OVERRIDES = range(0x202A, 0x202F)  # LRE, RLE, PDF, LRO, RLO
_ISOLATES = range(0x2066, 0x206A)  # LRI, RLI, FSI, PDI
# The bidi controls text exports and the terminal never carry as they are (see printable).
BIDI_CONTROLS = "".join(map(chr, [*_OVERRIDES, *_ISOLATES]))
# In UTF-8: DEL, U+0080-U+009F, U+2028-U+202E, U+2066-U+2069 (lead bytes never occur mid-character).
_JSON_RAW = re.compile(rb"\x7f|\xc2[\x80-\x9f]|\xe2\x80[\xa8-\xae]|\xe2\x81[\xa6-\xa9]")


@lru_cache(maxsize=16)
def _table(keep: str, keep_isolates: bool) -> dict[int, str | None]:
    table: dict[int, str | None] = {c: chr(0x2400 + c) for c in range(0x20) if chr(c) not in keep}
    table[0x7F] = "\u2421"
    table.update({c: "\ufffd" for c in range(0x80, 0xA0)})
    table.update({c: None for c in [*_OVERRIDES, *([] if keep_isolates else _ISOLATES)]})
    return table


def printable(text: str, *, keep: str = "\n\t") -> str:
    """``text`` with every control character shown by a visible stand-in ("␛" for ESC, "␀" for
    NUL, "␡" for DEL, "\ufffd" for a C1 control) and the bidi embeddings and overrides removed,
    as are the isolates of a line where they are not balanced; the characters in ``keep``
    (newline and tab by default) stay as they are.

    Every other character (letters of any script, combining marks, emoji, ZWJ, the balanced
    FSI...PDI put around a right-to-left name) comes through unchanged, and text with nothing
    to change is returned as is (fast for long text).
    """
    if not _UNSAFE.search(text):
        return text
    if "\r" in text and "\n" in keep:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not _ISOLATE.search(text):
        return text.translate(_table(keep, False))
    if "\n" in keep:
        return "\n".join(line.translate(_table(keep, isolates_balanced(line))) for line in text.split("\n"))
    return text.translate(_table(keep, isolates_balanced(text)))


def isolates_balanced(line: str) -> bool:
    """Is every isolate initiator (LRI, RLI, FSI) on ``line`` closed by a PDI after it, and every
    PDI closing one? (True for a line without isolates.)"""
    depth = 0
    for ch in _ISOLATE.findall(line):
        depth += -1 if ch == "\u2069" else 1
        if depth < 0:
            return False
    return depth == 0


@lru_cache(maxsize=2)
def _strip_table(keep_isolates: bool) -> dict[int, None]:
    drop = [*range(0x20), *range(0x7F, 0xA0), *_OVERRIDES, *([] if keep_isolates else _ISOLATES)]
    return {c: None for c in drop if c != 0x0A}


def strip_controls(text: str, *, keep_isolates: bool = False) -> str:
    """``text`` without its control characters and bidi controls (newlines kept): for text that is
    already laid out, where each of them was measured as zero cells wide. ``keep_isolates``:
    leave LRI/RLI/FSI/PDI (the caller found them balanced on their line: :func:`isolates_balanced`)."""
    if not _UNSAFE.search(text):
        return text
    return text.translate(_strip_table(keep_isolates))


def escape_json_controls(data: bytes) -> bytes:
    """UTF-8 JSON with DEL, the C1 controls, the line/paragraph separators and the bidi controls
    that JSON allows raw in a string written as ``\\uXXXX`` escapes instead: the same JSON value,
    safe to print. (The C0 controls are escaped by every JSON writer already.)"""
    return _JSON_RAW.sub(lambda m: f"\\u{ord(m.group().decode()):04x}".encode(), data)
