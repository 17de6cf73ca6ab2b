"""netjournal devices: one journal shared between devices through a file-sync engine
(Syncthing, Dropbox, Nextcloud, iCloud Drive, git; store/devicemode.py).

``netjournal devices`` (or ``devices status``) says whether the journal is shared, this
device's name and files, every other file of the devices' folder that is read (a conflict
copy an engine made among them), what could not be read of them and how many clashes there
are. ``netjournal devices on`` shares it from now on. ``netjournal doctor`` lists the clashes
and the unreadable files (:func:`print_clashes`, :func:`print_problems`)."""

from __future__ import annotations

import argparse
import os
import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from rich.text import Text

from netjournal.cli.context import Context, this_device
from netjournal.cli.listing import Listing
from netjournal.domain.text import clean_line, counted, first_words
from netjournal.errors import NetjournalError
from netjournal.store import Journal, devicemode, devicesources, lifecycle, sharing
from netjournal.store.devicewiring import Clash
from netjournal.store.errors import StoreError

# The name an engine gives a device's own files (devicemode.stem + .json / .json.log): any
# other name a journal file of the folder has is a copy an engine made (a conflict copy).
ENGINE_NAME = re.compile(r"[A-Za-z0-9_%~-]+\.json(?:\.log)?")
TRIES = 3  # how often ``devices on`` folds again when another process wrote meanwhile


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser(
        "devices",
        help="share the journal between devices through a sync engine (Syncthing, Dropbox, git...)",
        description="With no subcommand: whether the journal is shared between devices, this device's name "
        "and files, the other devices' files read, and how many clashes there are.",
    )
    p.add_argument("--json", action="store_true", help="print the status as JSON")
    p.set_defaults(func=cmd_status)
    actions = p.add_subparsers(dest="action", metavar="ACTION")
    status = actions.add_parser("status", help="the status (as with no subcommand)")
    status.add_argument("--json", action="store_true", help="print the status as JSON")
    status.set_defaults(func=cmd_status)
    on = actions.add_parser(
        "on",
        help="share this journal between devices from now on (once, on the first device)",
        description="Folds the journal, keeps a backup of it, and moves it into the folder journal.d beside it, "
        "where each device keeps its own files. Then share the journal's folder in your sync engine.",
    )
    on.set_defaults(func=cmd_on)


@dataclass(frozen=True)
class FileInfo:
    name: str
    size: int
    modified: str  # local time, "YYYY-MM-DD HH:MM"
    conflict_copy: bool

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "size": self.size, "modified": self.modified, "conflict_copy": self.conflict_copy}


def file_info(path: Path, *, own: bool = False) -> FileInfo | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    when = datetime.fromtimestamp(st.st_mtime).strftime("%Y-%m-%d %H:%M")
    return FileInfo(path.name, st.st_size, when, not own and ENGINE_NAME.fullmatch(path.name) is None)


def own_files(own: Path) -> list[FileInfo]:
    """This device's own journal, its change log and key file (those that exist)."""
    found = (file_info(own.with_name(own.name + end), own=True) for end in ("", ".log", ".key"))
    return [f for f in found if f is not None]


def other_files(journal: Journal) -> list[FileInfo]:
    """Every file of the devices' folder read as another device's (devicesources.listing)."""
    found = (file_info(s.path) for s in devicesources.listing(journal.path.parent, journal.path))
    return [f for f in found if f is not None]


def problems_of(journal: Journal) -> list[str]:
    """What cannot be read of the other devices' files: what the journal's reader told, and
    what a whole new reading of every file tells (a file read before this process, at an
    earlier fold, is not read again by the journal, so its problem would not be told)."""
    devices = journal._sharing.devices
    if devices is None:
        return []
    told = list(devices.reader.problems)
    codec = journal.storage.codec
    reader = devicesources.Reader(codec.unseal_line, codec.unseal)
    for source in devicesources.listing(journal.path.parent, journal.path):
        reader.read(source, None)
    return told + [p for p in reader.problems if p not in told]


