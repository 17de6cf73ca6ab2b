"""The JSON exchange format: a full backup of a journal, and its restore.

    {"format": "netjournal", "version": 1,
     "contacts": [...], "interactions": [...], "favours": [...],
     "deleted": [{"table": "contacts", "id": "c-…", "deleted": "2026-12-05T10:10:00Z"}, ...]}

``deleted`` (optional) names the records deleted from the journal: ``netjournal merge`` of
the file deletes them here too, and never brings them back (a restore ignores it).

Every field is documented in the README. Reading a file validates every record first;
one bad record rejects the whole file with its position and problem.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import orjson

from netjournal import __version__
from netjournal.domain.model import RECORD_TYPES, Contact, Favour, Interaction, Record, utc_now
from netjournal.domain.safe import escape_json_controls
from netjournal.errors import ValidationError

FORMAT = "netjournal"
VERSION = 1
REQUIRED = {
    "contacts": ("id", "name"),
    "interactions": ("id", "date", "contact_ids"),
    "favours": ("id", "date", "contact_id", "direction"),
}


@dataclass
class Bundle:
    contacts: list[Contact] = field(default_factory=list)
    interactions: list[Interaction] = field(default_factory=list)
    favours: list[Favour] = field(default_factory=list)
    deleted: list[tuple[str, str, str]] = field(default_factory=list)  # (table, id, when)

    def records(self) -> list[Record]:
        return [*self.contacts, *self.interactions, *self.favours]


def dump(records: dict[str, list[dict[str, Any]]], deleted: Sequence[tuple[str, str, str]] = ()) -> bytes:
    """Serialise a journal's records (as ``Journal.all_records`` gives them) and the records
    it deleted (as ``Journal.tombstones`` gives them)."""
    out: dict[str, Any] = {
        "format": FORMAT, "version": VERSION, "exported": utc_now(), "generator": f"netjournal {__version__}",
    }
    for table in RECORD_TYPES:
        out[table] = sorted(records.get(table, []), key=lambda d: (d.get("created", ""), d.get("id", "")))
    if deleted:
        out["deleted"] = [{"table": table, "id": rid, "deleted": when} for table, rid, when in deleted]
    # Every character is kept; those JSON allows raw but a terminal would run (DEL, C1, bidi
    # overrides) are written as \u escapes, so the backup is exact and safe to print.
    return escape_json_controls(orjson.dumps(out, option=orjson.OPT_INDENT_2)) + b"\n"


def load(raw: bytes, *, source: str = "the file") -> Bundle:
    """Parse and validate an exchange file; raises ValidationError naming the record."""
    try:
        data = orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        raise ValidationError(f"{source} is not valid JSON ({exc.args[0].split(':')[0]})", field="file") from None
    if not isinstance(data, dict):
        raise ValidationError(f"{source} is not a netjournal export (no \"format\": \"netjournal\")", field="file")
    check_header(data.get("format"), data.get("version"), source)
    bundle = Bundle()
    now = utc_now()
    seen: set[str] = set()
    for table in RECORD_TYPES:
        rows = data.get(table, [])
        if not isinstance(rows, list):
            raise ValidationError(f"{source}: \"{table}\" must be a list", field="file")
        target: list[Any] = getattr(bundle, table)
        for n, row in enumerate(rows, 1):
            target.append(read_record(table, n, row, source=source, seen=seen, now=now))
    bundle.deleted = read_deleted(data.get("deleted", []), source)
    return bundle


def read_deleted(rows: Any, source: str) -> list[tuple[str, str, str]]:
    """The file's ``deleted`` list checked: each a record's table and id, and when."""
    if not isinstance(rows, list):
        raise ValidationError(f"{source}: \"deleted\" must be a list", field="file")
    out = []
    for n, row in enumerate(rows, 1):
        if (
            not isinstance(row, dict)
            or row.get("table") not in RECORD_TYPES
            or not isinstance(row.get("id"), str)
            or not isinstance(row.get("deleted", ""), str)
        ):
            raise ValidationError(f"{source}: deleted #{n}: needs a table, an id and when", field="file")
        out.append((row["table"], row["id"], row.get("deleted", "")))
    return out


def check_header(fmt: Any, version: Any, source: str) -> None:
    if fmt != FORMAT:
        raise ValidationError(f"{source} is not a netjournal export (no \"format\": \"netjournal\")", field="file")
    if not isinstance(version, int) or version < 1:
        raise ValidationError(f"{source} has no valid \"version\"", field="file")
    if version > VERSION:
        problem = f"{source} is format version {version}; this netjournal reads up to {VERSION}"
        raise ValidationError(problem, field="file")


def read_record(table: str, n: int, row: Any, *, source: str, seen: set[str], now: str) -> Record:
    """Row ``n`` of ``table`` as a validated record (``seen``: the ids met so far in the file)."""
    where = f"{source}: {table} #{n}"
    if not isinstance(row, dict):
        raise ValidationError(f"{where}: must be an object", field="file")
    missing = [k for k in REQUIRED[table] if k not in row or row[k] in (None, "")]
    if missing:
        raise ValidationError(f"{where}: missing {', '.join(missing)}", field="file")
    if not isinstance(row["id"], str):
        raise ValidationError(f"{where}: id must be text", field="file")
    if row["id"] in seen:
        raise ValidationError(f"{where}: duplicate id {row['id']!r}", field="file")
    seen.add(row["id"])
    row = dict(row)
    row.setdefault("created", now)
    row.setdefault("updated", row["created"])
    try:
        return RECORD_TYPES[table].from_dict(row)
    except ValidationError as exc:
        raise ValidationError(f"{where} ({row.get('id')}): {exc}", field="file") from None
