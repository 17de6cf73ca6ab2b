"""Running store tests on an encrypted journal: every ``Journal.open`` without a codec gets
one age codec (one journal key for the session), so a test written for a plain journal
exercises the sealed one, and :func:`plaintext_in` searches a folder for any byte of a
journal's JSON left on disk."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from netjournal.sealing.age_codec import AgeCodec, JournalKey, key_text, parse_key_text
from netjournal.store import Journal

KEY = JournalKey.generate()
_ENV = "NJ_TEST_JOURNAL_KEY"  # (a child process started by a sealed test seals with the same key)
# The lines a test's child process (python -c) runs first: sealed like its parent, if it is.
CHILD_SETUP = f"""
import os, sys
if os.environ.get("{_ENV}"):
    sys.path.insert(0, {str(Path(__file__).resolve().parent)!r})
    import sealed
    sealed.from_env()
"""


_HEAD_FIRST_ENV = "NJ_TEST_HEAD_FIRST"  # (and opens head first, as a big journal does)


def from_env() -> None:
    global KEY
    KEY = parse_key_text(os.environ[_ENV].encode(), _ENV)[0]
    seal_every_open(pytest.MonkeyPatch())
    if os.environ.get(_HEAD_FIRST_ENV):
        head_first_always(pytest.MonkeyPatch())


def head_first_always(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every encrypted snapshot, however small, opens as a big one does: its head decrypted
    alone, the rest on first use (store/sealed_head.py), by the age tool when it is installed."""
    from netjournal.sealing import age_tool
    from netjournal.store import sealed_head

    monkeypatch.setattr(sealed_head, "HEAD_FIRST_ABOVE", 0)
    monkeypatch.setattr(age_tool, "TOOL_ABOVE", 0)
# What any plaintext of a journal holds: its tables' and records' keys.
MARKS = (b'"name":', b'"contact_ids":', b'"_meta":', b'"ops":', b'{"log":')


def age_codec() -> AgeCodec:
    return AgeCodec([KEY], [])


def seal_every_open(monkeypatch: pytest.MonkeyPatch) -> None:
    real = Journal.open.__func__  # type: ignore[attr-defined]

    def sealed_open(cls: type[Journal], path: Any, **kw: Any) -> Journal:
        if kw.get("codec") is None:
            kw["codec"] = age_codec()
        return real(cls, path, **kw)  # type: ignore[no-any-return]

    monkeypatch.setattr(Journal, "open", classmethod(sealed_open))


def plaintext_in(folder: Path, extra: tuple[bytes, ...] = ()) -> list[str]:
    """Every file under ``folder`` that holds a journal's plaintext (or one of ``extra``)."""
    found = []
    for file in folder.rglob("*"):
        if file.is_file():
            data = file.read_bytes()
            if any(mark in data for mark in (*MARKS, *extra)):
                found.append(str(file.relative_to(folder)))
    return found


@pytest.fixture(params=["plain", "age", "age-head-first"])
def each_codec(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """The test runs on a plain journal, then on an encrypted one, then on an encrypted one
    opened head first (as a big one is: see :func:`head_first_always`); on the encrypted ones,
    nothing under ``tmp_path`` may hold plaintext afterwards (whatever fault was injected)."""
    if request.param == "plain":
        yield "plain"
        return
    with pytest.MonkeyPatch.context() as mp:
        seal_every_open(mp)
        mp.setenv(_ENV, key_text([KEY]).decode())
        if request.param == "age-head-first":
            head_first_always(mp)
            mp.setenv(_HEAD_FIRST_ENV, "1")
        yield "age"
    assert plaintext_in(tmp_path) == []


def unsealed(data: bytes) -> bytes:
    """A whole file's bytes as a plain journal would hold them (opened if sealed)."""
    return age_codec().unseal(data) if data.startswith(b"age-encryption.org/v1\n") else data
