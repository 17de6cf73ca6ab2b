"""House rules that keep the layers honest."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
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


def test_domain_interop_and_shell_modules_stay_small() -> None:
    """No module of domain/, interop/ or cli/ over 400 lines, no function of 60 lines or more:
    a newcomer reads one responsibility at a time."""
    for folder in ("domain", "interop", "cli"):
        assert _too_long(PKG / folder) == ({}, {}), folder
