"""Reading a command line's words before it is parsed (argparse comes later, with the commands).

Light on purpose: the launch reads the command and the global options with these first
thing, before anything heavy is imported (see launch.py), and the shell picks the one module
a command needs with them (cli.build_parser).
"""

from __future__ import annotations

from collections.abc import Sequence

VALUED = ("--journal", "--identity")  # the global options that take a value


def command_word(argv: Sequence[str]) -> str | None:
    """The command named on the line (the first word that is not a global option or its value)."""
    words = iter(argv)
    for word in words:
        if word in VALUED:
            next(words, None)
        elif not word.startswith("-"):
            return word
        elif word in ("-h", "--help", "--version"):
            return None
    return None


def option(argv: Sequence[str], name: str) -> str | None:
    """The last value given to the option ``name`` (``--name VALUE`` or ``--name=VALUE``),
    before or after the command, as argparse reads it; None if it is not given."""
    found = None
    words = iter(argv)
    for word in words:
        if word == "--":
            break
        if word == name:
            found = next(words, None)
        elif word.startswith(name + "="):
            found = word[len(name) + 1 :]
    return found
