"""House rules that keep the layers honest."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PKG = ROOT / "netjournal"


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_only_the_tui_package_imports_textual() -> None:
    offenders = []
    for path in PKG.rglob("*.py"):
        if (PKG / "tui") in path.parents:
            continue
        if any(n == "textual" or n.startswith("textual.") for n in _imports(path)):
            offenders.append(str(path.relative_to(ROOT)))
    assert offenders == []


def test_domain_does_no_file_io_and_knows_nothing_of_the_store() -> None:
    banned = {"tinydb", "filelock", "platformdirs", "netjournal.store", "netjournal.tui", "netjournal.cli", "os", "shutil"}
    offenders = {}
    for path in (PKG / "domain").rglob("*.py"):
        bad = {n for n in _imports(path) if n in banned or any(n.startswith(b + ".") for b in banned)}
        src = path.read_text(encoding="utf-8")
        if "open(" in src.replace("is_open(", ""):
            bad.add("open()")
        if bad:
            offenders[path.name] = sorted(bad)
    assert offenders == {}


def _run_python(code: str, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "HOME": str(tmp_path / "home"), "XDG_DATA_HOME": str(tmp_path / "data"),
           "XDG_CONFIG_HOME": str(tmp_path / "config")}
    env.pop("NETJOURNAL_JOURNAL", None)
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=60)


def test_shell_commands_never_load_textual(tmp_path: Path) -> None:
    journal = tmp_path / "j.json"
    code = (
        "import sys\n"
        "from netjournal.cli import main\n"
        f"main(['--journal', {str(journal)!r}, 'contact', 'add', 'Ana'])\n"
        f"main(['--journal', {str(journal)!r}, 'contact', 'list'])\n"
        f"main(['--journal', {str(journal)!r}, 'export'])\n"
        "loaded = sorted(m for m in sys.modules if m == 'textual' or m.startswith('textual.'))\n"
        "print('TEXTUAL', loaded)\n"
    )
    p = _run_python(code, tmp_path)
    assert p.returncode == 0, p.stderr
    assert "TEXTUAL []" in p.stdout


def test_importing_the_package_creates_no_files(tmp_path: Path) -> None:
    code = (
        "import importlib, pkgutil, netjournal\n"
        "for m in pkgutil.walk_packages(netjournal.__path__, 'netjournal.'):\n"
        "    if m.name != 'netjournal.__main__':\n"
        "        importlib.import_module(m.name)\n"
        "print('ok')\n"
    )
    p = _run_python(code, tmp_path)
    assert p.returncode == 0, p.stderr
    created = [p for p in tmp_path.rglob("*")]
    assert created == []


def test_every_command_is_mapped_to_the_module_that_registers_it() -> None:
    import argparse

    from netjournal.cli import COMMAND_HOME, build_parser

    parser = build_parser()
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    assert set(sub.choices) == set(COMMAND_HOME)
    for command, module in COMMAND_HOME.items():
        only = build_parser([command])
        only_sub = next(a for a in only._actions if isinstance(a, argparse._SubParsersAction))
        assert command in only_sub.choices, (command, module)


def test_interop_reaches_the_store_only_through_the_journal() -> None:
    """Interop reads and writes through the Journal's public methods, never the storage,
    the migrations or the change log (which the Journal keeps consistent together)."""
    allowed = {"netjournal.store", "netjournal.store.journal", "netjournal.store.errors"}
    offenders = {}
    for path in (PKG / "interop").rglob("*.py"):
        bad = {n for n in _imports(path) if n.startswith("netjournal.store") and n not in allowed}
        if bad:
            offenders[path.name] = sorted(bad)
    assert offenders == {}


def _too_long(folder: Path) -> tuple[dict[str, int], dict[str, int]]:
    modules, functions = {}, {}
    for path in folder.rglob("*.py"):
        source = path.read_text(encoding="utf-8")
        name = str(path.relative_to(ROOT))
        if source.count("\n") > 400:
            modules[name] = source.count("\n")
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.end_lineno is not None:
                lines = node.end_lineno - node.lineno + 1
                if lines >= 60:
                    functions[f"{name}:{node.lineno} {node.name}"] = lines
    return modules, functions


def test_no_module_of_the_package_is_over_400_lines_nor_a_function_60() -> None:
    """Every module of netjournal/ (domain, store, services, interop, cli, tui and the modules
    beside them) at most 400 lines, no function of 60 lines or more: a newcomer reads one
    responsibility at a time. The Journal itself is a facade over the store's rooms."""
    modules, functions = _too_long(PKG)
    assert modules == {}
    assert functions == {}


