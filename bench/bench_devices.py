"""One journal shared between devices (issue #14 part 2): what it costs, beside the same journal
of one device, in one run.

    .venv/bin/python bench/bench_devices.py [--journal /tmp/bench.json] [--runs 5] [--polls 20]

The 2,000 / 100,000 / 20,000 journal (bench/generate.py) twice: as it is (legacy), and shared
between devices (``devicemode.turn_on`` on a copy, as device ``bench-a``; then a second device
``bench-b`` joins: opens it, folds, its own 46 MB snapshot beside; then ``bench-a`` folds, so
each has read the other). Fresh processes, the two copies interleaved in every round:

* (a) a durable save (one interaction added, fsynced) in an open journal, 40 per process:
  median and p95 over every round (target <= 20 ms in device mode);
* (b) ``netjournal log`` and ``netjournal search`` (wall clock, start to exit), shared / legacy
  (target <= 1.10), every device caught up and folded; and one ``log`` after another device
  (legacy: process) appended 1,000 changes that this device has not folded in yet;
* (c) the app's first frame with data (bench_tui.first_frame, a 120x40 pseudo-terminal);
* (d) a window catching up with another device's 1,000 new changes (the other appends 1,000
  interactions, one change each; ``Journal.catch_up`` timed in the window; target <= 200 ms);
  legacy: another process's 1,000 changes;
* (e) a window's look when nothing changed (``Journal.changed_elsewhere``, per call), and the
  CPU time of looking twice a second while idle (process time over ``--polls`` looks).

The machine is shared (2 cores): the load average is written before and after the run.
Results go to bench/results/devices.md (or --results).
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

from bench_sharing import run_py, wall  # noqa: E402

A, B = "bench-a", "bench-b"

SAVE = r"""
import sys, time
from netjournal.domain.model import Interaction
from netjournal.store import Journal
j = Journal.open(sys.argv[1], device=sys.argv[2] or None)
cid = next(iter(j.contacts())).id
for n in range(int(sys.argv[3])):
    t = time.perf_counter()
    j.add_interaction(Interaction(date="2026-10-30", contact_ids=[cid], kind="call", text=f"bench {n}"))
    print(time.perf_counter() - t)
j.storage.close()  # (no fold at exit: not what is measured)
"""

OTHER = r"""
import sys
from netjournal.domain.model import Interaction
from netjournal.store import Journal
j = Journal.open(sys.argv[1], device=sys.argv[2] or None)
cid = next(iter(j.contacts())).id
for k in range(int(sys.argv[3])):
    j.add_interaction(Interaction(date="2026-10-31", contact_ids=[cid], text=f"other {k}"))
j.storage.close()
"""

FOLLOW = r"""
import os, subprocess, sys, time
from netjournal.store import Journal
path, me, other, n, polls, code = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5]), sys.argv[6]
window = Journal.open(path, device=me or None)
env = dict(os.environ, NETJOURNAL_DEVICE=other) if other else os.environ
subprocess.run([sys.executable, "-c", code, path, other, n], check=True, env=env)
t = time.perf_counter()
assert window.catch_up()
took = time.perf_counter() - t
looks = 1000
t = time.perf_counter()
said = sum(window.changed_elsewhere() for _ in range(looks))
look = (time.perf_counter() - t) / looks
cpu = time.process_time()
for _ in range(polls):  # (as the app: a look, and a catch-up when it says something changed)
    if window.changed_elsewhere():
        window.catch_up()
    time.sleep(0.5)
