"""Imports read their file as they go (a 50 MB vCard or a million-record export is never held
whole), and a big import is still all or nothing."""

from __future__ import annotations

import errno
import io
import re
from pathlib import Path

import orjson
import pytest
from clitools import assert_one_line_error, run
from test_faults import Fault, on_disk

from netjournal.domain.model import Contact, Interaction
from netjournal.interop import stream
from netjournal.interop.contact_files import load_contacts_file
from netjournal.interop.exchange_stream import ExportReader
from netjournal.interop.import_plan import apply_import, plan_import
from netjournal.interop.parsed import Parsed
from netjournal.interop.vcard import iter_vcards
from netjournal.store import Journal, StoreError, storage


@pytest.fixture
def jpath(tmp_path: Path) -> Path:
    """A journal with two people and two interactions."""
    path = tmp_path / "journal" / "journal.json"
    with Journal.open(path) as j:
        ana = j.add_contact(Contact(name="Ana Silva", emails=["ana@example.com"]))
        j.add_contact(Contact(name="Bob Stone"))
        j.add_interaction(Interaction(date="2024-03-05", contact_ids=[ana.id], text="Lunch"))
        j.add_interaction(Interaction(date="2024-02-01", contact_ids=[ana.id], kind="call"))
    return path


class Guarded(io.BytesIO):
    """A file that fails the test if anything reads past ``limit`` bytes."""

    def __init__(self, data: bytes, limit: int) -> None:
        super().__init__(data)
        self.limit = limit
        self.reads = 0
        self.total = 0  # bytes read, over every pass

    def _end(self, size: int) -> int:
        return min(self.tell() + size, len(self.getbuffer()))

    def read(self, size: int | None = -1) -> bytes:
        self.reads += 1
        assert size is not None and 0 <= size and self._end(size) <= self.limit, "read past the guard"
        return super().read(size)

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        assert self._end(len(buffer)) <= self.limit, "read past the guard"
        n = super().readinto(buffer)
        self.total += n
        return n


