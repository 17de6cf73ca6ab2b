"""Schema versions and the step-by-step upgrades between them.

* version 1: TinyDB's stock layout, as a plain ``TinyDB("journal.json")`` writes it: records
  keyed by integer doc_ids, each carrying its own ``id`` (or none), no ``_meta`` table.
* version 2 (current): records keyed by their stable string id; ``_meta.schema.version``.

A file newer than this program is refused, never downgraded.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from netjournal.domain.model import RECORD_TYPES, new_id, utc_now
from netjournal.store.errors import JournalDamaged, JournalTooNew

SCHEMA_VERSION = 2
Data = dict[str, dict[str, Any]]


def schema_version(data: Data, where: str = "the journal") -> int:
    meta = data.get("_meta", {}).get("schema")
    if meta is None:
        return 1
    version = meta.get("version") if isinstance(meta, dict) else None
    if type(version) is not int or version < 1:
        raise JournalDamaged(f"{where} is damaged: its schema version is not a number: {version!r}")
    return version


def _v1_to_v2(data: Data) -> Data:
    out: Data = {"_meta": {}}
    for table, rtype in RECORD_TYPES.items():
        rekeyed: dict[str, Any] = {}
        for doc in data.get(table, {}).values():
            doc = dict(doc)
            rid = doc.get("id")
            if not isinstance(rid, str) or not rid or rid in rekeyed:
                rid = new_id(rtype.PREFIX)
                doc["id"] = rid
            rekeyed[rid] = doc
        out[table] = rekeyed
    for table, rows in data.items():
        # Other tables are kept as they were (TinyDB's empty "_default" is dropped).
        if table not in out and (table != "_default" or rows):
            out[table] = rows
    return out


MIGRATIONS: dict[int, Callable[[Data], Data]] = {1: _v1_to_v2}


def new_data() -> Data:
    return {
        "_meta": {"schema": {"version": SCHEMA_VERSION, "created": utc_now()}},
        "contacts": {},
        "interactions": {},
        "favours": {},
    }


def needs_upgrade(data: Data, where: str) -> int:
    """The file's version; raises JournalTooNew for a file from a newer netjournal."""
    version = schema_version(data, where)
    if version > SCHEMA_VERSION:
        raise JournalTooNew(
            f"{where} was written by a newer netjournal (schema {version}; this one reads up to "
            f"{SCHEMA_VERSION}): upgrade netjournal; the file was not changed"
        )
    return version


def upgrade(data: Data) -> Data:
    version = schema_version(data)
    while version < SCHEMA_VERSION:
        data = MIGRATIONS[version](data)
        version += 1
        data.setdefault("_meta", {})["schema"] = {"version": version, "migrated": utc_now()}
    for table in RECORD_TYPES:
        data.setdefault(table, {})
    return data