idle = (time.process_time() - cpu) / (polls * 0.5)
window.storage.close()
print(took, look, idle, said / looks)
"""


def env_for(work: Path, device: str | None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("NETJOURNAL_")}
    env.update(PYTHONPATH=str(ROOT), TERM="xterm-256color", COLUMNS="120", LINES="40",
               XDG_STATE_HOME=str(work / f"state-{device or 'legacy'}"))
    if device:
        env["NETJOURNAL_DEVICE"] = device
    return env


FOLD = "import sys\nfrom netjournal.store import Journal\nwith Journal.open(sys.argv[1], device=sys.argv[2] or None) as j:\n    j.compact()\n"


def make_copies(source: Path, work: Path) -> tuple[dict[str, tuple[Path, str]], float]:
    """The legacy copy and the shared one (two devices there, each having read the other);
    also how long the second device's first open and fold took (joining)."""
    from netjournal.store import devicemode

    copies = {}
    for label, device in (("legacy", ""), ("shared", A)):
        path = work / label / "journal.json"
        path.parent.mkdir(parents=True)
        shutil.copyfile(source, path)
        copies[label] = (path, device)
    shared = copies["shared"][0]
    devicemode.turn_on(shared, A)
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", FOLD, str(shared), B], env=env_for(work, B), check=True)
    joined = time.perf_counter() - start
    subprocess.run([sys.executable, "-c", FOLD, str(shared), A], env=env_for(work, A), check=True)
    return copies, joined


def one_round(copies: dict[str, tuple[Path, str]], work: Path, name: str, saves: int) -> dict[str, dict[str, list[float]]]:
    from bench_tui import DATA_SHOWN, first_frame

    out: dict[str, dict[str, list[float]]] = {}
    for label, (path, device) in copies.items():
        env = env_for(work, device or None)
        nj = [sys.executable, "-m", "netjournal", "--journal", str(path)]
        out[label] = {
            "save": run_py(SAVE, env, str(path), device, str(saves)),
            "log": [wall([*nj, "log", f'yesterday: lunch with @"{name}" #bench 45m'], env)],
            "search": [wall([*nj, "search", "pricing"], env)],
            "first frame": [first_frame(nj, env, DATA_SHOWN)],
        }
    return out


def follow(copies: dict[str, tuple[Path, str]], work: Path, polls: int, name: str) -> dict[str, list[float]]:
    """(d) and (e); then one ``log`` before this device folds what it read (the other's 1,000
    changes read again by every process until then), then a fold here (not timed), so that the
    next round starts with every device caught up."""
    out: dict[str, list[float]] = {}
    for label, (path, device) in copies.items():
        other = B if device else ""
        env = env_for(work, device or None)
        took, look, idle, said = run_py(FOLLOW, env, str(path), device, other, "1000", str(polls), OTHER)
        out.setdefault(f"{label} catch up", []).append(took)
        out.setdefault(f"{label} looks saying changed", []).append(said)
        out.setdefault(f"{label} look", []).append(look)
        out.setdefault(f"{label} idle", []).append(idle)
        nj = [sys.executable, "-m", "netjournal", "--journal", str(path)]
        out.setdefault(f"{label} log, unfolded", []).append(wall([*nj, "log", f'lunch with @"{name}" 15m'], env))
        subprocess.run([sys.executable, "-c", FOLD, str(path), device], env=env, check=True)
    return out


def ms(seconds: float) -> str:
    value = seconds * 1000
    return f"{value:,.1f} ms" if value < 100 else f"{value:,.0f} ms"


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--journal", type=Path, default=Path("/tmp/bench.json"))
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--saves", type=int, default=40)
    ap.add_argument("--polls", type=int, default=20)
    ap.add_argument("--results", type=Path, default=HERE / "results" / "devices.md")
    a = ap.parse_args()
    from bytecode import compile_package
    from generate import generate_records, write_journal

    if not a.journal.exists():
        write_journal(a.journal, generate_records())
    compile_package()
    import orjson

    name = next(iter(orjson.loads(a.journal.read_bytes())["contacts"].values()))["name"]
    load = [os.getloadavg()[0]]
    rows: dict[str, dict[str, list[float]]] = {"legacy": {}, "shared": {}}
    follows: dict[str, list[float]] = {}
    with tempfile.TemporaryDirectory(prefix="nj-devices-") as tmp:
        work = Path(tmp)
        copies, joined = make_copies(a.journal, work)
        one_round(copies, work, name, 2)  # (the day's backups taken, the disk cache warm)
        for n in range(a.runs):
            for label, got in one_round(copies, work, name, a.saves).items():
                for key, values in got.items():
                    rows[label].setdefault(key, []).extend(values)
            for key, values in follow(copies, work, a.polls, name).items():
                follows.setdefault(key, []).extend(values)
            load.append(os.getloadavg()[0])
            print(f"  round {n + 1} of {a.runs} (load {load[-1]:.1f})", flush=True)
    write(a.results, rows, follows, joined, a, load)
    print(a.results.read_text())
    return 0