def cards(n: int) -> bytes:
    return b"".join(b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Person %d\r\nEMAIL:p%d@example.org\r\nEND:VCARD\r\n" % (i, i) for i in range(n))


def test_the_vcard_reader_gives_the_first_card_before_reading_the_rest() -> None:
    raw = cards(30_000)  # ~2.5 MB
    f = Guarded(raw, limit=2 * stream.CHUNK)
    parsed = Parsed("big.vcf", "vCard")
    people = iter_vcards(stream.text_lines(f, "big.vcf"), parsed)
    where, first = next(people)
    assert first.name == "Person 0" and first.emails == ["p0@example.org"]
    assert where == "card 1 (line 1, Person 0)"
    assert f.reads == 1


@pytest.mark.parametrize("chunk", [1, 2, 3, 7, 64])
def test_lines_are_cut_and_decoded_alike_whatever_the_block_size(monkeypatch: pytest.MonkeyPatch, chunk: int) -> None:
    monkeypatch.setattr(stream, "CHUNK", chunk)
    text = "BEGIN:VCARD\r\nFN:Zoë Čapek\rNOTE:東京\nEND:VCARD\r\n\r\nx"
    assert list(stream.text_lines(io.BytesIO(b"\xef\xbb\xbf" + text.encode()))) == re.split(r"\r\n|\n|\r", text)
    latin = "FN;CHARSET=ISO-8859-1:Jos\xe9\r\nNOTE:caf\xe9 \x80\r\n"  # an old phone's card: not UTF-8
    assert list(stream.text_lines(io.BytesIO(latin.encode("latin-1")))) == ["FN;CHARSET=ISO-8859-1:José", "NOTE:café €", ""]
    utf16 = "FN:Zoë\r\nNOTE:東京\r\n"
    assert list(stream.text_lines(io.BytesIO(utf16.encode("utf-16")))) == ["FN:Zoë", "NOTE:東京", ""]


def export(interactions: int, *, bad_last: bool = False) -> bytes:
    people = [{"id": "c-00000000000000a1", "name": "Ana Silva"}]
    rows = [{"id": f"i-{n:016x}", "date": "2024-01-02", "contact_ids": ["c-00000000000000a1"], "text": f"met {n}"}
            for n in range(interactions)]
    if bad_last:
        rows[-1]["contact_ids"] = ["c-nobody"]
    return orjson.dumps({"format": "netjournal", "version": 1, "contacts": people, "interactions": rows, "favours": []},
                        option=orjson.OPT_INDENT_2)


def test_the_export_reader_gives_each_table_s_first_record_before_reading_on() -> None:
    raw = export(20_000)  # ~3 MB
    f = Guarded(raw, limit=256 * 1024)
    reader = ExportReader(f, "big.json")
    records = reader.records(set())
    assert next(records)[1].name == "Ana Silva"  # before the guard
    # The contacts' pass reads to the end (a table may come anywhere); the interactions' pass
    # then gives its first record from its first blocks.
    f.limit, f.total = len(raw), 0
    table, first = next(records)
    assert table == "interactions" and isinstance(first, Interaction) and first.text == "met 0"
    assert f.total <= len(raw) + 256 * 1024


def test_a_restore_with_a_bad_record_at_its_end_writes_nothing(jpath: Path, tmp_path: Path) -> None:
    big = tmp_path / "big.json"
    big.write_bytes(export(2 * storage.PART_OPS + 10, bad_last=True))  # part lines reach the log first
    log = jpath.with_name(jpath.name + ".log")
    before = (jpath.read_bytes(), log.read_bytes() if log.exists() else b"")
    r = run("import", str(big), journal=jpath)
    assert_one_line_error(r, "interactions #4010", "unknown contact id 'c-nobody'")
    assert (jpath.read_bytes(), log.read_bytes() if log.exists() else b"") == before
    assert len(on_disk(jpath)["interactions"]) == 2


def test_a_big_vcard_import_that_fails_half_way_leaves_the_journal_as_before(
    jpath: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(storage, "PART_OPS", 10)
    big = tmp_path / "big.vcf"
    big.write_bytes(cards(45))
    with Journal.open(jpath) as journal:
        before = journal.all_records()
        label = journal.undo_label()
        plan = plan_import(journal, load_contacts_file(big, stream=True), lean=True)
        assert len(plan.added) == 45
        Fault(monkeypatch, "write", errno.ENOSPC, nth=3)
        with pytest.raises(StoreError):
            apply_import(journal, plan, release=True)
        monkeypatch.undo()
        assert journal.all_records() == before
        assert journal.undo_label() == label
    assert on_disk(jpath) == before


def test_a_streamed_vcard_import_reports_as_before(jpath: Path, tmp_path: Path) -> None:
    big = tmp_path / "big.vcf"
    big.write_bytes(cards(3) + cards(1) + b"BEGIN:VCARD\r\nFN:Bob Stone\r\nTEL:123\r\nEND:VCARD\r\n")
    r = run("import", str(big), journal=jpath)
    assert r.code == 0, r.err
    assert r.out.splitlines()[0] == "imported big.vcf (vCard): 3 added, 1 updated, 1 unchanged, 0 ambiguous, 0 skipped"
    with Journal.open(jpath, readonly=True) as j:
        assert len(j.contacts()) == 5
        assert j.resolve_contact("Bob Stone").phones == ["123"]


def test_documents_put_as_they_are_stored_are_kept_and_undone_as_one_change(jpath: Path) -> None:
    with Journal.open(jpath) as journal:
        docs = [Contact(name=f"P {i}", emails=[f"p{i}@x.org"]).stamped().to_stored() for i in range(3)]
        docs.append({"id": "c-00000000000000ff", "name": " Spaced ", "tags": ["a", "a", " b "]})
        with journal.transaction(undo_label="import"):
            assert journal.put_documents("contacts", iter(docs)) == 4
        assert journal.contact(docs[0]["id"]).emails == ["p0@x.org"]
        assert journal.contact("c-00000000000000ff").tags == ["a", "b"]  # stored as it reads back
        assert journal.undo() == "import"
        assert len(journal.contacts()) == 2
        with pytest.raises(Exception, match="name"):
            journal.put_documents("contacts", [docs[0], {"id": "c-00000000000000fe", "name": ""}])
        assert len(journal.contacts()) == 2
