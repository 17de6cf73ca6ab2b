"""TinyDB's private API, which netjournal/store/tinydb_bridge.py overrides, is still what the
bridge was written against. A TinyDB release that renames or reshapes it fails here, loudly,
before a save could silently go through TinyDB's own copy-the-table path (or mint ids)."""

from __future__ import annotations

import inspect
import tomllib
from pathlib import Path

import orjson
import tinydb
from packaging.specifiers import SpecifierSet
from tinydb.table import Table

from netjournal.domain.model import Contact
from netjournal.store import Journal, tinydb_bridge

ROOT = Path(__file__).resolve().parents[2]
BRIDGE = "netjournal/store/tinydb_bridge.py"


def test_the_installed_tinydb_is_in_the_range_the_bridge_was_pinned_to() -> None:
    deps = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
    spec = next(d for d in deps if d.startswith("tinydb"))[len("tinydb") :]
    assert tinydb.__version__ in SpecifierSet(spec), (
        f"TinyDB {tinydb.__version__} is outside {spec}: check {BRIDGE} against its Table before widening the pin"
    )


def test_the_private_methods_the_bridge_overrides_keep_their_shape() -> None:
    expected = {
        "_update_table": ["self", "updater"],
        "_get_next_id": ["self"],
        "clear_cache": ["self"],
        "remove": ["self", "cond", "doc_ids"],
    }
    for name, params in expected.items():
        method = getattr(Table, name, None)
        assert method is not None, f"tinydb.table.Table.{name} is gone: {BRIDGE} overrides or calls it"
        found = list(inspect.signature(method).parameters)
        assert found == params, f"tinydb.table.Table.{name}{found} changed: {BRIDGE} expects {params}"
    assert "_storage" in inspect.getsource(Table.__init__), f"Table no longer keeps _storage: {BRIDGE} reads it"


def test_a_save_through_the_bridge_writes_just_the_record_to_the_log(journal_path: Path) -> None:
    """What the override exists for: one change appends one line holding that one record (not
    the table), under the record's own id (TinyDB would mint an integer)."""
    with Journal.open(journal_path) as j:
        j.put_many([Contact(name=f"Person {n}").stamped() for n in range(50)])
        assert isinstance(j._tables["contacts"], tinydb_bridge.JournalTable)
        log = Path(str(journal_path) + ".log")
        before = log.read_bytes().count(b"\n")
        ana = j.add_contact(Contact(name="Ana Silva"))
        lines = log.read_bytes().splitlines()
    assert len(lines) == before + 1
    [(table, rid, doc)] = orjson.loads(lines[-1])["ops"]
    assert (table, rid, doc["name"]) == ("contacts", ana.id, "Ana Silva")
