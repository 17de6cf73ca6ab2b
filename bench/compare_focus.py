"""The figures a whole-benchmark comparison leaves in doubt, measured again from several trees
in one run, interleaved round by round, each round in fresh processes:

* the insights: the index build, Today cold and the app's warm-up (Today, circles, overdue)
  on the benchmark journal, in-process, wall and CPU time;
* the capture line per keystroke on 2,000 names in nine scripts (bench/capture_index.py,
  CPU time): the index build, the keystrokes' median and 95th percentile;
* the app's first frame with data through a 120x40 pseudo-terminal (bench/bench_tui.py's
  method), beside the floor (an empty Textual app) measured in the same round.

    python bench/compare_focus.py --tree before=/tmp/before --tree after=. [--rounds 8] [--out FILE]

Every tree is measured by this tree's scripts (one method for all). Writes a table to
``--out`` (default bench/results/compare_focus.md).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
JOURNAL = Path("/tmp/bench.json")

INSIGHTS = r"""
import json, os, shutil, statistics, sys, tempfile, time
from datetime import date
from netjournal.store import Journal
from netjournal.store.views import Insights
folder = tempfile.mkdtemp(prefix="netjournal-focus-")
path = os.path.join(folder, "journal.json")
shutil.copy(sys.argv[1], path)
journal = Journal.open(path)
journal.load_history()
Insights(journal).refresh()
today = date(2026, 11, 1)
asks = {"index build": lambda i: i.refresh(), "today, cold": lambda i: i.today(today),
        "warm-up (today, circles, overdue)": lambda i: (i.today(today), i.circles(today), i.overdue(today))}
out = {}
for name, ask in asks.items():
    wall, cpu = [], []
    for _ in range(3):
        fresh = Insights(journal)
        t, c = time.perf_counter(), time.process_time()
        ask(fresh)
        wall.append((time.perf_counter() - t) * 1000)
        cpu.append((time.process_time() - c) * 1000)
    out[name + " (wall)"], out[name + " (CPU)"] = statistics.median(wall), statistics.median(cpu)
journal.close()
shutil.rmtree(folder, ignore_errors=True)
print(json.dumps(out))
"""

CAPTURE = r"""
import importlib.util, json, statistics, sys
spec = importlib.util.spec_from_file_location("capture_index", sys.argv[1])
ci = importlib.util.module_from_spec(spec)
spec.loader.exec_module(ci)
timed = ci.keystrokes(ci.mixed_contacts())
print(json.dumps({
    "capture: index build (CPU)": statistics.median(timed["build"]) * 1000,
    "capture: keystroke median (CPU)": statistics.median(timed["keystroke"]) * 1000,
    "capture: keystroke p95 (CPU)": statistics.quantiles(timed["keystroke"], n=20)[-1] * 1000,
}))
"""


def in_process(tree: Path, code: str, arg: str) -> dict[str, float]:
    env = {**os.environ, "PYTHONPATH": str(tree)}
    done = subprocess.run([sys.executable, "-c", code, arg], env=env, capture_output=True, text=True, cwd="/tmp")
    if done.returncode != 0:
        raise SystemExit(f"{tree}: {done.stderr.strip().splitlines()[-1:]}")
    result: dict[str, float] = json.loads(done.stdout)
    return result


def first_frames(tree: Path, journal: Path) -> dict[str, float]:
    sys.path.insert(0, str(HERE))
    import bench_tui  # type: ignore[import-not-found]

    env = dict(os.environ, TERM="xterm-256color", COLUMNS="120", LINES="40", PYTHONPATH=str(tree))
    floor = bench_tui.first_frame([sys.executable, "-c", bench_tui.FLOOR_APP], env, bench_tui.FLOOR_SHOWN)
    argv = [sys.executable, "-m", "netjournal", "--journal", str(journal)]
    big = bench_tui.first_frame(argv, env, bench_tui.DATA_SHOWN)
    return {"first frame: the floor (empty Textual app)": floor * 1000, "first frame: benchmark journal": big * 1000}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--tree", action="append", required=True, help="LABEL=PATH of a netjournal source tree")
    ap.add_argument("--rounds", type=int, default=8)
    ap.add_argument("--out", type=Path, default=HERE / "results" / "compare_focus.md")
    a = ap.parse_args()
    trees = {label: Path(path).resolve() for label, path in (t.split("=", 1) for t in a.tree)}
    if not JOURNAL.exists():
        subprocess.run([sys.executable, str(HERE / "generate.py"), str(JOURNAL)], check=True)
    work = Path("/tmp/netjournal-focus")
    work.mkdir(exist_ok=True)
    values: dict[str, dict[str, list[float]]] = {label: {} for label in trees}
    for r in range(a.rounds):
        order = list(trees) if r % 2 == 0 else list(reversed(trees))
        for label in order:
            journal = work / f"{label}.json"  # each tree folds its own copy (its snapshot format)
            if r == 0:
                journal.write_bytes(JOURNAL.read_bytes())
            found = {
                **in_process(trees[label], INSIGHTS, str(JOURNAL)),
                **in_process(trees[label], CAPTURE, str(HERE / "capture_index.py")),
                **first_frames(trees[label], journal),
            }
            for key, value in found.items():
                values[label].setdefault(key, []).append(value)
        print(f"round {r + 1} of {a.rounds} done", flush=True)
    labels = list(trees)
    first = labels[0]
    head = "| measure | " + " | ".join(f"{label}, ms" for label in labels)
    head += " | " + " | ".join(f"{label} / {first}" for label in labels[1:]) + " |"
    lines = [head, "|---" * (1 + 2 * len(labels) - 1) + "|"]
    for key in values[first]:
        medians = [statistics.median(values[label][key]) for label in labels]
        ratios = [f"{m / medians[0]:.2f}" if medians[0] else "" for m in medians[1:]]
        lines.append(f"| {key} | " + " | ".join(f"{m:.2f}" for m in medians) + " | " + " | ".join(ratios) + " |")
    load = os.getloadavg()[0]
    intro = (
        f"`python bench/compare_focus.py` ({a.rounds} rounds, interleaved; medians). Trees: "
        + ", ".join(f"{label} = {path}" for label, path in trees.items())
        + f". Load average at the end: {load:.1f} (2 cores, shared).\n\n"
    )
    a.out.write_text(intro + "\n".join(lines) + "\n")
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
