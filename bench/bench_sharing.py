"""Many processes on one journal (issue #14): what sharing costs, beside the code before it.

    .venv/bin/python bench/bench_sharing.py [--runs 5] [--base REF] [--quick]

The 2,000 / 100,000 / 20,000 journal (bench/generate.py) is measured with this checkout and
with ``--base`` (default ``main``: ``git archive`` of it into a temp folder, nothing in the
repository changes), interleaved run by run in fresh processes, so the ratios come from the
same run:

* one durable save (an interaction added, fsynced) in an open journal: the first, and the
  median of 20 (now: the write lock taken, the log checked for others' lines, then the append);
* ``netjournal log`` and ``netjournal search`` (wall clock, process start to exit);
* the app's first frame with data (bench_tui.first_frame: a pseudo-terminal, 120x40).

This checkout only: an open window catching up with 1 and with 1,000 changes another process
appended (``Journal.catch_up``), with one that the other folded (the journal read again), the
idle look (``Journal.changed_elsewhere``: two stats) and its share of one core at the app's
two looks a second. Results go to bench/results/sharing.md (or --results).
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path[:0] = [str(HERE), str(ROOT)]

SAVE = r"""
import sys, time
from netjournal.domain.model import Interaction
from netjournal.store import Journal
j = Journal.open(sys.argv[1])
cid = next(iter(j.contacts())).id
times = []
for n in range(21):
    t = time.perf_counter()
    j.add_interaction(Interaction(date="2026-10-30", contact_ids=[cid], kind="call", text=f"bench {n}"))
    times.append(time.perf_counter() - t)
j.storage.close()  # (no fold at exit: not what is measured)
print(times[0], sorted(times[1:])[10])
"""

FOLLOW = r"""
import subprocess, sys, time
from netjournal.domain.model import Interaction
from netjournal.store import Journal
import netjournal.store.folding as folding
path, n, fold = sys.argv[1], int(sys.argv[2]), sys.argv[3] == "fold"
window = Journal.open(path)
cid = next(iter(window.contacts())).id
other = (
    "import sys\nfrom netjournal.domain.model import Interaction\nfrom netjournal.store import Journal\n"
    "j = Journal.open(sys.argv[1])\nfor k in range(int(sys.argv[2])):\n"
    "    j.add_interaction(Interaction(date='2026-10-31', contact_ids=[sys.argv[3]], text=f'other {k}'))\n"
    "j.compact() if sys.argv[4] == 'fold' else j.storage.close()\n"
)
subprocess.run([sys.executable, "-c", other, path, str(n), cid, sys.argv[3]], check=True)
t = time.perf_counter()
assert window.catch_up()
took = time.perf_counter() - t
looks = 2000
t = time.perf_counter()
for _ in range(looks):
    window.changed_elsewhere()
