"""Every benchmark of ``make bench`` run from two trees in one go, interleaved, and each figure
set beside the other's: what a change did to every number at once.

    python bench/compare.py --before TREE [--rounds N] [--quick] [--out FILE]

TREE is a checkout of an earlier netjournal (``git worktree add /tmp/before COMMIT``). Each
benchmark script runs from its own tree (its own code measured by its own script) with that
tree first on ``PYTHONPATH``, before then after, round after round (the order swapped each
round, so that a machine busier in one half of the run weighs on both); each run writes its
tables to a folder of its own. Then every table row found in both is printed with each numeric
cell as before, after and after / before, into ``--out`` (default bench/results/compare.md).
A round's figures are the script's own (its median of runs); with several rounds each cell is
the median of the rounds' figures.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
JOURNAL = Path("/tmp/bench.json")

# (script, its flag for the results file, its arguments, the results file's name)
STEPS = [
    ("bench_store.py", "--results", [], "store.md"),
    ("bench_capture.py", "--out", ["--journal", str(JOURNAL)], "capture.md"),
    ("bench_insights.py", "--out", ["--journal", str(JOURNAL)], "insights.md"),
    ("bench_tui.py", "--results", [], "tui.md"),
    ("bench_import.py", "--out", [], "import.md"),
    ("bench_views_app.py", "--results", [], "views_app.md"),
]
SKIPPED = {"n", "count", "target", "runs"}  # columns that are not measurements
NUMBER = re.compile(r"-?\d[\d,]*(?:\.\d+)?")


def run_step(tree: Path, step: tuple[str, str, list[str], str], folder: Path, quick: bool, scripts: Path) -> float:
    """One benchmark, measuring the package of ``tree`` with the script of ``scripts``."""
    script, flag, args, name = step
    env = {**os.environ, "PYTHONPATH": str(tree)}
    extra = ["--quick"] if quick and script not in ("bench_capture.py", "bench_insights.py") else []
    cmd = [sys.executable, str(scripts / "bench" / script), *args, *extra, flag, str(folder / name)]
    start = time.perf_counter()
    done = subprocess.run(cmd, cwd=tree, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    if done.returncode != 0:
        print(f"  {tree.name}: {script} failed: {done.stderr.strip().splitlines()[-1:]}", flush=True)
    return time.perf_counter() - start


def tables(text: str) -> dict[tuple[int, str], dict[str, str]]:
    """Each table row by (table number, first cell): {column heading: cell}."""
    out: dict[tuple[int, str], dict[str, str]] = {}
    number, header, previous = -1, None, False
    for line in text.splitlines():
        is_row = line.startswith("|")
        if is_row and not previous:
            number, header = number + 1, None
        previous = is_row
        if not is_row:
            continue
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if header is None:
            header = cells
        elif not all(set(c) <= set("-: ") for c in cells):
            out[(number, cells[0])] = dict(zip(header[1:], cells[1:], strict=False))
    return out


def first_number(cell: str) -> float | None:
    found = NUMBER.search(cell)
    return float(found.group().replace(",", "")) if found else None


def medians(rounds: list[Path], name: str) -> dict[tuple[int, str], dict[str, float]]:
    """Each numeric cell of ``name`` as the median over the rounds that wrote it."""
    cells: dict[tuple[int, str], dict[str, list[float]]] = {}
    for folder in rounds:
        if not (folder / name).exists():
            continue
        for key, row in tables((folder / name).read_text()).items():
            for column, cell in row.items():
                value = first_number(cell)
                if value is not None and column.lower() not in SKIPPED:
                    cells.setdefault(key, {}).setdefault(column, []).append(value)
    return {key: {c: statistics.median(v) for c, v in row.items()} for key, row in cells.items()}


def compare(before: list[Path], after: list[Path], names: list[str]) -> list[str]:
    lines = ["| results | row | column | before | after | after / before |", "|---|---|---|---|---|---|"]
    for name in names:
        old, new = medians(before, name), medians(after, name)
        if not old or not new:
            lines.append(f"| {name} | (missing in one tree) | | | | |")
        for key, row in new.items():
            for column, b in row.items():
                a = old.get(key, {}).get(column)
                if a is None:
                    continue
                ratio = f"{b / a:.2f}" if a else ""
                lines.append(f"| {name} | {key[1]} | {column} | {a:g} | {b:g} | {ratio} |")
    return lines


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--before", type=Path, required=True, help="an earlier netjournal's source tree")
    ap.add_argument("--rounds", type=int, default=1)
    ap.add_argument("--quick", action="store_true", help="small journals and few runs: a check of the comparison")
    ap.add_argument("--out", type=Path, default=HERE / "results" / "compare.md")
    ap.add_argument("--only", help="the benchmarks to run, by results name (e.g. tui,capture); default: all")
    ap.add_argument(
        "--same-scripts", action="store_true",
        help="measure both trees with this tree's scripts (one method for both; a script that needs an API "
        "the older tree lacks then fails for it)",
    )
    a = ap.parse_args()
    steps = [s for s in STEPS if not a.only or s[3].removesuffix(".md") in a.only.split(",")]
    if not JOURNAL.exists():
        subprocess.run([sys.executable, str(HERE / "generate.py"), str(JOURNAL)], check=True)
    work = Path(tempfile.mkdtemp(prefix="netjournal-compare-"))
    trees = {"before": a.before.resolve(), "after": ROOT}
    folders = {label: [work / f"{label}-{r + 1}" for r in range(a.rounds)] for label in trees}
    for paths in folders.values():
        for folder in paths:
            folder.mkdir()
    for step in steps:
        for r in range(a.rounds):
            order = list(trees) if r % 2 == 0 else list(reversed(trees))
            for label in order:
                scripts = ROOT if a.same_scripts else trees[label]
                took = run_step(trees[label], step, folders[label][r], a.quick, scripts)
                print(f"{step[0]} round {r + 1} {label}: {took:.0f} s", flush=True)
    lines = compare(folders["before"], folders["after"], [s[3] for s in steps])
    head = (
        f"Before: {trees['before']}; after: this tree. Each benchmark ran from both, interleaved "
        f"({a.rounds} round(s)), on one machine in one run (bench/compare.py"
        f"{', both measured by the scripts of this tree' if a.same_scripts else ''}).\n\n"
    )
    a.out.write_text(head + "Figures as the benchmarks print them (ms, s, MB); each the median over the rounds.\n\n"
                     + "\n".join(lines) + "\n")
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
