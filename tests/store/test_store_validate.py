"""A hand-edited journal whose JSON is valid but whose records are not (a field of the wrong
type, a value netjournal never writes, a record naming a person who is not there) is damaged
like any other: refused at open in one line naming the file, the table, the record and the
field, and left byte for byte as it was."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import orjson
import pytest
from clitools import assert_one_line_error, run

from netjournal.domain.model import Contact, Favour, Interaction
from netjournal.store import Journal
from netjournal.store.errors import JournalDamaged

COMMANDS = [["today"], ["ledger"], ["circles"], ["export", "-f", "md"], ["contact", "list"], ["show", "Ana"]]

Edit = Callable[[dict[str, Any]], None]


@pytest.fixture
def journal_path(tmp_path: Path) -> Path:
    path = tmp_path / "data" / "journal.json"
    with Journal.open(path) as j:
        j.put_many([
            Contact(id="c-ana", name="Ana", tags=["python"]).stamped(),
            Contact(id="c-bruno", name="Bruno").stamped(),
            Interaction(id="i-1", date="2024-03-01", contact_ids=["c-ana"], kind="call", text="hello").stamped(),
            Favour(id="f-1", date="2024-03-02", contact_id="c-ana", direction="given", kind="advice").stamped(),
        ])
        j.compact()
    return path


def hand_edit(path: Path, edit: Edit) -> bytes:
    """Edit the whole file the way a person with a text editor and a JSON tool would (its
    layout changes: the checksummed parts no longer match); returns the new bytes."""
    data = json.loads(path.read_text(encoding="utf-8"))
    edit(data)
    path.write_text(json.dumps(data, indent=2), encoding="utf-8")
    return path.read_bytes()


def head_edit(path: Path, edit: Edit) -> bytes:
    """Edit only the head (the people, _meta) of a snapshot as a netjournal from before the
    whole-file checksum wrote it (no ``_check`` table), keeping the favours' and interactions'
    bytes, so their own checksums still match: the open reads them lazily, unparsed."""
    raw = path.read_bytes()
    check = raw.rfind(b',"_check":')
    assert check > 0 and raw.endswith(b"}}}")
    raw = raw[:check] + b"}"
    at = raw.rfind(b',"favours":', 0, raw.find(b',"interactions":'))
    assert at > 0
    head = orjson.loads(raw[:at] + b"}")
    edit(head)
    new = orjson.dumps(head)[:-1] + raw[at:]
    path.write_bytes(new)
    return new


def tags_a_string(data: dict[str, Any]) -> None:
    data["contacts"]["c-ana"]["tags"] = "python"


def date_a_number(data: dict[str, Any]) -> None:
    data["interactions"]["i-1"]["date"] = 20240301


def favour_sideways_and_heavy(data: dict[str, Any]) -> None:
    data["favours"]["f-1"].update(direction="sideways", weight="heavy")


def favour_of_a_stranger(data: dict[str, Any]) -> None:
    data["favours"]["f-1"]["contact_id"] = "c-ghost"


def interaction_with_a_stranger(data: dict[str, Any]) -> None:
    data["interactions"]["i-1"]["contact_ids"] = ["c-ana", "c-ghost"]


CASES = [
    (tags_a_string, "contacts c-ana field tags"),
    (date_a_number, "interactions i-1 field date"),
    (favour_sideways_and_heavy, "favours f-1 field"),
    (favour_of_a_stranger, "favours f-1 field contact_id"),
    (interaction_with_a_stranger, "interactions i-1 field contact_ids"),
]


@pytest.mark.parametrize(("edit", "words"), CASES, ids=[c[0].__name__ for c in CASES])
def test_a_hand_edited_record_of_the_wrong_shape_is_refused_by_every_command(
    journal_path: Path, edit: Edit, words: str
) -> None:
    before = hand_edit(journal_path, edit)
    for command in COMMANDS:
        r = run(*command, journal=journal_path)
        assert_one_line_error(r, f"{journal_path} is damaged", words, "it was left as it was")
    assert journal_path.read_bytes() == before


def test_the_message_says_what_is_wrong_with_the_field(journal_path: Path) -> None:
    hand_edit(journal_path, favour_sideways_and_heavy)
    with pytest.raises(JournalDamaged) as err:
        Journal.open(journal_path, readonly=True)
    message = str(err.value)
    assert "favours f-1 field direction: must be given or received, not 'sideways'" in message or (
        "favours f-1 field weight: must be a whole number, not 'heavy'" in message
    ), message


def test_a_person_of_the_wrong_shape_is_refused_when_the_rest_is_untouched(journal_path: Path) -> None:
    before = head_edit(journal_path, tags_a_string)
    r = run("today", journal=journal_path)
    assert_one_line_error(r, "contacts c-ana field tags: must be a list of strings")
    r = run("contact", "add", "Carla", journal=journal_path)
    assert_one_line_error(r, "contacts c-ana field tags")
    assert journal_path.read_bytes() == before


@pytest.mark.parametrize("table", ["interactions", "favours"])
def test_a_person_removed_by_hand_who_still_has_records_is_damage(journal_path: Path, table: str) -> None:
    def remove_ana(head: dict[str, Any]) -> None:
        del head["contacts"]["c-ana"]

    with Journal.open(journal_path) as j:  # Ana keeps records only in ``table``
        if table == "interactions":
            j.delete_favour("f-1")
        else:
            j.delete_interaction("i-1")
        j.compact()
    before = head_edit(journal_path, remove_ana)
    for command in (["contact", "list"], ["ledger"]):
        r = run(*command, journal=journal_path)
        assert_one_line_error(r, f"{journal_path} is damaged", table, "c-ana")
    assert journal_path.read_bytes() == before


def _log_edit(journal_path: Path, monkeypatch: pytest.MonkeyPatch, record: Any, old: bytes, new: bytes) -> Path:
    """Save ``record`` (kept in the change log), then hand-edit its line: ``old`` -> ``new``."""
    import netjournal.store.folding as jmod

    monkeypatch.setattr(jmod, "SMALL_SNAPSHOT", 0)
    monkeypatch.setattr(jmod, "COMPACT_LOG_FRACTION", 0)
    with Journal.open(journal_path) as j:
        j.put_many([record])
    log = journal_path.with_name(journal_path.name + ".log")
    lines = log.read_bytes()
    assert lines.count(old) == 1
    log.write_bytes(lines.replace(old, new))
    return log


def test_a_change_log_line_of_the_wrong_shape_is_refused(journal_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    favour = Favour(id="f-2", date="2024-03-03", contact_id="c-ana", weight=4).stamped()
    log = _log_edit(journal_path, monkeypatch, favour, b'"weight":4', b'"weight":"heavy"')
    snapshot, lines = journal_path.read_bytes(), log.read_bytes()
    r = run("ledger", journal=journal_path)
    assert_one_line_error(r, f"{log} is damaged at line", "favours f-2 field weight")
    assert (journal_path.read_bytes(), log.read_bytes()) == (snapshot, lines)


def test_a_change_log_line_naming_a_stranger_is_refused(journal_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    talk = Interaction(id="i-2", date="2024-03-03", contact_ids=["c-bruno"]).stamped()
    log = _log_edit(journal_path, monkeypatch, talk, b'["c-bruno"]', b'["c-ghost"]')
    r = run("contact", "list", journal=journal_path)
    assert_one_line_error(r, f"{log} is damaged", "interactions i-2 field contact_ids", "c-ghost")


def test_a_person_deleted_in_the_change_log_with_their_records_is_fine(
    journal_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import netjournal.store.folding as jmod

    monkeypatch.setattr(jmod, "SMALL_SNAPSHOT", 0)  # the deletion stays in the log: the snapshot keeps Ana's records
    monkeypatch.setattr(jmod, "COMPACT_LOG_FRACTION", 0)
    with Journal.open(journal_path) as j:
        j.delete_contact("c-ana")
    assert journal_path.with_name(journal_path.name + ".log").stat().st_size
    with Journal.open(journal_path, readonly=True) as j:
        assert [c.name for c in j.contacts()] == ["Bruno"]
        assert j.favours() == [] and j.interactions() == []


def test_a_journal_written_by_netjournal_opens_without_complaint(journal_path: Path) -> None:
    with Journal.open(journal_path, readonly=True) as j:
        assert len(j.contacts()) == 2 and len(j.favours()) == 1 and len(j.interactions()) == 1