def write(out: Path, rows: dict[str, dict[str, list[float]]], follows: dict[str, list[float]], joined: float,
          a: argparse.Namespace, load: list[float]) -> None:
    med = statistics.median
    lines = [
        "# One journal shared between devices (issue #14 part 2)", "",
        f"`python bench/bench_devices.py --runs {a.runs}` on {date.today()}: Python {platform.python_version()}, "
        f"{os.cpu_count()} cores (shared with other work). Journal: 2,000 contacts, 100,000 interactions, 20,000 "
        "favours; legacy (one device) and shared between two devices (each with its own 46 MB snapshot, each "
        "having read the other's) interleaved in every round, fresh processes. Load average (1 min) before the "
        f"run and after each round: {', '.join(f'{v:.1f}' for v in load)}.", "",
        "| measure | legacy | shared | shared / legacy | target |", "|---|---|---|---|---|",
    ]
    saves = {label: rows[label]["save"] for label in rows}
    lines.append(f"| (a) durable save, median of {len(saves['shared'])} | {ms(med(saves['legacy']))} | "
                 f"{ms(med(saves['shared']))} | {med(saves['shared']) / med(saves['legacy']):.2f} | <= 20 ms |")
    lines.append(f"| (a) durable save, p95 | {ms(p95(saves['legacy']))} | {ms(p95(saves['shared']))} | "
                 f"{p95(saves['shared']) / p95(saves['legacy']):.2f} | <= 20 ms |")
    for key, target in (("log", "<= 1.10"), ("search", "<= 1.10"), ("first frame", "")):
        leg, sh = med(rows["legacy"][key]), med(rows["shared"][key])
        lines.append(f"| ({'b' if key != 'first frame' else 'c'}) {key} (median of {a.runs}) | {ms(leg)} | "
                     f"{ms(sh)} | {sh / leg:.2f} | {target} |")
    catch = {label: med(follows[f"{label} catch up"]) for label in rows}
    look = {label: med(follows[f"{label} look"]) for label in rows}
    idle = {label: med(follows[f"{label} idle"]) for label in rows}
    lines += [
        f"| (d) catch up with 1,000 changes another device (legacy: process) appended | {ms(catch['legacy'])} | "
        f"{ms(catch['shared'])} | {catch['shared'] / catch['legacy']:.2f} | <= 200 ms |",
        f"| (b) log, the other's 1,000 changes not yet folded here | {ms(med(follows['legacy log, unfolded']))} | "
        f"{ms(med(follows['shared log, unfolded']))} | "
        f"{med(follows['shared log, unfolded']) / med(follows['legacy log, unfolded']):.2f} | |",
        f"| (e) one look when nothing changed (`changed_elsewhere`) | {look['legacy'] * 1e6:.1f} µs | "
        f"{look['shared'] * 1e6:.1f} µs | {look['shared'] / look['legacy']:.2f} | |",
        f"| (e) idle CPU, looking twice a second ({a.polls} looks, share of one core) | {idle['legacy'] * 100:.3f} % | "
        f"{idle['shared'] * 100:.3f} % | | <= 1 % |",
        f"| (e) share of idle looks that said something changed | {med(follows['legacy looks saying changed']):.0%} | "
        f"{med(follows['shared looks saying changed']):.0%} | | 0 % |",
        "", f"Once, at set-up: the second device joining (its first open of the shared journal, reading the "
        f"first device's snapshot, and its first fold, writing its own): {joined:.1f} s.",
        "", "All values of each measure (seconds):", "",
    ]
    for label in rows:
        for key, values in rows[label].items():
            if key != "save":
                lines.append(f"- {label} {key}: {', '.join(f'{v:.3f}' for v in values)}")
    for key, values in follows.items():
        lines.append(f"- {key}: {', '.join(f'{v:.6f}' for v in values)}")
    out.write_text("\n".join(lines) + "\n")


if __name__ == "__main__":
    sys.exit(main())
