"""The ``netjournal`` command. It never imports Textual (the app is loaded only to open it).

Each command module exposes ``register(subparsers)``; handlers take ``(args, ctx)`` and
return an exit code. Expected errors (NetjournalError) print one line on stderr and exit 2.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence
from typing import NoReturn

from netjournal import __version__
from netjournal.cli.app import run_app
from netjournal.cli.context import Context
from netjournal.cli.safeio import safe_streams
from netjournal.commandline import command_word
from netjournal.crash import unexpected
from netjournal.errors import NetjournalError

COMMAND_MODULES = (
    "netjournal.cli.contacts",
    "netjournal.cli.exchange",
    "netjournal.cli.doctor",
    "netjournal.cli.capture",
    "netjournal.cli.insights",
    "netjournal.cli.interop",
    "netjournal.cli.encryption",
    "netjournal.cli.devices",
)


# Which module registers each command: a command line naming one loads only that module
# (faster start); anything else (help, a typo, no command) loads them all.
COMMAND_HOME = {
    "contact": "netjournal.cli.contacts",
    "export": "netjournal.cli.exchange", "import": "netjournal.cli.exchange",
    "doctor": "netjournal.cli.doctor",
    "log": "netjournal.cli.capture", "give": "netjournal.cli.capture", "receive": "netjournal.cli.capture",
    "show": "netjournal.cli.capture", "search": "netjournal.cli.capture", "ledger": "netjournal.cli.capture",
    "today": "netjournal.cli.insights", "overdue": "netjournal.cli.insights", "who": "netjournal.cli.insights",
    "circles": "netjournal.cli.insights", "time": "netjournal.cli.insights", "reciprocity": "netjournal.cli.insights",
    "asks": "netjournal.cli.insights", "snooze": "netjournal.cli.insights", "config": "netjournal.cli.insights",
    "merge-contacts": "netjournal.cli.interop", "merge": "netjournal.cli.interop",
    "encrypt": "netjournal.cli.encryption", "decrypt": "netjournal.cli.encryption",
    "devices": "netjournal.cli.devices",
}


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:  # one line, exit 2, like every other error
        self.exit(2, f"netjournal: {message} (see netjournal --help)\n")


def build_parser(argv: Sequence[str] | None = None) -> argparse.ArgumentParser:
    """The parser; given the command line, only the named command's module is loaded."""
    parser = _Parser(
        prog="netjournal",
        description="A keyboard-driven journal of your relationships. With no command, opens the app.",
    )
    parser.add_argument("--version", action="version", version=f"netjournal {__version__}")
    parser.add_argument(
        "--journal", metavar="PATH", help="journal file (default: $NETJOURNAL_JOURNAL or the user data folder)"
    )
    parser.add_argument("--demo", action="store_true", help="open a generated demo journal in a temporary folder")
    parser.add_argument(
        "--identity", metavar="FILE", help="the age identity file of an encrypted journal ($NETJOURNAL_IDENTITY)"
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    word = command_word(argv) if argv is not None else None
    modules = (COMMAND_HOME[word],) if word in COMMAND_HOME else COMMAND_MODULES
    for name in modules:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name == name:
                continue
            raise
        module.register(sub)
    _global_options_after(sub)
    return parser


def _global_options_after(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """``--journal`` and ``--demo`` are also read after the command (``netjournal today
    --journal X``), at every level (``config set``). SUPPRESS: given before the command only,
    the command's parser leaves the value read there alone."""
    for command in set(sub.choices.values()):
        if "--journal" not in command._option_string_actions:
            command.add_argument("--journal", metavar="PATH", default=argparse.SUPPRESS,
                                 help="journal file (as before the command)")
            command.add_argument("--demo", action="store_true", default=argparse.SUPPRESS,
                                 help="a generated demo journal (as before the command)")
        if "--identity" not in command._option_string_actions:
            command.add_argument("--identity", metavar="FILE", default=argparse.SUPPRESS,
                                 help="the identity file of an encrypted journal (as before the command)")
        for action in command._actions:
            if isinstance(action, argparse._SubParsersAction):
                _global_options_after(action)


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command line; every error ends as one line on stderr and an exit code.

    Expected errors (NetjournalError, OSError) name their problem; anything else is a bug,
    reported as one line too (``NETJOURNAL_DEBUG=1`` writes its traceback to a file: crash.py).
    Output into a pipe whose reader has gone (``| head``) is not an error: quiet, exit 0.
    Whatever a command prints passes through ``safeio``: no control character from the journal
    (or the command line) reaches the terminal."""
    with safe_streams():
        return _main(argv)


def _main(argv: Sequence[str] | None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    try:
        return _run(argv)
    except BrokenPipeError:  # (before OSError, which it is)
        _silence_stdout()
        return 0
    except NetjournalError as exc:
        print(f"netjournal: {exc}", file=sys.stderr)
        return exc.exit_code
    except OSError as exc:
        # A file the journal needs could not be used (permissions, missing folder, full disk).
        where = f"{exc.filename}: " if getattr(exc, "filename", None) else ""
        print(f"netjournal: {where}{exc.strerror or exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("netjournal: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:
        print(unexpected(exc), file=sys.stderr)
        return 1


def _check_text(argv: list[str]) -> None:
    """Every argument is text: bytes that are not UTF-8 reach Python as lone surrogates
    (surrogateescape), which no record, search or file name can hold."""
    for n, arg in enumerate(argv, 1):
        bad = next((ch for ch in arg if "\udc80" <= ch <= "\udcff"), None)
        if bad is not None:
            byte = ord(bad) - 0xDC00
            raise NetjournalError(
                f"argument {n} is not UTF-8 text (it holds the byte 0x{byte:02x}): "
                "set the terminal to UTF-8, or retype it; nothing was changed"
            )


def _run(argv: list[str]) -> int:
    _check_text(argv)
    parser = build_parser(argv)
    args = parser.parse_args(argv)
    ctx = Context(args)
    try:
        if args.command is None:
            return run_app(ctx)
        handler = args.func
        code: int = handler(args, ctx)
        sys.stdout.flush()  # (a closed pipe shows here, while the handlers above can see it)
        return code
    finally:
        ctx.close()


def _silence_stdout() -> None:
    """The reader of stdout went away: whatever is still buffered goes nowhere."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError):
        pass


def entry() -> None:
    """The console script: run, then leave at once. Every journal is closed (and durable)
    by the time ``main`` returns; skipping the interpreter's teardown saves freeing a large
    journal object by object (bench/results/code_notes.md)."""
    code = main()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a closed pipe (| head): nothing more to say
            pass
    os._exit(code)