look = (time.perf_counter() - t) / looks
window.storage.close()
print(took, look)
"""


def python_for(tree: Path) -> dict[str, str]:
    return dict(os.environ, PYTHONPATH=str(tree), TERM="xterm-256color", COLUMNS="120", LINES="40")


def fresh(source: Path, work: Path) -> Path:
    if work.exists():
        shutil.rmtree(work)
    work.mkdir(parents=True)
    copy = work / "journal.json"
    shutil.copyfile(source, copy)
    return copy


def run_py(code: str, env: dict[str, str], *args: str) -> list[float]:
    """The numbers a Python snippet run in a fresh process prints (its error if it fails)."""
    out = subprocess.run([sys.executable, "-c", code, *args], env=env, capture_output=True, text=True)
    if out.returncode:
        raise SystemExit(f"failed: {args}\n{out.stderr}")
    return [float(v) for v in out.stdout.split()]


def wall(cmd: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    p = subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    if p.returncode:
        raise SystemExit(f"failed: {' '.join(cmd)}\n{p.stderr}")
    return time.perf_counter() - start


def one_round(source: Path, tree: Path, work: Path, name: str) -> dict[str, float]:
    from bench_tui import DATA_SHOWN, first_frame

    env = python_for(tree)
    path = fresh(source, work)
    nj = [sys.executable, "-m", "netjournal", "--journal", str(path)]
    wall([*nj, "log", f'lunch with @"{name}" 45m'], env)  # the day's backup, the disk cache warm
    first, later = run_py(SAVE, env, str(path))
    return {
        "save, first": first,
        "save, median of 20": later,
        "log": wall([*nj, "log", f'yesterday: lunch with @"{name}" #bench 45m'], env),
        "search": wall([*nj, "search", "pricing"], env),
        "first frame": first_frame(nj, env, DATA_SHOWN),
    }


def base_tree(ref: str, into: Path) -> Path:
    into.mkdir(parents=True, exist_ok=True)
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", ref], capture_output=True, check=True).stdout
    subprocess.run(["tar", "-x", "-C", str(into)], input=archive, check=True)
    return into


def ms(seconds: float) -> str:
    value = seconds * 1000
    return f"{value:,.1f} ms" if value < 100 else f"{value:,.0f} ms"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--base", default="main")
    ap.add_argument("--quick", action="store_true", help="a 10,000-interaction journal: a sanity run")
    ap.add_argument("--cache", type=Path, default=Path("/tmp/netjournal-bench"))
    ap.add_argument("--results", type=Path, default=HERE / "results" / "sharing.md")
    a = ap.parse_args()
    from generate import generate_records, write_journal

    size = (200, 10_000, 2_000) if a.quick else (2000, 100_000, 20_000)
    source = a.cache / f"ours-{'-'.join(map(str, size))}.json"
    if not source.exists():
        a.cache.mkdir(parents=True, exist_ok=True)
        write_journal(source, generate_records(*size))
    import orjson

    name = next(iter(orjson.loads(source.read_bytes())["contacts"].values()))["name"]
    load = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="nj-sharing-") as tmp:
        os.chdir(tmp)  # (a child's first import path is its folder: PYTHONPATH alone says which code runs)
        base = base_tree(a.base, Path(tmp) / "base")
        check_trees(base)
        compile_trees(base)
        rows: dict[str, dict[str, list[float]]] = {"before": {}, "now": {}}
        for n in range(a.runs):
            for label, tree in (("before", base), ("now", ROOT)):
                for key, value in one_round(source, tree, Path(tmp) / "work", name).items():
                    rows[label].setdefault(key, []).append(value)
            print(f"  round {n + 1} of {a.runs}", flush=True)
        follow: dict[str, list[float]] = {}
        for _ in range(a.runs):
            for count, fold in ((1, "append"), (1000, "append"), (1, "fold")):
                took, look = run_py(FOLLOW, python_for(ROOT), str(fresh(source, Path(tmp) / "f")), str(count), fold)
                follow.setdefault(f"{count} {fold}", []).append(took)
                follow.setdefault("look", []).append(look)
    write(a.results, rows, follow, size, a.runs, a.base, load)
    print(a.results.read_text())
    return 0


def write(
    out: Path, rows: dict[str, dict[str, list[float]]], follow: dict[str, list[float]],
    size: tuple[int, int, int], runs: int, base: str, load: float,
) -> None:
    med = statistics.median
    lines = [
        "# Many processes on one journal (issue #14)", "",
        f"`python bench/bench_sharing.py` on {date.today()}: Python {platform.python_version()}, "
        f"{os.cpu_count()} cores. Journal: {size[0]:,} contacts, {size[1]:,} interactions, {size[2]:,} favours. "
        f"Medians of {runs} runs, fresh processes, before (`{base}`) and now interleaved in the same run, "
        "both compiled to bytecode first (bench/bytecode.py). "
        f"Load average before the run {load:.1f} (the machine is shared: compare the ratios).", "",
        "| measure | before | now | now / before | target |", "|---|---|---|---|---|",
    ]
    targets = {"save, first": "<= 20 ms", "save, median of 20": "<= 20 ms", "log": "<= +10%",
               "search": "<= +10%", "first frame": "<= +10%"}
    for key in rows["now"]:
        b, n = med(rows["before"][key]), med(rows["now"][key])
        lines.append(f"| {key} | {ms(b)} | {ms(n)} | {n / b:.2f} | {targets.get(key, '')} |")
    look = med(follow["look"])
    lines += [
        "", "| a window following another process (now) | time | target |", "|---|---|---|",
        f"| catch up with 1 change appended | {ms(med(follow['1 append']))} | |",
        f"| catch up with 1,000 changes appended | {ms(med(follow['1000 append']))} | |",
        f"| catch up after the other folded (the journal read again) | {ms(med(follow['1 fold']))} | |",
        f"| seen by the window at worst (0.5 s between looks + catching up with 1 change) | "
        f"{ms(0.5 + med(follow['1 append']))} | <= 1 s |",
        f"| one idle look (two stats) | {look * 1e6:.1f} µs | |",
        f"| idle looks' share of one core (two a second) | {2 * look * 100:.4f} % | <= 1 % |",
    ]
    out.write_text("\n".join(lines) + "\n")


def compile_trees(base: Path) -> None:
    """Both trees' modules compiled to bytecode first, as an installed command has them
    (bench/bytecode.py): this machine's environment forbids Python to cache them itself."""
    import compileall

    from bytecode import compile_package

    compile_package()
    if not compileall.compile_dir(base / "netjournal", quiet=1):
        raise RuntimeError(f"could not compile {base}")


def check_trees(base: Path) -> None:
    """Each side imports its own code (an editable install must not win)."""
    for tree in (base, ROOT):
        where = subprocess.run(
            [sys.executable, "-c", "import netjournal; print(netjournal.__file__)"],
            env=python_for(tree), capture_output=True, text=True, check=True,
        ).stdout
        assert where.startswith(str(tree)), (tree, where)


if __name__ == "__main__":
    sys.exit(main())
