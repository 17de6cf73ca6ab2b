"""netjournal export / import.

``export --format json`` and ``import FILE.json`` are the full backup and its restore (the
JSON exchange format). vCard, CSV and Markdown exports and the vCard and CSV imports are
built on netjournal.interop (vcard, csvio, markdown, contact_files, import_plan, export_records).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from netjournal.cli.context import Context
from netjournal.domain.model import Record, complete
from netjournal.domain.text import clean_line, counted
from netjournal.errors import NetjournalError, ValidationError
from netjournal.store import files

if TYPE_CHECKING:
    from netjournal.interop.exchange_stream import ExportReader
    from netjournal.interop.exports import Selection
    from netjournal.store.journal import Journal

CSV_WHAT = ("contacts", "interactions", "favours")
# file suffix -> callable(path, args, ctx) -> exit code
IMPORTERS: dict[str, Callable[[Path, argparse.Namespace, Context], int]] = {}
FORMAT_ALIASES = {"vcard": "vcf", "markdown": "md"}  # of the files import reads


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser(
        "export",
        help="write the journal to a file or stdout (json backup, vCard, CSV, Markdown)",
        description="json is the full backup; vcf (vCard 4.0), csv and md can be limited with --contact and --tag.",
    )
    p.add_argument("--format", "-f", default="json", help="json (full backup, default), vcf, csv or md")
    p.add_argument(
        "-o", "--output", metavar="FILE", help="file to write (default: stdout); a folder with --per-contact"
    )
    p.add_argument("--contact", action="append", default=[], metavar="NAME", help="only this person (repeatable)")
    p.add_argument("--tag", action="append", default=[], help="only people with this tag (repeatable)")
    p.add_argument("--what", choices=CSV_WHAT, help="csv: contacts (default), interactions or favours")
    p.add_argument("--per-contact", action="store_true", help="md: one file per person into the folder given with -o")
    p.add_argument(
        "--encrypt", action="store_true",
        help="json: write an age file (to --identity's recipient, else a passphrase) instead of plain JSON",
    )
    p.set_defaults(func=cmd_export)

    p = sub.add_parser(
        "import",
        help="read records from a file (json backup, vcf, Google or LinkedIn csv)",
        description="People already in the journal (same email, else same name) are updated, never duplicated.",
    )
    p.add_argument("file", metavar="FILE")
    p.add_argument("--dry-run", action="store_true", help="show what would be added and updated; write nothing")
    p.add_argument("--format", "-f", default=None, help="json, vcf or csv (default: from the file name)")
    p.add_argument("--skip-bad", action="store_true", help="vcf/csv: import the good entries and list the damaged ones")
    p.add_argument("--json", action="store_true", help="vcf/csv: print the report as JSON")
    p.set_defaults(func=cmd_import)


# ----------------------------------------------------------------------------- export
def write_output(data: bytes, output: str | None) -> None:
    if output:
        from netjournal.services.writing import write_private

        target = write_private(data, Path(output))
        print(f"wrote {target}", file=sys.stderr)
    else:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()


def _selection(args: argparse.Namespace) -> Selection:
    from netjournal.interop.exports import Selection

    return Selection(args.contact or (), args.tag or (), args.what)


def _check_export_options(fmt: str, args: argparse.Namespace) -> None:
    if fmt == "json" and (_selection(args).limited or args.what or args.per_contact):
        raise ValidationError(
            "json is always the whole journal (a backup): "
            "--contact, --tag, --what and --per-contact apply to vcf, csv and md",
            field="format",
        )
    if args.encrypt and fmt != "json":
        raise ValidationError(f"--encrypt applies to json exports, not {fmt}", field="encrypt")
    if args.what and fmt != "csv":
        raise ValidationError(f"--what applies to csv exports, not {fmt}", field="what")
    if args.per_contact and fmt != "md":
        raise ValidationError(f"--per-contact applies to md exports, not {fmt}", field="per-contact")
    if args.per_contact and not args.output:
        raise ValidationError("--per-contact writes one file per person: give a folder with -o DIR", field="output")


def cmd_export(args: argparse.Namespace, ctx: Context) -> int:
    from netjournal.interop.exports import export_bytes, export_format

    fmt = export_format(args.format)
    _check_export_options(fmt, args)
    journal = ctx.journal(readonly=True)
    if args.per_contact:
        return _export_per_contact(journal, args)
    data = export_bytes(journal, fmt, date.today(), _selection(args))
    if args.encrypt:
        from netjournal.sealing.age_codec import seal_for

        data = seal_for(ctx.keys, data)
    elif journal.encrypted:
        print("netjournal: note: this export is not encrypted (it is for other programs; "
              "--format json --encrypt writes an age file)", file=sys.stderr)
    write_output(data, args.output)
    return 0


def _export_per_contact(journal: Journal, args: argparse.Namespace) -> int:
    from netjournal.interop.exports import selected
    from netjournal.interop.markdown import contact_documents

    folder = Path(args.output)
    if folder.exists() and not folder.is_dir():
        raise NetjournalError(f"cannot write into {folder}: it is a file, not a folder")
    docs = contact_documents(journal, selected(journal, _selection(args)), today=date.today())
    try:
        files.ensure_private_dir(folder)
        for name, text in docs.items():
            files.atomic_write(folder / name, text.encode("utf-8"))
    except OSError as exc:
        raise NetjournalError(f"cannot write into {folder}: {exc.strerror or exc}") from None
    print(f"wrote {counted(len(docs) - 1, 'person')} and index.md into {folder}", file=sys.stderr)
    return 0


# ----------------------------------------------------------------------------- import


def cmd_import(args: argparse.Namespace, ctx: Context) -> int:
    path = Path(args.file)
    suffix = (args.format or path.suffix.lstrip(".")).lower()
    suffix = FORMAT_ALIASES.get(suffix, suffix)
    if suffix in IMPORTERS:
        return int(IMPORTERS[suffix](path, args, ctx))
    if suffix in ("vcf", "csv"):
        return _import_contacts(path, suffix, args, ctx)
    if suffix not in ("json", ""):
        known = ", ".join(["json", "vcf", "csv", *IMPORTERS])
        raise ValidationError(f"cannot import {path.name}: unknown file type .{suffix} (known: {known})", field="file")
    return _import_backup(path, args, ctx)


def _import_backup(path: Path, args: argparse.Namespace, ctx: Context) -> int:
    """Restore a JSON backup: new ids are added, newer versions of known ids replace ours.

    The file is read record by record (interop/exchange_stream.py) and the changes written as
    they come straight into the next snapshot (store/bulk.py): a bad record half way writes
    nothing at all, and a million records are never held in memory."""
    from netjournal.interop.exchange_stream import ExportReader
    from netjournal.interop.stream import open_input

    with open_input(path) as f:
        reader = ExportReader(f, path.name)  # the header is checked before the journal is touched
        journal = ctx.journal(readonly=args.dry_run)
        counts = {"contacts": 0, "interactions": 0, "favours": 0, "new": 0, "updated": 0, "same": 0}
        changes = _backup_changes(journal, reader, counts)
        if args.dry_run:
            for _ in changes:
                pass
        else:
            journal.restore_streamed(changes)
    verb = "would import" if args.dry_run else "imported"
    print(
        f"{verb} {path.name}: {counted(counts['contacts'], 'contact')}, "
        f"{counted(counts['interactions'], 'interaction')}, {counted(counts['favours'], 'favour')} "
        f"({counts['new']} new, {counts['updated']} updated, {counts['same']} unchanged)"
    )
    return 0


def _backup_changes(journal: Journal, reader: ExportReader, counts: dict[str, int]) -> Iterator[Record]:
    """The records of a backup that change the journal (counted in ``counts`` as they pass)."""
    known = {c.id for c in journal.contacts(archived=True)}
    for table, record in reader.records(known):
        counts[table] += 1
        existing = journal.document(table, record.id)
        if existing is None:
            counts["new"] += 1
            yield record
        elif complete(table, existing) == record.to_dict():
            counts["same"] += 1
        elif record.updated >= existing.get("updated", ""):
            counts["updated"] += 1
            yield record
        else:
            counts["same"] += 1


def _import_contacts(path: Path, kind: str, args: argparse.Namespace, ctx: Context) -> int:
    """A vCard is read card by card while it is planned (a damaged card stops the import
    before anything is written); the plan keeps what the report names and hands its records
    to the journal as they are written (one undoable change, in bounded log lines)."""
    from netjournal.interop.contact_files import load_contacts_file
    from netjournal.interop.import_plan import apply_import, plan_import

    parsed = load_contacts_file(path, fmt=kind, skip_bad=args.skip_bad, stream=True)  # opened before the journal
    journal = ctx.journal(readonly=args.dry_run)  # a dry run before the journal exists: all new
    plan = plan_import(journal, parsed, lean=True)
    summary = plan.summary()
    if not args.dry_run:
        apply_import(journal, plan, release=True)
    if args.json:
        ctx.print_json({**summary, "dry_run": bool(args.dry_run)})
        return 0
    print_import_report(summary, dry_run=args.dry_run)
    return 0


def print_import_report(summary: dict[str, Any], *, dry_run: bool) -> None:
    """The report of a contacts import, from :meth:`ImportPlan.summary`."""
    verb = "would import" if dry_run else "imported"
    added, updated, ambiguous, skipped = summary["added"], summary["updated"], summary["ambiguous"], summary["skipped"]
    print(
        f"{verb} {summary['source']} ({summary['kind']}): {len(added)} added, {len(updated)} updated, "
        f"{summary['unchanged']} unchanged, {len(ambiguous)} ambiguous, {len(skipped)} skipped"
    )
    for name in added:
        print(f"  + {clean_line(name)}")
    for change in updated:
        print(f"  ~ {clean_line(change['name'])}: {clean_line(change['changes'])}")
    for item in ambiguous:
        names = ", ".join(clean_line(n) for n in item["matches"])
        who = f"{clean_line(item['name'])} ({clean_line(item['where'])})"
        print(f"  ? {who} matches {names}: left alone (merge them first)")
    for problem in skipped:
        print(f"  ! skipped {clean_line(problem)}")
