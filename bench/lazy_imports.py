"""What each function-level import saves: the cost of the module it loads, on top of what
the importing module has loaded already (the reasons are listed in tests/unit/test_architecture.py,
FUNCTION_LEVEL_IMPORTS; this page gives their figures).

    python bench/lazy_imports.py [--runs 5] [--out bench/results/lazy_imports.md]

For each "file -> module": a new process imports the file's module, then times importing the
module (``time.perf_counter``); the median of --runs processes. A figure near zero means the
module was loaded anyway (or is cheap): such an import has no start-up reason.
"""

from __future__ import annotations

import argparse
import ast
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.test_architecture import FUNCTION_LEVEL_IMPORTS, function_level_imports  # noqa: E402

PROBE = """
import importlib, sys, time
importlib.import_module(sys.argv[1])
started = time.perf_counter()
__import__(sys.argv[2], fromlist=sys.argv[3:])  # as the import statement does: submodules too
print(time.perf_counter() - started)
"""


def imported_names(file: str, module: str) -> list[str]:
    """The names ``from module import ...`` takes inside the file's functions (a name may be a
    submodule, which is what the import then loads: ``from dateutil import parser``)."""
    names: set[str] = set()
    for node in ast.walk(ast.parse((ROOT / file).read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module == module:
            names.update(alias.name for alias in node.names)
    return sorted(names)


def cost_ms(importer: str, module: str, names: list[str], runs: int) -> float | None:
    times = []
    for _ in range(runs):
        argv = [sys.executable, "-c", PROBE, importer, module, *names]
        p = subprocess.run(argv, capture_output=True, text=True, cwd=ROOT)
        if p.returncode != 0:
            return None
        times.append(float(p.stdout))
    return statistics.median(times) * 1000


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "lazy_imports.md")
    a = ap.parse_args()
    rows = []
    for key in sorted(function_level_imports()):
        file, module = key.split(" -> ")
        importer = file.removesuffix(".py").removesuffix("/__init__").replace("/", ".")
        if module.startswith("."):
            continue  # (none today; a relative import would need resolving)
        ms = cost_ms(importer, module, imported_names(file, module), a.runs)
        figure = "failed" if ms is None else f"{ms:.1f}"
        rows.append(f"| `{file}` | `{module}` | {figure} | {FUNCTION_LEVEL_IMPORTS.get(key, 'not listed')} |")
        print(rows[-1], flush=True)
    load = os.getloadavg()[0]
    text = [
        "# Function-level imports: what each one saves",
        "",
        f"Run {time.strftime('%Y-%m-%d %H:%M')} on {platform.machine()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}; `python bench/lazy_imports.py --runs {a.runs}`. Milliseconds to import the "
        "module (and the submodules it names) in a process that has imported the importing file's module (median of the runs). "
        f"Load average {load:.1f} at the end: a shared machine; figures under ~2 ms are noise.",
        "",
        "| file | imports inside a function | ms | reason (tests/unit/test_architecture.py) |",
        "|---|---|---:|---|",
        *rows,
        "",
    ]
    a.out.write_text("\n".join(text), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