# ---------------------------------------------------------------------- function-level imports
# An import inside a function is allowed only where it is listed here with its reason: the
# start-up budget (a module that only some commands or screens use loads when they run; each
# cost is measured by bench/lazy_imports.py into bench/results/lazy_imports.md), the launch of
# the app, or an import cycle that issue 13's app rebuild removes. Keys: "file -> module", for
# every function of that file. A listed import that is gone fails too: the list stays true.
LAUNCH = "the launch: the shell loads the app (Textual) only to open it (test_shell_commands_never_load_textual)"
RICH = "start-up: Rich loads only when a command prints styled text or a table (not for --json, nor an error)"
PER_COMMAND = "start-up: a module that registers several commands loads what only one of them uses when it runs"
FORMAT = "start-up: an export or import format's code loads only when that format is asked for"
INSIGHTS = "start-up: a morning command loads only the insights it reads (the quick path or the full Insights)"
RARE = "loaded only on a rare path: --demo, or writing a crash report (NETJOURNAL_DEBUG=1)"
LIBRARY = "start-up: a heavy library loads on first use (free-form dates, stemming, vCards)"
APP_START = "the app's first frame: loaded by the start-up worker or when first opened, not before the first frame"
APP_CYCLE = "screens opening screens: the insight views and views.py bring each other (the one cycle pyproject.toml lists)"
DEVICES = "start-up: a journal of one device loads none of the devices' code (versions, clocks, the others' files: ~4 ms)"
APP_LEFT = "no start-up reason (already loaded or under a millisecond): left to the app rebuild, which owns tui/"

READ_AHEAD = (
    "start-up: the command's first steps start decrypting an encrypted journal ahead, then import the shell "
    "(its imports run beside the decryption: sealing/readahead.py)"
)