def cmd_status(args: argparse.Namespace, ctx: Context) -> int:
    path = lifecycle.resolve(ctx.journal_path)
    device = this_device()
    missing = devicemode.folder_missing(path)
    if missing:
        raise NetjournalError(missing)
    if not devicemode.is_on(path):
        if args.json:
            ctx.print_json({"journal": str(path), "shared": False, "device": device})
        else:
            print(f"{path} is not shared between devices (netjournal devices on shares it)")
            print(f"this device: {clean_line(device)}")
        return 0
    journal = ctx.journal(readonly=True)
    own, others = own_files(journal.path), other_files(journal)
    problems, clashes = problems_of(journal), journal.clashes()
    if args.json:
        ctx.print_json({
            "journal": str(path), "shared": True, "folder": str(devicemode.folder(path)), "device": device,
            "own": [f.to_dict() for f in own], "others": [f.to_dict() for f in others],
            "problems": problems, "clashes": len(clashes),
        })
        return 0
    print(f"{path} is shared between devices (their files: {devicemode.folder(path)})")
    print(f"this device: {clean_line(device)}")
    _print_files(ctx, "its own files:", own, "none yet (the first change writes them)")
    _print_files(ctx, "the other devices' files read:", others, "none yet (no other device has written)")
    print_problems(problems)
    if clashes:
        print(f"{counted(len(clashes), 'clash', 'clashes')}: two devices changed one field without seeing each "
              "other's change (netjournal doctor lists them)")
    else:
        print("no clashes")
    return 0


def _print_files(ctx: Context, title: str, found: list[FileInfo], none: str) -> None:
    if not found:
        print(f"{title} {none}")
        return
    print(title)
    table = Listing("file", "size", "modified", "", right=("size",))
    for f in found:
        table.add_row(Text(f.name), f"{f.size:,} B", f.modified, "conflict copy" if f.conflict_copy else "")
    ctx.console.print(table)


def print_problems(problems: list[str]) -> None:
    if not problems:
        return
    print(f"{counted(len(problems), 'file problem')} of other devices (what cannot be read is skipped):")
    for problem in problems:
        print(f"  {clean_line(problem)}")


def _shown(value: Any) -> str:
    if value is None or value == "" or value == []:
        return "(empty)"
    if isinstance(value, list):
        return clean_line(", ".join(str(v) for v in value))
    return clean_line(repr(value) if isinstance(value, str) else str(value))


def _label(journal: Journal, clash: Clash) -> str:
    doc = journal.document(clash.table, clash.rid) or {}
    words = doc.get("name") or first_words(str(doc.get("text") or doc.get("description") or ""))
    what = {"contacts": "person", "interactions": "interaction", "favours": "favour"}.get(clash.table, clash.table)
    return f"{what} {clash.rid}" + (f" ({clean_line(str(words))[:60]})" if words else "")


def print_clashes(journal: Journal) -> int:
    """Each clash of ``journal``: the record, the field, the value shown, the others; how many."""
    clashes = journal.clashes()
    if not clashes:
        print("no clashes between devices")
        return 0
    print(f"{counted(len(clashes), 'clash', 'clashes')} between devices (the later change is shown; "
          "edit the field to settle it):")
    for clash in clashes:
        print(f"  {_label(journal, clash)}, {clash.field}: shows {_shown(clash.shown)}")
        for value, device, when in clash.others:
            print(f"    also {_shown(value)} (from {clean_line(device)}, {when} UTC)")
    return len(clashes)


def cmd_on(args: argparse.Namespace, ctx: Context) -> int:
    path = lifecycle.resolve(ctx.journal_path)
    if devicemode.is_on(path):
        raise NetjournalError(f"{path} is shared between devices already; nothing was changed")
    device = this_device()  # (a bad name is refused before anything is done)
    kept = _turn_on(ctx, path, device)
    print(f"{path} is shared between devices from now on; this device is {clean_line(device)}")
    if kept is not None:
        print(f"the journal as it was is kept in {kept}")
    print("next:")
    print("  1. close any netjournal window open on this journal here (open it again after)")
    print(f"  2. share the folder {path.parent} with your other devices in your sync engine "
          "(Syncthing, Dropbox, Nextcloud, iCloud Drive, or a git repository)")
    print("  3. leave out of it: *.lock and .*.tmp-netjournal (Syncthing: those two lines in .stignore)")
    print("  4. once it has arrived, open netjournal on each other device on that folder "
          "(set NETJOURNAL_DEVICE=NAME there to name the device)")
    return 0


def _log_state(path: Path) -> tuple[tuple[int, int] | None, tuple[int, int] | None]:
    return devicesources.stat_key(path), devicesources.stat_key(path.with_name(path.name + ".log"))


def _turn_on(ctx: Context, path: Path, device: str) -> Path | None:
    """Fold the journal (when it exists), then, holding its write lock, turn sharing on; if
    another process wrote it between the fold and the lock, fold again (its change kept)."""
    for _ in range(TRIES):
        journal = ctx.existing_journal()
        if journal is not None:
            journal.compact()
            ctx.close_journal()
        folded = _log_state(path)
        lock = sharing.write_lock(path)
        sharing.take(lock, path)
        try:
            if _log_state(path) == folded:
                return devicemode.turn_on(path, device)
        finally:
            lock.release()
    raise StoreError(f"{path} kept being written by another netjournal process; nothing was changed, try again")
