"""Reading a contacts file: a vCard (.vcf/.vcard) or a CSV, whole or card by card."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from netjournal.domain.model import Contact
from netjournal.errors import NetjournalError
from netjournal.interop import read_input
from netjournal.interop.csvio import parse_contacts_csv
from netjournal.interop.parsed import Parsed
from netjournal.interop.stream import open_input, text_lines
from netjournal.interop.vcard import iter_vcards, parse_vcards


def load_contacts_file(path: Path, *, fmt: str | None = None, skip_bad: bool = False, stream: bool = False) -> Parsed:
    """Read a vCard (.vcf/.vcard) or CSV file; raises NetjournalError with one clear line.
    With ``stream``, a vCard file is opened here and read card by card as ``entries()`` are
    consumed (its damaged cards are then met, and refused, while they are)."""
    kind = (fmt or path.suffix.lstrip(".")).lower()
    if stream and kind in ("vcf", "vcard"):
        f = open_input(path)
        parsed = Parsed(path.name, "vCard")
        parsed.stream = _closing(f, iter_vcards(text_lines(f, path.name), parsed, skip_bad=skip_bad))
        return parsed
    raw = read_input(path)
    return parse_contacts(raw, kind, source=path.name, skip_bad=skip_bad)


def _closing(f: BinaryIO, entries: Iterator[tuple[str, Contact]]) -> Iterator[tuple[str, Contact]]:
    with f:
        yield from entries


def parse_contacts(raw: bytes, kind: str, *, source: str, skip_bad: bool = False) -> Parsed:
    """The people in the bytes of a vCard or CSV file (``kind``: its suffix)."""
    if kind in ("vcf", "vcard"):
        return parse_vcards(raw, source=source, skip_bad=skip_bad)
    if kind == "csv":
        return parse_contacts_csv(raw, source=source, skip_bad=skip_bad)
    raise NetjournalError(f"cannot read contacts from a .{kind} file (known: vcf, csv)")