FUNCTION_LEVEL_IMPORTS: dict[str, str] = {
    # The launch.
    "netjournal/launch.py -> netjournal.cli": READ_AHEAD,
    # The store: a journal shared between devices.
    "netjournal/store/journal.py -> netjournal.store.devicewiring": DEVICES,
    "netjournal/store/sharing.py -> netjournal.store.devices": DEVICES,
    "netjournal/store/sealed_head.py -> netjournal.store.opening": (
        "a cycle, and a rare path: a history found changed outside netjournal once read is told as at an open"
    ),
    "netjournal/store/journal.py -> netjournal.store.devicekeys": DEVICES + " (an encrypted one: its key, changed elsewhere)",
    "netjournal/store/devicekeys.py -> netjournal.store.encryption": (
        "a cycle: re-sealing a device's files (encryption.py) works on an open Journal, which opens with this module"
    ),
    "netjournal/store/sharing.py -> netjournal.store.devicesources": DEVICES,
    "netjournal/store/writes.py -> netjournal.domain.versionpack": DEVICES + "; a deletion's tombstone",
    "netjournal/store/writes.py -> netjournal.domain.hlc": DEVICES + "; a deletion's tombstone",
    # The shell.
    "netjournal/cli/app.py -> netjournal.tui.launch": LAUNCH,
    "netjournal/cli/app.py -> netjournal.tui.state": LAUNCH + "; it opens the journal while the app's modules load",
    "netjournal/cli/capture.py -> netjournal.domain.capture": PER_COMMAND + " (the capture parser: log, give, receive)",
    "netjournal/cli/capture.py -> rich.text": RICH,
    "netjournal/cli/contacts.py -> netjournal.cli.listing": RICH + " (the listing builds Rich text)",
    "netjournal/cli/contacts.py -> rich.text": RICH,
    "netjournal/cli/context.py -> netjournal.demo": RARE,
    "netjournal/cli/context.py -> rich.console": RICH,
    "netjournal/cli/context.py -> shutil": RARE + " (the demo's folder is removed)",
    "netjournal/cli/exchange.py -> netjournal.interop.contact_files": FORMAT + " (vCard and CSV imports)",
    "netjournal/cli/exchange.py -> netjournal.interop.exchange_stream": FORMAT + " (the JSON backup's restore)",
    "netjournal/cli/exchange.py -> netjournal.interop.import_plan": FORMAT + " (vCard and CSV imports)",
    "netjournal/cli/exchange.py -> netjournal.interop.markdown": FORMAT + " (Markdown)",
    "netjournal/cli/exchange.py -> netjournal.interop.exports": PER_COMMAND + " (export: the files it makes)",
    "netjournal/cli/exchange.py -> netjournal.services.writing": PER_COMMAND + " (export -o: the private write)",
    "netjournal/cli/exchange.py -> netjournal.interop.stream": FORMAT + " (the JSON backup's restore)",
    "netjournal/cli/exchange.py -> netjournal.sealing.age_codec": FORMAT + " (an encrypted JSON backup: cryptography, 20 ms)",
    "netjournal/cli/insight_output.py -> netjournal.cli.listing": RICH + " (the listing builds Rich text)",
    "netjournal/cli/insight_output.py -> netjournal.domain": PER_COMMAND + " (domain.insights, not for config or snooze)",
    "netjournal/cli/insight_output.py -> netjournal.store.quick": INSIGHTS,
    "netjournal/cli/insight_output.py -> netjournal.store.views": INSIGHTS,
    "netjournal/cli/insight_output.py -> rich.text": RICH,
    "netjournal/cli/insights.py -> rich.text": RICH,
    "netjournal/cli/interop.py -> netjournal.interop.combine": PER_COMMAND + " (merge-contacts)",
    "netjournal/cli/interop.py -> netjournal.interop.contact_merge": PER_COMMAND + " (merge-contacts)",
    "netjournal/cli/interop.py -> netjournal.interop.journal_merge": PER_COMMAND + " (merge)",
    "netjournal/cli/record_output.py -> rich.cells": RICH,
    "netjournal/cli/record_output.py -> rich.text": RICH,
    "netjournal/cli/safeio.py -> rich.console": RICH,
    "netjournal/cli/safeio.py -> rich.segment": RICH,
    "netjournal/cli/settings.py -> rich.text": RICH,
    "netjournal/cli/show.py -> rich.text": RICH,
    "netjournal/cli/today.py -> rich.text": RICH,
    # The store.
    "netjournal/sealing/unlocking.py -> netjournal.sealing.age_codec": (
        "start-up: the cryptography library (20 ms to import: bench/results/encryption.md) loads only "
        "when an encrypted journal is opened"
    ),
    "netjournal/sealing/unlocking.py -> netjournal.sealing.keyring_cache": (
        "start-up: the keyring's copy of a key is asked for only when an encrypted journal is opened"
    ),
    "netjournal/sealing/keyring_cache.py -> keyring": (
        "start-up: keyring (110 ms to import) loads only when the person keeps their key in it (NETJOURNAL_KEYRING=1)"
    ),
    # The launch kit, the domain, interop.
    "netjournal/crash.py -> platformdirs": RARE,
    "netjournal/paths.py -> platformdirs": "start-up: loaded only when neither --journal nor $NETJOURNAL_JOURNAL names the journal",
    "netjournal/domain/dates.py -> dateutil": LIBRARY + " (dateutil's parser: a date that is not ISO)",
    "netjournal/domain/dates.py -> dateutil.relativedelta": LIBRARY + " (a relative date: 'in 3 months')",
    "netjournal/domain/words.py -> snowballstemmer": LIBRARY + " (only a search or match by words)",
    "netjournal/interop/exports.py -> netjournal.interop": FORMAT + " (CSV)",
    "netjournal/interop/exports.py -> netjournal.interop.exchange": FORMAT + " (the JSON backup)",
    "netjournal/interop/exports.py -> netjournal.interop.markdown": FORMAT + " (Markdown)",
    "netjournal/interop/exports.py -> netjournal.interop.vcard": FORMAT + " (vCard)",
    "netjournal/interop/vcard.py -> vobject": LIBRARY,
    "netjournal/interop/vcard.py -> vobject.base": LIBRARY,
    "netjournal/interop/vcard.py -> vobject.vcard": LIBRARY,
    # The app.
    "netjournal/services/ledger.py -> netjournal.domain.insights": PER_COMMAND + " (the shell's ledger verdict, not show or search)",
    "netjournal/tui/app.py -> netjournal.tui.commands": APP_LEFT,
    "netjournal/tui/app.py -> netjournal.tui.insight_data": APP_START,
    "netjournal/tui/app.py -> netjournal.tui.screens.help": APP_START,
    "netjournal/tui/app.py -> netjournal.tui.screens.view_switch": APP_LEFT,
    "netjournal/tui/launch.py -> netjournal.crash": RARE,
    "netjournal/tui/loader.py -> netjournal.store.views": APP_START + " (the insights, made in the worker)",
    "netjournal/tui/loader.py -> netjournal.tui.insight_data": APP_START,
    "netjournal/tui/loader.py -> netjournal.tui.screens.circles": APP_START + " (the views' modules, loaded in the worker)",
    "netjournal/tui/loader.py -> netjournal.tui.screens.today": APP_START + " (the views' modules, loaded in the worker)",
    "netjournal/tui/loader.py -> netjournal.tui.screens.who": APP_START + " (the views' modules, loaded in the worker)",
    "netjournal/tui/loader.py -> rich.markdown": APP_START + " (the entry pane's Markdown, loaded in the worker)",
    "netjournal/tui/screens/importer.py -> netjournal.interop": APP_START + " (the import screen's reading)",
    "netjournal/tui/screens/importer.py -> netjournal.interop.merge": APP_START + " (the import screen's preview)",
    "netjournal/tui/screens/insight.py -> netjournal.tui.insight_data": APP_START,
    "netjournal/tui/screens/insight.py -> netjournal.tui.screens.view_switch": APP_CYCLE,
    "netjournal/tui/screens/journal_panes.py -> netjournal.tui.insight_data": APP_START + " (the ledger's verdict)",
    "netjournal/tui/screens/main.py -> netjournal.tui.screens.editors": APP_START + " (the forms, when one opens)",
    "netjournal/tui/screens/main.py -> netjournal.tui.screens.importer": APP_START + " (the import dialog, when first opened)",
    "netjournal/tui/commands.py -> netjournal.tui.screens.export": APP_START + " (the export dialog, when first chosen)",
    "netjournal/tui/screens/main.py -> netjournal.tui.screens.merge": APP_START + " (the merge dialog, when first opened)",
    "netjournal/tui/screens/main.py -> netjournal.tui.screens.view_switch": APP_START + " (the views, when first opened)",
    "netjournal/tui/screens/main.py -> netjournal.tui.widgets.capture": APP_START + " (the capture bar, when first opened)",
    "netjournal/tui/screens/main.py -> netjournal.tui.widgets.capture_preview": APP_START + " (with the capture bar)",
    "netjournal/tui/preferences.py -> netjournal.tui.screens.help": APP_START
    + " (every screen's bindings, to check a keymap after the first frame; not loaded without one)",
    "netjournal/tui/screens/merge.py -> netjournal.interop.merge": APP_START + " (the merge screen's merging)",
    "netjournal/tui/screens/view_switch.py -> functools": APP_LEFT,
    "netjournal/tui/screens/view_switch.py -> netjournal.tui.screens.circles": APP_START + " (a view's module, when it opens)",
    "netjournal/tui/screens/view_switch.py -> netjournal.tui.screens.insight": APP_CYCLE,
    "netjournal/tui/screens/view_switch.py -> netjournal.tui.screens.today": APP_START + " (a view's module, when it opens)",
    "netjournal/tui/screens/view_switch.py -> netjournal.tui.screens.who": APP_START + " (a view's module, when it opens)",
    "netjournal/tui/screens/view_switch.py -> netjournal.tui.widgets.rows": APP_START + " (help's sections of the views)",
    "netjournal/tui/widgets/capture.py -> textual.widgets": APP_LEFT,
    "netjournal/tui/widgets/panes.py -> netjournal.domain.insights": APP_START + " (the ledger pane's verdict)",
    "netjournal/tui/widgets/panes.py -> rich.markdown": APP_START + " (an entry's Markdown, when one is shown)",
    "netjournal/tui/widgets/person_card.py -> rich.markdown": APP_START + " (the card's notes, once it is loaded)",
    "netjournal/tui/writes.py -> netjournal.interop": APP_START + " (the import dialog's writing, when a file is imported)",
    "netjournal/tui/writes.py -> netjournal.interop.merge": APP_START + " (merging two contacts, when it is asked for)",
}


