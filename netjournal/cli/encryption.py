"""netjournal encrypt / decrypt: encryption at rest turned on, changed, or off."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from netjournal.cli.context import Context
from netjournal.cli.unlock import passphrase_source
from netjournal.errors import NetjournalError, ValidationError
from netjournal.sealing import Keys
from netjournal.sealing.unlocking import key_path
from netjournal.store import devicemode, encryption, lifecycle


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser(
        "encrypt",
        help="encrypt the journal at rest with age (an identity file or a passphrase); again: a new key",
        description="Every file of the journal (the snapshot, its change log, backups, kept copies) is sealed. "
        "A lost key is a lost journal: keep the identity file (or the passphrase) safe, and a plaintext export.",
    )
    how = p.add_mutually_exclusive_group(required=True)
    how.add_argument("--identity", dest="new_identity", metavar="FILE", help="an age identity file (age-keygen)")
    how.add_argument("--passphrase", action="store_true", help="a passphrase instead (asked twice)")
    p.add_argument("--yes", action="store_true", help="do not ask for a confirmation")
    p.set_defaults(func=cmd_encrypt)
    p = sub.add_parser("decrypt", help="turn encryption off: the journal's files are written plain again")
    p.add_argument("--yes", action="store_true", help="do not ask for a confirmation")
    p.set_defaults(func=cmd_decrypt)


def _confirm(question: str, yes: bool) -> None:
    print(f"netjournal: {question}", file=sys.stderr)
    if yes:
        return
    if not sys.stdin.isatty():
        raise ValidationError("confirm with --yes (no terminal to ask in); nothing was changed", "confirmation")
    if input("Go on? [y/N] ").strip().lower() not in ("y", "yes"):
        raise ValidationError("not confirmed; nothing was changed", "confirmation")


def _refuse_shared(path: Path, advice: str) -> None:
    """Each device writes only its own files of a journal shared between devices: encryption
    is turned on or off before sharing (a device cannot seal another's files, and a plain file
    another device would have to take as one of the journal's is what encryption refuses). A
    key change travels (store/devicekeys.py)."""
    if devicemode.is_on(lifecycle.resolve(path)):
        raise NetjournalError(f"{path} is shared between devices: {advice}; nothing was changed")


def cmd_encrypt(args: argparse.Namespace, ctx: Context) -> int:
    shared = devicemode.is_on(lifecycle.resolve(ctx.journal_path))
    if shared and not _sealed_here(ctx):
        _refuse_shared(ctx.journal_path, "encrypt a journal before `netjournal devices on` (a key change travels)")
    if args.new_identity:
        identity = Path(args.new_identity).expanduser().absolute()
        new = Keys(identity=identity)
        new.identities()  # (read now: a bad file is refused before anything is asked or done)
        where = f"the identity file {identity} (keep a copy of it elsewhere)"
    else:
        source = passphrase_source("netjournal: new passphrase: ", twice=True)
        if source is None:
            raise ValidationError("no terminal to ask the passphrase in (or set NETJOURNAL_PASSPHRASE_COMMAND)")
        new = Keys(passphrase=source)
        where = "the passphrase you give"
    _confirm(
        f"{ctx.journal_path} will be readable only with {where}. A lost key is a lost journal, "
        "unless you keep a plaintext export (netjournal export).",
        args.yes,
    )
    journal = ctx.journal()
    encryption.encrypt(journal, new)
    print(f"netjournal: {journal.path} is encrypted (its key: {key_path(journal.path)})", file=sys.stderr)
    if journal.device is not None:
        print(
            f"netjournal: the other devices take the new key when each next opens the journal with {where} "
            "(until then their own files stay sealed with the old key)",
            file=sys.stderr,
        )
    return 0


def _sealed_here(ctx: Context) -> bool:
    """(A shared journal.) Whether it is encrypted already (its devices hold key files)."""
    shared = devicemode.folder(lifecycle.resolve(ctx.journal_path))
    return any(not p.name.startswith(".") for p in shared.glob("*.json.key"))


def cmd_decrypt(args: argparse.Namespace, ctx: Context) -> int:
    _refuse_shared(ctx.journal_path, "it stays as it is (decrypt a journal before `netjournal devices on`)")
    _confirm(f"{ctx.journal_path} will be written unencrypted (readable by anyone who gets the files).", args.yes)
    journal = ctx.journal()
    if not journal.encrypted:
        if encryption.finish_decrypt(journal.path, ctx.keys):  # (one stopped half way: its backups)
            print(f"netjournal: {journal.path} is no longer encrypted (a decrypt stopped half way is finished)",
                  file=sys.stderr)
            return 0
        print(f"netjournal: {journal.path} is not encrypted; nothing to do", file=sys.stderr)
        return 0
    encryption.decrypt(journal)
    print(f"netjournal: {journal.path} is no longer encrypted", file=sys.stderr)
    return 0
