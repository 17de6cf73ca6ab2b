"""netjournal doctor: say what the journal's file is in, and what can be done about it;
restore a backup when it is damaged or missing."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from netjournal.cli.context import Context, this_device
from netjournal.cli.devices import print_clashes, print_problems, problems_of
from netjournal.domain.text import counted
from netjournal.errors import NetjournalError, ValidationError
from netjournal.sealing import Codec
from netjournal.sealing.unlocking import key_path, sealed_on_disk
from netjournal.store import Journal, backup, devicemode, lifecycle
from netjournal.store.check import check_file
from netjournal.store.errors import JournalDamaged, StoreError
from netjournal.store.journal import unlocked
from netjournal.store.restore import restore_backup


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("doctor", help="check the journal; restore a backup if it is damaged or missing")
    p.add_argument("--restore", type=int, metavar="N", help="restore backup number N of the list (no prompt)")
    p.set_defaults(func=cmd_doctor)


def examine(path: Path, codec: Codec | None = None) -> tuple[str, bool]:
    """Print what was found at ``path``; returns (the problem or "", whether a backup can mend it)."""
    if path.is_dir():
        print(f"{path}: a folder, not a journal file (move it away or choose another --journal)")
        return "a folder", False
    if path.exists() and not path.is_file():
        print(f"{path}: not a regular file (a pipe or a device), not a journal (choose another --journal)")
        return "not a file", False
    if path.is_symlink() and not path.exists():
        print(f"{path}: a link to {Path(os.path.realpath(path))}, which is not there (mount or sync that folder)")
        return "a link to nowhere", False
    if not path.exists():
        found = lifecycle.traces(path)
        if not found:
            print(f"no journal at {path} yet (the first change creates it)")
            return "", False
        print(f"{path}: MISSING, but {', '.join(found)} remain (every command refuses it until it is restored)")
        return "missing", True
    try:
        with Journal.open(path, readonly=True, codec=codec) as j:
            print(
                f"{path}: good — {counted(j.count('contacts'), 'contact')}, "
                f"{counted(j.count('interactions'), 'interaction')}, {counted(j.count('favours'), 'favour')}"
            )
            for notice in j.notices:
                print(f"  note: {notice}")
        return "", False
    except JournalDamaged as exc:
        problem = str(exc).split("; it was left")[0]
        print(f"{path}: DAMAGED — {problem}")
        return problem, True
    except StoreError as exc:
        print(f"{path}: cannot be read — {exc} (this is not damage: check the file's owner and permissions)")
        return str(exc), False


def shared_journal(path: Path) -> Path | None:
    """``path`` (where it really is) if it is a journal shared between devices, else None."""
    try:
        real = lifecycle.resolve(path)
    except StoreError:  # (a link to nowhere: examine says so)
        return None
    return real if devicemode.is_on(real) else None


def examine_devices(shared: Path, codec: Codec | None) -> None:
    """The clashes between devices and the other devices' files that cannot be read."""
    try:
        with Journal.open(shared, readonly=True, codec=codec, undo=False, device=this_device) as j:
            print_clashes(j)
            print_problems(problems_of(j))
            for notice in j.notices:
                print(f"  note: {notice}")
    except StoreError as exc:
        print(f"the other devices' changes cannot be read with it: {exc}")


def cmd_doctor(args: argparse.Namespace, ctx: Context) -> int:
    path = ctx.journal_path
    shared = shared_journal(path)
    if shared is not None:
        path = devicemode.locate(shared, this_device)
        print(f"{shared} is shared between devices; this device's own journal is {path}")
    # (a missing encrypted journal leaves its key file: its backups are opened with it)
    sealed = sealed_on_disk(path) or (not path.exists() and key_path(path).exists())
    codec = unlocked(path, ctx.keys, shared=shared is not None, sealed=sealed)
    problem, mendable = examine(path, codec)
    if shared is not None and not problem:
        examine_devices(shared, codec)
    backups = backup.list_backups(path, lambda p: check_file(p, codec))
    hidden = backup.unreadable(path)
    if hidden:
        print(f"backups: {hidden}; none can be listed or restored (check its owner and permissions)")
    elif backups:
        print("backups, newest first:")
        for n, b in enumerate(backups, 1):
            print(f"  {n}. {b.label}")
    else:
        print("no backups yet (one is taken each day the journal is opened for writing)")
    if args.restore is None and not problem:
        return 0
    if args.restore is None:
        if not mendable:
            return 1
        good = [n for n, b in enumerate(backups, 1) if b.good]
        if not good:
            raise NetjournalError("no good backup exists to restore from; nothing was changed")
        if not sys.stdin.isatty():
            print(f"to restore, run: netjournal doctor --restore {good[0]}", file=sys.stderr)
            return 1
        answer = input(f"restore which backup? [{good[0]}] (empty for {good[0]}, q to quit) ").strip()
        if answer.lower() in ("q", "quit", "n", "no"):
            return 1
        choice = int(answer) if answer.isdigit() else good[0] if not answer else -1
    else:
        choice = args.restore
    if hidden:
        raise NetjournalError(f"{hidden}; nothing was changed")
    if not 1 <= choice <= len(backups):
        raise ValidationError(f"no backup number {choice} (choose 1 to {len(backups)})", field="restore")
    chosen = backups[choice - 1]
    kept_logs: list[Path] = []
    kept = restore_backup(path, chosen.path, kept_logs, mark="damaged" if problem else "replaced", codec=codec)
    print(f"restored {chosen.path.name} to {path}")
    print(f"the journal is now as it was at {chosen.taken:%Y-%m-%d %H:%M}: changes made after that are not in it")
    if kept:
        print(f"the {'damaged file' if problem else 'journal you had'} was kept as {kept}")
    for log in kept_logs:
        print(f"its change log was kept as {log}")
    return 0