def function_level_imports(package: Path = PKG, root: Path = ROOT) -> dict[str, set[str]]:
    """Every import inside a function of ``package``, as "file -> module": the functions doing it.
    (Imports under ``if TYPE_CHECKING:`` at module level are not function-level.)"""
    found: dict[str, set[str]] = {}
    for path in sorted(package.rglob("*.py")):
        name = path.relative_to(root).as_posix()
        for func in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(func, (ast.FunctionDef, ast.AsyncFunctionDef)):
                continue
            for node in ast.walk(func):
                if isinstance(node, ast.Import):
                    modules = [alias.name for alias in node.names]
                elif isinstance(node, ast.ImportFrom):
                    modules = ["." * node.level + (node.module or "")]
                else:
                    continue
                for module in modules:
                    found.setdefault(f"{name} -> {module}", set()).add(f"{func.name} (line {node.lineno})")
    return found


def test_function_level_imports_are_only_those_listed_with_their_reason() -> None:
    found = function_level_imports()
    unlisted = {key: sorted(where) for key, where in found.items() if key not in FUNCTION_LEVEL_IMPORTS}
    assert unlisted == {}, "import at the top of the module, or list it with its reason in FUNCTION_LEVEL_IMPORTS"
    gone = sorted(set(FUNCTION_LEVEL_IMPORTS) - set(found))
    assert gone == [], "no longer imported inside a function: remove it from FUNCTION_LEVEL_IMPORTS"


