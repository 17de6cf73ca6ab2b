"""netjournal export / import (the JSON exchange format; other formats: interop issue)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from netjournal.cli.context import Context
from netjournal.errors import NetjournalError, ValidationError
from netjournal.store import files

EXPORTERS: dict[str, Any] = {}  # format -> callable(journal, args) -> bytes (filled by interop)
IMPORTERS: dict[str, Any] = {}  # suffix -> callable(journal, path, args, ctx) -> int


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("export", help="write the journal to a file or stdout")
    p.add_argument("--format", "-f", default="json", help="json (full backup), vcf, csv or md")
    p.add_argument("-o", "--output", metavar="FILE", help="file to write (default: stdout)")
    p.set_defaults(func=cmd_export)
    p = sub.add_parser("import", help="read records from a file (json backup, vcf, csv)")
    p.add_argument("file", metavar="FILE")
    p.add_argument("--dry-run", action="store_true", help="show what would change; write nothing")
    p.set_defaults(func=cmd_import)


def write_output(data: bytes, output: str | None) -> None:
    if output:
        target = Path(output)
        try:
            files.atomic_write(target, data)
        except OSError as exc:
            raise NetjournalError(f"cannot write {target}: {exc.strerror or exc}") from None
        print(f"wrote {target}", file=sys.stderr)
    else:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()


def cmd_export(args: argparse.Namespace, ctx: Context) -> int:
    fmt = args.format.lower()
    journal = ctx.journal(readonly=True)
    if fmt == "json":
        from netjournal.interop.exchange import dump

        data = dump(journal.all_records())
    elif fmt in EXPORTERS:
        data = EXPORTERS[fmt](journal, args)
    else:
        known = ", ".join(["json", *EXPORTERS])
        raise ValidationError(f"unknown export format {args.format!r} (known: {known})", field="format")
    write_output(data, args.output)
    return 0


def read_input(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise NetjournalError(f"no such file: {path}") from None
    except IsADirectoryError:
        raise NetjournalError(f"{path} is a folder, not a file") from None
    except OSError as exc:
        raise NetjournalError(f"cannot read {path}: {exc.strerror or exc}") from None


def cmd_import(args: argparse.Namespace, ctx: Context) -> int:
    path = Path(args.file)
    suffix = path.suffix.lower().lstrip(".")
    if suffix in IMPORTERS:
        return int(IMPORTERS[suffix](path, args, ctx))
    if suffix not in ("json", ""):
        known = ", ".join(["json", *IMPORTERS])
        raise ValidationError(f"cannot import {path.name}: unknown file type .{suffix} (known: {known})", field="file")
    from netjournal.interop.exchange import check_references, load

    bundle = load(read_input(path), source=path.name)
    journal = ctx.journal(readonly=args.dry_run)
    check_references(bundle, {c.id for c in journal.contacts(archived=True)}, source=path.name)
    added = updated = same = 0
    changes = []
    for record in bundle.records():
        table = {"Contact": "contacts", "Interaction": "interactions", "Favour": "favours"}[type(record).__name__]
        existing = journal.document(table, record.id)
        if existing is None:
            added += 1
            changes.append(record)
        elif existing == record.to_dict():
            same += 1
        elif record.updated >= existing.get("updated", ""):
            updated += 1
            changes.append(record)
        else:
            same += 1
    verb = "would import" if args.dry_run else "imported"
    if not args.dry_run and changes:
        journal.put_many(changes, undo_label=f"import {path.name}")
    print(
        f"{verb} {path.name}: {len(bundle.contacts)} contacts, {len(bundle.interactions)} interactions, "
        f"{len(bundle.favours)} favours ({added} new, {updated} updated, {same} unchanged)"
    )
    return 0
