"""netjournal merge-contacts KEEP OTHER, and netjournal merge OTHER.json."""

from __future__ import annotations

import argparse
from pathlib import Path

from netjournal.cli.context import Context, this_device
from netjournal.domain.text import clean_line, counted, record_counts


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser(
        "merge-contacts",
        help="merge a duplicate person into another (interactions and favours move; nothing is lost)",
        description="OTHER is folded into KEEP: its name becomes an alias, its emails, phones, tags and notes are "
        "added, and its interactions and favours move to KEEP. OTHER is then removed.",
    )
    p.add_argument("keep", metavar="KEEP", help="the person who stays (name, alias or id)")
    p.add_argument("other", metavar="OTHER", help="the duplicate folded into KEEP")
    p.add_argument("--dry-run", action="store_true", help="show the result; write nothing")
    p.add_argument("--json", action="store_true", help="print the result as JSON")
    p.set_defaults(func=cmd_merge_contacts)

    p = sub.add_parser(
        "merge",
        help="fold another copy of the journal (an export or a journal.json) into this one",
        description="Records are matched by id; the newer 'updated' wins. "
        "Prints what was added, updated and in conflict.",
    )
    p.add_argument("file", metavar="OTHER.json")
    p.add_argument("--dry-run", action="store_true", help="show what would change; write nothing")
    p.add_argument("--json", action="store_true", help="print the report as JSON")
    p.set_defaults(func=cmd_merge)


def cmd_merge_contacts(args: argparse.Namespace, ctx: Context) -> int:
    from netjournal.interop.contact_merge import merge_contacts, plan_contact_merge

    journal = ctx.journal(readonly=args.dry_run)
    keep = journal.resolve_contact(args.keep)
    other = journal.resolve_contact(args.other)
    merge = plan_contact_merge if args.dry_run else merge_contacts
    plan = merge(journal, keep.id, other.id)
    if args.json:
        ctx.print_json({**plan.summary(), "dry_run": bool(args.dry_run)})
        return 0
    verb = "would merge" if args.dry_run else "merged"
    n_ix, n_fav = len(plan.interactions), len(plan.favours)
    print(
        f"{verb} {clean_line(other.name)} into {clean_line(keep.name)}: "
        f"{counted(n_ix, 'interaction')} and {counted(n_fav, 'favour')} moved"
    )
    from netjournal.interop.combine import describe_change

    change = describe_change(keep, plan.survivor)
    if change:
        print(f"  {clean_line(keep.name)}: {clean_line(change)}")
    return 0


def _counts(c: dict[str, int]) -> str:
    return record_counts(c)


def cmd_merge(args: argparse.Namespace, ctx: Context) -> int:
    from netjournal.interop.journal_merge import apply_journal_merge, load_other, plan_journal_merge

    path = Path(args.file)
    other = load_other(path, this_device)  # read and checked before the journal is touched
    journal = ctx.journal(readonly=args.dry_run)
    plan = plan_journal_merge(journal, other, source=path.name)
    if not args.dry_run:
        apply_journal_merge(journal, plan)
    summary = plan.summary()
    if args.json:
        ctx.print_json({**summary, "dry_run": bool(args.dry_run)})
        return 0
    verb = "would merge" if args.dry_run else "merged"
    print(
        f"{verb} {path.name}: added {_counts(summary['added'])}; updated {_counts(summary['updated'])}; "
        f"{len(plan.conflicts)} in conflict; {sum(summary['kept_newer_here'].values())} newer here; "
        f"{plan.unchanged} unchanged"
        + (f"; deleted {_counts(summary['deleted'])} (deleted there)" if plan.deletions else "")
        + (f"; {len(plan.kept_deleted)} deleted here stay deleted" if plan.kept_deleted else "")
    )
    for line in summary["conflicts"]:
        print(f"  ! conflict: {clean_line(line)}")
    for line in summary["possible_duplicates"]:
        print(f"  ? possible duplicate: {clean_line(line)} (netjournal merge-contacts)")
    return 0