def test_the_function_level_import_scan_sees_imports_inside_functions(tmp_path: Path) -> None:
    package = tmp_path / "netjournal"
    package.mkdir()
    (package / "m.py").write_text(
        "from typing import TYPE_CHECKING\n"
        "import os\n"
        "if TYPE_CHECKING:\n"
        "    import json\n"
        "def f():\n"
        "    if True:\n"
        "        from collections import abc\n"
        "class C:\n"
        "    async def g(self):\n"
        "        import csv, re\n"
        "        from . import sibling\n",
        encoding="utf-8",
    )
    found = function_level_imports(package, tmp_path)
    assert sorted(found) == [
        "netjournal/m.py -> .", "netjournal/m.py -> collections", "netjournal/m.py -> csv", "netjournal/m.py -> re",
    ]


# ---------------------------------------------------------------------- the services and the app
JOURNAL_WRITES = {
    "add_contact", "update_contact", "delete_contact", "add_interaction", "update_interaction", "delete_interaction",
    "add_favour", "update_favour", "delete_favour", "apply", "undo", "redo", "transaction",
    "apply_import", "apply_journal_merge", "merge_contacts", "snooze", "snooze_for",
}


def _calls(path: Path) -> set[str]:
    """The names called as ``x.name(...)`` or ``name(...)`` in a module."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call):
            func = node.func
            if isinstance(func, ast.Attribute):
                names.add(func.attr)
            elif isinstance(func, ast.Name):
                names.add(func.id)
    return names


def test_the_services_know_nothing_of_textual_the_shell_or_the_app() -> None:
    banned = ("textual", "netjournal.tui", "netjournal.cli")
    offenders = {}
    for path in (PKG / "services").rglob("*.py"):
        bad = {n for n in _imports(path) if any(n == b or n.startswith(b + ".") for b in banned)}
        if bad:
            offenders[path.name] = sorted(bad)
    assert offenders == {}


def test_one_module_of_the_app_writes_the_journal() -> None:
    """Screens and widgets ask for a change with a message; only tui/writes.py makes it."""
    offenders = {}
    for path in (PKG / "tui").rglob("*.py"):
        if path.name == "writes.py":
            continue
        bad = _calls(path) & JOURNAL_WRITES
        if bad:
            offenders[str(path.relative_to(PKG))] = sorted(bad)
    assert offenders == {}


def test_the_app_finds_its_services_through_typed_properties_not_getattr() -> None:
    offenders = [
        str(path.relative_to(PKG))
        for path in (PKG / "tui").rglob("*.py")
        if "getattr(self.app" in path.read_text(encoding="utf-8") or "getattr(app" in path.read_text(encoding="utf-8")
    ]
    assert offenders == []


def test_the_app_module_stays_at_most_250_lines() -> None:
    """tui/app.py builds the app and routes its messages; screens and services live elsewhere."""
    assert (PKG / "tui" / "app.py").read_text(encoding="utf-8").count("\n") <= 250
